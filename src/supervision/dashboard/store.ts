import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db.js';
import { regionsContaining } from './region-scope.js';

export interface SupervisionApplicationFactsTable {
  applicationId: string;
  trackingNumber: string | null;
  itemId: string;
  departmentId: string;
  regionCode: string;
  outcome: 'open' | 'concluded' | 'withdrawn';
  receivedMonth: string;
  closedMonth: string | null;
  timed: number;
  onTimePromised: number;
  onTimeLegal: number;
  handlingDays: number;
  sourceUpdatedAt: string;
}

export interface SupervisionMonthlyTable {
  month: string;
  itemId: string;
  departmentId: string;
  regionCode: string;
  received: number;
  concluded: number;
  withdrawn: number;
  timed: number;
  onTimePromised: number;
  onTimeLegal: number;
  handlingDaysSum: number;
}

export interface SupervisionItemsTable {
  itemId: string;
  departmentId: string;
  regionCode: string;
  status: string;
  nameZh: string;
  nameEn: string;
  departmentNameZh: string;
  departmentNameEn: string;
  visits: number;
  fullyOnline: number;
}

/** Reviews per month × department × item (supervisionReviewRollupMigration). */
export interface SupervisionReviewMonthlyTable {
  month: string;
  departmentId: string;
  itemId: string;
  regionCode: string;
  reviews: number;
  good: number;
  bad: number;
}

/** The monthly rollup of a region and everything below it (supervisionRegionRollupMigration). */
export type SupervisionRegionMonthlyTable = Omit<SupervisionMonthlyTable, 'itemId' | 'departmentId'>;

export interface SupervisionRefreshLeasesTable {
  name: string;
  holder: string;
  until: string;
}

export interface SupervisionRefreshStateTable {
  name: string;
  afterUpdatedAt: string;
  afterId: string;
  refreshedAt: string;
}

declare module '../../core/db.js' {
  interface Tables {
    supervisionApplicationFacts: SupervisionApplicationFactsTable;
    supervisionMonthly: SupervisionMonthlyTable;
    supervisionItems: SupervisionItemsTable;
    supervisionRefreshState: SupervisionRefreshStateTable;
    supervisionRefreshLeases: SupervisionRefreshLeasesTable;
    supervisionRegionMonthly: SupervisionRegionMonthlyTable;
    supervisionRegionAncestors: { regionCode: string; ancestorCode: string };
    supervisionReviewMonthly: SupervisionReviewMonthlyTable;
    supervisionReviewRegionMonthly: Omit<SupervisionReviewMonthlyTable, 'departmentId' | 'itemId'>;
    supervisionRegionItems: { regionCode: string; items: number; oneVisitItems: number; fullyOnlineItems: number };
  }
}

export type ApplicationFact = SupervisionApplicationFactsTable;

/** Which rollup rows a dashboard reads: a set of region codes (null: everywhere), a department, an item. */
export interface RollupFilter {
  regionCodes: string[] | null;
  departmentId?: string;
  itemId?: string;
  fromMonth: string;
  toMonth: string;
}

/** A rollup row summed over months. */
export type RollupRow = Omit<SupervisionMonthlyTable, 'month'>;

/** A review rollup row summed over months. */
export type ReviewRollupRow = Omit<SupervisionReviewMonthlyTable, 'month'>;

const reviewCounts = (row: Record<string, unknown>) => ({ reviews: n(row.reviews), good: n(row.good), bad: n(row.bad) });

/** The counts of the application and the review rollup tables (as Kysely names them). */
const APPLICATION_COLUMNS = ['received', 'concluded', 'withdrawn', 'timed', 'onTimePromised', 'onTimeLegal', 'handlingDaysSum'] as const;
const REVIEW_COLUMNS = ['reviews', 'good', 'bad'] as const;

/** The sums of these columns, the same on both engines and for every rollup table. */
const sumsOf = (columns: readonly string[]) => columns.map((column) => sql<number>`sum(${sql.ref(column)})`.as(column));

const rollupCounts = (row: Record<string, unknown>) => ({
  received: n(row.received),
  concluded: n(row.concluded),
  withdrawn: n(row.withdrawn),
  timed: n(row.timed),
  onTimePromised: n(row.onTimePromised),
  onTimeLegal: n(row.onTimeLegal),
  handlingDaysSum: n(row.handlingDaysSum),
});

/**
 * Fills the empty `supervision_region_items` from the item copy: the published items per region
 * and every region above it.
 */
