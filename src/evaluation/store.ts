import { sql } from 'kysely';
import type { Db, Tx } from '../core/db.js';
import { AWAITING_RESPONSE, BAD_RATING_MAX, GOOD_RATING_MIN, type Decision, type Outcome, type RectificationStatus } from './schema.js';

export interface ReviewsTable {
  id: string;
  applicationId: string;
  trackingNumber: string;
  reviewerPersonId: string;
  enterpriseId: string | null;
  departmentId: string;
  itemId: string;
  itemNameZh: string;
  itemNameEn: string;
  rating: number;
  efficiency: number;
  guidanceAccuracy: number;
  convenience: number;
  comment: string | null;
  createdAt: string;
}

export interface RectificationsTable {
  id: string;
  reviewId: string;
  departmentId: string;
  departmentRegionCode: string;
  status: RectificationStatus;
  openedAt: string;
  /** Last day (Asia/Shanghai) to respond. */
  dueOn: string;
  callbackAt: string | null;
  outcome: Outcome | null;
  response: string | null;
  respondedBy: string | null;
  respondedAt: string | null;
  /** The Asia/Shanghai day of `respondedAt`, compared with `dueOn` for the on-time rate. */
  respondedOn: string | null;
  applicantRating: number | null;
  applicantComment: string | null;
  applicantRatedAt: string | null;
  appealReason: string | null;
  appealedBy: string | null;
  appealedAt: string | null;
  appealDecision: Decision | null;
  appealNote: string | null;
  appealDecidedBy: string | null;
  appealDecidedAt: string | null;
}

declare module '../core/db.js' {
  interface Tables {
    reviews: ReviewsTable;
    rectifications: RectificationsTable;
  }
}

export type ReviewRow = ReviewsTable;
export type RectificationRow = RectificationsTable;
/** A case with the review it is about. */
export type CaseRow = RectificationRow & { review: ReviewRow };

export interface CaseFilter {
  statuses?: RectificationStatus[];
  /** Only cases still awaiting a response whose due date is before this day. */
  overdueBefore?: string;
  limit: number;
  offset: number;
}

export interface SatisfactionFilter {
  itemId?: string;
  departmentId?: string;
}

export interface SatisfactionFigures {
  /** Counted reviews by rating, with the sums of their indicators. */
  byRating: { rating: number; n: number; efficiency: number; guidanceAccuracy: number; convenience: number }[];
  excluded: number;
  cases: number;
  rectified: number;
  onTime: number;
  overdue: number;
}

const RESPONDED: RectificationStatus[] = ['responded', 'closed'];

/**
 * The review's columns in a joined row are aliased `rv<Column>` (camel case survives the
 * CamelCasePlugin's round trip, where an underscore would not); this splits them back out.
 */
function toCase(row: Record<string, unknown>): CaseRow {
  const caseRow: Record<string, unknown> = {};
  const review: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (/^rv[A-Z]/.test(key)) review[key[2]!.toLowerCase() + key.slice(3)] = value;
    else caseRow[key] = value;
  }
  return { ...(caseRow as unknown as RectificationRow), review: review as unknown as ReviewRow };
}

const REVIEW_COLUMNS = [
  'r.id as rvId',
  'r.applicationId as rvApplicationId',
  'r.trackingNumber as rvTrackingNumber',
  'r.reviewerPersonId as rvReviewerPersonId',
  'r.enterpriseId as rvEnterpriseId',
  'r.departmentId as rvDepartmentId',
  'r.itemId as rvItemId',
  'r.itemNameZh as rvItemNameZh',
  'r.itemNameEn as rvItemNameEn',
  'r.rating as rvRating',
  'r.efficiency as rvEfficiency',
  'r.guidanceAccuracy as rvGuidanceAccuracy',
  'r.convenience as rvConvenience',
  'r.comment as rvComment',
  'r.createdAt as rvCreatedAt',
] as const;

