import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db.js';
import type { AlertKind, RecipientRole, Resolution } from './schema.js';

export interface SupervisionAlertsTable {
  id: string;
  kind: AlertKind;
  subjectId: string;
  stage: string;
  departmentId: string;
  departmentRegionCode: string;
  /** JSON text: the parameters of the alert's title and body (NotificationParams). */
  params: string;
  /** Where the responsible staff act on it (`/workbench/applications/...`). */
  link: string | null;
  /** The deadline approaching or passed (Asia/Shanghai day). */
  dueOn: string | null;
  raisedAt: string;
  /** When the condition last came back after it had cleared; the escalation delay runs from here. */
  reopenedAt: string | null;
  /** Told on escalation besides the region's supervisors (a flag's raiser). */
  watcherStaffId: string | null;
  escalatedAt: string | null;
  /** The region whose supervisors were told. */
  escalatedRegionCode: string | null;
  resolvedAt: string | null;
  resolution: Resolution | null;
}

export interface SupervisionAlertRecipientsTable {
  alertId: string;
  staffId: string;
  role: RecipientRole;
  notifiedAt: string;
  readAt: string | null;
}

declare module '../../core/db.js' {
  interface Tables {
    supervisionAlerts: SupervisionAlertsTable;
    supervisionAlertRecipients: SupervisionAlertRecipientsTable;
  }
}

export type AlertRow = SupervisionAlertsTable;
export type AlertWithReceipt = AlertRow & { role: RecipientRole; readAt: string | null };

export interface AlertFilter {
  state: 'open' | 'resolved' | 'all';
  kind?: AlertKind;
  limit: number;
  offset: number;
}

