import type { SessionPrincipal } from '../../core/auth.js';
import { AppError, conflict, forbidden, notFound, type FieldProblem } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n.js';
import { newId } from '../../core/ids.js';
import type { AuditActor } from '../../core/audit.js';
import type { Platform } from '../../core/platform.js';
import { actorOf, type IdentityService } from '../../identity/service.js';
import { shanghaiDate } from '../../reference/dates.js';
import { exportPolicyFile, parsePolicyFile, type ImportProblem } from '../format/import.js';
import type { DeclaredFact, PolicyDocument, PolicyFile } from '../format/schema.js';
import { factsUsed, FACT_SOURCES } from '../rules/validate.js';
import { IMPORT_OPTIONS } from '../matching/facts.js';
import { appliesIn, compilePolicy, formulaFacts, inForce, type CompiledPolicy } from './compiled.js';
import { PolicyLibraryStore, type PolicyRow, type PolicyVersionRow } from './store.js';
import '../messages.js';

const OFFICER_ROLE = 'policyOfficer';
export const MIN_EXAMPLES = 2;

/** What the library needs of the service catalogue: apply-mode policies are claimed through an item. */
export interface ServiceItemLookup {
  publishedItemId(code: string): Promise<string | null>;
}

export interface ImportReport {
  created: string[];
  revised: string[];
  unchanged: string[];
}

export interface PolicyVersionView {
  policyId: string;
  code: string;
  departmentId: string;
  status: PolicyRow['status'];
  publishedVersionId: string | null;
  versionId: string;
  version: number;
  versionStatus: PolicyVersionRow['status'];
  document: PolicyDocument;
  declaredFacts: DeclaredFact[];
  createdAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  publishedAt: string | null;
}

export interface PublishedEvent {
  policyId: string;
  versionId: string;
  code: string;
}

/** Key order never makes two identical documents differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function problemFields(problems: ImportProblem[]): FieldProblem[] {
  return problems.map((problem) => ({
    field: problem.path,
    message: `policies.problem.${problem.code}` as MessageKey,
    params: Object.fromEntries(Object.entries(problem.detail ?? {}).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)])),
  }));
}

const invalidFile = (problems: ImportProblem[]) =>
  new AppError(422, 'invalidPolicyFile', 'error.validation.title', 'policies.import.invalid', { count: problems.length }, problemFields(problems));

/** The non-built-in facts one policy's rule and formula read, with their declarations. */
function declaredFactsOf(document: PolicyDocument, declared: readonly DeclaredFact[]): DeclaredFact[] {
  const used = new Set([...factsUsed(document.eligibility), ...formulaFacts(document, declared)]);
  for (const example of document.examples ?? []) for (const name of Object.keys(example.facts)) used.add(name);
  return declared.filter((fact) => used.has(fact.name));
}

/**
 * The policy library: policy officers of a department import and edit their policies (each change
 * a new version), submit them for review, and a second officer of the department publishes them
 * after the checks a published policy must pass. Published versions are compiled once per library
 * revision and kept per process; the revision in the database tells every server when to reload.
 */