/** The SQL of reviews and rectification cases; nothing outside this folder touches these tables. */
export class EvaluationStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Inserts the review unless the application already has one; answers whether it was inserted. */
  async insertReview(tx: Tx, review: ReviewRow): Promise<boolean> {
    const result = await tx
      .insertInto('reviews')
      .values(review)
      .onConflict((oc) => oc.column('applicationId').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async insertRectification(tx: Tx, rectification: RectificationRow): Promise<void> {
    await tx.insertInto('rectifications').values(rectification).execute();
  }

  reviewByApplication(applicationId: string) {
    return this.db.selectFrom('reviews').selectAll().where('applicationId', '=', applicationId).executeTakeFirst();
  }

  reviewById(id: string) {
    return this.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }

  rectificationOfReview(reviewId: string) {
    return this.db.selectFrom('rectifications').selectAll().where('reviewId', '=', reviewId).executeTakeFirst();
  }

  private cases(tx: Tx | Db = this.db) {
    return tx
      .selectFrom('rectifications as c')
      .innerJoin('reviews as r', 'r.id', 'c.reviewId')
      .selectAll('c')
      .select(REVIEW_COLUMNS);
  }

  async caseById(id: string, tx: Tx | Db = this.db): Promise<CaseRow | undefined> {
    const row = await this.cases(tx).where('c.id', '=', id).executeTakeFirst();
    return row ? toCase(row) : undefined;
  }

  /** One department's cases, soonest due first (the order in which they must be dealt with). */
  async casesOfDepartment(departmentId: string, filter: CaseFilter): Promise<{ total: number; rows: CaseRow[] }> {
    let query = this.db.selectFrom('rectifications as c').where('c.departmentId', '=', departmentId);
    if (filter.statuses?.length) query = query.where('c.status', 'in', filter.statuses);
    if (filter.overdueBefore) query = query.where('c.status', 'in', [...AWAITING_RESPONSE]).where('c.dueOn', '<', filter.overdueBefore);
    const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query
      .innerJoin('reviews as r', 'r.id', 'c.reviewId')
      .selectAll('c')
      .select(REVIEW_COLUMNS)
      .orderBy('c.dueOn')
      .orderBy('c.openedAt')
      .orderBy('c.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { total: Number(n), rows: rows.map(toCase) };
  }

  /** Cases of every department still awaiting a response after their last day (before `today`): what supervision alerts watch. */
  async overdueAcrossDepartments(today: string): Promise<CaseRow[]> {
    const rows = await this.cases().where('c.status', 'in', [...AWAITING_RESPONSE]).where('c.dueOn', '<', today).orderBy('c.dueOn').orderBy('c.id').execute();
    return rows.map(toCase);
  }

  /**
   * Appealed cases of departments whose region code starts with `regionPrefix` (the SQL narrows by
   * the code's hierarchy; the service then checks each with the region tree). Pending first, then
   * by the time of the appeal.
   */
  async appeals(regionPrefix: string, state: 'pending' | 'decided' | 'all'): Promise<CaseRow[]> {
    let query = this.cases().where('c.appealedAt', 'is not', null);
    // A dismissed appeal that the department then answered has moved on from `dismissed`, but it
    // is still a decided appeal: "decided" looks at the decision, not the status.
    if (state === 'pending') query = query.where('c.status', '=', 'appealed');
    if (state === 'decided') query = query.where('c.appealDecision', 'is not', null);
    if (regionPrefix) query = query.where('c.departmentRegionCode', 'like', `${regionPrefix}%`);
    const rows = await query.orderBy('c.appealedAt').orderBy('c.id').execute();
    return rows.map(toCase);
  }

  /**
   * Changes a case only if it is still in one of `from`: two officers answering at once, or an
   * appeal racing a response, cannot both win. Answers whether this call changed it.
   */
  async updateCase(tx: Tx, id: string, from: RectificationStatus[], changes: Partial<Omit<RectificationRow, 'id' | 'reviewId'>>): Promise<boolean> {
    const result = await tx.updateTable('rectifications').set(changes).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records the applicant's rating of the rectification once; answers whether this call recorded it. */
  async rateCase(tx: Tx, id: string, changes: Pick<RectificationRow, 'applicantRating' | 'applicantComment' | 'applicantRatedAt'>): Promise<boolean> {
    const result = await tx
      .updateTable('rectifications')
      .set({ ...changes, status: 'closed' })
      .where('id', '=', id)
      .where('status', '=', 'responded')
      .where('applicantRating', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * The figures behind public satisfaction, computed in the database so that they stay cheap with
   * many reviews. Reviews whose case ended in an upheld appeal are left out of every figure except
   * `excluded`.
   */
  async satisfaction(filter: SatisfactionFilter, today: string): Promise<SatisfactionFigures> {
    let counted = this.db
      .selectFrom('reviews as r')
      .leftJoin('rectifications as c', 'c.reviewId', 'r.id')
      .where((eb) => eb.or([eb('c.status', 'is', null), eb('c.status', '!=', 'upheld')]));
    let excluded = this.db.selectFrom('reviews as r').innerJoin('rectifications as c', 'c.reviewId', 'r.id').where('c.status', '=', 'upheld');
    let cases = this.db.selectFrom('rectifications as c').innerJoin('reviews as r', 'r.id', 'c.reviewId').where('c.status', '!=', 'upheld');
    if (filter.itemId !== undefined) {
      counted = counted.where('r.itemId', '=', filter.itemId);
      excluded = excluded.where('r.itemId', '=', filter.itemId);
      cases = cases.where('r.itemId', '=', filter.itemId);
    }
    if (filter.departmentId !== undefined) {
      counted = counted.where('r.departmentId', '=', filter.departmentId);
      excluded = excluded.where('r.departmentId', '=', filter.departmentId);
      cases = cases.where('r.departmentId', '=', filter.departmentId);
    }
    const responded = sql.join(RESPONDED.map((status) => sql.lit(status)));
    const awaiting = sql.join(AWAITING_RESPONSE.map((status) => sql.lit(status)));
    const [byRating, excludedRow, caseRow] = await Promise.all([
      counted
        .select((eb) => [
          'r.rating',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('r.efficiency').as('efficiency'),
          eb.fn.sum<number>('r.guidanceAccuracy').as('guidanceAccuracy'),
          eb.fn.sum<number>('r.convenience').as('convenience'),
        ])
        .groupBy('r.rating')
        .execute(),
      excluded.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      cases
        .select((eb) => [
          eb.fn.countAll<number>().as('cases'),
          sql<number>`coalesce(sum(case when c.status in (${responded}) then 1 else 0 end), 0)`.as('rectified'),
          sql<number>`coalesce(sum(case when c.status in (${responded}) and c.responded_on <= c.due_on then 1 else 0 end), 0)`.as('onTime'),
          sql<number>`coalesce(sum(case when c.status in (${awaiting}) and c.due_on < ${today} then 1 else 0 end), 0)`.as('overdue'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return {
      byRating: byRating.map((row) => ({
        rating: Number(row.rating),
        n: Number(row.n),
        efficiency: Number(row.efficiency),
        guidanceAccuracy: Number(row.guidanceAccuracy),
        convenience: Number(row.convenience),
      })),
      excluded: Number(excludedRow.n),
      cases: Number(caseRow.cases),
      rectified: Number(caseRow.rectified),
      onTime: Number(caseRow.onTime),
      overdue: Number(caseRow.overdue),
    };
  }

  /**
   * Supervision read port, what its rollup holds: every review made in [fromIso, toIso) and no later
   * than `until`, counted by department and item, good and bad. A rating never changes once made;
   * what does change (an appeal upheld, a case answered) is in supervisionCaseFigures.
   */
  async supervisionReviewCounts(filter: { fromIso: string; toIso: string; until: string }) {
    const rows = await this.db
      .selectFrom('reviews as r')
      .where('r.createdAt', '>=', filter.fromIso)
      .where('r.createdAt', '<', filter.toIso)
      .where('r.createdAt', '<=', filter.until)
      .select((eb) => [
        'r.departmentId',
        'r.itemId',
        eb.fn.countAll<number>().as('reviews'),
        sql<number>`sum(case when r.rating >= ${sql.lit(GOOD_RATING_MIN)} then 1 else 0 end)`.as('good'),
        sql<number>`sum(case when r.rating <= ${sql.lit(BAD_RATING_MAX)} then 1 else 0 end)`.as('bad'),
      ])
      .groupBy(['r.departmentId', 'r.itemId'])
      .execute();
    return rows.map((row) => ({ departmentId: row.departmentId, itemId: row.itemId, reviews: Number(row.reviews), good: Number(row.good), bad: Number(row.bad) }));
  }

  /** Supervision read port: when the first review was made (where a full rebuild of the rollup starts), or undefined. */
  async supervisionFirstReviewAt(): Promise<string | undefined> {
    const row = await this.db.selectFrom('reviews').select((eb) => eb.fn.min('createdAt').as('first')).executeTakeFirst();
    return (row?.first as string | null | undefined) ?? undefined;
  }

  /**
   * Supervision read port, live: the rectification cases of the reviews made in [fromIso, toIso)
   * and no later than `until`, by department and its region (and item with `byItem` or `itemId`), with the
   * reviews an upheld appeal left out of public satisfaction (`excluded…`, to take off the counts
   * of supervisionReviewCounts). A case is opened with its review, in the same transaction, at the
   * same instant and for the same department (ReviewService), so the period is the case's
   * `opened_at` and its department the case's own: the figures read the cases alone (a few percent
   * of the reviews), the reviews only for the item and for the rating of the reviews left out.
   * `departmentIds` null means every department.
   */
  async supervisionCaseFigures(filter: { departmentIds: string[] | null; itemId?: string; byItem?: boolean; total?: boolean; fromIso: string; toIso: string; until: string; today: string }) {
    // The reviews are joined for their item: to group by it, or to keep one item's cases.
    const joinReviews = Boolean(filter.byItem || filter.itemId);
    const byItem = joinReviews && !filter.total;
    const cases = () => {
      let query = this.db.selectFrom('rectifications as c').where('c.openedAt', '>=', filter.fromIso).where('c.openedAt', '<', filter.toIso).where('c.openedAt', '<=', filter.until);
      if (filter.departmentIds) query = query.where('c.departmentId', 'in', filter.departmentIds.length ? filter.departmentIds : ['-']);
      return query;
    };
    const withItem = () => {
      let query = cases().innerJoin('reviews as r', 'r.id', 'c.reviewId');
      if (filter.itemId) query = query.where('r.itemId', '=', filter.itemId);
      return query;
    };
    const responded = sql.join(RESPONDED.map((status) => sql.lit(status)));
    const awaiting = sql.join(AWAITING_RESPONSE.map((status) => sql.lit(status)));
    const upheld = sql.lit('upheld');
    // `total`: one row for the whole filter (a previous period's totals), nothing grouped.
    const keys = filter.total ? [] : byItem ? (['c.departmentId', 'c.departmentRegionCode', 'r.itemId'] as const) : (['c.departmentId', 'c.departmentRegionCode'] as const);
    const grouping = [
      (filter.total ? sql<string>`''` : sql<string>`c.department_id`).as('departmentId'),
      (filter.total ? sql<string>`''` : sql<string>`c.department_region_code`).as('departmentRegionCode'),
      (byItem ? sql<string>`r.item_id` : sql<string>`''`).as('itemId'),
    ] as const;
    const figures = [
      ...grouping,
      sql<number>`sum(case when c.status <> ${upheld} then 1 else 0 end)`.as('cases'),
      sql<number>`sum(case when c.status in (${responded}) then 1 else 0 end)`.as('rectified'),
      sql<number>`sum(case when c.status in (${responded}) and c.responded_on <= c.due_on then 1 else 0 end)`.as('rectifiedOnTime'),
      sql<number>`sum(case when c.status in (${awaiting}) and c.due_on < ${filter.today} then 1 else 0 end)`.as('rectificationOverdue'),
    ] as const;
    const [rows, excluded] = await Promise.all([
      (joinReviews ? withItem() : cases())
        .select(figures)
        .$if(keys.length > 0, (query) => query.groupBy([...keys]))
        .execute(),
      withItem()
        .where('c.status', '=', 'upheld')
        .select([
          ...grouping,
          sql<number>`count(*)`.as('reviews'),
          sql<number>`sum(case when r.rating >= ${sql.lit(GOOD_RATING_MIN)} then 1 else 0 end)`.as('good'),
          sql<number>`sum(case when r.rating <= ${sql.lit(BAD_RATING_MAX)} then 1 else 0 end)`.as('bad'),
        ])
        .$if(keys.length > 0, (query) => query.groupBy([...keys]))
        .execute(),
    ]);
    const key = (row: { departmentId: string; departmentRegionCode: string; itemId: string }) => `${row.departmentId}|${row.departmentRegionCode}|${row.itemId}`;
    const left = new Map(excluded.map((row) => [key(row), row]));
    return rows.map((row) => {
      const out = left.get(key(row));
      return {
        departmentId: row.departmentId,
        // The department's region when the case opened: supervision places the figures by it.
        regionCode: row.departmentRegionCode,
        itemId: row.itemId,
        cases: Number(row.cases),
        rectified: Number(row.rectified),
        rectifiedOnTime: Number(row.rectifiedOnTime),
        rectificationOverdue: Number(row.rectificationOverdue),
        excludedReviews: Number(out?.reviews ?? 0),
        excludedGood: Number(out?.good ?? 0),
        excludedBad: Number(out?.bad ?? 0),
      };
    });
  }

  /** The item's name as its latest review recorded it (the catalogue owns the name; this is for display). */
  itemName(itemId: string) {
    return this.db
      .selectFrom('reviews')
      .select(['itemNameZh', 'itemNameEn'])
      .where('itemId', '=', itemId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
