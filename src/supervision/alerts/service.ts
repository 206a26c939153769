import type { Role, SessionPrincipal } from '../../core/auth.js';
import { forbidden, notFound } from '../../core/errors.js';
import { translate, type Locale, type MessageKey } from '../../core/i18n.js';
import { newId } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import { resolveParams, type NotificationParams } from '../../notifications/inbox.js';
import { ancestors, isWithin, NATIONWIDE_REGION_CODE, regionCodePrefix } from '../../reference/regions.js';
import type { AlertKind, AlertList, AlertQuery, AlertView, RecipientRole, SweepResult } from './schema.js';
import { AlertStore, chunks, type AlertRow, type AlertWithReceipt, type SupervisionAlertRecipientsTable } from './store.js';
import './messages.js';

/** One condition that warrants an alert as of now, as a source reports it. */
export interface AlertCondition {
  kind: AlertKind;
  /** `promised`/`legal`/`dueSoon` for applications, `due:<day>` or `round:<n>` for the others. */
  stage: string;
  subjectId: string;
  departmentId: string;
  dueOn: string | null;
  /** Parameters of the alert's title and body (strings, numbers, or text in both languages). */
  params: NotificationParams;
  /** Where the responsible staff act on it. */
  link: string | null;
  /** The officer who has the subject in hand (an application's claimed officer), told instead of the whole department. */
  assignedStaffId?: string | null;
  /** Told on escalation besides the region's supervisors, if still an active supervisor there (a flag's raiser). */
  watcherStaffId?: string | null;
}

/** Everything one kind of subject currently warrants; sources must report every condition, not a page of them. */
export type AlertSource = () => Promise<AlertCondition[]>;

export interface StaffMember {
  id: string;
  departmentId: string | null;
  regionCode: string;
  roles: Role[];
}

export interface DepartmentRef {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
}

/** Who works where, from identity. */
export interface AlertDirectory {
  department(id: string): Promise<DepartmentRef | null>;
  /** Active staff of these departments. */
  departmentStaff(departmentIds: string[]): Promise<StaffMember[]>;
  /** Active staff bound to exactly these regions. */
  regionStaff(regionCodes: string[]): Promise<StaffMember[]>;
}

export interface AlertDeps {
  sources: AlertSource[];
  directory: AlertDirectory;
  /** An alert still open this long after it was raised goes to the supervisors. */
  escalationHours: number;
}

/** Who in the department answers for each kind when nobody in particular has the subject in hand. */
export const RESPONSIBLE_ROLES: Record<AlertKind, Role[]> = {
  'application.dueSoon': ['officer'],
  'application.overdue': ['officer'],
  'rectification.overdue': ['officer', 'approver'],
  'inquiry.overdue': ['policyOfficer'],
  'flag.overdue': ['officer', 'approver'],
};

const keyOf = (alert: Pick<AlertRow, 'kind' | 'subjectId' | 'stage'>) => `${alert.kind}\u0000${alert.subjectId}\u0000${alert.stage}`;

export function alertTitleKey(kind: AlertKind, stage: string): MessageKey {
  return (kind === 'application.overdue' ? `supervision.alerts.title.${kind}.${stage === 'legal' ? 'legal' : 'promised'}` : `supervision.alerts.title.${kind}`) as MessageKey;
}

/**
 * Supervision alerts. A sweep (the `supervision.alerts` background job) compares what the sources
 * report now with the open alerts: new conditions raise an alert to the responsible staff, cleared
 * ones resolve it, and an alert still open after SUPERVISION_ESCALATION_HOURS goes once to the
 * supervisors of the nearest region at or above the department's that has any. Every step is
 * guarded by the database (a unique key per kind, subject and stage; "escalated_at is null"), so
 * concurrent or repeated sweeps tell nobody twice.
 */
