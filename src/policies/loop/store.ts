import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db.js';

export interface PolicyPushStateTable {
  id: number;
  /** The instant the last change sweep started; profiles changed since then are re-matched. */
  sweptAt: string | null;
  /** The Asia/Shanghai day of the last sweep; policies coming into force after it are pushed. */
  sweptOn: string | null;
}

export interface PolicyPushOptOutsTable {
  enterpriseId: string;
  category: string;
  optedOutBy: string;
  optedOutAt: string;
}

export interface PolicyInquiriesTable {
  id: string;
  policyId: string;
  /** The version in force when the question was asked (the one the enterprise read). */
  versionId: string;
  departmentId: string;
  enterpriseId: string;
  uscc: string;
  /** The enterprise's name when it asked, as the officers' list shows it. */
  enterpriseName: string;
  /** The person who asked for the enterprise (its legal representative or an agent). */
  askedBy: string;
  question: string;
  askedAt: string;
  /** The last Asia/Shanghai day on which an answer is in time. */
  dueOn: string;
  answer: string | null;
  answeredBy: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
  answeredOn: string | null;
  answerRating: number | null;
  /** 0/1: whether the answer settled the question, as the enterprise judged. */
  resolved: number | null;
  ratedAt: string | null;
}

export interface PolicyFeedbackTable {
  policyId: string;
  enterpriseId: string;
  satisfaction: number;
  comment: string | null;
  givenBy: string;
  givenAt: string;
}

declare module '../../core/db.js' {
  interface Tables {
    policyPushState: PolicyPushStateTable;
    policyPushOptOuts: PolicyPushOptOutsTable;
    policyInquiries: PolicyInquiriesTable;
    policyFeedback: PolicyFeedbackTable;
  }
}

export type InquiryRow = PolicyInquiriesTable;
export type InquiryWithPolicy = InquiryRow & { policyCode: string; policyTitleZh: string; policyTitleEn: string };

/** COUNT and SUM come back as text from PostgreSQL's bigint and numeric; numbers from SQLite. */
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

export interface InquiryFilter {
  departmentId?: string;
  enterpriseId?: string;
  policyId?: string;
  /** `open`: not answered yet; `answered`: answered. */
  state?: 'open' | 'answered';
  /** Only open ones whose last day is before this day. */
  overdueBefore?: string;
  limit?: number;
  offset?: number;
}

