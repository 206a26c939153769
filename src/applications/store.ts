import { sql } from 'kysely';
import type { Db, Tx } from '../core/db.js';
import type { ApplicationStatus } from './workflow.js';

export interface ApplicationsTable {
  id: string;
  trackingNumber: string | null;
  itemId: string;
  itemVersionId: string;
  itemNameZh: string;
  itemNameEn: string;
  departmentId: string;
  regionCode: string;
  collectingDepartmentId: string | null;
  collectedAt: string | null;
  bundleSubmissionId: string | null;
  applicantPersonId: string;
  applicantName: string;
  applicantRegionCode: string;
  enterpriseId: string | null;
  createdByAccountId: string;
  idempotencyKey: string | null;
  status: ApplicationStatus;
  /** AES-GCM ciphertext of the form values: they hold ID and phone numbers. */
  formData: string;
  /** JSON text: the provided materials by key (uploads, certificate snapshots, government data). */
  materials: string;
  /** JSON text: the open supplement request (everything missing, asked once). */
  supplementRequest: string | null;
  resumeStatus: ApplicationStatus | null;
  claimedByStaffId: string | null;
  timeUnit: 'workingDays' | 'calendarDays';
  promisedDays: number;
  legalDays: number;
  clockStartedOn: string | null;
  clockPausedDays: number;
  clockPausedSince: string | null;
  clockStoppedOn: string | null;
  promisedDueOn: string | null;
  legalDueOn: string | null;
  /** 1 while the application is in a department's hands (submitted and not yet concluded or withdrawn). */
  isOpen: number;
  /** The promised deadline, or a far date when the clock has not started: the queue's sort key. */
  queueDue: string;
  decision: 'approved' | 'rejected' | null;
  decisionReason: string | null;
  certificateId: string | null;
  submittedAt: string | null;
  concludedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Bumped at every change; a write that finds another revision lost a race and is refused. */
  revision: number;
}

export interface ApplicationEventsTable {
  id: string;
  applicationId: string;
  at: string;
  action: string;
  fromStatus: string;
  toStatus: string;
  actorType: 'person' | 'staff' | 'system';
  actorId: string | null;
  actorLabel: string;
  step: string | null;
  opinion: string | null;
  detail: string | null;
}

export interface ApplicationConsentsTable {
  id: string;
  applicationId: string;
  personId: string;
  materialKey: string;
  source: 'certificate' | 'governmentData';
  reference: string;
  departmentId: string;
  consentedAt: string;
}

export interface BundleSubmissionsTable {
  id: string;
  bundleId: string;
  bundleCode: string;
  trackingNumber: string;
  applicantPersonId: string;
  enterpriseId: string | null;
  createdByAccountId: string;
  idempotencyKey: string;
  createdAt: string;
}

declare module '../core/db.js' {
  interface Tables {
    applications: ApplicationsTable;
    applicationEvents: ApplicationEventsTable;
    applicationConsents: ApplicationConsentsTable;
    bundleSubmissions: BundleSubmissionsTable;
  }
}

export type ApplicationRow = ApplicationsTable;

/**
 * What a list shows of an application. Lists leave out the answers and materials, the largest
 * columns, which only the application's own page reads.
 */
export const LIST_COLUMNS = [
  'id',
  'trackingNumber',
  'status',
  'itemNameZh',
  'itemNameEn',
  'applicantName',
  'submittedAt',
  'timeUnit',
  'promisedDays',
  'legalDays',
  'clockStartedOn',
  'clockPausedDays',
  'clockPausedSince',
  'clockStoppedOn',
  'claimedByStaffId',
  'collectedAt',
] as const;
export type ApplicationListRow = Pick<ApplicationRow, (typeof LIST_COLUMNS)[number]>;
export type ApplicationEventRow = ApplicationEventsTable;