export class SupervisionAlertService {
  readonly store: AlertStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: AlertDeps,
  ) {
    this.store = new AlertStore(platform.db);
  }

  /**
   * One pass: open alerts are read before the sources, so an alert another sweep raises meanwhile
   * is never resolved by this one; alerts are written a batch per transaction, so a backlog (the
   * first sweep over years of data) stays well inside the job's lease.
   */
  async sweep(): Promise<SweepResult> {
    const now = this.platform.clock.now();
    const nowIso = now.toISOString();
    const result: SweepResult = { raised: 0, reopened: 0, escalated: 0, resolved: 0 };
    const [open, unreached] = await Promise.all([this.store.openAlerts(), this.store.unreached()]);
    const conditions = (await Promise.all(this.deps.sources.map((source) => source()))).flat();
    const current = new Map(conditions.map((condition) => [keyOf(condition), condition]));

    const cleared = open.filter((alert) => !current.has(keyOf(alert)));
    const superseded = (alert: AlertRow) => alert.kind === 'application.dueSoon' && current.has(keyOf({ kind: 'application.overdue', subjectId: alert.subjectId, stage: 'promised' }));
    result.resolved += await this.store.resolve(cleared.filter(superseded).map((alert) => alert.id), nowIso, 'superseded', nowIso);
    result.resolved += await this.store.resolve(cleared.filter((alert) => !superseded(alert)).map((alert) => alert.id), nowIso, 'cleared', nowIso);

    const openKeys = new Set(open.map(keyOf));
    const fresh = conditions.filter((condition) => !openKeys.has(keyOf(condition)));
    const departmentIds = [...new Set([...fresh, ...unreached].map((item) => item.departmentId))];
    const [departments, staff] = await Promise.all([this.departments(departmentIds), this.deps.directory.departmentStaff(departmentIds)]);
    const nobodyToTell = new Map<string, number>();
    await this.raise(fresh, departments, staff, nowIso, result, nobodyToTell);
    await this.tellUnreached(unreached, staff, nowIso, nobodyToTell);
    for (const [departmentId, alerts] of nobodyToTell) {
      this.platform.logger.error({ departmentId, alerts }, 'supervision alerts with nobody in the department to tell: appoint active officers or approvers');
    }
    await this.escalate(now, result);
    if (result.raised || result.escalated || result.resolved || result.reopened) this.platform.logger.info(result, 'supervision alerts swept');
    return result;
  }

  /** New conditions: inserted a batch at a time; a condition that had cleared reopens its alert and tells its staff again. */
  private async raise(fresh: AlertCondition[], departments: Map<string, DepartmentRef>, staff: StaffMember[], nowIso: string, result: SweepResult, nobodyToTell: Map<string, number>): Promise<void> {
    const known = fresh.filter((condition) => {
      if (departments.has(condition.departmentId)) return true;
      this.platform.logger.warn({ kind: condition.kind, subjectId: condition.subjectId, departmentId: condition.departmentId }, 'supervision alert for an unknown department skipped');
      return false;
    });
    const at = new Date(nowIso).getTime();
    for (const batch of chunks(known, SWEEP_BATCH)) {
      await this.store.transaction(async (tx) => {
        const rows = batch.map((condition) => ({ condition, row: alertRow(condition, departments.get(condition.departmentId)!, newId(at), nowIso) }));
        const inserted = await this.store.insertAlerts(tx, rows.map(({ row }) => row));
        const told: SupervisionAlertRecipientsTable[] = [];
        const toldAgain: SupervisionAlertRecipientsTable[] = [];
        for (const { condition, row } of rows) {
          let alertId: string | undefined = row.id;
          if (inserted.has(row.id)) result.raised++;
          else if ((alertId = await this.store.reopen(tx, condition, row, nowIso))) result.reopened++;
          else continue;
          const recipients = responsibleStaff(condition, staff);
          if (!recipients.length) nobodyToTell.set(condition.departmentId, (nobodyToTell.get(condition.departmentId) ?? 0) + 1);
          (inserted.has(row.id) ? told : toldAgain).push(...recipients.map((member) => receipt(alertId!, member, 'responsible', nowIso)));
        }
        await this.store.insertRecipients(tx, told);
        // The condition came back (a resumed clock, say): those in charge see it again, unread.
        await this.store.insertRecipients(tx, toldAgain, true);
      });
    }
  }

  /** Alerts raised when nobody in the department could be told: told now to whoever can be found. */
  private async tellUnreached(unreached: AlertRow[], staff: StaffMember[], nowIso: string, nobodyToTell: Map<string, number>): Promise<void> {
    const rows: SupervisionAlertRecipientsTable[] = [];
    for (const alert of unreached) {
      const recipients = responsibleStaff(alert, staff);
      if (!recipients.length) nobodyToTell.set(alert.departmentId, (nobodyToTell.get(alert.departmentId) ?? 0) + 1);
      rows.push(...recipients.map((member) => receipt(alert.id, member, 'responsible', nowIso)));
    }
    if (rows.length) await this.store.transaction((tx) => this.store.insertRecipients(tx, rows));
  }

  /**
   * Alerts open longer than the delay go once to the supervisors of the nearest region that has
   * any (and to a watcher such as the flag's raiser). A region with nobody to tell is logged once
   * per sweep, and its alerts wait for the first sweep after a supervisor is appointed.
   */
  private async escalate(now: Date, result: SweepResult): Promise<void> {
    const nowIso = now.toISOString();
    const raisedBy = new Date(now.getTime() - this.deps.escalationHours * 3_600_000).toISOString();
    const targets = new Map<string, EscalationTarget>();
    const waiting = new Map<string, number>();
    const due: { alert: AlertRow; target: EscalationTarget }[] = [];
    for (const alert of await this.store.dueForEscalation(raisedBy)) {
      let target = targets.get(alert.departmentRegionCode);
      if (!target) targets.set(alert.departmentRegionCode, (target = await this.nearestSupervisors(alert.departmentRegionCode)));
      if (!target.supervisors.length && !watcherOf(alert, target).length) {
        waiting.set(alert.departmentRegionCode, (waiting.get(alert.departmentRegionCode) ?? 0) + 1);
        continue;
      }
      due.push({ alert, target });
    }
    for (const [regionCode, alerts] of waiting) this.platform.logger.warn({ regionCode, alerts }, 'no supervisor at or above the region to escalate to');

    for (const batch of chunks(due, SWEEP_BATCH)) {
      await this.store.transaction(async (tx) => {
        const byRegion = new Map<string | null, typeof batch>();
        for (const item of batch) byRegion.set(item.target.regionCode, [...(byRegion.get(item.target.regionCode) ?? []), item]);
        const rows: SupervisionAlertRecipientsTable[] = [];
        for (const [regionCode, group] of byRegion) {
          const marked = new Set(await this.store.markEscalated(tx, group.map(({ alert }) => alert.id), nowIso, regionCode, raisedBy));
          for (const { alert, target } of group.filter(({ alert }) => marked.has(alert.id))) {
            rows.push(...[...target.supervisors, ...watcherOf(alert, target)].map((member) => receipt(alert.id, member, 'escalation', nowIso)));
            result.escalated++;
          }
        }
        // A reopened alert escalates anew: supervisors told the first time see it again, unread.
        await this.store.insertRecipients(tx, rows, true);
      });
    }
  }

  /**
   * The supervisors of the nearest region at or above `regionCode` that has any, nearest first: the
   * region, the grouping it belongs to (310100 市辖区, 429000 省直辖县级行政区划), its governing
   * parents, the nation. `staff` is everyone bound to that chain (a watcher is looked up there).
   */
  async nearestSupervisors(regionCode: string): Promise<EscalationTarget> {
    const chain = escalationChain(regionCode);
    const staff = await this.deps.directory.regionStaff(chain);
    for (const code of chain) {
      const supervisors = staff.filter((member) => member.regionCode === code && member.roles.includes('supervisor'));
      if (supervisors.length) return { regionCode: code, supervisors, staff };
    }
    return { regionCode: null, supervisors: [], staff };
  }

  private async departments(ids: string[]): Promise<Map<string, DepartmentRef>> {
    const found = await Promise.all(ids.map((id) => this.deps.directory.department(id)));
    return new Map(found.filter((d): d is DepartmentRef => d !== null).map((d) => [d.id, d]));
  }

  // Reading

  /** The alerts this staff member was told of (as responsible or as supervisor), newest first. */
  async mine(principal: SessionPrincipal, query: AlertQuery, locale: Locale): Promise<AlertList> {
    const staffId = requireStaffId(principal);
    const { total, unread, rows } = await this.store.forStaff(staffId, filterOf(query));
    return { total, unread, items: await this.views(rows, locale, 'own') };
  }

  /** Every alert of departments in the supervisor's region and below. */
  async inRegion(principal: SessionPrincipal, query: AlertQuery, locale: Locale): Promise<AlertList> {
    const regionCode = supervisorRegion(principal);
    const { total, rows } = await this.store.inRegion(regionCodePrefix(regionCode), filterOf(query));
    return { total, items: await this.views(rows, locale, 'region') };
  }

  /** One alert, to a staff member told of it or a supervisor of its region; to nobody else, not even that it exists. */
  async get(principal: SessionPrincipal, id: string, locale: Locale): Promise<AlertView> {
    const staffId = requireStaffId(principal);
    const [row, receipt] = await Promise.all([this.store.byId(id), this.store.receipt(id, staffId)]);
    if (!row) throw notFound('alertNotFound', 'supervision.alerts.notFound');
    if (receipt) return (await this.views([{ ...row, role: receipt.role, readAt: receipt.readAt }], locale, 'own'))[0]!;
    if (principal.roles.includes('supervisor') && principal.regionCode && isWithin(row.departmentRegionCode, principal.regionCode)) {
      return (await this.views([row], locale, 'region'))[0]!;
    }
    throw notFound('alertNotFound', 'supervision.alerts.notFound');
  }

  /** Marks an alert read for this staff member; 404 when they were not told of it. */
  async markRead(principal: SessionPrincipal, id: string, locale: Locale): Promise<AlertView> {
    const staffId = requireStaffId(principal);
    if (!(await this.store.receipt(id, staffId))) throw notFound('alertNotFound', 'supervision.alerts.notFound');
    await this.store.markRead(id, staffId, this.platform.clock.now().toISOString());
    return this.get(principal, id, locale);
  }

  /** Who was told of an alert and when (tests and the alert page). */
  recipients(alertId: string) {
    return this.store.recipients(alertId);
  }

  private async views(rows: (AlertRow | AlertWithReceipt)[], locale: Locale, as: 'own' | 'region'): Promise<AlertView[]> {
    const departments = await this.departments([...new Set(rows.map((row) => row.departmentId))]);
    return rows.map((row) => {
      const department = departments.get(row.departmentId);
      let params: NotificationParams = {};
      try {
        params = JSON.parse(row.params) as NotificationParams;
      } catch {
        // Written by the sweep as JSON; an unreadable value shows the alert without its details.
      }
      const resolved = resolveParams(locale, { ...params, dueOn: row.dueOn ?? '' });
      const receipt = 'role' in row ? { role: row.role as RecipientRole, readAt: row.readAt } : {};
      const ownLink = as === 'own' && (!('role' in row) || row.role === 'responsible');
      return {
        id: row.id,
        kind: row.kind,
        stage: row.stage,
        title: translate(locale, alertTitleKey(row.kind, row.stage), resolved),
        body: translate(locale, `supervision.alerts.body.${row.kind}`, resolved),
        subjectId: row.subjectId,
        department: { id: row.departmentId, name: department ? { 'zh-CN': department.nameZh, en: department.nameEn } : null, regionCode: row.departmentRegionCode },
        dueOn: row.dueOn,
        // Supervisors follow a flag to their own page of it; the department's pages are the department's.
        link: row.kind === 'flag.overdue' && !ownLink ? `/supervision/flags/${encodeURIComponent(row.subjectId)}` : ownLink ? row.link : null,
        raisedAt: row.raisedAt,
        reopenedAt: row.reopenedAt,
        escalatedAt: row.escalatedAt,
        escalatedRegionCode: row.escalatedRegionCode,
        resolvedAt: row.resolvedAt,
        resolution: row.resolution,
        ...receipt,
      };
    });
  }
}