export class PolicyLibraryService {
  readonly store: PolicyLibraryStore;
  private compiled: { revision: number; policies: CompiledPolicy[] } | null = null;
  private loading: { revision: number; promise: Promise<CompiledPolicy[]> } | null = null;
  private readonly publishedListeners: ((event: PublishedEvent) => Promise<void>)[] = [];

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
    private readonly serviceItems: ServiceItemLookup,
  ) {
    this.store = new PolicyLibraryStore(platform.db);
  }

  /** Called after a version is published and committed (push notifications listen here). */
  onPublished(listener: (event: PublishedEvent) => Promise<void>): void {
    this.publishedListeners.push(listener);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  private async officerDepartment(actor: SessionPrincipal) {
    if (!actor.roles.includes(OFFICER_ROLE) && !actor.roles.includes('admin')) throw forbidden('roleRequired');
    if (!actor.departmentId) throw forbidden('noDepartment', 'policies.officer.noDepartment');
    const department = await this.identity.department(actor.departmentId);
    if (!department) throw forbidden('unknownDepartment', 'policies.officer.noDepartment');
    return department;
  }

  private async ownedPolicy(actor: SessionPrincipal, code: string): Promise<PolicyRow> {
    const department = await this.officerDepartment(actor);
    const policy = await this.store.policyByCode(code);
    if (!policy) throw notFound('policyNotFound', 'policies.policy.notFound', { code });
    if (policy.departmentId !== department.id) throw forbidden('otherDepartment', 'policies.policy.otherDepartment', { code });
    return policy;
  }

  // Import and export

  /**
   * Imports a file in the interchange format for the officer's department: each new code becomes
   * a policy, each changed document a new draft version, identical ones are left alone. One
   * problem anywhere imports nothing, and every problem is reported with its JSON path.
   */
  async importFile(actor: SessionPrincipal, input: unknown): Promise<ImportReport> {
    const department = await this.officerDepartment(actor);
    return this.importInto(department.id, { audit: actorOf(actor), id: actor.staffId ?? actor.accountId }, input);
  }

  /**
   * The operator's bulk load (`tongban policy import`, demo seeding): imports into a department
   * and, with `publish`, publishes every version it created after the same checks a reviewer's
   * approval runs. Someone with the command line holds the database anyway; the audit trail
   * names the operator.
   */
  async importAsOperator(departmentCode: string, input: unknown, options: { publish: boolean; operator?: string }): Promise<ImportReport & { published: string[] }> {
    const department = await this.identity.store.departmentByCode(departmentCode);
    if (!department) throw notFound('departmentNotFound', 'policies.department.notFound', { code: departmentCode });
    const operator = { audit: { type: 'system' as const, id: options.operator ?? 'cli', label: options.operator ?? 'tongban policy import' }, id: `operator:${options.operator ?? 'cli'}` };
    if (options.publish) {
      // Every policy must be publishable before anything is imported: a file half published is
      // worse than one refused whole.
      const parsed = parsePolicyFile(input, IMPORT_OPTIONS);
      if (!parsed.ok) throw invalidFile(parsed.problems);
      const problems: ImportProblem[] = [];
      for (const [index, document] of parsed.file.policies.entries()) {
        for (const problem of await this.publicationProblems(document, declaredFactsOf(document, parsed.file.facts ?? []))) {
          problems.push({ ...problem, path: problem.path.replace(/^\/policies\/0/, `/policies/${index}`) });
        }
      }
      if (problems.length) throw invalidFile(problems);
    }
    const report = await this.importInto(department.id, operator, input);
    const published: string[] = [];
    if (options.publish) {
      for (const code of [...report.created, ...report.revised, ...report.unchanged]) {
        const policy = (await this.store.policyByCode(code))!;
        const latest = (await this.store.version(policy.id, policy.latestVersion))!;
        if (latest.status !== 'draft') continue;
        await this.publishVersion(policy, latest, 'draft', { reviewedBy: operator.id, reviewComment: null }, operator.audit);
        published.push(code);
      }
    }
    return { ...report, published };
  }

  private async importInto(departmentId: string, actor: { audit: AuditActor; id: string }, input: unknown): Promise<ImportReport> {
    const parsed = parsePolicyFile(input, IMPORT_OPTIONS);
    if (!parsed.ok) throw invalidFile(parsed.problems);
    const file = parsed.file;
    const nowIso = this.nowIso();
    const actorId = actor.id;
    const report: ImportReport = { created: [], revised: [], unchanged: [] };
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, 'policy-library-import');
      const problems: ImportProblem[] = [];
      const known = new Map((await this.store.declaredFacts(tx)).map((row) => [row.name, row.definition]));
      const newFacts: DeclaredFact[] = [];
      (file.facts ?? []).forEach((fact, index) => {
        const existing = known.get(fact.name);
        if (existing === undefined) newFacts.push(fact);
        else if (canonicalJson({ ...JSON.parse(existing), label: null }) !== canonicalJson({ ...fact, label: null })) {
          problems.push({ path: `/facts/${index}`, code: 'declaredFactConflict', detail: { fact: fact.name } });
        }
      });
      const plans: { index: number; document: PolicyDocument; existing: PolicyRow | undefined }[] = [];
      for (const [index, document] of file.policies.entries()) {
        const existing = await this.store.policyByCode(document.code, tx);
        if (existing && existing.departmentId !== departmentId) problems.push({ path: `/policies/${index}/code`, code: 'otherDepartment', detail: { code: document.code } });
        plans.push({ index, document, existing });
      }
      if (problems.length) throw invalidFile(problems);
      for (const fact of newFacts) await this.store.insertDeclaredFact(tx, fact.name, JSON.stringify(fact), nowIso);
      for (const { document, existing } of plans) {
        const declaredFacts = JSON.stringify(declaredFactsOf(document, file.facts ?? []));
        const text = JSON.stringify(document);
        if (!existing) {
          const policyId = newId();
          await this.store.insertPolicy(
            tx,
            { id: policyId, code: document.code, departmentId, status: 'draft', latestVersion: 1, publishedVersionId: null, ...this.summaryColumns(document), createdAt: nowIso, updatedAt: nowIso },
            this.newVersion(policyId, 1, text, declaredFacts, actorId, nowIso),
            document.regions,
          );
          report.created.push(document.code);
          continue;
        }
        const latest = await this.store.version(existing.id, existing.latestVersion, tx);
        if (latest && canonicalJson(JSON.parse(latest.document)) === canonicalJson(document)) {
          report.unchanged.push(document.code);
          continue;
        }
        const version = existing.latestVersion + 1;
        await this.store.insertVersion(tx, this.newVersion(existing.id, version, text, declaredFacts, actorId, nowIso));
        // A draft newer than the published version waits for review; the public keeps seeing the published one.
        await this.store.updatePolicy(tx, existing.id, { latestVersion: version, updatedAt: nowIso, ...(existing.status === 'published' ? {} : this.summaryColumns(document)) });
        report.revised.push(document.code);
      }
      await this.platform.audit.record({ action: 'policies.imported', actor: actor.audit, detail: { ...report, departmentId } }, tx);
    });
    return report;
  }

  private newVersion(policyId: string, version: number, document: string, declaredFacts: string, createdBy: string, nowIso: string): PolicyVersionRow {
    return {
      id: newId(),
      policyId,
      version,
      document,
      declaredFacts,
      status: 'draft',
      createdBy,
      createdAt: nowIso,
      submittedBy: null,
      submittedAt: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewComment: null,
      publishedAt: null,
    };
  }

  private summaryColumns(document: PolicyDocument) {
    return { titleZh: document.title['zh-CN'], titleEn: document.title.en, category: document.category ?? 'other', mode: document.mode, level: document.level };
  }

  /**
   * Exports policies in the interchange format: the published versions for anyone; an officer may
   * ask for the latest versions of the department's own policies, drafts included.
   */
  async exportFile(options: { codes?: string[]; latestOf?: SessionPrincipal } = {}): Promise<PolicyFile> {
    const documents: PolicyDocument[] = [];
    const declared = new Map<string, DeclaredFact>();
    if (options.latestOf) {
      const department = await this.officerDepartment(options.latestOf);
      for (const row of await this.store.listPolicies({ departmentId: department.id })) {
        if (options.codes && !options.codes.includes(row.code)) continue;
        const version = await this.store.version(row.id, row.latestVersion);
        if (!version) continue;
        documents.push(JSON.parse(version.document) as PolicyDocument);
        for (const fact of JSON.parse(version.declaredFacts) as DeclaredFact[]) declared.set(fact.name, fact);
      }
    } else {
      for (const row of await this.store.publishedVersions()) {
        if (options.codes && !options.codes.includes(row.code)) continue;
        documents.push(JSON.parse(row.document) as PolicyDocument);
        for (const fact of JSON.parse(row.declaredFacts) as DeclaredFact[]) declared.set(fact.name, fact);
      }
    }
    return exportPolicyFile(documents, [...declared.values()]);
  }

  // Review and publication

  async submitForReview(actor: SessionPrincipal, code: string): Promise<PolicyVersionView> {
    const policy = await this.ownedPolicy(actor, code);
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy:${policy.id}`);
      const latest = await this.store.version(policy.id, policy.latestVersion, tx);
      if (!latest || (latest.status !== 'draft' && latest.status !== 'rejected')) throw conflict('notADraft', 'policies.review.notADraft', { code });
      await this.store.updateVersion(tx, latest.id, { status: 'inReview', submittedBy: actor.staffId ?? actor.accountId, submittedAt: nowIso });
      await this.platform.audit.record({ action: 'policies.submitted', actor: actorOf(actor), detail: { code, versionId: latest.id } }, tx);
    });
    return this.latestView(code);
  }

  /**
   * A second policy officer of the department approves or rejects the version under review.
   * Approval publishes it, after the checks every published policy passes: its examples give
   * their expected outcomes, an apply-mode policy names a published service item, and an
   * automatic grant reads only facts an authority holds.
   */
  async review(actor: SessionPrincipal, code: string, decision: { approve: boolean; comment?: string }): Promise<PolicyVersionView> {
    const policy = await this.ownedPolicy(actor, code);
    const latest = await this.store.version(policy.id, policy.latestVersion);
    if (!latest || latest.status !== 'inReview') throw conflict('notInReview', 'policies.review.notInReview', { code });
    const reviewer = actor.staffId ?? actor.accountId;
    if (latest.submittedBy === reviewer || latest.createdBy === reviewer) throw forbidden('ownReview', 'policies.review.ownReview');
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy:${policy.id}`);
      const current = await this.store.version(policy.id, policy.latestVersion, tx);
      if (current?.status !== 'inReview') throw conflict('notInReview', 'policies.review.notInReview', { code });
      const review = { reviewedBy: reviewer, reviewedAt: nowIso, reviewComment: decision.comment?.trim() || null };
      if (decision.approve) return;
      await this.store.updateVersion(tx, latest.id, { status: 'rejected', ...review });
      await this.platform.audit.record({ action: 'policies.rejected', actor: actorOf(actor), detail: { code, versionId: latest.id, version: latest.version } }, tx);
    });
    if (decision.approve) await this.publishVersion(policy, latest, 'inReview', { reviewedBy: reviewer, reviewComment: decision.comment?.trim() || null }, actorOf(actor));
    return this.latestView(code);
  }

  private async publishVersion(
    policy: PolicyRow,
    version: PolicyVersionRow,
    expectedStatus: 'inReview' | 'draft',
    review: { reviewedBy: string; reviewComment: string | null },
    actor: AuditActor,
  ): Promise<void> {
    const document = JSON.parse(version.document) as PolicyDocument;
    await this.checkPublishable(document, JSON.parse(version.declaredFacts) as DeclaredFact[]);
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy:${policy.id}`);
      const current = await this.store.policyById(policy.id, tx);
      // Another reviewer may have rejected or published it since it was read.
      const stillThere = await this.store.versionById(version.id, tx);
      if (current?.latestVersion !== version.version || stillThere?.status !== expectedStatus) throw conflict('notInReview', 'policies.review.notInReview', { code: policy.code });
      if (current.publishedVersionId) await this.store.updateVersion(tx, current.publishedVersionId, { status: 'superseded' });
      await this.store.updateVersion(tx, version.id, { status: 'published', publishedAt: nowIso, reviewedAt: nowIso, ...review });
      await this.store.updatePolicy(tx, policy.id, { status: 'published', publishedVersionId: version.id, updatedAt: nowIso, ...this.summaryColumns(document) });
      await this.store.replaceRegions(tx, policy.id, document.regions);
      await this.store.bumpRevision(tx);
      await this.platform.audit.record({ action: 'policies.published', actor, detail: { code: policy.code, versionId: version.id, version: version.version } }, tx);
    });
    for (const listener of this.publishedListeners) {
      // Publication has committed; a failing listener is logged, never undoes it.
      await listener({ policyId: policy.id, versionId: version.id, code: policy.code }).catch((error: unknown) =>
        this.platform.logger.error({ err: error, code: policy.code }, 'policy published listener failed'),
      );
    }
  }

  private async checkPublishable(document: PolicyDocument, declaredFacts: DeclaredFact[]): Promise<void> {
    const problems = await this.publicationProblems(document, declaredFacts);
    if (problems.length) throw new AppError(422, 'notPublishable', 'error.validation.title', 'policies.review.notPublishable', { count: problems.length }, problemFields(problems));
  }

  /** What stands in the way of publishing a version, with paths as in a one-policy file. */
  private async publicationProblems(document: PolicyDocument, declaredFacts: DeclaredFact[]): Promise<ImportProblem[]> {
    const problems: ImportProblem[] = [];
    const parsed = parsePolicyFile({ format: 'tongban-policy/1', facts: declaredFacts, policies: [document] }, IMPORT_OPTIONS);
    if (!parsed.ok) problems.push(...parsed.problems);
    if ((document.examples ?? []).length < MIN_EXAMPLES) problems.push({ path: '/policies/0/examples', code: 'tooFewExamples', detail: { minimum: MIN_EXAMPLES } });
    if (document.mode === 'apply') {
      if (!document.serviceItem) problems.push({ path: '/policies/0/serviceItem', code: 'serviceItemRequired' });
      else if (!(await this.serviceItems.publishedItemId(document.serviceItem))) problems.push({ path: '/policies/0/serviceItem', code: 'serviceItemUnknown', detail: { item: document.serviceItem } });
    }
    if (document.mode === 'automatic') {
      const sourceOf = (name: string) => (FACT_SOURCES as Record<string, string>)[name] ?? declaredFacts.find((fact) => fact.name === name)?.source ?? 'declared';
      const used = [...factsUsed(document.eligibility), ...formulaFacts(document, declaredFacts)];
      for (const fact of new Set(used)) {
        if (sourceOf(fact) === 'declared') problems.push({ path: '/policies/0/eligibility', code: 'selfDeclaredFactInAutomatic', detail: { fact } });
      }
    }
    return problems;
  }

  async withdraw(actor: SessionPrincipal, code: string): Promise<void> {
    const policy = await this.ownedPolicy(actor, code);
    if (policy.status !== 'published') throw conflict('notPublished', 'policies.policy.notPublished', { code });
    await this.store.transaction(async (tx) => {
      await this.store.updatePolicy(tx, policy.id, { status: 'withdrawn', updatedAt: this.nowIso() });
      await this.store.bumpRevision(tx);
      await this.platform.audit.record({ action: 'policies.withdrawn', actor: actorOf(actor), detail: { code } }, tx);
    });
  }

  // Reading

  private view(policy: PolicyRow, version: PolicyVersionRow): PolicyVersionView {
    return {
      policyId: policy.id,
      code: policy.code,
      departmentId: policy.departmentId,
      status: policy.status,
      publishedVersionId: policy.publishedVersionId,
      versionId: version.id,
      version: version.version,
      versionStatus: version.status,
      document: JSON.parse(version.document) as PolicyDocument,
      declaredFacts: JSON.parse(version.declaredFacts) as DeclaredFact[],
      createdAt: version.createdAt,
      submittedAt: version.submittedAt,
      reviewedAt: version.reviewedAt,
      reviewComment: version.reviewComment,
      publishedAt: version.publishedAt,
    };
  }

  /** The published version of a policy, for everyone. */
  async published(code: string): Promise<PolicyVersionView> {
    const policy = await this.store.policyByCode(code);
    if (!policy || policy.status !== 'published' || !policy.publishedVersionId) throw notFound('policyNotFound', 'policies.policy.notFound', { code });
    const version = await this.store.versionById(policy.publishedVersionId);
    return this.view(policy, version!);
  }

  /** The newest version, drafts included, for the owning department's officers. */
  async latestView(code: string, actor?: SessionPrincipal): Promise<PolicyVersionView> {
    const policy = actor ? await this.ownedPolicy(actor, code) : await this.store.policyByCode(code);
    if (!policy) throw notFound('policyNotFound', 'policies.policy.notFound', { code });
    const version = await this.store.version(policy.id, policy.latestVersion);
    return this.view(policy, version!);
  }

  /** A version by id, as claims and grants reference it. */
  async versionView(versionId: string): Promise<PolicyVersionView> {
    const version = await this.store.versionById(versionId);
    if (!version) throw notFound('policyNotFound', 'policies.policy.notFound', { code: versionId });
    const policy = await this.store.policyById(version.policyId);
    return this.view(policy!, version);
  }

  async departmentPolicies(actor: SessionPrincipal) {
    const department = await this.officerDepartment(actor);
    return this.store.listPolicies({ departmentId: department.id });
  }

  async officerDepartmentId(actor: SessionPrincipal): Promise<string> {
    return (await this.officerDepartment(actor)).id;
  }

  /** Published policies, optionally only those of a category or mode, in force on a date, or applying in a region. */
  async listPublished(filter: { category?: string; mode?: string; region?: string; on?: string } = {}) {
    return (await this.library())
      .filter(({ document }) => (!filter.category || document.category === filter.category) && (!filter.mode || document.mode === filter.mode))
      .filter(({ document }) => (!filter.on || inForce(document, filter.on)) && (!filter.region || appliesIn(document, filter.region)))
      .map(({ document, version }) => ({
        code: document.code,
        title: document.title,
        summary: document.summary,
        category: document.category,
        mode: document.mode,
        level: document.level,
        regions: document.regions,
        effective: document.effective,
        version,
      }));
  }

  /** Every published policy, compiled; reloaded only when the library's revision has moved. */
  async library(): Promise<CompiledPolicy[]> {
    const revision = await this.store.revision();
    if (this.compiled?.revision === revision) return this.compiled.policies;
    // A load that began before this revision was read may miss what was just published.
    if (this.loading?.revision !== undefined && this.loading.revision < revision) this.loading = null;
    this.loading ??= { revision, promise: (async () => {
      try {
        const rows = await this.store.publishedVersions();
        const policies = rows.map((row) =>
          compilePolicy({
            policyId: row.policyId,
            versionId: row.versionId,
            version: row.version,
            departmentId: row.departmentId,
            document: JSON.parse(row.document) as PolicyDocument,
            declaredFacts: JSON.parse(row.declaredFacts) as DeclaredFact[],
          }),
        );
        if (!this.compiled || this.compiled.revision < revision) this.compiled = { revision, policies };
        return policies;
      } finally {
        if (this.loading?.revision === revision) this.loading = null;
      }
    })() };
    return this.loading.promise;
  }
}