async function countItemsPerRegion(db: Tx): Promise<void> {
  await sql`
    INSERT INTO supervision_region_items (region_code, items, one_visit_items, fully_online_items)
    SELECT a.ancestor_code, count(*), sum(CASE WHEN i.visits <= 1 THEN 1 ELSE 0 END), sum(i.fully_online)
    FROM supervision_items i JOIN supervision_region_ancestors a ON a.region_code = i.region_code
    WHERE i.status = 'published'
    GROUP BY a.ancestor_code`.execute(db);
}

const FACT_BATCH = 1000;
const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** The SQL of the supervision read-model; nothing outside this folder touches these tables. */
export class DashboardStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async refreshState(name: string) {
    return this.db.selectFrom('supervisionRefreshState').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async saveRefreshState(tx: Tx | Db, row: SupervisionRefreshStateTable): Promise<void> {
    await tx
      .insertInto('supervisionRefreshState')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet({ afterUpdatedAt: row.afterUpdatedAt, afterId: row.afterId, refreshedAt: row.refreshedAt }))
      .execute();
  }

  /** The months the facts of these applications currently count in (to rebuild them after a change). */
  async monthsOf(applicationIds: string[], tx: Tx | Db = this.db): Promise<string[]> {
    if (applicationIds.length === 0) return [];
    const rows = await tx.selectFrom('supervisionApplicationFacts').select(['receivedMonth', 'closedMonth']).where('applicationId', 'in', applicationIds).execute();
    return rows.flatMap((row) => (row.closedMonth ? [row.receivedMonth, row.closedMonth] : [row.receivedMonth]));
  }

  /**
   * Inserts or replaces facts (idempotent: the same application twice leaves one row). A fact is
   * never replaced by one computed from an older version of its application (`sourceUpdatedAt`);
   * the same version is recomputed (a full rebuild after a calendar change).
   */
  async upsertFacts(facts: ApplicationFact[], tx: Tx | Db = this.db): Promise<void> {
    for (let i = 0; i < facts.length; i += FACT_BATCH) {
      await tx
        .insertInto('supervisionApplicationFacts')
        .values(facts.slice(i, i + FACT_BATCH))
        .onConflict((oc) =>
          oc.column('applicationId').doUpdateSet((eb) => ({
            trackingNumber: eb.ref('excluded.trackingNumber'),
            itemId: eb.ref('excluded.itemId'),
            departmentId: eb.ref('excluded.departmentId'),
            regionCode: eb.ref('excluded.regionCode'),
            outcome: eb.ref('excluded.outcome'),
            receivedMonth: eb.ref('excluded.receivedMonth'),
            closedMonth: eb.ref('excluded.closedMonth'),
            timed: eb.ref('excluded.timed'),
            onTimePromised: eb.ref('excluded.onTimePromised'),
            onTimeLegal: eb.ref('excluded.onTimeLegal'),
            handlingDays: eb.ref('excluded.handlingDays'),
            sourceUpdatedAt: eb.ref('excluded.sourceUpdatedAt'),
          })).where((eb) => eb('supervisionApplicationFacts.sourceUpdatedAt', '<=', eb.ref('excluded.sourceUpdatedAt'))),
        )
        .execute();
    }
  }

  async allFactMonths(): Promise<string[]> {
    const [received, closed] = await Promise.all([
      this.db.selectFrom('supervisionApplicationFacts').select('receivedMonth as month').distinct().execute(),
      this.db.selectFrom('supervisionApplicationFacts').select('closedMonth as month').where('closedMonth', 'is not', null).distinct().execute(),
    ]);
    return [...new Set([...received, ...closed].map((row) => row.month!))].sort();
  }

  /**
   * Rebuilds the monthly rollup of these months from the facts, in one transaction (the caller's,
   * or one of its own): a month's rows are either all old or all new, and rebuilding twice gives
   * the same rows. `'all'` clears every monthly row and rebuilds from every fact, so that a month
   * that no longer holds any fact loses its rows too.
   */
  async rebuildMonths(months: string[] | 'all', tx?: Tx): Promise<void> {
    if (months !== 'all' && months.length === 0) return;
    if (!tx) return this.transaction((own) => this.rebuildMonths(months, own));
    const list = months === 'all' ? undefined : sql.join(months.map((month) => sql`${month}`));
    if (months === 'all') await tx.deleteFrom('supervisionMonthly').execute();
    else await tx.deleteFrom('supervisionMonthly').where('month', 'in', months).execute();
    await sql`
      INSERT INTO supervision_monthly (month, item_id, department_id, region_code, received, concluded, withdrawn, timed, on_time_promised, on_time_legal, handling_days_sum)
      SELECT month, item_id, department_id, region_code, sum(received), sum(concluded), sum(withdrawn), sum(timed), sum(on_time_promised), sum(on_time_legal), sum(handling_days)
      FROM (
        SELECT received_month AS month, item_id, department_id, region_code, 1 AS received, 0 AS concluded, 0 AS withdrawn, 0 AS timed, 0 AS on_time_promised, 0 AS on_time_legal, 0 AS handling_days
        FROM supervision_application_facts ${list ? sql`WHERE received_month IN (${list})` : sql``}
        UNION ALL
        SELECT closed_month, item_id, department_id, region_code, 0,
               CASE WHEN outcome = 'concluded' THEN 1 ELSE 0 END, CASE WHEN outcome = 'withdrawn' THEN 1 ELSE 0 END,
               timed, on_time_promised, on_time_legal, handling_days
        FROM supervision_application_facts WHERE ${list ? sql`closed_month IN (${list})` : sql`closed_month IS NOT NULL`}
      ) AS contributions
      GROUP BY month, item_id, department_id, region_code`.execute(tx);
    await this.rebuildRegionMonths(months, tx);
  }

  /**
   * Rebuilds the per-region rows of these months from the monthly rows: each row counts in its own
   * region, every region above it and the nation. Region codes met for the first time get their
   * ancestors first.
   */
  async rebuildRegionMonths(months: string[] | 'all', tx: Tx): Promise<void> {
    // A full rebuild maps every code again (the region list or the grouping rules may have changed).
    if (months === 'all') await tx.deleteFrom('supervisionRegionAncestors').execute();
    await this.mapRegionCodes('supervisionMonthly', months, tx);
    if (months === 'all') await tx.deleteFrom('supervisionRegionMonthly').execute();
    else await tx.deleteFrom('supervisionRegionMonthly').where('month', 'in', months).execute();
    await sql`
      INSERT INTO supervision_region_monthly (region_code, month, received, concluded, withdrawn, timed, on_time_promised, on_time_legal, handling_days_sum)
      SELECT a.ancestor_code, m.month, sum(m.received), sum(m.concluded), sum(m.withdrawn), sum(m.timed), sum(m.on_time_promised), sum(m.on_time_legal), sum(m.handling_days_sum)
      FROM supervision_monthly m JOIN supervision_region_ancestors a ON a.region_code = m.region_code
      ${months === 'all' ? sql`` : sql`WHERE m.month IN (${sql.join(months.map((month) => sql`${month}`))})`}
      GROUP BY a.ancestor_code, m.month`.execute(tx);
  }

  /** Maps the region codes of these months' rows of `table` met for the first time to the regions that count them. */
  private async mapRegionCodes(table: 'supervisionMonthly' | 'supervisionReviewMonthly' | 'supervisionItems', months: string[] | 'all', tx: Tx): Promise<void> {
    let missing = tx.selectFrom(`${table} as m` as 'supervisionMonthly as m').select('m.regionCode').distinct().where((eb) => eb.not(eb.exists(eb.selectFrom('supervisionRegionAncestors as a').select('a.regionCode').whereRef('a.regionCode', '=', 'm.regionCode'))));
    if (months !== 'all' && table !== 'supervisionItems') missing = missing.where('m.month', 'in', months);
    const codes = (await missing.execute()).map((row) => row.regionCode);
    const pairs = codes.flatMap((code) => regionsContaining(code).map((ancestorCode) => ({ regionCode: code, ancestorCode })));
    for (let i = 0; i < pairs.length; i += 1000) await tx.insertInto('supervisionRegionAncestors').values(pairs.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
  }

  /**
   * Replaces the review rows of these months (every month with `'all'`) with `rows`, and their
   * per-region rows, in the caller's transaction: rebuilding twice gives the same rows.
   */
  async replaceReviewMonths(months: string[] | 'all', rows: SupervisionReviewMonthlyTable[], tx: Tx): Promise<void> {
    if (months !== 'all' && months.length === 0) return;
    if (months === 'all') await tx.deleteFrom('supervisionReviewMonthly').execute();
    else await tx.deleteFrom('supervisionReviewMonthly').where('month', 'in', months).execute();
    for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('supervisionReviewMonthly').values(rows.slice(i, i + 1000)).execute();
    await this.mapRegionCodes('supervisionReviewMonthly', months, tx);
    if (months === 'all') await tx.deleteFrom('supervisionReviewRegionMonthly').execute();
    else await tx.deleteFrom('supervisionReviewRegionMonthly').where('month', 'in', months).execute();
    await sql`
      INSERT INTO supervision_review_region_monthly (region_code, month, reviews, good, bad)
      SELECT a.ancestor_code, m.month, sum(m.reviews), sum(m.good), sum(m.bad)
      FROM supervision_review_monthly m JOIN supervision_region_ancestors a ON a.region_code = m.region_code
      ${months === 'all' ? sql`` : sql`WHERE m.month IN (${sql.join(months.map((month) => sql`${month}`))})`}
      GROUP BY a.ancestor_code, m.month`.execute(tx);
  }

  /** The review rollup summed over a month range, per department and item (as `rollup`). */
  async reviewRollup(filter: RollupFilter): Promise<ReviewRollupRow[]> {
    return (await this.summed('supervisionReviewMonthly', REVIEW_COLUMNS, filter)).map((row) => ({ itemId: row.itemId, departmentId: row.departmentId, regionCode: row.regionCode, ...reviewCounts(row) }));
  }

  /** The per-region review rollup summed over a month range: each region with everything below it. */
  async reviewRegionRollup(regionCodes: string[], fromMonth: string, toMonth: string): Promise<(ReviewRollupRow & { departmentId: ''; itemId: '' })[]> {
    return (await this.summedRegions('supervisionReviewRegionMonthly', REVIEW_COLUMNS, regionCodes, fromMonth, toMonth)).map((row) => ({ itemId: '', departmentId: '', regionCode: row.regionCode, ...reviewCounts(row) }));
  }

  /** Rows of a per-item rollup table (applications or reviews) summed over the filter's months. */
  private summed(table: 'supervisionMonthly' | 'supervisionReviewMonthly', columns: readonly string[], filter: RollupFilter) {
    let query = this.db.selectFrom(table as 'supervisionMonthly').where('month', '>=', filter.fromMonth).where('month', '<=', filter.toMonth);
    if (filter.regionCodes) query = query.where('regionCode', 'in', filter.regionCodes.length ? filter.regionCodes : ['-']);
    if (filter.departmentId) query = query.where('departmentId', '=', filter.departmentId);
    if (filter.itemId) query = query.where('itemId', '=', filter.itemId);
    return query
      .select(['itemId', 'departmentId', 'regionCode', ...sumsOf(columns)])
      .groupBy(['itemId', 'departmentId', 'regionCode'])
      .execute() as Promise<({ itemId: string; departmentId: string; regionCode: string } & Record<string, unknown>)[]>;
  }

  /** Rows of a per-region rollup table summed over a month range. */
  private async summedRegions(table: 'supervisionRegionMonthly' | 'supervisionReviewRegionMonthly', columns: readonly string[], regionCodes: string[], fromMonth: string, toMonth: string) {
    if (regionCodes.length === 0) return [];
    return (await this.db
      .selectFrom(table as 'supervisionRegionMonthly')
      .where('regionCode', 'in', regionCodes)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .select(['regionCode', ...sumsOf(columns)])
      .groupBy('regionCode')
      .execute()) as ({ regionCode: string } & Record<string, unknown>)[];
  }

  /** The per-region rollup summed over a month range: each region with everything below it. */
  async regionRollup(regionCodes: string[], fromMonth: string, toMonth: string): Promise<(RollupRow & { departmentId: ''; itemId: '' })[]> {
    return (await this.summedRegions('supervisionRegionMonthly', APPLICATION_COLUMNS, regionCodes, fromMonth, toMonth)).map((row) => ({ itemId: '', departmentId: '', regionCode: row.regionCode, ...rollupCounts(row) }));
  }

  // The refresh lease (see supervisionRefreshLeaseMigration).

  /** Takes the lease when nobody holds it or the holder's has run out; whether `holder` now holds it. */
  async acquireLease(name: string, holder: string, now: string, until: string): Promise<boolean> {
    await this.db
      .insertInto('supervisionRefreshLeases')
      .values({ name, holder, until })
      .onConflict((oc) => oc.column('name').doUpdateSet({ holder, until }).where('supervisionRefreshLeases.until', '<', now))
      .execute();
    const row = await this.db.selectFrom('supervisionRefreshLeases').select('holder').where('name', '=', name).executeTakeFirst();
    return row?.holder === holder;
  }

  /** Extends the lease inside a page's transaction; false when `holder` lost it (ran out and was taken). */
  async renewLease(tx: Tx | Db, name: string, holder: string, until: string): Promise<boolean> {
    const result = await tx.updateTable('supervisionRefreshLeases').set({ until }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('supervisionRefreshLeases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  /** The rollup summed over a month range, per item (with its department and region). */
  async rollup(filter: RollupFilter): Promise<RollupRow[]> {
    return (await this.summed('supervisionMonthly', APPLICATION_COLUMNS, filter)).map((row) => ({ itemId: row.itemId, departmentId: row.departmentId, regionCode: row.regionCode, ...rollupCounts(row) }));
  }

  /** The copy of the catalogue's items as it stands (to tell whether the catalogue changed). */
  copiedItems(): Promise<SupervisionItemsTable[]> {
    return this.db.selectFrom('supervisionItems').select(['itemId', 'departmentId', 'regionCode', 'status', 'nameZh', 'nameEn', 'departmentNameZh', 'departmentNameEn', 'visits', 'fullyOnline']).execute();
  }

  /**
   * Replaces the copy of the catalogue's items and their counts per region (in the caller's
   * transaction, or one of its own).
   */
  async replaceItems(items: SupervisionItemsTable[], tx?: Tx): Promise<void> {
    if (!tx) return this.transaction((own) => this.replaceItems(items, own));
    await tx.deleteFrom('supervisionItems').execute();
    for (let i = 0; i < items.length; i += 500) await tx.insertInto('supervisionItems').values(items.slice(i, i + 500)).execute();
    await this.mapRegionCodes('supervisionItems', 'all', tx);
    await tx.deleteFrom('supervisionRegionItems').execute();
    await countItemsPerRegion(tx);
  }

  /**
   * The published items counted per region with everything below it (as `regionRollup`), or with
   * `seatedAt` per department seated at those codes: how many, how many need at most one visit,
   * how many are fully online.
   */
  async itemCounts(by: { regions: string[] } | { seatedAt: string[] }): Promise<{ regionCode: string; departmentId: string; itemId: ''; items: number; oneVisitItems: number; fullyOnlineItems: number }[]> {
    if ('regions' in by) {
      const rows = await this.db.selectFrom('supervisionRegionItems').selectAll().where('regionCode', 'in', by.regions.length ? by.regions : ['-']).execute();
      return rows.map((row) => ({ regionCode: row.regionCode, departmentId: '', itemId: '', items: n(row.items), oneVisitItems: n(row.oneVisitItems), fullyOnlineItems: n(row.fullyOnlineItems) }));
    }
    const rows = await this.db
      .selectFrom('supervisionItems as i')
      .where('i.status', '=', 'published')
      .where('i.regionCode', 'in', by.seatedAt.length ? by.seatedAt : ['-'])
      .select([
        'i.regionCode',
        'i.departmentId',
        sql<number>`count(*)`.as('items'),
        sql<number>`sum(case when i.visits <= 1 then 1 else 0 end)`.as('oneVisitItems'),
        sql<number>`sum(i.fully_online)`.as('fullyOnlineItems'),
      ])
      .groupBy(['i.regionCode', 'i.departmentId'])
      .execute();
    return rows.map((row) => ({ regionCode: row.regionCode, departmentId: row.departmentId, itemId: '', items: n(row.items), oneVisitItems: n(row.oneVisitItems), fullyOnlineItems: n(row.fullyOnlineItems) }));
  }

  items(filter: { regionCodes: string[] | null; departmentId?: string; itemId?: string }) {
    let query = this.db.selectFrom('supervisionItems').selectAll();
    if (filter.regionCodes) query = query.where('regionCode', 'in', filter.regionCodes.length ? filter.regionCodes : ['-']);
    if (filter.departmentId) query = query.where('departmentId', '=', filter.departmentId);
    if (filter.itemId) query = query.where('itemId', '=', filter.itemId);
    return query.orderBy('itemId').execute();
  }

  item(itemId: string) {
    return this.db.selectFrom('supervisionItems').selectAll().where('itemId', '=', itemId).executeTakeFirst();
  }
}