/** Alerts written (and recipients found) per transaction in a sweep. */
const SWEEP_BATCH = 200;

interface EscalationTarget {
  /** The region whose supervisors are told; null when no region up the chain has any. */
  regionCode: string | null;
  supervisors: StaffMember[];
  staff: StaffMember[];
}

/** The alert's watcher (a flag's raiser) if still an active supervisor up the chain. */
function watcherOf(alert: AlertRow, target: EscalationTarget): StaffMember[] {
  return target.staff.filter((member) => member.id === alert.watcherStaffId && member.roles.includes('supervisor'));
}

/** The region, its grouping if it belongs to one, its governing parents nearest first, then the nation. */
export function escalationChain(regionCode: string): string[] {
  const grouping = `${regionCode.slice(0, 4)}00`;
  const parents = ancestors(regionCode).map((region) => region.code).reverse();
  return [...new Set([regionCode, ...(isWithin(regionCode, grouping) ? [grouping] : []), ...parents, NATIONWIDE_REGION_CODE])];
}

/**
 * Who answers for an alert in its department: the officer who has the subject in hand; else the
 * kind's responsible roles; else the approvers; else anyone active in the department. Nobody only
 * when the department has no active staff at all.
 */
function responsibleStaff(alert: Pick<AlertCondition, 'kind' | 'departmentId' | 'assignedStaffId'>, staff: StaffMember[]): StaffMember[] {
  const department = staff.filter((member) => member.departmentId === alert.departmentId);
  const assigned = alert.assignedStaffId ? department.find((member) => member.id === alert.assignedStaffId) : undefined;
  if (assigned) return [assigned];
  for (const roles of [RESPONSIBLE_ROLES[alert.kind], ['approver']]) {
    const found = department.filter((member) => member.roles.some((role) => roles.includes(role)));
    if (found.length) return found;
  }
  return department;
}

