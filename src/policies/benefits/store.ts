import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Tx } from '../../core/db.js';
import '../library/store.js';
import '../profiles/store.js';

export interface PolicyClaimReservationsTable {
  enterpriseId: string;
  policyId: string;
  reservedAt: string;
}

export interface PolicyClaimsTable {
  id: string;
  uscc: string;
  enterpriseId: string;
  policyId: string;
  versionId: string;
  /** What the eligibility re-check said when the claim was made (a claim is only made when eligible). */
  outcome: 'eligible' | 'ineligible' | 'undetermined';
  benefitAmountFen: number | null;
  applicationId: string;
  createdByAccountId: string;
  idempotencyKey: string;
  createdAt: string;
}

export type BatchStatus = 'scanning' | 'review' | 'approved' | 'discarded';

export interface PolicyGrantBatchesTable {
  id: string;
  policyId: string;
  versionId: string;
  departmentId: string;
  status: BatchStatus;
  /** The date the rule was evaluated on (ages, the benefit's validity). */
  scannedOn: string;
  eligibleCount: number;
  totalAmountFen: number;
  /** Eligible enterprises whose amount the formula could not give (a figure it reads is missing). */
  unpricedCount: number;
  /** Enterprises eligible but left out because they were granted under this version before. */
  alreadyGrantedCount: number;
  createdBy: string;
  createdAt: string;
  completedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  grantedCount: number | null;
  grantedAmountFen: number | null;
}

export interface PolicyGrantBatchRowsTable {
  batchId: string;
  uscc: string;
  name: string | null;
  amountFen: number | null;
}

export interface PolicyGrantsTable {
  versionId: string;
  uscc: string;
  policyId: string;
  batchId: string;
  name: string | null;
  amountFen: number | null;
  grantedAt: string;
  notifiedAt: string | null;
}

declare module '../../core/db.js' {
  interface Tables {
    policyClaims: PolicyClaimsTable;
    policyClaimReservations: PolicyClaimReservationsTable;
    policyGrantBatches: PolicyGrantBatchesTable;
    policyGrantBatchRows: PolicyGrantBatchRowsTable;
    policyGrants: PolicyGrantsTable;
  }
}

export type ClaimRow = PolicyClaimsTable;
export type BatchRow = PolicyGrantBatchesTable;

// Both engines accept this many bound values in one statement (SQLite's limit is 32,766).
const MAX_PARAMETERS = 30_000;