export interface QueueFilters {
  departmentId: string;
  /** Open applications (the working queue) or closed ones (the archive). */
  open: boolean;
  statuses?: ApplicationStatus[];
  /** Only applications whose promised deadline is on or before this day (due soon / overdue). */
  dueOnOrBefore?: string;
  itemId?: string;
  claimedByStaffId?: string;
  trackingNumber?: string;
  limit: number;
  offset: number;
}

/** Events that pause, resume or stop an application's clock (read by supervision, see supervisionClockEvents). */
export const SUPERVISION_CLOCK_ACTIONS = ['requestSupplement', 'supplement', 'startSpecialProcedure', 'endSpecialProcedure', 'withdraw'] as const;

/** The SQL of applications; nothing else touches these tables. */
export class ApplicationStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insert(tx: Tx | Db, row: ApplicationRow): Promise<void> {
    await tx.insertInto('applications').values(row).execute();
  }

  byId(id: string, tx: Tx | Db = this.db): Promise<ApplicationRow | undefined> {
    return tx.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byTrackingNumber(trackingNumber: string): Promise<ApplicationRow | undefined> {
    return this.db.selectFrom('applications').selectAll().where('trackingNumber', '=', trackingNumber).executeTakeFirst();
  }

  byIdempotencyKey(tx: Tx | Db, accountId: string, key: string): Promise<ApplicationRow | undefined> {
    return tx.selectFrom('applications').selectAll().where('createdByAccountId', '=', accountId).where('idempotencyKey', '=', key).executeTakeFirst();
  }

  /**
   * Writes the changed columns if nobody changed the application since `revision` was read.
   * Returns false when the application moved on in the meantime (the caller reports a conflict).
   */
  async update(tx: Tx, id: string, revision: number, changes: Partial<ApplicationRow>): Promise<boolean> {
    const result = await tx
      .updateTable('applications')
      .set({ ...changes, revision: revision + 1 })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async addEvent(tx: Tx, event: ApplicationEventRow): Promise<void> {
    await tx.insertInto('applicationEvents').values(event).execute();
  }

  events(applicationId: string): Promise<ApplicationEventRow[]> {
    return this.db.selectFrom('applicationEvents').selectAll().where('applicationId', '=', applicationId).orderBy('at').orderBy('id').execute();
  }

  async addConsent(tx: Tx, consent: ApplicationConsentsTable): Promise<void> {
    await tx.insertInto('applicationConsents').values(consent).execute();
  }

  consents(applicationId: string) {
    return this.db.selectFrom('applicationConsents').selectAll().where('applicationId', '=', applicationId).orderBy('consentedAt').orderBy('id').execute();
  }

  /** A person's own applications and, for enterprises they act for, the enterprises'. */
  forApplicant(personId: string, enterpriseIds: string[], limit: number) {
    let query = this.db.selectFrom('applications').select([...LIST_COLUMNS]);
    query = enterpriseIds.length
      ? query.where((eb) => eb.or([eb.and([eb('applicantPersonId', '=', personId), eb('enterpriseId', 'is', null)]), eb('enterpriseId', 'in', enterpriseIds)]))
      : query.where('applicantPersonId', '=', personId).where('enterpriseId', 'is', null);
    return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  forEnterprise(enterpriseId: string, limit: number) {
    return this.db.selectFrom('applications').selectAll().where('enterpriseId', '=', enterpriseId).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * The officer queue: least time left first, applications without a running clock (not yet
   * accepted) after those with one, oldest first, read in the order of the queue index.
   */
  async queue(filters: QueueFilters): Promise<{ rows: ApplicationListRow[]; total: number }> {
    let base = this.db.selectFrom('applications').where('departmentId', '=', filters.departmentId).where('isOpen', '=', filters.open ? 1 : 0);
    // Drafts are the applicant's own until submitted: never in any officer's list. Open ones are
    // never drafts, so the working queue is still counted from the index alone.
    if (!filters.open) base = base.where('status', '!=', 'draft');
    if (filters.statuses) base = base.where('status', 'in', filters.statuses);
    if (filters.dueOnOrBefore) base = base.where('queueDue', '<=', filters.dueOnOrBefore);
    if (filters.itemId) base = base.where('itemId', '=', filters.itemId);
    if (filters.claimedByStaffId) base = base.where('claimedByStaffId', '=', filters.claimedByStaffId);
    if (filters.trackingNumber) base = base.where('trackingNumber', '=', filters.trackingNumber);
    const [rows, count] = await Promise.all([
      base
        .select([...LIST_COLUMNS])
        .orderBy('queueDue')
        .orderBy('submittedAt')
        .orderBy('id')
        .limit(filters.limit)
        .offset(filters.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.count) };
  }

  /**
   * Open applications of every department whose promised deadline is on or before `dueOnOrBefore`
   * (paused ones wait at the far end of the queue and are left out): what supervision alerts watch.
   */
  dueAcrossDepartments(dueOnOrBefore: string) {
    return this.db
      .selectFrom('applications')
      .select([...LIST_COLUMNS, 'departmentId'])
      // A literal, so that both engines can use the partial index applications_open_due.
      .where('isOpen', '=', sql.lit(1))
      .where('queueDue', '<=', dueOnOrBefore)
      .orderBy('queueDue')
      .orderBy('id')
      .execute();
  }

  /** Applications a collecting office took in for another region (异地代收), still open. */
  collectedBy(departmentId: string, limit: number) {
    return this.db
      .selectFrom('applications')
      .select([...LIST_COLUMNS])
      .where('collectingDepartmentId', '=', departmentId)
      .where('status', 'not in', ['draft', 'withdrawn', 'delivered'])
      .orderBy('submittedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async insertBundleSubmission(tx: Tx, row: BundleSubmissionsTable): Promise<void> {
    await tx.insertInto('bundleSubmissions').values(row).execute();
  }

  bundleSubmission(id: string) {
    return this.db.selectFrom('bundleSubmissions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  bundleSubmissionByKey(tx: Tx | Db, accountId: string, key: string) {
    return tx.selectFrom('bundleSubmissions').selectAll().where('createdByAccountId', '=', accountId).where('idempotencyKey', '=', key).executeTakeFirst();
  }

  bundleApplications(bundleSubmissionId: string) {
    return this.db.selectFrom('applications').selectAll().where('bundleSubmissionId', '=', bundleSubmissionId).orderBy('id').execute();
  }

  bundleSubmissionsFor(personId: string, enterpriseIds: string[]) {
    let query = this.db.selectFrom('bundleSubmissions').selectAll();
    // A bundle made for an enterprise shows only while the person may still act for it.
    query = enterpriseIds.length
      ? query.where((eb) => eb.or([eb.and([eb('applicantPersonId', '=', personId), eb('enterpriseId', 'is', null)]), eb('enterpriseId', 'in', enterpriseIds)]))
      : query.where('applicantPersonId', '=', personId).where('enterpriseId', 'is', null);
    return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(50).execute();
  }

  // Supervision read port (src/supervision/dashboard/port.ts). Narrow, read-only, no personal data.

  /**
   * The events that pause, resume or stop the clock of these applications (supplement requested
   * and answered, special procedure started and ended, withdrawal), oldest first: when each pause
   * ran, for handling time in working days, and when a withdrawal happened.
   */
  supervisionClockEvents(applicationIds: string[]) {
    if (applicationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('applicationEvents')
      .select(['applicationId', 'at', 'action'])
      .where('applicationId', 'in', applicationIds)
      .where('action', 'in', [...SUPERVISION_CLOCK_ACTIONS])
      .orderBy('applicationId')
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /**
   * Submitted applications changed after the keyset (updatedAt, id), oldest change first: the
   * feed the supervision rollup refreshes from. Only the columns the figures need.
   */
  supervisionChanges(after: { updatedAt: string; id: string }, limit: number) {
    return this.db
      .selectFrom('applications')
      .select([
        'id',
        'trackingNumber',
        'itemId',
        'departmentId',
        'regionCode',
        'status',
        'isOpen',
        'timeUnit',
        'promisedDays',
        'legalDays',
        'clockStartedOn',
        'clockPausedDays',
        'clockPausedSince',
        'clockStoppedOn',
        'submittedAt',
        'concludedAt',
        'updatedAt',
      ])
      .where('status', '!=', 'draft')
      // The first condition is implied by the second; it lets the (updated_at, id) index start at
      // the keyset instead of filtering every row before it (each page would read the whole past).
      .where('updatedAt', '>=', after.updatedAt)
      .where((eb) => eb.or([eb('updatedAt', '>', after.updatedAt), eb.and([eb('updatedAt', '=', after.updatedAt), eb('id', '>', after.id)])]))
      .orderBy('updatedAt')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Live counts of open applications grouped by region, department and item: in progress,
   * overdue (promised deadline before `today`) and due soon (deadline from `today` to the
   * unit's due-soon day). Paused and not yet accepted applications have no running deadline.
   * `by: 'department'` leaves the items out (itemId ''): half the groups for a region's view.
   */
  async supervisionOpenCounts(filter: SupervisionOpenFilter, by: 'item' | 'department' = 'item') {
    const item = by === 'item' ? sql<string>`item_id` : sql<string>`''`;
    const rows = await this.supervisionOpenBase(filter)
      .select((eb) => [
        'regionCode',
        'departmentId',
        item.as('itemId'),
        eb.fn.countAll<number>().as('open'),
        sql<number>`sum(case when queue_due < ${filter.today} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when queue_due >= ${filter.today} and ((time_unit = 'workingDays' and queue_due <= ${filter.soonWorking}) or (time_unit = 'calendarDays' and queue_due <= ${filter.soonCalendar})) then 1 else 0 end)`.as('dueSoon'),
      ])
      .groupBy(by === 'item' ? ['regionCode', 'departmentId', 'itemId'] : ['regionCode', 'departmentId'])
      .execute();
    return rows.map((row) => ({ regionCode: row.regionCode, departmentId: row.departmentId, itemId: row.itemId, open: Number(row.open), overdue: Number(row.overdue), dueSoon: Number(row.dueSoon) }));
  }

  /** Open applications overdue or due soon (as in supervisionOpenCounts), least time left first. */
  supervisionDueList(filter: SupervisionOpenFilter, which: 'overdue' | 'dueSoon', limit: number) {
    let query = this.supervisionOpenBase(filter);
    query =
      which === 'overdue'
        ? query.where('queueDue', '<', filter.today)
        : query
            .where('queueDue', '>=', filter.today)
            .where((eb) =>
              eb.or([
                eb.and([eb('timeUnit', '=', 'workingDays'), eb('queueDue', '<=', filter.soonWorking)]),
                eb.and([eb('timeUnit', '=', 'calendarDays'), eb('queueDue', '<=', filter.soonCalendar)]),
              ]),
            );
    return query
      .select(['id', 'trackingNumber', 'itemId', 'itemNameZh', 'itemNameEn', 'departmentId', 'regionCode', 'status', 'timeUnit', 'queueDue', 'submittedAt'])
      .orderBy('queueDue')
      .orderBy('submittedAt')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  private supervisionOpenBase(filter: SupervisionOpenFilter) {
    let query = this.db.selectFrom('applications').where('isOpen', '=', 1);
    if (filter.regionCodes) query = query.where('regionCode', 'in', filter.regionCodes.length ? filter.regionCodes : ['-']);
    if (filter.departmentId) query = query.where('departmentId', '=', filter.departmentId);
    if (filter.itemId) query = query.where('itemId', '=', filter.itemId);
    return query;
  }
}

/** Which open applications supervision counts: a set of region codes (null: all), a department, an item. */
export interface SupervisionOpenFilter {
  regionCodes: string[] | null;
  departmentId?: string;
  itemId?: string;
  today: string;
  /** The last day that counts as due soon, for working-day and for calendar-day limits. */
  soonWorking: string;
  soonCalendar: string;
}
