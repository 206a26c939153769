import type { AuditActor } from '../../core/audit.js';
import type { SessionPrincipal } from '../../core/auth.js';
import { conflict, forbidden, invalid, notFound, type FieldProblem } from '../../core/errors.js';
import { translate } from '../../core/i18n.js';
import { newId } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import { isIsoDate, shanghaiDate } from '../../reference/dates.js';
import { isWithin, regionCodePrefix, regionPath } from '../../reference/regions.js';
import type { DepartmentRef } from '../alerts/service.js';
import { FLAG_TEXT_MAX, type FlagList, type FlagQuery, type FlagStatus, type FlagView, type RaiseFlagBody } from './schema.js';
import { FlagStore, type FlagEventRow, type FlagRow } from './store.js';
import './messages.js';

/** An application as the flags need it, from the applications capability. */
export interface FlaggableApplication {
  id: string;
  trackingNumber: string;
  departmentId: string;
  itemName: { 'zh-CN': string; en: string };
}

export interface FlagDeps {
  findApplication(by: { id: string } | { trackingNumber: string }): Promise<FlaggableApplication | null>;
  department(id: string): Promise<DepartmentRef | null>;
}

/** A flag waiting for the department: no response, not closed (a new flag, or one reopened). */
const NO_RESPONSE = { response: null, respondedByLabel: null, respondedAt: null, respondedOn: null, closedAt: null } as const;

const STATE_STATUSES: Record<NonNullable<FlagQuery['state']>, FlagStatus[] | undefined> = {
  open: ['open'],
  responded: ['responded'],
  closed: ['closed'],
  active: ['open', 'responded'],
  all: undefined,
};

/**
 * Supervision flags (督办): a supervisor flags an application or a department in their region for
 * follow-up, with a reason and a due day; the department's officers and approvers respond; the
 * supervisor closes the flag or reopens it with a note and a new due day. Each step is kept in the
 * flag's history (who, when) and in the audit trail. A flag left without a response past its due
 * day raises a `flag.overdue` supervision alert.
 */