/** The SQL of claims and grants. The population scan reads enterprise_facts, the profiles' table, with a rule compiled by rules/sql.ts. */
export class BenefitsStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Claims

  /** Inserts the claim unless one with the same account and key exists; true when this call inserted it. */
  async insertClaim(row: ClaimRow): Promise<boolean> {
    const result = await this.db
      .insertInto('policyClaims')
      .values(row)
      .onConflict((oc) => oc.columns(['createdByAccountId', 'idempotencyKey']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  claimByKey(accountId: string, idempotencyKey: string) {
    return this.db.selectFrom('policyClaims').selectAll().where('createdByAccountId', '=', accountId).where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();
  }

  claimById(id: string) {
    return this.db.selectFrom('policyClaims').selectAll().where('id', '=', id).executeTakeFirst();
  }

  claimsOf(enterpriseId: string, policyId: string) {
    return this.db.selectFrom('policyClaims').selectAll().where('enterpriseId', '=', enterpriseId).where('policyId', '=', policyId).execute();
  }

  /** An enterprise's claims, newest first, with the policy's code and title and the version number. */
  claimsOfEnterprise(enterpriseId: string, limit: number) {
    return this.db
      .selectFrom('policyClaims as c')
      .innerJoin('policies as p', 'p.id', 'c.policyId')
      .innerJoin('policyVersions as v', 'v.id', 'c.versionId')
      .select(['c.id', 'c.uscc', 'c.enterpriseId', 'c.policyId', 'c.versionId', 'c.outcome', 'c.benefitAmountFen', 'c.applicationId', 'c.createdAt', 'p.code', 'p.titleZh', 'p.titleEn', 'v.version'])
      .where('c.enterpriseId', '=', enterpriseId)
      .orderBy('c.createdAt', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Reserves the right to claim a policy for an enterprise. A reservation older than `staleBefore`
   * (a process that stopped half-way) is taken over. False when another claim holds it.
   */
  async reserveClaim(enterpriseId: string, policyId: string, nowIso: string, staleBefore: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('policyClaimReservations')
      .values({ enterpriseId, policyId, reservedAt: nowIso })
      .onConflict((oc) => oc.columns(['enterpriseId', 'policyId']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    const taken = await this.db
      .updateTable('policyClaimReservations')
      .set({ reservedAt: nowIso })
      .where('enterpriseId', '=', enterpriseId)
      .where('policyId', '=', policyId)
      .where('reservedAt', '<', staleBefore)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  async releaseClaim(enterpriseId: string, policyId: string, reservedAt: string): Promise<void> {
    await this.db.deleteFrom('policyClaimReservations').where('enterpriseId', '=', enterpriseId).where('policyId', '=', policyId).where('reservedAt', '=', reservedAt).execute();
  }

  /** Claims and grants of a policy, all versions (the owner's analytics). */
  async countsFor(policyId: string): Promise<{ claims: number; grants: number; scannedEligible: number | null }> {
    const [claims, grants, scan] = await Promise.all([
      this.db.selectFrom('policyClaims').select((eb) => eb.fn.countAll<number>().as('count')).where('policyId', '=', policyId).executeTakeFirstOrThrow(),
      this.db.selectFrom('policyGrants').select((eb) => eb.fn.countAll<number>().as('count')).where('policyId', '=', policyId).executeTakeFirstOrThrow(),
      this.db
        .selectFrom('policyGrantBatches')
        .select(['eligibleCount', 'alreadyGrantedCount'])
        .where('policyId', '=', policyId)
        .where('status', 'in', ['review', 'approved'])
        .orderBy('completedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    return { claims: Number(claims.count), grants: Number(grants.count), scannedEligible: scan ? Number(scan.eligibleCount) + Number(scan.alreadyGrantedCount) : null };
  }

  // Batches

  async insertBatch(row: BatchRow): Promise<void> {
    await this.db.insertInto('policyGrantBatches').values(row).execute();
  }

  async updateBatch(tx: Tx | Db, id: string, changes: Partial<BatchRow>): Promise<void> {
    await tx.updateTable('policyGrantBatches').set(changes).where('id', '=', id).execute();
  }

  batchById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyGrantBatches').selectAll().where('id', '=', id).executeTakeFirst();
  }

  batchesOfPolicy(policyId: string, limit: number) {
    return this.db.selectFrom('policyGrantBatches').selectAll().where('policyId', '=', policyId).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * The next enterprises (by USCC, after `after`) for which the compiled rule is TRUE and which
   * have no grant of the policy yet (under any version: a corrected text must not pay twice). Keyset paging walks the USCC key once across all calls,
   * so a scan of any size holds one chunk at a time.
   */
  eligibleAfter(condition: RawBuilder<SqlBool>, policyId: string, after: string | null, limit: number) {
    let query = this.db
      .selectFrom('enterpriseFacts as f')
      .select(['f.uscc', 'f.name'])
      .where(condition)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('policyGrants as g').select(sql.lit(1).as('one')).where('g.policyId', '=', policyId).whereRef('g.uscc', '=', 'f.uscc'))),
      );
    if (after !== null) query = query.where('f.uscc', '>', after);
    return query.orderBy('f.uscc').limit(limit).execute();
  }

  /** How many enterprises the rule finds eligible that were granted the policy already. */
  async grantedAmong(condition: RawBuilder<SqlBool>, policyId: string): Promise<number> {
    const row = await this.db
      .selectFrom('enterpriseFacts as f')
      .innerJoin('policyGrants as g', (join) => join.onRef('g.uscc', '=', 'f.uscc').on('g.policyId', '=', policyId))
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(condition)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insertBatchRows(rows: readonly PolicyGrantBatchRowsTable[]): Promise<void> {
    if (rows.length === 0) return;
    const chunk = Math.floor(MAX_PARAMETERS / 4);
    await this.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += chunk) await tx.insertInto('policyGrantBatchRows').values(rows.slice(start, start + chunk)).execute();
    });
  }

  /** One page of a batch, by USCC, each row saying whether it has been granted (from this batch or another). */
  batchRows(batchId: string, policyId: string, offset: number, limit: number) {
    return this.db
      .selectFrom('policyGrantBatchRows as r')
      .leftJoin('policyGrants as g', (join) => join.onRef('g.uscc', '=', 'r.uscc').on('g.policyId', '=', policyId))
      .select(['r.uscc', 'r.name', 'r.amountFen', 'g.batchId as grantedByBatch'])
      .where('r.batchId', '=', batchId)
      .orderBy('r.uscc')
      .offset(offset)
      .limit(limit)
      .execute();
  }

  /** The rows after a USCC, for streaming a whole batch out (CSV) without holding it. */
  batchRowsAfter(batchId: string, after: string | null, limit: number) {
    let query = this.db.selectFrom('policyGrantBatchRows').select(['uscc', 'name', 'amountFen']).where('batchId', '=', batchId);
    if (after !== null) query = query.where('uscc', '>', after);
    return query.orderBy('uscc').limit(limit).execute();
  }

  async deleteBatchRows(tx: Tx, batchId: string): Promise<void> {
    await tx.deleteFrom('policyGrantBatchRows').where('batchId', '=', batchId).execute();
  }

  // Grants

  /**
   * Grants every row of the batch in one INSERT ... SELECT; an enterprise already granted the
   * policy (by an earlier batch, under any version) is skipped by the primary key, never granted twice.
   */
  async grantBatch(tx: Tx, batch: Pick<BatchRow, 'id' | 'versionId' | 'policyId'>, grantedAt: string): Promise<void> {
    await tx
      .insertInto('policyGrants')
      .columns(['versionId', 'uscc', 'policyId', 'batchId', 'name', 'amountFen', 'grantedAt', 'notifiedAt'])
      .expression((eb) =>
        eb
          .selectFrom('policyGrantBatchRows as r')
          .select([
            sql<string>`${batch.versionId}`.as('versionId'),
            'r.uscc',
            sql<string>`${batch.policyId}`.as('policyId'),
            'r.batchId',
            'r.name',
            'r.amountFen',
            sql<string>`${grantedAt}`.as('grantedAt'),
            sql<null>`NULL`.as('notifiedAt'),
          ])
          .where('r.batchId', '=', batch.id),
      )
      .onConflict((oc) => oc.columns(['policyId', 'uscc']).doNothing())
      .execute();
  }

  async grantTotals(batchId: string, tx: Tx | Db = this.db): Promise<{ count: number; amountFen: number }> {
    const row = await tx
      .selectFrom('policyGrants')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number | null>('amountFen').as('amountFen')])
      .where('batchId', '=', batchId)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), amountFen: Number(row.amountFen ?? 0) };
  }

  /** Grants of a batch not yet notified, after a USCC, for the notifying pass. */
  unnotifiedAfter(batchId: string, after: string | null, limit: number) {
    let query = this.db.selectFrom('policyGrants').select(['versionId', 'uscc', 'amountFen']).where('batchId', '=', batchId).where('notifiedAt', 'is', null);
    if (after !== null) query = query.where('uscc', '>', after);
    return query.orderBy('uscc').limit(limit).execute();
  }

  /** Marks a grant notified; false when it already was (another pass got there first). */
  async markNotified(tx: Tx, versionId: string, uscc: string, nowIso: string): Promise<boolean> {
    const result = await tx.updateTable('policyGrants').set({ notifiedAt: nowIso }).where('versionId', '=', versionId).where('uscc', '=', uscc).where('notifiedAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** An enterprise's grants, newest first, with the policy's code and title and the version number. */
  grantsOf(uscc: string, limit: number) {
    return this.db
      .selectFrom('policyGrants as g')
      .innerJoin('policies as p', 'p.id', 'g.policyId')
      .innerJoin('policyVersions as v', 'v.id', 'g.versionId')
      .select(['g.versionId', 'g.uscc', 'g.policyId', 'g.batchId', 'g.amountFen', 'g.grantedAt', 'g.notifiedAt', 'p.code', 'p.titleZh', 'p.titleEn', 'v.version'])
      .where('g.uscc', '=', uscc)
      .orderBy('g.grantedAt', 'desc')
      .orderBy('p.code')
      .limit(limit)
      .execute();
  }
}
