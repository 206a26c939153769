import type { SessionPrincipal } from '../../core/auth.js';
import type { Tx } from '../../core/db.js';
import { conflict, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { actorOf } from '../../identity/service.js';
import { shanghaiDate } from '../../reference/dates.js';
import type { LocalizedLabel } from '../rules/evaluate.js';
import { conditionSql } from '../rules/sql.js';
import type { FactType } from '../rules/validate.js';
import { inForce, matchOne, type CompiledPolicy } from '../library/compiled.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { ProfileStore } from '../profiles/store.js';
import { fenOf, yuanOf, yuanText } from './money.js';
import { BenefitsStore, type BatchRow, type BatchStatus } from './store.js';
import './messages.js';

/** The legal representative of each enterprise that has opened an account on the platform, by USCC. */
export interface PlatformEnterprises {
  accountHolders(usccs: readonly string[]): Promise<Map<string, { enterpriseId: string; legalRepresentativePersonId: string }>>;
}

/** What grants need of notifications: written in the caller's transaction, sent after the commit. */
export interface GrantNotifier {
  notify(
    tx: Tx,
    notification: { personId: string; kind: string; titleKey: string; bodyKey: string; params: Record<string, string | number | LocalizedLabel>; link: string },
  ): Promise<unknown>;
  deliverSoon(): void;
}

/** Background work, so that notifying a very large batch never holds up the officer's request. */
export interface GrantJobs {
  enqueue(kind: string, payload: unknown, options: { tx?: Tx }): Promise<string>;
}

export const NOTIFY_JOB = 'policies.grants.notify';

export interface BatchView {
  id: string;
  policy: { code: string; title: LocalizedLabel; versionId: string; version: number };
  status: BatchStatus;
  scannedOn: string;
  eligibleCount: number;
  /** Yuan: the sum of the amounts the formula gave. */
  totalAmount: number;
  unpricedCount: number;
  alreadyGrantedCount: number;
  createdAt: string;
  completedAt: string | null;
  decidedAt: string | null;
  grantedCount: number | null;
  grantedAmount: number | null;
}

export interface BatchRowView {
  uscc: string;
  name: string | null;
  amount: number | null;
  /** Granted (by this batch's approval, or by another batch's under the same version). */
  granted: boolean;
}

export interface GrantView {
  policy: { code: string; title: LocalizedLabel; versionId: string; version: number };
  amount: number | null;
  grantedAt: string;
}

/** Enterprises read, priced and written per chunk: a scan of a million profiles holds one chunk. */
const SCAN_CHUNK = 2000;
/** Up to this many grants are notified before the approval answers; larger batches by the job. */
const INLINE_NOTIFY_LIMIT = 2000;
const NOTIFY_CHUNK = 500;
const PAGE_LIMIT = 200;
const LISTED = 100;

const OFFICER_ROLE = 'policyOfficer';

/**
 * Grants without application (免申即享): a policy officer of the owning department scans the
 * population of enterprise profiles with the automatic policy's rule compiled to SQL, reviews the
 * resulting batch with each enterprise's amount, and approves it (or discards it). Approval grants
 * once per policy version and enterprise, however often the population is scanned, and each
 * granted enterprise with a platform account is told once.
 */
export class PolicyGrantService {
  readonly store: BenefitsStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: {
      library: PolicyLibraryService;
      profiles: ProfileStore;
      enterprises: EnterpriseService;
      platformEnterprises: PlatformEnterprises;
      notifier: GrantNotifier;
      jobs?: GrantJobs;
    },
  ) {
    this.store = new BenefitsStore(platform.db);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  private async officerDepartment(actor: SessionPrincipal): Promise<string> {
    if (!actor.roles.includes(OFFICER_ROLE)) throw forbidden('roleRequired');
    return this.deps.library.officerDepartmentId(actor);
  }

  private async ownedPolicy(actor: SessionPrincipal, code: string) {
    const departmentId = await this.officerDepartment(actor);
    const policy = await this.deps.library.store.policyByCode(code);
    if (!policy) throw notFound('policyNotFound', 'policies.policy.notFound', { code });
    if (policy.departmentId !== departmentId) throw forbidden('otherDepartment', 'policies.policy.otherDepartment', { code });
    return policy;
  }

  private async ownedBatch(actor: SessionPrincipal, batchId: string): Promise<BatchRow> {
    const departmentId = await this.officerDepartment(actor);
    const batch = await this.store.batchById(batchId);
    if (!batch) throw notFound('batchNotFound', 'policies.benefits.batch.notFound');
    if (batch.departmentId !== departmentId) throw forbidden('otherDepartment', 'policies.benefits.batch.otherDepartment');
    return batch;
  }

  private async compiledPublished(policyId: string, code: string): Promise<CompiledPolicy> {
    const compiled = (await this.deps.library.library()).find((policy) => policy.policyId === policyId);
    if (!compiled) throw conflict('notPublished', 'policies.policy.notPublished', { code });
    return compiled;
  }

  /**
   * Runs the population scan for an automatic policy as published today: every enterprise the
   * rule finds eligible, within the policy's regions, not yet granted under this version, with its
   * amount from the formula and the region's parameters. The batch waits for review.
   */
  async scan(actor: SessionPrincipal, code: string): Promise<BatchView> {
    const policy = await this.ownedPolicy(actor, code);
    const compiled = await this.compiledPublished(policy.id, code);
    const { document } = compiled;
    if (document.mode !== 'automatic') throw conflict('notAutomatic', 'policies.benefits.scan.notAutomatic', { code });
    const on = shanghaiDate(this.platform.clock.now());
    if (!inForce(document, on)) throw conflict('notInForce', 'policies.benefits.claim.notInForce', { code });

    const declared: Record<string, FactType> = Object.fromEntries(compiled.declaredFacts.map((fact) => [fact.name, fact.type as FactType]));
    const condition = conditionSql({ all: [document.eligibility, { fact: 'region', op: 'within', value: document.regions }] }, { on, declared });
    const batch: BatchRow = {
      id: newId(),
      policyId: policy.id,
      versionId: compiled.versionId,
      departmentId: policy.departmentId,
      status: 'scanning',
      scannedOn: on,
      eligibleCount: 0,
      totalAmountFen: 0,
      unpricedCount: 0,
      alreadyGrantedCount: 0,
      createdBy: actor.staffId ?? actor.accountId,
      createdAt: this.nowIso(),
      completedAt: null,
      decidedBy: null,
      decidedAt: null,
      grantedCount: null,
      grantedAmountFen: null,
    };
    await this.store.insertBatch(batch);

    let after: string | null = null;
    let disagreements = 0;
    for (;;) {
      const found = await this.store.eligibleAfter(condition, compiled.policyId, after, SCAN_CHUNK);
      if (found.length === 0) break;
      after = found.at(-1)!.uscc;
      const facts = await this.deps.profiles.factsOfMany(
        found.map((row) => row.uscc),
        on,
      );
      const rows = [];
      for (const { uscc, name } of found) {
        const result = matchOne(compiled, facts.get(uscc) ?? {});
        // The SQL and the reference interpreter are tested to agree; should they not, nobody is
        // granted on the SQL's word alone.
        if (result.outcome !== 'eligible') {
          disagreements++;
          continue;
        }
        const amountFen = result.benefit ? fenOf(result.benefit.amount) : null;
        rows.push({ batchId: batch.id, uscc, name, amountFen });
        batch.eligibleCount++;
        if (amountFen === null) batch.unpricedCount++;
        else batch.totalAmountFen += amountFen;
      }
      await this.store.insertBatchRows(rows);
    }
    if (disagreements) this.platform.logger.error({ code, versionId: compiled.versionId, disagreements }, 'population scan and interpreter disagree');
    batch.alreadyGrantedCount = await this.store.grantedAmong(condition, compiled.policyId);
    batch.status = 'review';
    batch.completedAt = this.nowIso();
    const stillScanning = await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy-grants:${batch.policyId}`);
      // Discarded while the scan ran: the rows written since are removed below, and the batch stays discarded.
      if ((await this.store.batchById(batch.id, tx))?.status !== 'scanning') return false;
      const { status, eligibleCount, totalAmountFen, unpricedCount, alreadyGrantedCount, completedAt } = batch;
      await this.store.updateBatch(tx, batch.id, { status, eligibleCount, totalAmountFen, unpricedCount, alreadyGrantedCount, completedAt });
      await this.platform.audit.record(
        {
          action: 'policies.grants.scanned',
          actor: actorOf(actor),
          detail: { code, versionId: compiled.versionId, batchId: batch.id, eligible: eligibleCount, totalAmount: yuanText(totalAmountFen), alreadyGranted: alreadyGrantedCount },
        },
        tx,
      );
      return true;
    });
    if (!stillScanning) {
      await this.store.transaction((tx) => this.store.deleteBatchRows(tx, batch.id));
      throw conflict('batchNotInReview', 'policies.benefits.batch.notInReview');
    }
    return this.batchView(batch, { code, title: document.title, versionId: compiled.versionId, version: compiled.version });
  }

  private async policyInfo(batch: Pick<BatchRow, 'versionId'>): Promise<BatchView['policy']> {
    const version = await this.deps.library.versionView(batch.versionId);
    return { code: version.code, title: version.document.title, versionId: version.versionId, version: version.version };
  }

  private async batchView(batch: BatchRow, policy?: BatchView['policy']): Promise<BatchView> {
    return {
      id: batch.id,
      policy: policy ?? (await this.policyInfo(batch)),
      status: batch.status,
      scannedOn: batch.scannedOn,
      eligibleCount: batch.eligibleCount,
      totalAmount: yuanOf(Number(batch.totalAmountFen)),
      unpricedCount: batch.unpricedCount,
      alreadyGrantedCount: batch.alreadyGrantedCount,
      createdAt: batch.createdAt,
      completedAt: batch.completedAt,
      decidedAt: batch.decidedAt,
      grantedCount: batch.grantedCount,
      grantedAmount: batch.grantedAmountFen === null ? null : yuanOf(Number(batch.grantedAmountFen)),
    };
  }

  /** The policy's batches, newest first. */
  async batches(actor: SessionPrincipal, code: string): Promise<BatchView[]> {
    const policy = await this.ownedPolicy(actor, code);
    const rows = await this.store.batchesOfPolicy(policy.id, LISTED);
    const infos = new Map<string, BatchView['policy']>();
    const views: BatchView[] = [];
    for (const row of rows) {
      if (!infos.has(row.versionId)) infos.set(row.versionId, await this.policyInfo(row));
      views.push(await this.batchView(row, infos.get(row.versionId)));
    }
    return views;
  }

  /** One batch with a page of its enterprises (by USCC). */
  async batch(actor: SessionPrincipal, batchId: string, page: { offset?: number; limit?: number } = {}): Promise<{ batch: BatchView; total: number; rows: BatchRowView[] }> {
    const batch = await this.ownedBatch(actor, batchId);
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.min(Math.max(1, page.limit ?? 50), PAGE_LIMIT);
    const rows = await this.store.batchRows(batch.id, batch.policyId, offset, limit);
    return {
      batch: await this.batchView(batch),
      total: batch.eligibleCount,
      rows: rows.map((row) => ({ uscc: row.uscc, name: row.name, amount: row.amountFen === null ? null : yuanOf(Number(row.amountFen)), granted: row.grantedByBatch !== null })),
    };
  }

  /**
   * Every row of a batch, a chunk at a time (the CSV export), after the officer's access is checked.
   * The export is audited once, before the first row leaves, with the policy and the number of
   * enterprises (not one event per enterprise: a batch can list hundreds of thousands; see
   * docs/transparency.md).
   */
  async exportRows(actor: SessionPrincipal, batchId: string): Promise<{ batch: BatchView; chunks: AsyncGenerator<{ uscc: string; name: string | null; amountFen: number | null }[]> }> {
    const batch = await this.ownedBatch(actor, batchId);
    const view = await this.batchView(batch);
    await this.platform.audit.record({
      action: 'policies.grants.exported',
      actor: actorOf(actor),
      detail: { code: view.policy.code, versionId: batch.versionId, batchId: batch.id, status: batch.status, rows: batch.eligibleCount },
    });
    const store = this.store;
    async function* chunks() {
      let after: string | null = null;
      for (;;) {
        const rows = await store.batchRowsAfter(batch.id, after, SCAN_CHUNK);
        if (rows.length === 0) return;
        after = rows.at(-1)!.uscc;
        yield rows.map((row) => ({ ...row, amountFen: row.amountFen === null ? null : Number(row.amountFen) }));
      }
    }
    return { batch: view, chunks: chunks() };
  }

  /**
   * Approves a reviewed batch: one grant per enterprise (none for one already granted under the
   * version), recorded with the version, audited, and each enterprise told once. A batch scanned
   * under a version that is no longer the published one must be scanned again.
   */
  async approve(actor: SessionPrincipal, batchId: string): Promise<BatchView> {
    const batch = await this.ownedBatch(actor, batchId);
    if (batch.status !== 'review') throw conflict('batchNotInReview', 'policies.benefits.batch.notInReview');
    const policy = await this.deps.library.store.policyById(batch.policyId);
    if (policy?.status !== 'published' || policy.publishedVersionId !== batch.versionId) throw conflict('batchOutdated', 'policies.benefits.batch.outdated', { code: policy?.code ?? '' });
    const nowIso = this.nowIso();
    const granted = await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy-grants:${batch.policyId}`);
      const current = await this.store.batchById(batch.id, tx);
      if (current?.status !== 'review') throw conflict('batchNotInReview', 'policies.benefits.batch.notInReview');
      await this.store.grantBatch(tx, batch, nowIso);
      const totals = await this.store.grantTotals(batch.id, tx);
      await this.store.updateBatch(tx, batch.id, {
        status: 'approved',
        decidedBy: actor.staffId ?? actor.accountId,
        decidedAt: nowIso,
        grantedCount: totals.count,
        grantedAmountFen: totals.amountFen,
      });
      await this.platform.audit.record(
        {
          action: 'policies.grants.approved',
          actor: actorOf(actor),
          detail: { code: policy.code, versionId: batch.versionId, batchId: batch.id, granted: totals.count, amount: yuanText(totals.amountFen), eligible: batch.eligibleCount },
        },
        tx,
      );
      if (this.deps.jobs) await this.deps.jobs.enqueue(NOTIFY_JOB, { batchId: batch.id }, { tx });
      return totals;
    });
    if (granted.count <= INLINE_NOTIFY_LIMIT) await this.notifyBatch(batch.id);
    return this.batchView((await this.store.batchById(batch.id))!);
  }

  async discard(actor: SessionPrincipal, batchId: string): Promise<BatchView> {
    const batch = await this.ownedBatch(actor, batchId);
    if (batch.status !== 'review' && batch.status !== 'scanning') throw conflict('batchNotInReview', 'policies.benefits.batch.notInReview');
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `policy-grants:${batch.policyId}`);
      const current = await this.store.batchById(batch.id, tx);
      if (current?.status !== 'review' && current?.status !== 'scanning') throw conflict('batchNotInReview', 'policies.benefits.batch.notInReview');
      await this.store.updateBatch(tx, batch.id, { status: 'discarded', decidedBy: actor.staffId ?? actor.accountId, decidedAt: nowIso });
      // The list can be produced again by scanning; an undecided list of a million rows is not kept.
      await this.store.deleteBatchRows(tx, batch.id);
      await this.platform.audit.record({ action: 'policies.grants.discarded', actor: actorOf(actor), detail: { batchId: batch.id, versionId: batch.versionId, eligible: batch.eligibleCount } }, tx);
    });
    return this.batchView((await this.store.batchById(batch.id))!);
  }

  /**
   * Tells each granted enterprise of the batch that has a platform account (its legal
   * representative: inbox, and SMS through the outbox). A grant is marked in the same transaction
   * as its notification, so however many passes run (inline, the job, a retry) it is told once.
   * Returns how many were notified by this pass.
   */
  async notifyBatch(batchId: string): Promise<number> {
    const batch = await this.store.batchById(batchId);
    if (!batch || batch.status !== 'approved') return 0;
    const policy = await this.policyInfo(batch);
    let after: string | null = null;
    let notified = 0;
    for (;;) {
      const grants = await this.store.unnotifiedAfter(batchId, after, NOTIFY_CHUNK);
      if (grants.length === 0) break;
      after = grants.at(-1)!.uscc;
      const holders = await this.deps.platformEnterprises.accountHolders(grants.map((grant) => grant.uscc));
      const nowIso = this.nowIso();
      await this.store.transaction(async (tx) => {
        for (const grant of grants) {
          const holder = holders.get(grant.uscc);
          if (!holder) continue;
          if (!(await this.store.markNotified(tx, grant.versionId, grant.uscc, nowIso))) continue;
          const amount = grant.amountFen === null ? null : yuanText(Number(grant.amountFen));
          await this.deps.notifier.notify(tx, {
            personId: holder.legalRepresentativePersonId,
            kind: 'policy.granted',
            titleKey: 'policies.benefits.notify.granted.title',
            bodyKey: amount === null ? 'policies.benefits.notify.granted.bodyWithoutAmount' : 'policies.benefits.notify.granted.body',
            params: { policy: policy.title, ...(amount === null ? {} : { amount }) },
            link: `/enterprises/${encodeURIComponent(holder.enterpriseId)}/benefits`,
          });
          notified++;
        }
      });
      this.deps.notifier.deliverSoon();
    }
    return notified;
  }

  /** An enterprise's grants, for its legal representative or an agent with the `policies` scope. */
  async grantsOf(principal: SessionPrincipal, enterpriseId: string): Promise<GrantView[]> {
    const access = await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const rows = await this.store.grantsOf(access.enterprise.uscc, LISTED);
    return rows.map((row) => ({
      policy: { code: row.code, title: { 'zh-CN': row.titleZh, en: row.titleEn }, versionId: row.versionId, version: row.version },
      amount: row.amountFen === null ? null : yuanOf(Number(row.amountFen)),
      grantedAt: row.grantedAt,
    }));
  }
}