export class SupervisionFlagService {
  readonly store: FlagStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: FlagDeps,
  ) {
    this.store = new FlagStore(platform.db);
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  /** Raises a flag; `created` false when the same open flag was already raised (and is answered). */
  async raise(supervisor: SessionPrincipal, input: RaiseFlagBody): Promise<{ created: boolean; flag: FlagView }> {
    const regionCode = supervisorRegion(supervisor);
    const problems: FieldProblem[] = [];
    const reason = requiredText('/reason', input.reason, problems);
    const dueOn = this.dueDay('/dueOn', input.dueOn, problems);
    const applicationKey = input.applicationId?.trim() ? { id: input.applicationId.trim() } : input.trackingNumber?.trim() ? { trackingNumber: input.trackingNumber.trim() } : null;
    const departmentId = input.departmentId?.trim() || null;
    if (!applicationKey && !departmentId) problems.push({ field: '/trackingNumber', message: 'supervision.flags.target.required' });
    if (applicationKey && departmentId) problems.push({ field: '/departmentId', message: 'supervision.flags.target.both' });
    if (problems.length) throw invalid('validation', problems);

    // An application outside the region is "not found", exactly like one that does not exist: the
    // answer must not tell a supervisor which tracking numbers exist elsewhere.
    const applicationNotFound = () => invalid('applicationNotFound', [{ field: applicationKey && 'id' in applicationKey ? '/applicationId' : '/trackingNumber', message: 'supervision.flags.application.notFound' }]);
    let application: FlaggableApplication | null = null;
    if (applicationKey) {
      application = await this.deps.findApplication(applicationKey);
      if (!application) throw applicationNotFound();
    }
    const department = await this.deps.department(application?.departmentId ?? departmentId!);
    if (!department) throw application ? applicationNotFound() : invalid('departmentNotFound', [{ field: '/departmentId', message: 'supervision.flags.department.notFound' }]);
    if (!isWithin(department.regionCode, regionCode)) {
      await this.platform.audit.record({ action: 'supervision.flagRaised', actor: await this.actor(supervisor), outcome: 'denied', detail: { departmentId: department.id, applicationId: application?.id ?? null } });
      throw application ? applicationNotFound() : forbidden('outsideRegion', 'supervision.flags.outsideRegion');
    }

    const now = this.platform.clock.now();
    const nowIso = now.toISOString();
    const actor = await this.actor(supervisor);
    const row: FlagRow = {
      id: newId(now.getTime()),
      target: application ? 'application' : 'department',
      applicationId: application?.id ?? null,
      trackingNumber: application?.trackingNumber ?? null,
      itemNameZh: application?.itemName['zh-CN'] ?? null,
      itemNameEn: application?.itemName.en ?? null,
      departmentId: department.id,
      departmentRegionCode: department.regionCode,
      reason,
      dueOn,
      status: 'open',
      round: 1,
      raisedBy: supervisor.staffId!,
      raisedByRegionCode: regionCode,
      raisedByLabel: actor.label!,
      raisedAt: nowIso,
      ...NO_RESPONSE,
      updatedAt: nowIso,
    };
    // The same flag again (a form sent twice, a retried request) is the flag already raised: the
    // department is not asked twice nor alerted twice.
    const twinId = await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `supervision-flags-raised-by:${row.raisedBy}`);
      const twin = await this.store.openTwin(tx, row);
      if (twin) return twin.id;
      await this.store.insert(tx, row);
      await this.store.insertEvent(tx, this.event(row, 'raised', supervisor, actor, nowIso, reason, dueOn));
      await this.platform.audit.record({ action: 'supervision.flagRaised', actor, detail: { flagId: row.id, departmentId: department.id, applicationId: row.applicationId, dueOn } }, tx);
      return null;
    });
    return { created: twinId === null, flag: await this.get(supervisor, twinId ?? row.id) };
  }

  /** The department's response; the flag waits for the supervisor to close or reopen it. */
  async respond(staff: SessionPrincipal, id: string, input: { response: string }): Promise<FlagView> {
    const row = await this.visible(staff, id);
    if (!this.isDepartmentStaff(staff, row)) throw forbidden('notYourDepartment', 'supervision.flags.departmentOnly');
    if (row.status !== 'open') throw conflict('flagNotOpen', 'supervision.flags.notOpen', { status: `{supervision.flags.status.${row.status}}` });
    const problems: FieldProblem[] = [];
    const response = requiredText('/response', input.response, problems);
    if (problems.length) throw invalid('validation', problems);
    const now = this.platform.clock.now();
    const nowIso = now.toISOString();
    const actor = await this.actor(staff);
    await this.store.transaction(async (tx) => {
      const changed = await this.store.update(tx, id, ['open'], row.round, {
        status: 'responded',
        response,
        respondedByLabel: actor.label!,
        respondedAt: nowIso,
        respondedOn: shanghaiDate(now),
        updatedAt: nowIso,
      });
      if (!changed) throw conflict('flagChanged', 'supervision.flags.changed');
      await this.store.insertEvent(tx, this.event(row, 'responded', staff, actor, nowIso, response, null));
      await this.platform.audit.record({ action: 'supervision.flagResponded', actor, detail: { flagId: id, round: row.round, onTime: shanghaiDate(now) <= row.dueOn } }, tx);
    });
    return this.get(staff, id);
  }

  async close(supervisor: SessionPrincipal, id: string, input: { note?: string }): Promise<FlagView> {
    const row = await this.visible(supervisor, id);
    this.requireRaiserLevel(supervisor, row);
    if (row.status === 'closed') throw conflict('flagClosed', 'supervision.flags.notOpen', { status: '{supervision.flags.status.closed}' });
    const problems: FieldProblem[] = [];
    const note = optionalText('/note', input.note, problems);
    if (problems.length) throw invalid('validation', problems);
    const nowIso = this.platform.clock.now().toISOString();
    const actor = await this.actor(supervisor);
    await this.store.transaction(async (tx) => {
      if (!(await this.store.update(tx, id, ['open', 'responded'], row.round, { status: 'closed', closedAt: nowIso, updatedAt: nowIso }))) throw conflict('flagChanged', 'supervision.flags.changed');
      await this.store.insertEvent(tx, this.event(row, 'closed', supervisor, actor, nowIso, note, null));
      await this.platform.audit.record({ action: 'supervision.flagClosed', actor, detail: { flagId: id, round: row.round } }, tx);
    });
    return this.get(supervisor, id);
  }

  /** Not satisfied: the department must respond again, by a new due day, to the supervisor's note. */
  async reopen(supervisor: SessionPrincipal, id: string, input: { note: string; dueOn: string }): Promise<FlagView> {
    const row = await this.visible(supervisor, id);
    this.requireRaiserLevel(supervisor, row);
    if (row.status === 'open') throw conflict('flagOpen', 'supervision.flags.alreadyOpen');
    const problems: FieldProblem[] = [];
    const note = requiredText('/note', input.note, problems);
    const dueOn = this.dueDay('/dueOn', input.dueOn, problems);
    if (problems.length) throw invalid('validation', problems);
    const nowIso = this.platform.clock.now().toISOString();
    const actor = await this.actor(supervisor);
    const round = row.round + 1;
    await this.store.transaction(async (tx) => {
      const changed = await this.store.update(tx, id, ['responded', 'closed'], row.round, {
        status: 'open',
        round,
        dueOn,
        ...NO_RESPONSE,
        updatedAt: nowIso,
      });
      if (!changed) throw conflict('flagChanged', 'supervision.flags.changed');
      await this.store.insertEvent(tx, { ...this.event(row, 'reopened', supervisor, actor, nowIso, note, dueOn), round });
      await this.platform.audit.record({ action: 'supervision.flagReopened', actor, detail: { flagId: id, round, dueOn } }, tx);
    });
    return this.get(supervisor, id);
  }

  async get(principal: SessionPrincipal, id: string): Promise<FlagView> {
    const row = await this.visible(principal, id);
    return (await this.views(principal, [row]))[0]!;
  }

  /** A supervisor's flags (their region and below) or a department's (its officers and approvers). */
  async list(principal: SessionPrincipal, query: FlagQuery): Promise<FlagList> {
    const scope = query.scope ?? (principal.roles.includes('supervisor') ? 'region' : 'department');
    const statuses = STATE_STATUSES[query.state ?? 'active'];
    const page = { statuses, limit: query.limit ?? 50, offset: query.offset ?? 0 };
    if (scope === 'region') {
      const regionCode = supervisorRegion(principal);
      const { total, rows } = await this.store.list({ ...page, regionPrefix: regionCodePrefix(regionCode) });
      return { total, items: await this.views(principal, rows) };
    }
    const departmentId = departmentOf(principal);
    const { total, rows } = await this.store.list({ ...page, departmentId });
    return { total, items: await this.views(principal, rows) };
  }

  /** Open flags past their due day, in every department: what the supervision alerts watch. */
  async lateResponses(): Promise<{ id: string; round: number; departmentId: string; dueOn: string; raisedBy: string; subjectLabel: { 'zh-CN': string; en: string } }[]> {
    const rows = await this.store.lateResponses(this.today());
    const departments = await this.departmentNames(rows);
    return rows.map((row) => ({ id: row.id, round: row.round, departmentId: row.departmentId, dueOn: row.dueOn, raisedBy: row.raisedBy, subjectLabel: subjectLabel(row, departments.get(row.departmentId) ?? null) }));
  }

  // Access

  private isDepartmentStaff(principal: SessionPrincipal, row: FlagRow): boolean {
    return principal.departmentId === row.departmentId && principal.roles.some((role) => role === 'officer' || role === 'approver');
  }

  private isRegionSupervisor(principal: SessionPrincipal, row: FlagRow): boolean {
    return principal.roles.includes('supervisor') && !!principal.regionCode && isWithin(row.departmentRegionCode, principal.regionCode);
  }

  /** A supervisor of the flag's region whose own region also covers the raiser's: a county does not close what the province asked. */
  private mayDecide(principal: SessionPrincipal, row: FlagRow): boolean {
    const raiserRegion = row.raisedByRegionCode ?? row.departmentRegionCode;
    return this.isRegionSupervisor(principal, row) && isWithin(raiserRegion, principal.regionCode!);
  }

  private requireRaiserLevel(principal: SessionPrincipal, row: FlagRow): void {
    if (!this.isRegionSupervisor(principal, row)) throw forbidden('roleRequired', 'supervision.flags.supervisorOnly');
    if (!this.mayDecide(principal, row)) throw forbidden('raisedAbove', 'supervision.flags.raisedAbove', { region: regionPath(row.raisedByRegionCode ?? '').join(' / ') || (row.raisedByRegionCode ?? '') });
  }

  /** The flag, to its department's officers and approvers and its region's supervisors; to anyone else it does not exist. */
  private async visible(principal: SessionPrincipal, id: string): Promise<FlagRow> {
    const row = await this.store.byId(id);
    if (row && (this.isDepartmentStaff(principal, row) || this.isRegionSupervisor(principal, row))) return row;
    if (row) await this.platform.audit.record({ action: 'supervision.flagRead', actor: await this.actor(principal), outcome: 'denied', detail: { flagId: id } });
    throw notFound('flagNotFound', 'supervision.flags.notFound');
  }

  // Views

  private async views(principal: SessionPrincipal, rows: FlagRow[]): Promise<FlagView[]> {
    const [events, departments] = await Promise.all([this.store.events(rows.map((row) => row.id)), this.departmentNames(rows)]);
    const today = this.today();
    return rows.map((row) => {
      const department = departments.get(row.departmentId) ?? null;
      const actions: FlagView['actions'] = [];
      if (row.status === 'open' && this.isDepartmentStaff(principal, row)) actions.push('respond');
      if (this.mayDecide(principal, row)) {
        if (row.status !== 'closed') actions.push('close');
        if (row.status !== 'open') actions.push('reopen');
      }
      return {
        id: row.id,
        target: row.target,
        application: row.applicationId ? { id: row.applicationId, trackingNumber: row.trackingNumber ?? '', itemName: { 'zh-CN': row.itemNameZh ?? '', en: row.itemNameEn ?? '' } } : null,
        department: { id: row.departmentId, name: department ? { 'zh-CN': department.nameZh, en: department.nameEn } : null, regionCode: row.departmentRegionCode },
        reason: row.reason,
        dueOn: row.dueOn,
        status: row.status,
        round: row.round,
        overdue: row.status === 'open' && row.dueOn < today,
        raisedBy: row.raisedByLabel,
        raisedAt: row.raisedAt,
        response: row.response && row.respondedAt ? { text: row.response, by: row.respondedByLabel ?? '', at: row.respondedAt, onTime: (row.respondedOn ?? '') <= row.dueOn } : null,
        closedAt: row.closedAt,
        history: events.filter((event) => event.flagId === row.id).map((event) => ({ action: event.action, round: event.round, actor: event.actorLabel, at: event.at, note: event.note, dueOn: event.dueOn })),
        actions,
      };
    });
  }

  private async departmentNames(rows: FlagRow[]): Promise<Map<string, DepartmentRef>> {
    const ids = [...new Set(rows.map((row) => row.departmentId))];
    const found = await Promise.all(ids.map((id) => this.deps.department(id)));
    return new Map(found.filter((d): d is DepartmentRef => d !== null).map((d) => [d.id, d]));
  }

  private event(row: FlagRow, action: FlagEventRow['action'], principal: SessionPrincipal, actor: AuditActor, at: string, note: string | null, dueOn: string | null): FlagEventRow {
    return { id: newId(new Date(at).getTime()), flagId: row.id, action, round: row.round, actorStaffId: principal.staffId!, actorLabel: actor.label!, at, note, dueOn };
  }

  /** "Department · name", as the audit trail and the flag's history show who acted. */
  private async actor(principal: SessionPrincipal): Promise<AuditActor> {
    const department = principal.departmentId ? await this.deps.department(principal.departmentId) : null;
    return { type: 'staff', id: principal.staffId ?? undefined, label: department ? `${department.nameZh} · ${principal.displayName}` : principal.displayName };
  }

  private dueDay(field: string, value: unknown, problems: FieldProblem[]): string {
    const day = typeof value === 'string' ? value.trim() : '';
    if (!isIsoDate(day)) problems.push({ field, message: 'supervision.flags.dueOn.invalid' });
    else if (day < this.today()) problems.push({ field, message: 'supervision.flags.dueOn.past', params: { today: this.today() } });
    return day;
  }
}