function alertRow(condition: AlertCondition, department: DepartmentRef, id: string, nowIso: string): AlertRow {
  return {
    id,
    kind: condition.kind,
    subjectId: condition.subjectId,
    stage: condition.stage,
    departmentId: department.id,
    departmentRegionCode: department.regionCode,
    params: JSON.stringify(condition.params),
    link: condition.link,
    dueOn: condition.dueOn,
    raisedAt: nowIso,
    reopenedAt: null,
    watcherStaffId: condition.watcherStaffId ?? null,
    escalatedAt: null,
    escalatedRegionCode: null,
    resolvedAt: null,
    resolution: null,
  };
}

function receipt(alertId: string, member: StaffMember, role: RecipientRole, nowIso: string): SupervisionAlertRecipientsTable {
  return { alertId, staffId: member.id, role, notifiedAt: nowIso, readAt: null };
}

function filterOf(query: AlertQuery) {
  return { state: query.state ?? 'open', kind: query.kind, limit: query.limit ?? 50, offset: query.offset ?? 0 };
}

function requireStaffId(principal: SessionPrincipal): string {
  if (!principal.staffId) throw forbidden('staffOnly', 'supervision.alerts.staffOnly');
  return principal.staffId;
}

function supervisorRegion(principal: SessionPrincipal): string {
  if (!principal.roles.includes('supervisor') || !principal.regionCode) throw forbidden('roleRequired');
  return principal.regionCode;
}
