import type { SessionPrincipal } from '../../core/auth.js';
import { AppError, conflict, type FieldProblem } from '../../core/errors.js';
import type { MessageParams } from '../../core/i18n.js';
import { newId } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import type { ItemVersionView } from '../../catalog/schema.js';
import type { ApplicationService, ApplicationView, MaterialInput } from '../../applications/service.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { actorOf } from '../../identity/service.js';
import { shanghaiDate } from '../../reference/dates.js';
import type { Facts, LeafResult, Scalar } from '../rules/evaluate.js';
import { BUILTIN_FACTS } from '../rules/validate.js';
import { appliesIn, inForce, matchOne, type CompiledPolicy, type MatchResult } from '../library/compiled.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { PolicyMatchingService } from '../matching/service.js';
import { fenOf, yuanOf } from './money.js';
import { BenefitsStore, type ClaimRow } from './store.js';
import './messages.js';

/** What claims need of the catalogue: the published item a policy names by implementation code. */
export interface ClaimItems {
  publishedItem(implementationCode: string): Promise<ItemVersionView | null>;
}

/** Certificates the enterprise holds and may reuse as a material. */
export interface ReusableCertificates {
  findReusable(holder: { enterpriseId: string }, certificateType: string): Promise<{ id: string }[]>;
}

export interface ClaimInput {
  form?: Record<string, unknown>;
  materials?: Record<string, MaterialInput | null>;
  /**
   * Reuse, with the claimant's consent, every material the item lets the government supply (its
   * data, or a certificate the enterprise holds) that `materials` does not already choose.
   */
  reuseHeldMaterials?: boolean;
}

export interface ClaimView {
  id: string;
  policy: { code: string; title: { 'zh-CN': string; en: string }; versionId: string; version: number };
  enterpriseId: string;
  uscc: string;
  outcome: 'eligible' | 'ineligible' | 'undetermined';
  benefit: { amount: number } | null;
  applicationId: string;
  /** The application as the claimant may see it; null when they may not (an agent without the applications scope). */
  application: { trackingNumber: string | null; status: ApplicationView['status']; decision: ApplicationView['decision'] } | null;
  createdAt: string;
}

/** What the claim page shows before anything is submitted. */
export interface ClaimPreview {
  enterprise: { id: string; uscc: string; name: string };
  policy: CompiledPolicy;
  /** The enterprise's facts now, as the re-check read them. */
  facts: Facts;
  result: MatchResult;
  item: ItemVersionView | null;
  /** Why the claim cannot be made now, if it cannot; the page shows it instead of the form. */
  blocker: AppError | null;
}

type PolicyInfo = Omit<ClaimView['policy'], 'versionId'>;
type ClaimRowView = Pick<ClaimRow, 'id' | 'enterpriseId' | 'uscc' | 'outcome' | 'applicationId' | 'createdAt' | 'versionId' | 'benefitAmountFen'>;
const policyInfo = (policy: CompiledPolicy): PolicyInfo => ({ code: policy.document.code, title: policy.document.title, version: policy.version });

const MAX_KEY = 80;
/** A claim in progress longer than this is taken to have been cut off (the process stopped). */
const RESERVATION_STALE_MS = 2 * 60_000;
const LISTED_CLAIMS = 100;
/** Keys of applications made by claims, apart from those the same account uses for plain applications. */
const applicationKey = (key: string) => `policy-claim:${key}`;

/** A rule's expected value or an enterprise's actual one, as a message shows it. */
function shown(value: Scalar | Scalar[] | string[] | null): string {
  if (value === null) return '—';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The explanation of a refused claim as field problems of the 409 answer: each failing
 * condition, then each one missing a fact, in both languages (the fact's name and the operator
 * are message keys the problem renderer translates).
 */
export function explanationProblems(result: MatchResult): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const describe = (condition: LeafResult): MessageParams => ({
    fact: condition.fact in BUILTIN_FACTS ? `{policies.fact.${condition.fact}}` : condition.fact,
    op: `{policies.benefits.op.${condition.op}}`,
    expected: shown(condition.expected),
    actual: shown(condition.actual),
  });
  for (const condition of result.conditions) {
    if (condition.result === 'fail') problems.push({ field: `/facts/${condition.fact}`, message: 'policies.benefits.claim.conditionFailed', params: describe(condition) });
  }
  for (const condition of result.conditions) {
    if (condition.result === 'unknown') problems.push({ field: `/facts/${condition.fact}`, message: 'policies.benefits.claim.conditionUnknown', params: describe(condition) });
  }
  return problems;
}

/**
 * One-stop claims (apply-mode policies): eligibility is checked again on the enterprise's facts
 * at that moment, and an eligible claim becomes an application on the policy's service item,
 * prefilled from the profile, reusing what the government holds, submitted at once. The
 * department handles it through its normal workflow; the claim records the rule version used.
 */