/** The SQL of supervision alerts; nothing outside this folder touches these tables. */
export class AlertStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  openAlerts(): Promise<AlertRow[]> {
    return this.db.selectFrom('supervisionAlerts').selectAll().where('resolvedAt', 'is', null).execute();
  }

  /** Inserts the alerts whose (kind, subject, stage) does not exist yet, in one statement; the ids this call inserted. */
  async insertAlerts(tx: Tx, rows: AlertRow[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const inserted = await tx
      .insertInto('supervisionAlerts')
      .values(rows)
      .onConflict((oc) => oc.columns(['kind', 'subjectId', 'stage']).doNothing())
      .returning('id')
      .execute();
    return new Set(inserted.map((row) => row.id));
  }

  /**
   * Opens a resolved alert again when its condition returns, with the condition's current deadline,
   * details and link; the escalation delay starts again. The id when this call reopened it.
   */
  async reopen(tx: Tx, key: Pick<AlertRow, 'kind' | 'subjectId' | 'stage'>, fresh: Pick<AlertRow, 'dueOn' | 'params' | 'link' | 'watcherStaffId'>, at: string): Promise<string | undefined> {
    const reopened = await tx
      .updateTable('supervisionAlerts')
      .set({ dueOn: fresh.dueOn, params: fresh.params, link: fresh.link, watcherStaffId: fresh.watcherStaffId, resolvedAt: null, resolution: null, reopenedAt: at, escalatedAt: null, escalatedRegionCode: null })
      .where('kind', '=', key.kind)
      .where('subjectId', '=', key.subjectId)
      .where('stage', '=', key.stage)
      .where('resolvedAt', 'is not', null)
      .returning('id')
      .executeTakeFirst();
    return reopened?.id;
  }

  /**
   * Resolves these open alerts, but only those raised (or reopened) before `sweepStartedAt`: a sweep
   * that read its conditions before another sweep raised an alert does not resolve it. How many.
   */
  async resolve(ids: string[], at: string, resolution: Resolution, sweepStartedAt: string): Promise<number> {
    let count = 0;
    for (const chunk of chunks(ids, 500)) {
      const result = await this.db
        .updateTable('supervisionAlerts')
        .set({ resolvedAt: at, resolution })
        .where('id', 'in', chunk)
        .where('resolvedAt', 'is', null)
        .where(sql<string>`coalesce(reopened_at, raised_at)`, '<', sweepStartedAt)
        .executeTakeFirst();
      count += Number(result.numUpdatedRows);
    }
    return count;
  }

  /** Open alerts raised (or reopened) at or before `raisedBy` that no supervisor has been told of yet. */
  dueForEscalation(raisedBy: string): Promise<AlertRow[]> {
    return this.db
      .selectFrom('supervisionAlerts')
      .selectAll()
      .where('resolvedAt', 'is', null)
      .where('escalatedAt', 'is', null)
      .where(sql<string>`coalesce(reopened_at, raised_at)`, '<=', raisedBy)
      .orderBy('raisedAt')
      .orderBy('id')
      .execute();
  }

  /** Open alerts that no responsible staff member has been told of (nobody could be found when they were raised). */
  unreached(): Promise<AlertRow[]> {
    return this.db
      .selectFrom('supervisionAlerts as a')
      .selectAll('a')
      .where('a.resolvedAt', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('supervisionAlertRecipients as r').select('r.alertId').whereRef('r.alertId', '=', 'a.id').where('r.role', '=', 'responsible'))),
      )
      .orderBy('a.raisedAt')
      .orderBy('a.id')
      .execute();
  }

  /**
   * Marks these alerts escalated to `regionCode` unless another sweep did, or one reopened them
   * since they were listed (their delay starts again); the ids this call marked.
   */
  async markEscalated(tx: Tx, ids: string[], at: string, regionCode: string | null, raisedBy: string): Promise<string[]> {
    if (!ids.length) return [];
    const marked = await tx
      .updateTable('supervisionAlerts')
      .set({ escalatedAt: at, escalatedRegionCode: regionCode })
      .where('id', 'in', ids)
      .where('escalatedAt', 'is', null)
      .where('resolvedAt', 'is', null)
      .where(sql<string>`coalesce(reopened_at, raised_at)`, '<=', raisedBy)
      .returning('id')
      .execute();
    return marked.map((row) => row.id);
  }

  /**
   * Writes who was told. `again`: someone told before (of an alert now reopened or escalated anew) is
   * told again, unread; otherwise an existing receipt is left alone.
   */
  async insertRecipients(tx: Tx, rows: SupervisionAlertRecipientsTable[], again = false): Promise<void> {
    const unique = [...new Map(rows.map((row) => [`${row.alertId}\u0000${row.staffId}`, row])).values()];
    for (const chunk of chunks(unique, 1000)) {
      await tx
        .insertInto('supervisionAlertRecipients')
        .values(chunk)
        .onConflict((oc) => {
          const target = oc.columns(['alertId', 'staffId']);
          return again ? target.doUpdateSet((eb) => ({ notifiedAt: eb.ref('excluded.notifiedAt'), readAt: null })) : target.doNothing();
        })
        .execute();
    }
  }

  byId(id: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('supervisionAlerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  recipients(alertId: string): Promise<SupervisionAlertRecipientsTable[]> {
    return this.db.selectFrom('supervisionAlertRecipients').selectAll().where('alertId', '=', alertId).orderBy('notifiedAt').orderBy('staffId').execute();
  }

  /** The alerts one staff member was told of, newest first, with how many are unread. */
  async forStaff(staffId: string, filter: AlertFilter): Promise<{ total: number; unread: number; rows: AlertWithReceipt[] }> {
    let base = this.db.selectFrom('supervisionAlertRecipients as r').innerJoin('supervisionAlerts as a', 'a.id', 'r.alertId').where('r.staffId', '=', staffId);
    if (filter.state === 'open') base = base.where('a.resolvedAt', 'is', null);
    if (filter.state === 'resolved') base = base.where('a.resolvedAt', 'is not', null);
    if (filter.kind) base = base.where('a.kind', '=', filter.kind);
    const [{ n }, { unread }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      this.db
        .selectFrom('supervisionAlertRecipients as r')
        .innerJoin('supervisionAlerts as a', 'a.id', 'r.alertId')
        .where('r.staffId', '=', staffId)
        .where('r.readAt', 'is', null)
        .where('a.resolvedAt', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('unread'))
        .executeTakeFirstOrThrow(),
      base.selectAll('a').select(['r.role', 'r.readAt']).orderBy('r.notifiedAt', 'desc').orderBy('a.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    ]);
    return { total: Number(n), unread: Number(unread), rows };
  }

  /**
   * Alerts of departments whose region code starts with `regionPrefix`, newest first. For every
   * known code the prefix says exactly what `isWithin` says (see regions.test.ts), so the total and
   * the page agree with the region tree.
   */
  async inRegion(regionPrefix: string, filter: AlertFilter): Promise<{ total: number; rows: AlertRow[] }> {
    let query = this.db.selectFrom('supervisionAlerts');
    if (regionPrefix) query = query.where('departmentRegionCode', 'like', `${regionPrefix}%`);
    if (filter.state === 'open') query = query.where('resolvedAt', 'is', null);
    if (filter.state === 'resolved') query = query.where('resolvedAt', 'is not', null);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const [{ n }, rows] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      query.selectAll().orderBy('raisedAt', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    ]);
    return { total: Number(n), rows };
  }

  async markRead(alertId: string, staffId: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('supervisionAlertRecipients').set({ readAt: at }).where('alertId', '=', alertId).where('staffId', '=', staffId).where('readAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  receipt(alertId: string, staffId: string) {
    return this.db.selectFrom('supervisionAlertRecipients').selectAll().where('alertId', '=', alertId).where('staffId', '=', staffId).executeTakeFirst();
  }
}

/** Slices of at most `size`, to keep statements within the databases' parameter limits. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