export function subjectLabel(row: Pick<FlagRow, 'trackingNumber'>, department: DepartmentRef | null): { 'zh-CN': string; en: string } {
  if (row.trackingNumber) {
    const params = { trackingNumber: row.trackingNumber };
    return { 'zh-CN': translate('zh-CN', 'supervision.flags.subject.application', params), en: translate('en', 'supervision.flags.subject.application', params) };
  }
  return { 'zh-CN': department?.nameZh ?? '', en: department?.nameEn ?? '' };
}

function requiredText(field: string, value: unknown, problems: FieldProblem[]): string {
  const text = optionalText(field, value, problems);
  if (!text) problems.push({ field, message: 'supervision.flags.text.required' });
  return text ?? '';
}

function optionalText(field: string, value: unknown, problems: FieldProblem[]): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  const length = [...text].length;
  if (length > FLAG_TEXT_MAX) problems.push({ field, message: 'supervision.flags.text.tooLong', params: { max: FLAG_TEXT_MAX, length } });
  return text || null;
}

function supervisorRegion(principal: SessionPrincipal): string {
  if (!principal.roles.includes('supervisor') || !principal.regionCode || !principal.staffId) throw forbidden('roleRequired');
  return principal.regionCode;
}

function departmentOf(principal: SessionPrincipal): string {
  if (!principal.departmentId || !principal.roles.some((role) => role === 'officer' || role === 'approver')) throw forbidden('roleRequired');
  return principal.departmentId;
}
