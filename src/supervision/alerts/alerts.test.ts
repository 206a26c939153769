import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, signInAgain, staffSignInAgain, verifiedPerson } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../../policies/testing.js';
import { publishPolicies } from '../../policies/loop/testing.js';
import { createServices, scheduleRecurringJobs, type Services } from '../../services.js';
import { acceptedApplication, act } from '../testing.js';
import type { AlertKind } from './schema.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Staff = Awaited<ReturnType<typeof staffSession>>;

/**
 * A county market-regulation department in Pudong (310115) with two officers and an approver; a
 * provincial development-and-reform department (310000) answering policy inquiries; supervisors
 * in Shanghai (310000), in Xuhui (310104, a sibling county) and in Zhejiang (330000). The item's
 * promised limit is 3 working days, its legal limit 15. Everything starts on Monday 2 March 2026.
 */
describe('supervision alerts: raised once to the responsible staff, escalated once to the supervisors a level up, resolved when cleared', () => {
  let t: T;
  let services: Services;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let officer2: Staff;
  let policyOffice: Awaited<ReturnType<typeof policyDepartment>>;
  let shanghai: Staff;
  let xuhui: Staff;
  let zhejiang: Staff;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;
  const ids = { a: '', b: '', c: '', rectification: '', inquiry: '', flag: '' };
  const policy = samplePolicy({ title: { 'zh-CN': '预警测试政策', en: 'Alert test policy' } });

  const at = async (instant: string, relogin: { staff?: Staff[]; persons?: { phone: string; cookie: string }[] } = {}) => {
    t.clock.set(instant);
    for (const staff of relogin.staff ?? []) await staffSignInAgain(t, staff);
    for (const person of relogin.persons ?? []) await signInAgain(t, person);
  };
  const alertsOf = async (kind: AlertKind, subjectId: string) =>
    t.platform.db.selectFrom('supervisionAlerts').selectAll().where('kind', '=', kind).where('subjectId', '=', subjectId).orderBy('stage').execute();
  const told = async (kind: AlertKind, subjectId: string, stage?: string) => {
    const alerts = (await alertsOf(kind, subjectId)).filter((a) => !stage || a.stage === stage);
    expect(alerts).toHaveLength(1);
    const recipients = await services.supervisionAlerts.recipients(alerts[0]!.id);
    return { alert: alerts[0]!, responsible: recipients.filter((r) => r.role === 'responsible').map((r) => r.staffId).sort(), escalation: recipients.filter((r) => r.role === 'escalation').map((r) => r.staffId).sort() };
  };
  const sorted = (...staff: { staffId: string }[]) => staff.map((s) => s.staffId).sort();

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')), env: { SUPERVISION_ESCALATION_HOURS: '24' } });
    services = createServices(t.platform);
    shop = await departmentWithItem(t);
    officer2 = await staffSession(t, { roles: ['officer'], departmentId: shop.department.id, regionCode: '310115', name: '受理员二' });
    policyOffice = await policyDepartment(t);
    shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '上海督办' });
    xuhui = await staffSession(t, { roles: ['supervisor'], regionCode: '310104', name: '徐汇督办' });
    zhejiang = await staffSession(t, { roles: ['supervisor'], regionCode: '330000', name: '浙江督办' });
    wang = await verifiedPerson(t, '王芳');

    // A: accepted, nobody has it in hand. B: accepted and claimed by the second officer.
    ids.a = await acceptedApplication(t, services, wang, shop.item.itemId, shop.officer.cookie);
    ids.b = await acceptedApplication(t, services, wang, shop.item.itemId, shop.officer.cookie);
    const claimed = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${ids.b}/claim`, headers: { cookie: officer2.cookie }, payload: {} });
    expect(claimed.statusCode).toBe(200);
    // C: concluded the same day and given a bad review: its rectification is due five working days later.
    ids.c = await acceptedApplication(t, services, wang, shop.item.itemId, shop.officer.cookie);
    await act(t, shop.officer.cookie, ids.c, 'startReview');
    await act(t, shop.approver.cookie, ids.c, 'approve', { opinion: '准予登记' });
    await act(t, shop.officer.cookie, ids.c, 'conclude');
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${ids.c}/review`,
      headers: { cookie: wang.cookie },
      payload: { rating: 1, indicators: { efficiency: 1, guidanceAccuracy: 2, convenience: 1 }, comment: '窗口让我跑了两趟' },
    });
    expect(review.statusCode).toBe(201);
    ids.rectification = (await t.platform.db.selectFrom('rectifications').select('id').executeTakeFirstOrThrow()).id;

    // A question about a provincial policy, due five working days later.
    await publishPolicies(t, policyOffice, [policy]);
    enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, employees: 20, untrustworthy: false });
    const asked = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterprise.id}/policy-inquiries`, headers: { cookie: enterprise.representative.cookie }, payload: { policyCode: policy.code, question: '去年新招的员工算不算？' } });
    expect(asked.statusCode).toBe(201);
    ids.inquiry = asked.json().id;
    expect(asked.json().dueOn).toBe('2026-03-09');

    // The Shanghai supervisor flags the department, response due Wednesday.
    const flagged = await t.app.inject({ method: 'POST', url: '/api/v1/supervision/flags', headers: { cookie: shanghai.cookie }, payload: { departmentId: shop.department.id, reason: '本周连续两件差评，请说明窗口情况。', dueOn: '2026-03-04' } });
    expect(flagged.statusCode).toBe(201);
    ids.flag = flagged.json().id;
  });
  afterAll(async () => t.close());

  it('raises nothing while every deadline is more than two working days away', async () => {
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
  });

  it('on Tuesday tells the officers of A (nobody claimed it) and only the claiming officer of B that they are due soon, through the job runner', async () => {
    await at('2026-03-03T02:00:00Z');
    await scheduleRecurringJobs(services);
    await services.jobs.runDue();
    const a = await told('application.dueSoon', ids.a);
    expect(a.responsible).toEqual(sorted(shop.officer, officer2));
    expect(a.escalation).toEqual([]);
    expect(a.alert).toMatchObject({ stage: 'promised', dueOn: '2026-03-05', departmentRegionCode: '310115', escalatedAt: null, resolvedAt: null });
    const b = await told('application.dueSoon', ids.b);
    expect(b.responsible).toEqual(sorted(officer2));
    expect(await t.platform.db.selectFrom('supervisionAlerts').select('id').execute()).toHaveLength(2);
  });

  it('raises nothing new on the same day, even with two sweeps running at once', async () => {
    t.clock.advance(60_000);
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
    const both = await Promise.all([services.supervisionAlerts.sweep(), services.supervisionAlerts.sweep()]);
    expect(both.map((r) => r.raised + r.escalated)).toEqual([0, 0]);
    expect(await t.platform.db.selectFrom('supervisionAlertRecipients').select('staffId').execute()).toHaveLength(3);
  });

  it('shows the officer the alert in their own list, in their language, with the link to act on it, and lets them mark it read', async () => {
    await staffSignInAgain(t, shop.officer);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts/mine', headers: { cookie: shop.officer.cookie, 'accept-language': 'en' } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ total: 1, unread: 1, items: [{ kind: 'application.dueSoon', title: 'Application due soon', role: 'responsible', readAt: null, link: `/workbench/applications/${ids.a}` }] });
    expect(mine.json().items[0].body).toContain('must be concluded by 2026-03-05');
    const alertId = mine.json().items[0].id;
    const read = await t.app.inject({ method: 'POST', url: `/api/v1/supervision/alerts/${alertId}/read`, headers: { cookie: shop.officer.cookie }, payload: {} });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    // A supervisor elsewhere can neither list nor open it.
    await staffSignInAgain(t, zhejiang);
    const region = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts', headers: { cookie: zhejiang.cookie } });
    expect(region.json()).toMatchObject({ total: 0, items: [] });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/supervision/alerts/${alertId}`, headers: { cookie: zhejiang.cookie } })).statusCode).toBe(404);
  });

  it('after the delay escalates each open alert once to the Shanghai supervisors, not to Xuhui or Zhejiang; again nothing new', async () => {
    await at('2026-03-04T03:00:00Z');
    const swept = await services.supervisionAlerts.sweep();
    expect(swept).toMatchObject({ raised: 0, escalated: 2 });
    for (const id of [ids.a, ids.b]) {
      const { alert, escalation } = await told('application.dueSoon', id);
      expect(escalation).toEqual(sorted(shanghai));
      expect(alert).toMatchObject({ escalatedRegionCode: '310000', escalatedAt: '2026-03-04T03:00:00.000Z' });
    }
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
    const ofXuhui = await t.platform.db.selectFrom('supervisionAlertRecipients').select('alertId').where('staffId', 'in', [xuhui.staffId, zhejiang.staffId]).execute();
    expect(ofXuhui).toEqual([]);
    await staffSignInAgain(t, shanghai);
    const region = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts/mine', headers: { cookie: shanghai.cookie } });
    expect(region.json().items.map((i: { role: string }) => i.role)).toEqual(['escalation', 'escalation']);
  });

  it('on Friday the applications are past their promised limit: the due-soon alerts give way to overdue ones, and the late flag response raises its own', async () => {
    await at('2026-03-06T02:00:00Z');
    const swept = await services.supervisionAlerts.sweep();
    expect(swept).toMatchObject({ raised: 3, resolved: 2, escalated: 0 });
    const dueSoon = await told('application.dueSoon', ids.a);
    expect(dueSoon.alert).toMatchObject({ resolution: 'superseded', resolvedAt: '2026-03-06T02:00:00.000Z' });
    const overdue = await told('application.overdue', ids.a, 'promised');
    expect(overdue.responsible).toEqual(sorted(shop.officer, officer2));
    expect(overdue.alert.dueOn).toBe('2026-03-05');
    const flag = await told('flag.overdue', ids.flag);
    expect(flag.responsible).toEqual(sorted(shop.officer, officer2, shop.approver));
    expect(flag.alert).toMatchObject({ stage: 'round:1', dueOn: '2026-03-04' });
  });

  it('on Tuesday 10 March the bad review and the inquiry, due Monday, are overdue: the department staff and the policy officers are told', async () => {
    await at('2026-03-10T02:00:00Z');
    const swept = await services.supervisionAlerts.sweep();
    expect(swept).toMatchObject({ raised: 2, escalated: 3 });
    const rectification = await told('rectification.overdue', ids.rectification);
    expect(rectification.responsible).toEqual(sorted(shop.officer, officer2, shop.approver));
    expect(rectification.alert).toMatchObject({ stage: 'due:2026-03-09', link: `/workbench/rectifications/${ids.rectification}` });
    const inquiry = await told('inquiry.overdue', ids.inquiry);
    expect(inquiry.responsible).toEqual(sorted(policyOffice.author, policyOffice.reviewer));
    expect(inquiry.alert.departmentRegionCode).toBe('310000');
    expect((await told('flag.overdue', ids.flag)).escalation).toEqual(sorted(shanghai));
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
  });

  it('a day later escalates the rectification and the inquiry once, to Shanghai', async () => {
    await at('2026-03-11T03:00:00Z');
    expect(await services.supervisionAlerts.sweep()).toMatchObject({ raised: 0, escalated: 2 });
    expect((await told('rectification.overdue', ids.rectification)).escalation).toEqual(sorted(shanghai));
    expect((await told('inquiry.overdue', ids.inquiry)).escalation).toEqual(sorted(shanghai));
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
  });

  it('resolves each alert once its condition clears: the flag answered, the inquiry answered, the review responded to, A paused for a supplement', async () => {
    await at('2026-03-11T04:00:00Z', { staff: [shop.officer, policyOffice.author] });
    const responded = await t.app.inject({ method: 'POST', url: `/api/v1/supervision/flags/${ids.flag}/response`, headers: { cookie: shop.officer.cookie }, payload: { response: '已增设一个窗口，并对窗口人员进行了培训。' } });
    expect(responded.statusCode).toBe(200);
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/department/policy-inquiries/${ids.inquiry}/answer`, headers: { cookie: policyOffice.author.cookie }, payload: { answer: '算，按劳动合同起始日计。' } });
    expect(answered.statusCode).toBe(200);
    const rectified = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rectifications/${ids.rectification}/response`,
      headers: { cookie: shop.officer.cookie },
      payload: { callbackAt: '2026-03-11T03:30:00.000Z', outcome: 'explained', response: '已电话回访并致歉。' },
    });
    expect(rectified.statusCode).toBe(200);
    await act(t, shop.officer.cookie, ids.a, 'requestSupplement', { opinion: '请补充租赁合同', missing: { materials: ['premises'] } });

    expect(await services.supervisionAlerts.sweep()).toMatchObject({ raised: 0, resolved: 4 });
    for (const [kind, id] of [['flag.overdue', ids.flag], ['inquiry.overdue', ids.inquiry], ['rectification.overdue', ids.rectification], ['application.overdue', ids.a]] as const) {
      expect((await told(kind, id)).alert).toMatchObject({ resolution: 'cleared', resolvedAt: '2026-03-11T04:00:00.000Z' });
    }
    // B is still overdue and still open.
    expect((await told('application.overdue', ids.b, 'promised')).alert.resolvedAt).toBeNull();
    expect(await services.supervisionAlerts.sweep()).toEqual({ raised: 0, reopened: 0, escalated: 0, resolved: 0 });
  });

  it('once B passes its legal limit (15 working days, Monday 23 March) a second overdue alert says so', async () => {
    await at('2026-03-23T02:00:00Z');
    expect(await services.supervisionAlerts.sweep()).toMatchObject({ raised: 0 });
    await at('2026-03-24T02:00:00Z');
    expect(await services.supervisionAlerts.sweep()).toMatchObject({ raised: 1 });
    const legal = await told('application.overdue', ids.b, 'legal');
    expect(legal.alert.dueOn).toBe('2026-03-23');
    expect(legal.responsible).toEqual(sorted(officer2));
    await staffSignInAgain(t, officer2);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/supervision/alerts/mine?kind=application.overdue', headers: { cookie: officer2.cookie, 'accept-language': 'en' } });
    // A's overdue alert cleared with the pause; B's two are open.
    expect(mine.json().items.map((i: { title: string }) => i.title).sort()).toEqual(['Application past its legal time limit', 'Application past its promised time limit']);
  });

  it('never escalates an alert raised or reopened after the sweep listed it as due (an older, slow sweep)', async () => {
    const legal = (await told('application.overdue', ids.b, 'legal')).alert;
    const store = services.supervisionAlerts.store;
    // A sweep that started a day before listed only alerts raised by then; this one was raised since.
    const listedBy = '2026-03-23T02:00:00.000Z';
    expect(await t.platform.db.transaction().execute((tx) => store.markEscalated(tx, [legal.id], '2026-03-24T02:00:00.000Z', '310000', listedBy))).toEqual([]);
    expect((await told('application.overdue', ids.b, 'legal')).alert.escalatedAt).toBeNull();
  });
});