/** The SQL of the loop's own tables, and the figures the policy owner's analytics read. */
export class PolicyLoopStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Push

  async pushState(): Promise<{ sweptAt: string | null; sweptOn: string | null }> {
    return this.db.selectFrom('policyPushState').select(['sweptAt', 'sweptOn']).where('id', '=', 1).executeTakeFirstOrThrow();
  }

  async savePushState(sweptAt: string, sweptOn: string): Promise<void> {
    await this.db.updateTable('policyPushState').set({ sweptAt, sweptOn }).where('id', '=', 1).execute();
  }

  async optedOutCategories(enterpriseId: string, tx: Tx | Db = this.db): Promise<string[]> {
    const rows = await tx.selectFrom('policyPushOptOuts').select('category').where('enterpriseId', '=', enterpriseId).orderBy('category').execute();
    return rows.map((row) => row.category);
  }

  async replaceOptOuts(tx: Tx, enterpriseId: string, categories: readonly string[], by: string, at: string): Promise<void> {
    await tx.deleteFrom('policyPushOptOuts').where('enterpriseId', '=', enterpriseId).execute();
    if (categories.length) {
      await tx
        .insertInto('policyPushOptOuts')
        .values(categories.map((category) => ({ enterpriseId, category, optedOutBy: by, optedOutAt: at })))
        .execute();
    }
  }

  // Inquiries

  async insertInquiry(tx: Tx, row: InquiryRow): Promise<void> {
    await tx.insertInto('policyInquiries').values(row).execute();
  }

  inquiry(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyInquiries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private filtered(filter: InquiryFilter) {
    let query = this.db.selectFrom('policyInquiries as i').innerJoin('policies as p', 'p.id', 'i.policyId');
    if (filter.departmentId) query = query.where('i.departmentId', '=', filter.departmentId);
    if (filter.enterpriseId) query = query.where('i.enterpriseId', '=', filter.enterpriseId);
    if (filter.policyId) query = query.where('i.policyId', '=', filter.policyId);
    if (filter.state === 'open' || filter.overdueBefore) query = query.where('i.answeredAt', 'is', null);
    if (filter.state === 'answered') query = query.where('i.answeredAt', 'is not', null);
    if (filter.overdueBefore) query = query.where('i.dueOn', '<', filter.overdueBefore);
    return query;
  }

  /** One inquiry with its policy's code and title. */
  inquiryWithPolicy(id: string): Promise<InquiryWithPolicy | undefined> {
    return this.db
      .selectFrom('policyInquiries as i')
      .innerJoin('policies as p', 'p.id', 'i.policyId')
      .selectAll('i')
      .select(['p.code as policyCode', 'p.titleZh as policyTitleZh', 'p.titleEn as policyTitleEn'])
      .where('i.id', '=', id)
      .executeTakeFirst();
  }

  /** Open ones soonest due first, then the answered ones newest first. */
  async inquiries(filter: InquiryFilter): Promise<{ total: number; rows: InquiryWithPolicy[] }> {
    const { n } = await this.filtered(filter)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await this.filtered(filter)
      .selectAll('i')
      .select(['p.code as policyCode', 'p.titleZh as policyTitleZh', 'p.titleEn as policyTitleEn'])
      .orderBy(sql`CASE WHEN i.answered_at IS NULL THEN 0 ELSE 1 END`)
      .orderBy(sql`CASE WHEN i.answered_at IS NULL THEN i.due_on END`)
      .orderBy('i.askedAt', 'desc')
      .orderBy('i.id')
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0)
      .execute();
    return { total: num(n), rows };
  }

  /**
   * Unanswered inquiries of every department whose last day is before `today`, after the keyset
   * `after` in (due_on, id) order: what supervision alerts watch (index policy_inquiries_unanswered_due).
   */
  overdueInquiriesAfter(today: string, after: { dueOn: string; id: string } | null, limit: number): Promise<InquiryWithPolicy[]> {
    let query = this.filtered({ overdueBefore: today })
      .selectAll('i')
      .select(['p.code as policyCode', 'p.titleZh as policyTitleZh', 'p.titleEn as policyTitleEn']);
    if (after) query = query.where((eb) => eb.or([eb('i.dueOn', '>', after.dueOn), eb.and([eb('i.dueOn', '=', after.dueOn), eb('i.id', '>', after.id)])]));
    return query.orderBy('i.dueOn').orderBy('i.id').limit(limit).execute();
  }

  /** Records the answer unless someone answered first; true when this call did. */
  async answerInquiry(tx: Tx, id: string, answer: Pick<InquiryRow, 'answer' | 'answeredBy' | 'answeredByName' | 'answeredAt' | 'answeredOn'>): Promise<boolean> {
    const result = await tx.updateTable('policyInquiries').set(answer).where('id', '=', id).where('answeredAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the enterprise's rating of an answer, once; true when this call did. */
  async rateInquiry(tx: Tx, id: string, rating: { answerRating: number; resolved: number; ratedAt: string }): Promise<boolean> {
    const result = await tx
      .updateTable('policyInquiries')
      .set(rating)
      .where('id', '=', id)
      .where('answeredAt', 'is not', null)
      .where('ratedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // Feedback

  async putFeedback(tx: Tx, row: PolicyFeedbackTable): Promise<void> {
    const { policyId: _policy, enterpriseId: _enterprise, ...changes } = row;
    await tx
      .insertInto('policyFeedback')
      .values(row)
      .onConflict((oc) => oc.columns(['policyId', 'enterpriseId']).doUpdateSet(changes))
      .execute();
  }

  feedbackOf(policyId: string, enterpriseId: string) {
    return this.db.selectFrom('policyFeedback').selectAll().where('policyId', '=', policyId).where('enterpriseId', '=', enterpriseId).executeTakeFirst();
  }

  // The owner's figures

  /** Views on every day, and on the days from `sinceDay` on. */
  async viewFigures(policyId: string, sinceDay: string): Promise<{ total: number; recent: number }> {
    const row = await this.db
      .selectFrom('policyViews')
      .select((eb) => [eb.fn.sum<number>('views').as('total'), eb.fn.sum<number>(sql`CASE WHEN day >= ${sinceDay} THEN views ELSE 0 END`).as('recent')])
      .where('policyId', '=', policyId)
      .executeTakeFirstOrThrow();
    return { total: num(row.total), recent: num(row.recent) };
  }

  /** The latest outcome of each enterprise matched against the policy (any version), counted. */
  async outcomeCounts(policyId: string): Promise<Record<'eligible' | 'ineligible' | 'undetermined', number>> {
    const rows = await this.db
      .selectFrom('policyMatches')
      .select((eb) => ['outcome', eb.fn.countAll().as('n')])
      .where('policyId', '=', policyId)
      .groupBy('outcome')
      .execute();
    const counts = { eligible: 0, ineligible: 0, undetermined: 0 };
    for (const row of rows) counts[row.outcome] = num(row.n);
    return counts;
  }

  /**
   * Supervision read port: policy uptake by the department that owns the policy. Eligible
   * enterprises and unanswered inquiries as they stand; claims and grants made in [fromIso, toIso)
   * with their amounts in fen. `departmentIds` null means every department.
   */
  async supervisionUptake(filter: { departmentIds: string[] | null; fromIso: string; toIso: string; today: string; periodOnly?: boolean }) {
    const ids = filter.departmentIds ? (filter.departmentIds.length ? filter.departmentIds : ['-']) : null;
    let eligible = this.db
      .selectFrom('policyMatches as m')
      .innerJoin('policies as p', 'p.id', 'm.policyId')
      .select((eb) => ['p.departmentId', eb.fn.countAll<number>().as('n')])
      .where('m.outcome', '=', 'eligible');
    let claims = this.db
      .selectFrom('policyClaims as c')
      .innerJoin('policies as p', 'p.id', 'c.policyId')
      .select((eb) => ['p.departmentId', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('c.benefitAmountFen').as('amount')])
      .where('c.createdAt', '>=', filter.fromIso)
      .where('c.createdAt', '<', filter.toIso);
    let grants = this.db
      .selectFrom('policyGrants as g')
      .innerJoin('policies as p', 'p.id', 'g.policyId')
      .select((eb) => ['p.departmentId', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('g.amountFen').as('amount')])
      .where('g.grantedAt', '>=', filter.fromIso)
      .where('g.grantedAt', '<', filter.toIso);
    let inquiries = this.db
      .selectFrom('policyInquiries as q')
      .innerJoin('policies as p', 'p.id', 'q.policyId')
      .select((eb) => ['p.departmentId', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(sql`CASE WHEN q.due_on < ${filter.today} THEN 1 ELSE 0 END`).as('overdue')])
      .where('q.answeredAt', 'is', null);
    if (ids) {
      eligible = eligible.where('p.departmentId', 'in', ids);
      claims = claims.where('p.departmentId', 'in', ids);
      grants = grants.where('p.departmentId', 'in', ids);
      inquiries = inquiries.where('p.departmentId', 'in', ids);
    }
    // `periodOnly`: claims and grants of the period; eligible and inquiries (as they stand) are left 0.
    const [e, c, g, q] = await Promise.all([
      filter.periodOnly ? [] : eligible.groupBy('p.departmentId').execute(),
      claims.groupBy('p.departmentId').execute(),
      grants.groupBy('p.departmentId').execute(),
      filter.periodOnly ? [] : inquiries.groupBy('p.departmentId').execute(),
    ]);
    const result = new Map<string, { eligible: number; claims: number; claimedFen: number; grants: number; grantedFen: number; openInquiries: number; overdueInquiries: number }>();
    const entry = (departmentId: string) => {
      let value = result.get(departmentId);
      if (!value) result.set(departmentId, (value = { eligible: 0, claims: 0, claimedFen: 0, grants: 0, grantedFen: 0, openInquiries: 0, overdueInquiries: 0 }));
      return value;
    };
    for (const row of e) entry(row.departmentId).eligible = num(row.n);
    for (const row of c) Object.assign(entry(row.departmentId), { claims: num(row.n), claimedFen: num(row.amount) });
    for (const row of g) Object.assign(entry(row.departmentId), { grants: num(row.n), grantedFen: num(row.amount) });
    for (const row of q) Object.assign(entry(row.departmentId), { openInquiries: num(row.n), overdueInquiries: num(row.overdue) });
    return [...result.entries()].map(([departmentId, figures]) => ({ departmentId, ...figures }));
  }

  /** Near misses by the version and the rule-order index of the one condition they failed. */
  async nearMissCounts(policyId: string): Promise<{ versionId: string; condition: number; enterprises: number }[]> {
    const rows = await this.db
      .selectFrom('policyMatches')
      .select((eb) => ['versionId', 'nearMissCondition', eb.fn.countAll().as('n')])
      .where('policyId', '=', policyId)
      .where('outcome', '=', 'ineligible')
      .where('nearMissCondition', 'is not', null)
      .groupBy(['versionId', 'nearMissCondition'])
      .execute();
    return rows.map((row) => ({ versionId: row.versionId, condition: Number(row.nearMissCondition), enterprises: num(row.n) }));
  }

  async inquiryFigures(policyId: string, today: string) {
    const row = await this.db
      .selectFrom('policyInquiries')
      .select((eb) => [
        eb.fn.countAll().as('total'),
        eb.fn.sum<number>(sql`CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END`).as('open'),
        eb.fn.sum<number>(sql`CASE WHEN answered_at IS NULL AND due_on < ${today} THEN 1 ELSE 0 END`).as('overdue'),
        eb.fn.sum<number>(sql`CASE WHEN answered_on IS NOT NULL AND answered_on <= due_on THEN 1 ELSE 0 END`).as('answeredInTime'),
        eb.fn.sum<number>(sql`CASE WHEN answered_on > due_on THEN 1 ELSE 0 END`).as('answeredLate'),
        eb.fn.count('answerRating').as('rated'),
        eb.fn.sum<number>('answerRating').as('ratingSum'),
        eb.fn.sum<number>('resolved').as('resolved'),
      ])
      .where('policyId', '=', policyId)
      .executeTakeFirstOrThrow();
    return {
      total: num(row.total),
      open: num(row.open),
      overdue: num(row.overdue),
      answeredInTime: num(row.answeredInTime),
      answeredLate: num(row.answeredLate),
      rated: num(row.rated),
      ratingSum: num(row.ratingSum),
      resolved: num(row.resolved),
    };
  }

  /** How many enterprises gave each satisfaction score (1 to 5). */
  async satisfactionCounts(policyId: string): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('policyFeedback')
      .select((eb) => ['satisfaction', eb.fn.countAll().as('n')])
      .where('policyId', '=', policyId)
      .groupBy('satisfaction')
      .execute();
    return new Map(rows.map((row) => [Number(row.satisfaction), num(row.n)]));
  }

  /** The latest comments enterprises left with their satisfaction score. */
  recentComments(policyId: string, limit: number) {
    return this.db
      .selectFrom('policyFeedback')
      .select(['satisfaction', 'comment', 'givenAt'])
      .where('policyId', '=', policyId)
      .where('comment', 'is not', null)
      .orderBy('givenAt', 'desc')
      .orderBy('enterpriseId')
      .limit(limit)
      .execute();
  }
}