export class PolicyClaimService {
  readonly store: BenefitsStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: {
      library: PolicyLibraryService;
      matching: PolicyMatchingService;
      enterprises: EnterpriseService;
      applications: ApplicationService;
      items: ClaimItems;
      certificates: ReusableCertificates;
    },
  ) {
    this.store = new BenefitsStore(platform.db);
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  /** The compiled published version of a policy (404 when there is none). */
  private async publishedPolicy(code: string): Promise<CompiledPolicy> {
    const view = await this.deps.library.published(code);
    const compiled = (await this.deps.library.library()).find((policy) => policy.versionId === view.versionId);
    // Published a moment ago and not in this process's compiled copy yet: the copy reloads on the next call.
    return compiled ?? (await this.deps.library.library()).find((policy) => policy.policyId === view.policyId)!;
  }

  /**
   * Everything the claim page needs, and the reason a claim cannot be made now if there is one:
   * the same checks `claim` runs, in the same order, so the page and the API never disagree.
   */
  async preview(principal: SessionPrincipal, enterpriseId: string, code: string): Promise<ClaimPreview> {
    const access = await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const policy = await this.publishedPolicy(code);
    const on = this.today();
    const uscc = access.enterprise.uscc;
    const facts = await this.deps.matching.enterpriseFacts(enterpriseId, uscc, on, await this.deps.library.library());
    const result = matchOne(policy, facts);
    const enterprise = { id: access.enterprise.id, uscc, name: access.enterprise.name };
    const region = typeof facts.region === 'string' ? facts.region : undefined;
    const { document } = policy;
    const fail = (error: AppError): ClaimPreview => ({ enterprise, policy, facts, result, item: null, blocker: error });
    if (document.mode !== 'apply') return fail(conflict('notClaimable', 'policies.benefits.claim.notApplyMode', { code }));
    if (!inForce(document, on)) return fail(conflict('notInForce', 'policies.benefits.claim.notInForce', { code }));
    if (!appliesIn(document, region)) return fail(conflict('notInRegion', 'policies.benefits.claim.notInRegion', { code }));
    const window = document.applicationWindow;
    if (window && (on < window.from || (window.to !== null && on > window.to))) {
      return fail(conflict('applicationWindowClosed', 'policies.benefits.claim.windowClosed', { from: window.from, to: window.to ?? '—' }));
    }
    if (result.outcome !== 'eligible') {
      const key = result.outcome === 'ineligible' ? 'policies.benefits.claim.ineligible' : 'policies.benefits.claim.undetermined';
      return fail(conflict('notEligible', key, { code }, explanationProblems(result)));
    }
    if (access.role !== 'legalRepresentative' && !access.scopes.includes('applications')) {
      return fail(new AppError(403, 'agencyScopeRequired', 'error.forbidden.title', 'enterprise.scopeRequired', { scope: '{enterprise.scope.applications}' }));
    }
    const item = document.serviceItem ? await this.deps.items.publishedItem(document.serviceItem) : null;
    if (!item) return fail(conflict('serviceItemUnavailable', 'policies.benefits.claim.itemUnavailable', { code }));
    const open = await this.openClaim(principal, enterpriseId, policy.policyId);
    if (open) return { enterprise, policy, facts, result, item, blocker: conflict('alreadyClaimed', 'policies.benefits.claim.alreadyClaimed', { trackingNumber: open.trackingNumber ?? open.id }) };
    return { enterprise, policy, facts, result, item, blocker: null };
  }

  /** A claim of this policy still in hand (not withdrawn, not refused): one at a time. */
  private async openClaim(principal: SessionPrincipal, enterpriseId: string, policyId: string): Promise<ApplicationView | null> {
    for (const claim of await this.store.claimsOf(enterpriseId, policyId)) {
      const application = await this.deps.applications.get(principal, claim.applicationId);
      if (application.status !== 'withdrawn' && application.decision !== 'rejected') return application;
    }
    return null;
  }

  /**
   * Claims a policy for an enterprise. The Idempotency-Key makes a retry (a double click, a lost
   * answer) return the first claim and its application instead of claiming twice.
   */
  async claim(principal: SessionPrincipal, enterpriseId: string, code: string, input: ClaimInput, idempotencyKey: string): Promise<{ created: boolean; claim: ClaimView }> {
    if (idempotencyKey.length > MAX_KEY) throw conflict('idempotencyKeyTooLong', 'policies.benefits.claim.keyTooLong', { max: MAX_KEY });
    const earlier = await this.store.claimByKey(principal.accountId, idempotencyKey);
    if (earlier) return { created: false, claim: await this.sameClaim(principal, earlier, enterpriseId, code) };

    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const policyId = (await this.deps.library.published(code)).policyId;
    const reservedAt = this.platform.clock.now().toISOString();
    const staleBefore = new Date(this.platform.clock.now().getTime() - RESERVATION_STALE_MS).toISOString();
    if (!(await this.store.reserveClaim(enterpriseId, policyId, reservedAt, staleBefore))) throw conflict('claimInProgress', 'policies.benefits.claim.inProgress', { code });
    try {
      return await this.claimReserved(principal, enterpriseId, code, input, idempotencyKey);
    } finally {
      await this.store.releaseClaim(enterpriseId, policyId, reservedAt);
    }
  }

  private async claimReserved(principal: SessionPrincipal, enterpriseId: string, code: string, input: ClaimInput, idempotencyKey: string): Promise<{ created: boolean; claim: ClaimView }> {
    const preview = await this.preview(principal, enterpriseId, code);
    if (preview.blocker) throw preview.blocker;
    const { policy, result, item } = preview;
    const materials = input.reuseHeldMaterials ? await this.withHeldMaterials(item!, enterpriseId, input.materials ?? {}) : (input.materials ?? {});
    const applied = await this.deps.applications.apply(
      principal,
      { itemId: item!.itemId, enterpriseId, ...(input.form ? { form: input.form } : {}), materials },
      applicationKey(idempotencyKey),
    );
    const row = {
      id: newId(),
      uscc: preview.enterprise.uscc,
      enterpriseId,
      policyId: policy.policyId,
      versionId: policy.versionId,
      outcome: result.outcome,
      benefitAmountFen: result.benefit ? fenOf(result.benefit.amount) : null,
      applicationId: applied.application.id,
      createdByAccountId: principal.accountId,
      idempotencyKey,
      createdAt: this.platform.clock.now().toISOString(),
    };
    const inserted = await this.store.insertClaim(row);
    if (!inserted) {
      // Two identical requests raced past the first check; the unique key let one through.
      const winner = (await this.store.claimByKey(principal.accountId, idempotencyKey))!;
      return { created: false, claim: await this.view(principal, winner, policyInfo(policy)) };
    }
    await this.platform.audit.record({
      action: 'policies.claimed',
      actor: actorOf(principal),
      subjectEnterpriseId: enterpriseId,
      detail: { code, versionId: policy.versionId, version: policy.version, applicationId: row.applicationId, trackingNumber: applied.application.trackingNumber, amount: result.benefit?.amount ?? null },
    });
    return { created: true, claim: await this.view(principal, row, policyInfo(policy)) };
  }

  /** A retried claim must be the same request: the same enterprise and policy. */
  private async sameClaim(principal: SessionPrincipal, claim: ClaimRow, enterpriseId: string, code: string): Promise<ClaimView> {
    await this.deps.enterprises.authorize(principal, claim.enterpriseId, 'policies');
    const policy = await this.deps.library.versionView(claim.versionId);
    if (claim.enterpriseId !== enterpriseId || policy.code !== code) throw conflict('idempotencyKeyReused', 'policies.benefits.claim.keyReused');
    return this.view(principal, claim, { code: policy.code, title: policy.document.title, version: policy.version });
  }

  /** Materials the government can supply without the claimant uploading anything, unless chosen otherwise. */
  private async withHeldMaterials(item: ItemVersionView, enterpriseId: string, chosen: Record<string, MaterialInput | null>): Promise<Record<string, MaterialInput | null>> {
    const materials = { ...chosen };
    for (const material of item.definition.materials) {
      if (material.key in materials) continue;
      if (material.source === 'governmentData' && material.dataset) materials[material.key] = { governmentData: true, consent: true };
      if (material.source === 'certificate' && material.certificateType) {
        const [newest] = await this.deps.certificates.findReusable({ enterpriseId }, material.certificateType);
        if (newest) materials[material.key] = { certificateId: newest.id, consent: true };
      }
    }
    return materials;
  }

  private async view(principal: SessionPrincipal, claim: ClaimRowView, policy: PolicyInfo, mayReadApplication = true): Promise<ClaimView> {
    const application = mayReadApplication ? await this.deps.applications.get(principal, claim.applicationId) : null;
    return {
      id: claim.id,
      policy: { ...policy, versionId: claim.versionId },
      enterpriseId: claim.enterpriseId,
      uscc: claim.uscc,
      outcome: claim.outcome,
      benefit: claim.benefitAmountFen === null ? null : { amount: yuanOf(claim.benefitAmountFen) },
      applicationId: claim.applicationId,
      application: application ? { trackingNumber: application.trackingNumber, status: application.status, decision: application.decision } : null,
      createdAt: claim.createdAt,
    };
  }

  /** An enterprise's claims, newest first, each with its application's status when the reader may see it. */
  async claimsOf(principal: SessionPrincipal, enterpriseId: string): Promise<ClaimView[]> {
    const access = await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const mayReadApplications = access.role === 'legalRepresentative' || access.scopes.includes('applications');
    const rows = await this.store.claimsOfEnterprise(enterpriseId, LISTED_CLAIMS);
    return Promise.all(rows.map((row) => this.view(principal, row, { code: row.code, title: { 'zh-CN': row.titleZh, en: row.titleEn }, version: row.version }, mayReadApplications)));
  }
}
