import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { staffSignInAgain } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { createServices, type Services } from '../../services.js';
import type { AlertKind } from './schema.js';
import { escalationChain, SupervisionAlertService, type AlertCondition, type AlertSource } from './service.js';
import { identityDirectory } from './wiring.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Staff = Awaited<ReturnType<typeof staffSession>>;

/**
 * The sweep's edges, with conditions reported by a test source instead of the capabilities, so each
 * case says exactly what is reported when: departments with nobody in charge, regions with nobody to
 * escalate to, national bodies, municipal groupings, conditions that come back, sweeps that overlap,
 * and a backlog larger than one batch. Everything starts on Monday 2 March 2026, 10:00 in Shanghai.
 */
describe('the supervision alert sweep at its edges', () => {
  let t: T;
  let services: Services;
  let reported: AlertCondition[] = [];
  let alerts: SupervisionAlertService;
  const serviceWith = (sources: AlertSource[]) => new SupervisionAlertService(t.platform, { sources, directory: identityDirectory(services.identity), escalationHours: 24 });
  const department = (code: string, regionCode: string) =>
    services.identity.createDepartment({ code, nameZh: `${code}部门`, nameEn: `${code} office`, level: regionCode === '100000' ? 'national' : 'county', regionCode });
  const condition = (kind: AlertKind, subjectId: string, departmentId: string, extra: Partial<AlertCondition> = {}): AlertCondition => ({
    kind,
    stage: kind === 'application.dueSoon' || kind === 'application.overdue' ? 'promised' : 'due:2026-03-01',
    subjectId,
    departmentId,
    dueOn: '2026-03-04',
    params: { trackingNumber: subjectId, item: { 'zh-CN': '测试事项', en: 'Test item' } },
    link: `/workbench/applications/${subjectId}`,
    ...extra,
  });
  const alertOf = (subjectId: string) => t.platform.db.selectFrom('supervisionAlerts').selectAll().where('subjectId', '=', subjectId).executeTakeFirstOrThrow();
  const receipts = async (subjectId: string) => {
    const alert = await alertOf(subjectId);
    return services.supervisionAlerts.recipients(alert.id);
  };
  const told = async (subjectId: string, role: 'responsible' | 'escalation') => (await receipts(subjectId)).filter((r) => r.role === role).map((r) => r.staffId).sort();
  const later = (hours: number) => t.clock.advance(hours * 3_600_000);

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    alerts = serviceWith([async () => reported.slice()]);
  });
  afterAll(async () => t.close());

  it('escalates along the region, its grouping, its governing parents and the nation', () => {
    expect(escalationChain('310115')).toEqual(['310115', '310100', '310000', '100000']);
    expect(escalationChain('429004')).toEqual(['429004', '429000', '420000', '100000']);
    expect(escalationChain('320585')).toEqual(['320585', '320500', '320000', '100000']);
    expect(escalationChain('100000')).toEqual(['100000']);
  });

  it('warns once per region without a supervisor, not once per alert, and escalates when one is appointed', async () => {
    const urumqi = await department('SWEEP-URUMQI', '650102');
    const officer = await staffSession(t, { roles: ['officer'], departmentId: urumqi.id, regionCode: '650102' });
    reported = ['x1', 'x2', 'x3'].map((id) => condition('application.dueSoon', id, urumqi.id));
    expect(await alerts.sweep()).toMatchObject({ raised: 3 });
    expect(await told('x1', 'responsible')).toEqual([officer.staffId]);
    later(25);
    const warn = vi.spyOn(t.platform.logger, 'warn');
    expect(await alerts.sweep()).toMatchObject({ escalated: 0 });
    const warned = warn.mock.calls.filter(([, message]) => message === 'no supervisor at or above the region to escalate to');
    expect(warned).toEqual([[{ regionCode: '650102', alerts: 3 }, 'no supervisor at or above the region to escalate to']]);
    warn.mockRestore();

    // The national supervisor is appointed: the waiting alerts go to them on the next sweep.
    const nation = await staffSession(t, { roles: ['supervisor'], regionCode: '100000', name: '国家督办' });
    expect(await alerts.sweep()).toMatchObject({ escalated: 3 });
    expect(await told('x2', 'escalation')).toEqual([nation.staffId]);
    expect((await alertOf('x2')).escalatedRegionCode).toBe('100000');
    reported = [];
    expect(await alerts.sweep()).toMatchObject({ resolved: 3 });
  });

  it('counts a national department as within the national supervisor’s region: escalated to them, listed, and open to a flag', async () => {
    const ministry = await department('SWEEP-NATIONAL', '100000');
    const officer = await staffSession(t, { roles: ['officer'], departmentId: ministry.id, regionCode: '100000' });
    const nation = await staffSession(t, { roles: ['supervisor'], regionCode: '100000', name: '国家督办' });
    reported = [condition('inquiry.overdue', 'n1', ministry.id, { params: { policy: { 'zh-CN': '政策', en: 'Policy' }, enterprise: '某公司' } })];
    // The ministry has no policy officer: its officer is told instead.
    expect(await alerts.sweep()).toMatchObject({ raised: 1 });
    expect(await told('n1', 'responsible')).toEqual([officer.staffId]);
    later(25);
    await staffSignInAgain(t, nation);
    expect(await alerts.sweep()).toMatchObject({ escalated: 1 });
    expect((await alertOf('n1')).escalatedRegionCode).toBe('100000');
    expect(await told('n1', 'escalation')).toContain(nation.staffId);

    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts?limit=200', headers: { cookie: nation.cookie } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((i: { subjectId: string }) => i.subjectId)).toContain('n1');
    expect(listed.json().total).toBe(listed.json().items.length);

    const flagged = await t.app.inject({ method: 'POST', url: '/api/v1/supervision/flags', headers: { cookie: nation.cookie }, payload: { departmentId: ministry.id, reason: '请说明逾期原因。', dueOn: '2026-03-10' } });
    expect(flagged.statusCode).toBe(201);
    const shown = await t.app.inject({ method: 'GET', url: `/api/v1/supervision/flags/${flagged.json().id}`, headers: { cookie: nation.cookie } });
    expect(shown.json().actions).toEqual(['close']);
    reported = [];
    await alerts.sweep();
  });

  it('falls back to the approvers, then to anyone in the department; with nobody at all it logs an error and tells whoever joins later', async () => {
    const approversOnly = await department('SWEEP-APPROVERS', '310115');
    const approver = await staffSession(t, { roles: ['approver'], departmentId: approversOnly.id, regionCode: '310115' });
    const empty = await department('SWEEP-EMPTY', '310115');
    reported = [condition('application.overdue', 'f1', approversOnly.id), condition('application.overdue', 'f2', empty.id), condition('application.overdue', 'f3', empty.id)];
    const error = vi.spyOn(t.platform.logger, 'error');
    expect(await alerts.sweep()).toMatchObject({ raised: 3 });
    expect(await told('f1', 'responsible')).toEqual([approver.staffId]);
    expect(await receipts('f2')).toEqual([]);
    expect(error.mock.calls.filter(([, message]) => String(message).startsWith('supervision alerts with nobody'))).toEqual([
      [{ departmentId: empty.id, alerts: 2 }, 'supervision alerts with nobody in the department to tell: appoint active officers or approvers'],
    ]);
    error.mockRestore();

    later(1);
    const newcomer = await staffSession(t, { roles: ['officer'], departmentId: empty.id, regionCode: '310115' });
    expect(await alerts.sweep()).toMatchObject({ raised: 0, reopened: 0 });
    expect(await told('f2', 'responsible')).toEqual([newcomer.staffId]);
    expect(await told('f3', 'responsible')).toEqual([newcomer.staffId]);
    expect((await receipts('f2'))[0]).toMatchObject({ readAt: null, notifiedAt: t.clock.now().toISOString() });
    reported = [];
    await alerts.sweep();
  });

  it('escalates a Pudong alert to the supervisors of Shanghai’s districts (310100) before the city, and a late flag also to whoever raised it', async () => {
    const pudong = await department('SWEEP-PUDONG', '310115');
    await staffSession(t, { roles: ['officer'], departmentId: pudong.id, regionCode: '310115' });
    const districts = await staffSession(t, { roles: ['supervisor'], regionCode: '310100', name: '市辖区督办' });
    const city = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '上海督办' });
    reported = [condition('application.overdue', 'g1', pudong.id), condition('flag.overdue', 'g2', pudong.id, { stage: 'round:1', watcherStaffId: city.staffId, params: { subject: { 'zh-CN': '浦东', en: 'Pudong' } } })];
    await alerts.sweep();
    later(25);
    expect(await alerts.sweep()).toMatchObject({ escalated: 2 });
    expect(await told('g1', 'escalation')).toEqual([districts.staffId]);
    expect((await alertOf('g1')).escalatedRegionCode).toBe('310100');
    expect(await told('g2', 'escalation')).toEqual([districts.staffId, city.staffId].sort());
    reported = [];
    await alerts.sweep();
  });

  it('reopens a condition that comes back with its new deadline and details, tells its staff again, and restarts the escalation delay', async () => {
    const office = await department('SWEEP-REOPEN', '330102');
    const officer = await staffSession(t, { roles: ['officer'], departmentId: office.id, regionCode: '330102' });
    const zhejiang = await staffSession(t, { roles: ['supervisor'], regionCode: '330000', name: '浙江督办' });
    reported = [condition('application.overdue', 'r1', office.id, { dueOn: '2026-03-04' })];
    await alerts.sweep();
    later(25);
    expect(await alerts.sweep()).toMatchObject({ escalated: 1 });
    const first = await alertOf('r1');
    await t.platform.db.updateTable('supervisionAlertRecipients').set({ readAt: t.clock.now().toISOString() }).where('alertId', '=', first.id).execute();

    reported = [];
    expect(await alerts.sweep()).toMatchObject({ resolved: 1 });
    later(48);
    const reopenedAt = t.clock.now().toISOString();
    reported = [condition('application.overdue', 'r1', office.id, { dueOn: '2026-03-09', params: { trackingNumber: 'r1', item: { 'zh-CN': '新事项', en: 'New item' } }, link: '/workbench/applications/r1?again' })];
    expect(await alerts.sweep()).toMatchObject({ raised: 0, reopened: 1, escalated: 0 });
    expect(await alertOf('r1')).toMatchObject({ id: first.id, raisedAt: first.raisedAt, reopenedAt, dueOn: '2026-03-09', link: '/workbench/applications/r1?again', escalatedAt: null, escalatedRegionCode: null, resolvedAt: null });
    expect(JSON.parse((await alertOf('r1')).params).item.en).toBe('New item');
    expect((await receipts('r1')).find((r) => r.staffId === officer.staffId)).toMatchObject({ readAt: null, notifiedAt: reopenedAt });

    later(23);
    expect(await alerts.sweep()).toMatchObject({ escalated: 0 });
    later(2);
    expect(await alerts.sweep()).toMatchObject({ escalated: 1 });
    expect((await receipts('r1')).find((r) => r.staffId === zhejiang.staffId)).toMatchObject({ role: 'escalation', readAt: null, notifiedAt: t.clock.now().toISOString() });
    reported = [];
    await alerts.sweep();
  });

  it('does not resolve an alert that an overlapping sweep raised after this one read the open alerts', async () => {
    const office = await department('SWEEP-RACE', '330102');
    await staffSession(t, { roles: ['officer'], departmentId: office.id, regionCode: '330102' });
    const other = serviceWith([async () => [condition('application.dueSoon', 'race', office.id)]]);
    // This sweep's sources answer (without the condition) only after the other sweep raised it.
    const slow = serviceWith([
      async () => {
        expect(await other.sweep()).toMatchObject({ raised: 1 });
        return [];
      },
    ]);
    expect(await slow.sweep()).toMatchObject({ resolved: 0 });
    expect((await alertOf('race')).resolvedAt).toBeNull();
    // The next sweep that sees the condition gone resolves it.
    later(1);
    reported = [];
    expect(await alerts.sweep()).toMatchObject({ resolved: 1 });
  });

  it('raises a backlog larger than one batch in one sweep, each alert to its staff once', async () => {
    const office = await department('SWEEP-BACKLOG', '440305');
    const officer = await staffSession(t, { roles: ['officer'], departmentId: office.id, regionCode: '440305' });
    reported = Array.from({ length: 450 }, (_, i) => condition('application.overdue', `b${String(i).padStart(3, '0')}`, office.id));
    expect(await alerts.sweep()).toMatchObject({ raised: 450 });
    const rows = await t.platform.db
      .selectFrom('supervisionAlertRecipients as r')
      .innerJoin('supervisionAlerts as a', 'a.id', 'r.alertId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.departmentId', '=', office.id)
      .where('r.staffId', '=', officer.staffId)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(450);
    later(0.25);
    reported = [];
    expect(await alerts.sweep()).toMatchObject({ resolved: 450 });
  });

  it('reads open applications by deadline and unanswered inquiries by due day through their partial indexes', async () => {
    const plans: string[] = [];
    const queries = [
      sql`SELECT id FROM applications WHERE is_open = 1 AND queue_due <= '2026-03-04' ORDER BY queue_due, id`,
      sql`SELECT id FROM policy_inquiries WHERE answered_at IS NULL AND due_on < '2026-03-04' AND (due_on > '2026-03-01' OR (due_on = '2026-03-01' AND id > 'x')) ORDER BY due_on, id LIMIT 500`,
    ];
    if (t.platform.dialect.name === 'postgres') {
      await t.platform.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(tx);
        for (const query of queries) plans.push(JSON.stringify((await sql`EXPLAIN ${query}`.execute(tx)).rows));
      });
    } else {
      for (const query of queries) plans.push(JSON.stringify((await sql`EXPLAIN QUERY PLAN ${query}`.execute(t.platform.db)).rows));
    }
    expect(plans[0]).toContain('applications_open_due');
    expect(plans[1]).toContain('policy_inquiries_unanswered_due');
  });
});
