import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgain, staffSignInAgain } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { maskPhone } from '../../core/personal-data.js';
import { createTestApp } from '../../core/testing.js';
import { createServices, type Services } from '../../services.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../testing.js';
import { inboxOf, publishPolicies } from './testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;

describe('inquiries: asked by an enterprise, answered in five working days by the issuing department, rated', () => {
  let t: T;
  let services: Services;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  let otherOfficers: Awaited<ReturnType<typeof policyDepartment>>;
  let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;
  let stranger: Awaited<ReturnType<typeof enterpriseWithFacts>>;
  const policy = samplePolicy({ title: { 'zh-CN': '咨询测试政策', en: 'Inquiry test policy' } });
  let inquiryId = '';

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
  const ask = (cookie: string, enterpriseId: string, payload: object) => send('POST', `/api/v1/enterprises/${enterpriseId}/policy-inquiries`, cookie, payload);
  const jump = async (instant: string) => {
    t.clock.set(instant);
    for (const staff of [officers.author, officers.reviewer, otherOfficers.author]) await staffSignInAgain(t, staff);
    for (const person of [enterprise.representative, stranger.representative]) await signInAgain(t, person);
  };

  beforeAll(async () => {
    // Wednesday 30 September 2026, 10:00 in Beijing: the National Day holidays start the next day.
    t = await createTestApp({ clock: new ManualClock(new Date('2026-09-30T02:00:00Z')) });
    services = createServices(t.platform);
    officers = await policyDepartment(t);
    otherOfficers = await policyDepartment(t, { regionCode: '330000' });
    await publishPolicies(t, officers, [policy]);
    enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, employees: 20, untrustworthy: false });
    stranger = await enterpriseWithFacts(t, { region: '310115', industry: '6513' });
  });
  afterAll(async () => t.close());

  it('is due five working days after the day asked, the National Day week not counted', async () => {
    // Hand count from Wednesday 30 September 2026: 1-7 October are holidays; 8 (Thu) and 9 (Fri) are
    // working days 1 and 2; Saturday 10 October is an adjusted working day (3); 12 and 13 are 4 and 5.
    const calendar = await services.calendar.current();
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);

    const asked = await ask(enterprise.representative.cookie, enterprise.id, { policyCode: policy.code, question: '  我们去年新招了20人，\n应纳税所得额按哪一年算？  ' });
    expect(asked.statusCode).toBe(201);
    const inquiry = asked.json();
    inquiryId = inquiry.id;
    expect(inquiry).toMatchObject({
      policy: { code: policy.code, title: policy.title },
      enterprise: { id: enterprise.id, uscc: enterprise.uscc, name: enterprise.name },
      question: '我们去年新招了20人，\n应纳税所得额按哪一年算？',
      askedAt: '2026-09-30T02:00:00.000Z',
      dueOn: '2026-10-13',
      state: 'open',
      overdue: false,
      answer: null,
      rating: null,
    });
    const audited = await t.platform.db.selectFrom('auditEvents').select('action').where('subjectEnterpriseId', '=', enterprise.id).where('action', '=', 'policies.inquiryAsked').execute();
    expect(audited).toHaveLength(1);
  });

  it('refuses an empty or over-long question and an unknown policy, naming each field, and other enterprises', async () => {
    const empty = await ask(enterprise.representative.cookie, enterprise.id, { policyCode: 'NO-SUCH-POLICY', question: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/policyCode', '/question']);
    const long = await ask(enterprise.representative.cookie, enterprise.id, { policyCode: policy.code, question: '问'.repeat(1001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0]).toMatchObject({ field: '/question', message: 'At most 1000 characters; this has 1001.' });
    expect((await ask(stranger.representative.cookie, enterprise.id, { policyCode: policy.code, question: '可以吗？' })).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/enterprises/${enterprise.id}/policy-inquiries/${inquiryId}`, stranger.representative.cookie)).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/enterprises/${stranger.id}/policy-inquiries/${inquiryId}`, stranger.representative.cookie)).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/enterprises/${enterprise.id}/policy-inquiries`, enterprise.representative.cookie)).json().total).toBe(1);
  });

  it("lists open questions for the issuing department's officers only, soonest due first, and flags them once overdue", async () => {
    const list = async (query = '') => (await send('GET', `/api/v1/department/policy-inquiries${query}`, officers.author.cookie)).json();
    expect((await list()).items.map((i: { id: string; overdue: boolean }) => [i.id, i.overdue])).toEqual([[inquiryId, false]]);
    expect((await send('GET', '/api/v1/department/policy-inquiries', otherOfficers.author.cookie)).json()).toEqual({ total: 0, items: [] });
    expect((await send('GET', `/api/v1/department/policy-inquiries/${inquiryId}`, otherOfficers.author.cookie)).statusCode).toBe(403);
    expect((await send('GET', '/api/v1/department/policy-inquiries', enterprise.representative.cookie)).statusCode).toBe(403);

    // 23:00 in Beijing on the last day: still in time.
    await jump('2026-10-13T15:00:00Z');
    expect((await list()).items[0]).toMatchObject({ id: inquiryId, dueOn: '2026-10-13', overdue: false });
    expect((await list('?overdue=true')).total).toBe(0);
    // Half past midnight on 14 October: overdue.
    await jump('2026-10-13T16:30:00Z');
    expect((await list()).items[0]).toMatchObject({ id: inquiryId, overdue: true });
    expect((await list('?overdue=true')).items.map((i: { id: string }) => i.id)).toEqual([inquiryId]);

    // A question asked now is due after the one overdue, and listed after it.
    const later = await ask(enterprise.representative.cookie, enterprise.id, { policyCode: policy.code, question: '需要哪些材料？' });
    expect(later.json().dueOn).toBe('2026-10-21');
    expect((await list()).items.map((i: { id: string }) => i.id)).toEqual([inquiryId, later.json().id]);
  });

  it('is answered once by an officer of the department; the enterprise is told and sees the answer was late', async () => {
    const rateTooEarly = await send('POST', `/api/v1/enterprises/${enterprise.id}/policy-inquiries/${inquiryId}/rating`, enterprise.representative.cookie, { rating: 5, resolved: true });
    expect(rateTooEarly.statusCode).toBe(409);
    expect(rateTooEarly.json().code).toBe('notAnswered');
    expect((await send('POST', `/api/v1/department/policy-inquiries/${inquiryId}/answer`, otherOfficers.author.cookie, { answer: '不归我们管' })).statusCode).toBe(403);
    const blank = await send('POST', `/api/v1/department/policy-inquiries/${inquiryId}/answer`, officers.author.cookie, { answer: ' ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].field).toBe('/answer');

    const answered = await send('POST', `/api/v1/department/policy-inquiries/${inquiryId}/answer`, officers.author.cookie, { answer: '按汇算清缴所属年度计算。' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ state: 'answered', overdue: false, answer: { text: '按汇算清缴所属年度计算。', answeredBy: '政策起草员', answeredAt: '2026-10-13T16:30:00.000Z', inTime: false } });
    const again = await send('POST', `/api/v1/department/policy-inquiries/${inquiryId}/answer`, officers.reviewer.cookie, { answer: '补充一句' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('alreadyAnswered');

    const told = await inboxOf(services, enterprise.representative.personId, 'policies.inquiryAnswered');
    expect(told).toEqual([
      {
        kind: 'policies.inquiryAnswered',
        title: 'Your policy question has been answered',
        body: `The question of ${enterprise.name} about "Inquiry test policy" has been answered. Please read and rate the answer.`,
        link: `/enterprises/${enterprise.id}/policy-inquiries/${inquiryId}`,
        id: expect.any(String),
        createdAt: expect.any(String),
        readAt: null,
      },
    ]);
    const texts = (await services.outbox.recent(50)).filter((m) => m.channel === 'sms' && m.recipientMasked === maskPhone(enterprise.representative.phone));
    expect(texts.some((m) => m.body.includes('咨询测试政策'))).toBe(true);
    expect((await send('GET', `/api/v1/enterprises/${enterprise.id}/policy-inquiries/${inquiryId}`, enterprise.representative.cookie)).json().answer.inTime).toBe(false);
  });

  it('is rated once by the enterprise, with whether it was settled and, optionally, the policy itself', async () => {
    const rate = (payload: object) => send('POST', `/api/v1/enterprises/${enterprise.id}/policy-inquiries/${inquiryId}/rating`, enterprise.representative.cookie, payload);
    expect((await rate({ rating: 6, resolved: true })).statusCode).toBe(400);
    const commentAlone = await rate({ rating: 4, resolved: true, comment: '政策很好' });
    expect(commentAlone.statusCode).toBe(400);
    expect(commentAlone.json().errors[0].field).toBe('/policySatisfaction');
    expect((await rate({ rating: 4, resolved: true, policySatisfaction: 5, comment: '申报口径清楚。' })).json()).toMatchObject({
      rating: { rating: 4, resolved: true, ratedAt: '2026-10-13T16:30:00.000Z' },
    });
    const twice = await rate({ rating: 1, resolved: false });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('alreadyRated');
    const given = await t.platform.db.selectFrom('policyFeedback').selectAll().where('enterpriseId', '=', enterprise.id).execute();
    expect(given.map((r) => [r.satisfaction, r.comment])).toEqual([[5, '申报口径清楚。']]);

    // A later view of the policy replaces the earlier one.
    const replaced = await send('PUT', `/api/v1/enterprises/${enterprise.id}/policy-feedback`, enterprise.representative.cookie, { policyCode: policy.code, satisfaction: 3 });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ policyCode: policy.code, satisfaction: 3, comment: null });
    const rows = await t.platform.db.selectFrom('policyFeedback').selectAll().where('enterpriseId', '=', enterprise.id).execute();
    expect(rows.map((r) => [r.satisfaction, r.comment])).toEqual([[3, null]]);
    expect((await send('PUT', `/api/v1/enterprises/${enterprise.id}/policy-feedback`, stranger.representative.cookie, { policyCode: policy.code, satisfaction: 1 })).statusCode).toBe(404);
  });

  it('answered on the day asked is in time', async () => {
    const asked = await ask(enterprise.representative.cookie, enterprise.id, { policyCode: policy.code, question: '今年还执行吗？' });
    const answered = await send('POST', `/api/v1/department/policy-inquiries/${asked.json().id}/answer`, officers.author.cookie, { answer: '执行到2027年底。' });
    expect(answered.json().answer.inTime).toBe(true);
    const open = (await send('GET', '/api/v1/department/policy-inquiries?state=open', officers.author.cookie)).json();
    expect(open.items.map((i: { question: string }) => i.question)).toEqual(['需要哪些材料？']);
    const answeredList = (await send('GET', '/api/v1/department/policy-inquiries?state=answered', officers.author.cookie)).json();
    expect(answeredList.total).toBe(2);
  });
});
