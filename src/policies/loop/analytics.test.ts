import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInAgain, staffSignInAgain } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import type { SessionPrincipal } from '../../core/auth.js';
import { createServices, type Services } from '../../services.js';
import { PolicyAnalyticsService } from './analytics.js';
import { PolicyLoopStore } from './store.js';
import type { BuiltinFactsInput } from '../profiles/profile.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../testing.js';
import { publishPolicies } from './testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Enterprise = Awaited<ReturnType<typeof enterpriseWithFacts>>;

// samplePolicy's rule, in order: [0] taxable income at most 3 million (labelled), [1] at most 300
// employees, [2] not untrustworthy.
const QUALIFYING: BuiltinFactsInput = { region: '310115', industry: '6513', taxableIncome: 1_000_000, employees: 20, untrustworthy: false };
const TAXABLE_INCOME_LABEL = { 'zh-CN': '年应纳税所得额不超过300万元', en: 'Taxable income at most 3 million yuan' };

/**
 * A small fixed data set whose figures were counted by hand:
 * - 8 enterprises: 3 eligible; 4 ineligible, of which 2 miss only the income condition, 1 only the
 *   employees condition and 1 both (not a near miss); 1 undetermined (employees unknown).
 * - views: 2 on 20 January, 1 on 2 March; read on 12 March, so 1 in the last 30 days (from 11 February).
 * - questions: two asked on Monday 2 March (due Monday 9 March): one answered late on 12 March, one
 *   still open and overdue; two asked on 12 March: one answered that day, one open (due 19 March).
 *   Ratings 4 (settled) and 2 (not settled): average 3, 1 of 2 settled.
 * - satisfaction: 3 (with a rating), 5 replaced by 4, and 2: average 3 over 3 enterprises.
 */
describe('owner analytics of a policy, against hand-counted figures', () => {
  let t: T;
  let services: Services;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  let otherOfficers: Awaited<ReturnType<typeof policyDepartment>>;
  const policy = samplePolicy({ title: { 'zh-CN': '分析测试政策', en: 'Analytics test policy' } });
  const e: Enterprise[] = [];

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: object) =>
    t.app.inject({ method, url, headers: { ...(cookie ? { cookie } : {}), 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
  const viewsRecorded = async () => Number((await t.platform.db.selectFrom('policyViews').select((eb) => eb.fn.sum<number>('views').as('n')).executeTakeFirstOrThrow()).n ?? 0);
  const view = async (expectedTotal: number) => {
    expect((await send('GET', `/api/v1/policies/${policy.code}`)).statusCode).toBe(200);
    // Counted after the answer has gone out.
    await vi.waitFor(async () => expect(await viewsRecorded()).toBe(expectedTotal));
  };
  const jump = async (instant: string) => {
    t.clock.set(instant);
    for (const staff of [officers.author, otherOfficers.author]) await staffSignInAgain(t, staff);
    for (const enterprise of e) await signInAgain(t, enterprise.representative);
  };
  const ask = async (enterprise: Enterprise, question: string) => {
    const response = await send('POST', `/api/v1/enterprises/${enterprise.id}/policy-inquiries`, enterprise.representative.cookie, { policyCode: policy.code, question });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const answer = async (id: string) => expect((await send('POST', `/api/v1/department/policy-inquiries/${id}/answer`, officers.author.cookie, { answer: '请见政策原文第三条。' })).statusCode).toBe(200);
  const rate = async (enterprise: Enterprise, id: string, payload: object) =>
    expect((await send('POST', `/api/v1/enterprises/${enterprise.id}/policy-inquiries/${id}/rating`, enterprise.representative.cookie, payload)).statusCode).toBe(200);
  const feedback = async (enterprise: Enterprise, satisfaction: number, comment?: string) => {
    t.clock.advance(1000);
    const response = await send('PUT', `/api/v1/enterprises/${enterprise.id}/policy-feedback`, enterprise.representative.cookie, { policyCode: policy.code, satisfaction, ...(comment ? { comment } : {}) });
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-01-20T02:00:00Z')) });
    services = createServices(t.platform);
    officers = await policyDepartment(t);
    otherOfficers = await policyDepartment(t, { regionCode: '330000' });
    for (const facts of [
      QUALIFYING,
      QUALIFYING,
      QUALIFYING,
      { ...QUALIFYING, taxableIncome: 9_000_000 },
      { ...QUALIFYING, taxableIncome: 5_000_000 },
      { ...QUALIFYING, employees: 500 },
      { ...QUALIFYING, taxableIncome: 9_000_000, employees: 500 },
      { region: '310115', industry: '6513', taxableIncome: 1_000_000, untrustworthy: false },
    ]) {
      e.push(await enterpriseWithFacts(t, facts));
    }
    await publishPolicies(t, officers, [policy]);
    await services.jobs.runDue();

    await view(1);
    await view(2);
    expect((await send('GET', '/api/v1/policies/NO-SUCH-POLICY')).statusCode).toBe(404);

    await jump('2026-03-02T02:00:00Z');
    await view(3);
    const lateOne = await ask(e[4]!, '5百万的所得额能不能分两年算？');
    await ask(e[3]!, '能否放宽所得额？');

    await jump('2026-03-12T02:00:00Z');
    await answer(lateOne);
    const inTime = await ask(e[0]!, '需要提交什么材料？');
    await answer(inTime);
    await ask(e[1]!, '什么时候到账？');
    await rate(e[0]!, inTime, { rating: 4, resolved: true, policySatisfaction: 3 });
    await rate(e[4]!, lateOne, { rating: 2, resolved: false });
    await feedback(e[1]!, 5, '很好');
    await feedback(e[1]!, 4, '申报方便');
    await feedback(e[2]!, 2, '门槛太高');
  });
  afterAll(async () => t.close());

  it('gives the figures of the policy to an officer of its department', async () => {
    const response = await send('GET', `/api/v1/department/policies/${policy.code}/analytics`, officers.author.cookie);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      code: policy.code,
      title: policy.title,
      status: 'published',
      version: 1,
      on: '2026-03-12',
      views: { total: 3, last30Days: 1 },
      matches: { eligible: 3, ineligible: 4, undetermined: 1, total: 8 },
      nearMisses: {
        total: 3,
        byCondition: [
          { fact: 'taxableIncome', op: 'lte', value: 3_000_000, label: TAXABLE_INCOME_LABEL, enterprises: 2 },
          { fact: 'employees', op: 'lte', value: 300, label: null, enterprises: 1 },
        ],
      },
      // Nobody has claimed or been granted this information-only policy.
      benefits: { available: true, claims: 0, grants: 0 },
      uptakeRate: 0,
      inquiries: { total: 4, open: 2, overdue: 1, answeredInTime: 1, answeredLate: 1, rated: 2, averageRating: 3, resolved: 1 },
      satisfaction: {
        responses: 3,
        average: 3,
        distribution: [
          { score: 5, count: 0 },
          { score: 4, count: 1 },
          { score: 3, count: 1 },
          { score: 2, count: 1 },
          { score: 1, count: 0 },
        ],
        comments: [
          { satisfaction: 2, comment: '门槛太高', givenAt: '2026-03-12T02:00:03.000Z' },
          { satisfaction: 4, comment: '申报方便', givenAt: '2026-03-12T02:00:02.000Z' },
        ],
      },
    });
  });

  it('takes the uptake rate as claims and grants over eligible enterprises', async () => {
    const withBenefits = new PolicyAnalyticsService(t.platform, new PolicyLoopStore(t.platform.db), {
      library: services.policyLibrary,
      benefits: { countsFor: async () => ({ claims: 1, grants: 1 }) },
    });
    const principal = { kind: 'account', roles: ['policyOfficer'], departmentId: officers.department.id } as unknown as SessionPrincipal;
    const figures = await withBenefits.forPolicy(principal, policy.code);
    // (1 + 1) ÷ 3 eligible.
    expect(figures).toMatchObject({ benefits: { available: true, claims: 1, grants: 1 }, uptakeRate: 0.6667 });
    const without = new PolicyAnalyticsService(t.platform, new PolicyLoopStore(t.platform.db), { library: services.policyLibrary, benefits: null });
    expect(await without.forPolicy(principal, policy.code)).toMatchObject({ benefits: { available: false, claims: null, grants: null }, uptakeRate: null });
  });

  it("lists the department's policies with their headline figures", async () => {
    const overview = await send('GET', '/api/v1/department/policy-analytics', officers.author.cookie);
    expect(overview.json()).toEqual({
      on: '2026-03-12',
      items: [{ code: policy.code, title: policy.title, status: 'published', views: 3, eligible: 3, nearMisses: 3, openInquiries: 2, overdueInquiries: 1, satisfaction: 3 }],
    });
    expect((await send('GET', '/api/v1/department/policy-analytics', otherOfficers.author.cookie)).json().items).toEqual([]);
  });

  it("keeps the figures from other departments, enterprises and the public", async () => {
    const other = await send('GET', `/api/v1/department/policies/${policy.code}/analytics`, otherOfficers.author.cookie);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('otherDepartment');
    expect((await send('GET', `/api/v1/department/policies/${policy.code}/analytics`, e[0]!.representative.cookie)).statusCode).toBe(403);
    expect((await send('GET', `/api/v1/department/policies/${policy.code}/analytics`)).statusCode).toBe(401);
  });

  it('shows the figures on the analytics pages, the condition that excludes most enterprises first', async () => {
    const page = await t.app.inject({ url: `/department/policy-analytics/${policy.code}`, headers: { cookie: officers.author.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('排除企业最多的条件是“年应纳税所得额不超过300万元”：3 家只差一项条件的企业中，有 2 家差在这一项。');
    expect(page.body).toContain('从业人员数不超过300');
    expect(page.body).toContain('申报方便');
    const english = await t.app.inject({ url: `/department/policy-analytics/${policy.code}?lang=en`, headers: { cookie: officers.author.cookie, accept: 'text/html' } });
    expect(english.body).toContain('The condition that excludes most enterprises is &quot;Taxable income at most 3 million yuan&quot;: of 3 enterprises missing exactly one condition, 2 miss this one.');
    const index = await t.app.inject({ url: '/department/policy-analytics', headers: { cookie: officers.author.cookie, accept: 'text/html' } });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain(`href="/department/policy-analytics/${policy.code}"`);
    const inquiries = await t.app.inject({ url: '/department/policy-inquiries?show=overdue', headers: { cookie: officers.author.cookie, accept: 'text/html' } });
    expect(inquiries.statusCode).toBe(200);
    // Only the question past its last day, flagged in words.
    expect(inquiries.body).toContain(e[3]!.name);
    expect(inquiries.body).not.toContain(e[1]!.name);
    expect(inquiries.body).toContain('tag--flag-overdue">已逾期');
    const anonymous = await t.app.inject({ url: '/department/policy-analytics', headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/staff/login?next=%2Fdepartment%2Fpolicy-analytics');
  });
});
