import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, individualBusinessItem, signInAgain, staffSignInAgain } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { claimItem, jobRetentionRefund, publishPolicies } from '../../policies/benefits/testing.js';
import type { BuiltinFactsInput } from '../../policies/profiles/profile.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../../policies/testing.js';
import { createServices, type Services } from '../../services.js';
import type { DashboardView, Figures } from './schema.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Enterprise = Awaited<ReturnType<typeof enterpriseWithFacts>>;
type Officers = Awaited<ReturnType<typeof policyDepartment>>;

/**
 * Policy uptake and inquiries on the supervision dashboards, against figures counted by hand.
 *
 * Departments: A, seated in Pudong (310115, Shanghai), owns A1 (claimed by application, nationwide)
 * and A2 (the job retention refund, granted without application in Shanghai: 90 % in Pudong,
 * 60 % elsewhere); B, seated in Zhejiang (330000), owns B1 (claimed by application, nationwide).
 * A1 and B1: taxable income at most 3 million, at most 300 employees, not untrustworthy; the
 * benefit taxableIncome × 0.25 × (0.25 − 0.05) = taxableIncome × 0.05 yuan.
 *
 * Enterprises:
 * - E1 (Pudong): income 1,000,000, 20 employees, 10 insured, layoff 2 %, paid 10,000: eligible for
 *   A1, A2, B1. Claim 1,000,000 × 0.05 = 50,000 yuan = 5,000,000 fen; refund 10,000 × 0.9 = 9,000 yuan = 900,000 fen.
 * - E2 (Xuhui 310104): income 2,000,000, 50 employees, 10 insured, layoff 3 %, paid 20,000: eligible for
 *   A1, A2, B1. Claim 2,000,000 × 0.05 = 100,000 yuan = 10,000,000 fen; refund 20,000 × 0.6 = 12,000 yuan = 1,200,000 fen.
 * - E3 (Pudong): income 9,000,000, layoff 8 %: eligible for nothing.
 *
 * Timeline ("today" is Tuesday 20 October 2026; the period is the year to date, 2026-01 to 2026-10,
 * the period before 2025-03 to 2025-12):
 * - Wed 10 Dec 2025: E2 claims B1 (out of the period: counts in the period before only); E1 asks
 *   about B1 (due 17 Dec 2025, never answered: open and overdue, since inquiries count as they stand).
 * - Mon 16 Mar 2026: E1 claims A1 and B1, E2 claims A1; A scans and approves A2's grants (E1, E2).
 * - Mon 12 Oct 2026: E1 asks about A1 and E2 about B1, both due Mon 19 Oct (13-16, 19 Oct).
 * - Tue 20 Oct 2026: B answers E2's question (late, but answered: not unanswered); E2 asks about B1
 *   again (due Tue 27 Oct: 21-23, 26, 27 Oct): open, not overdue.
 *
 * By hand:
 * - A: eligible 2 (A1: E1, E2) + 2 (A2: E1, E2) = 4; claims 2 (E1, E2 on A1), 5,000,000 + 10,000,000
 *   = 15,000,000 fen; grants 2, 900,000 + 1,200,000 = 2,100,000 fen; unanswered 1 (E1's, due
 *   19 Oct < 20 Oct: overdue 1).
 * - B: eligible 2 (B1: E1, E2); claims 1 (E1 in March; E2's December claim is out of the period),
 *   5,000,000 fen; grants 0; unanswered 2 (E1's of December, overdue; E2's of 20 Oct, not), overdue 1.
 * - Nationwide: eligible 4 + 2 = 6; claims 2 + 1 = 3, 15,000,000 + 5,000,000 = 20,000,000 fen;
 *   grants 2, 2,100,000 fen; unanswered 1 + 2 = 3, overdue 1 + 1 = 2.
 * - The period before: 1 claim (E2 on B1), 10,000,000 fen; no grants.
 */
const A_FIGURES = { policyEligible: 4, policyClaims: 2, policyClaimedFen: 15_000_000, policyGrants: 2, policyGrantedFen: 2_100_000, openInquiries: 1, overdueInquiries: 1 };
const B_FIGURES = { policyEligible: 2, policyClaims: 1, policyClaimedFen: 5_000_000, policyGrants: 0, policyGrantedFen: 0, openInquiries: 2, overdueInquiries: 1 };
const ALL_FIGURES = { policyEligible: 6, policyClaims: 3, policyClaimedFen: 20_000_000, policyGrants: 2, policyGrantedFen: 2_100_000, openInquiries: 3, overdueInquiries: 2 };
const NOTHING = { policyEligible: 0, policyClaims: 0, policyClaimedFen: 0, policyGrants: 0, policyGrantedFen: 0, openInquiries: 0, overdueInquiries: 0 };

const uptakeOf = (f: Figures) => ({
  policyEligible: f.policyEligible,
  policyClaims: f.policyClaims,
  policyClaimedFen: f.policyClaimedFen,
  policyGrants: f.policyGrants,
  policyGrantedFen: f.policyGrantedFen,
  openInquiries: f.openInquiries,
  overdueInquiries: f.overdueInquiries,
});

const EMPLOYER = { insuredEmployees: 10, untrustworthy: false, industry: '6513' };

describe('policy uptake and inquiries on the supervision dashboards, against hand-counted figures', () => {
  let t: T;
  let services: Services;
  let a: Officers;
  let b: Officers;
  let e1: Enterprise;
  let e2: Enterprise;
  let national: { cookie: string };
  let shanghai: { cookie: string };
  let zhejiang: { cookie: string };
  const definition = individualBusinessItem(claimItem());
  const a1 = samplePolicy({ title: { 'zh-CN': '甲部门申领政策', en: 'Claim policy of A' }, mode: 'apply', serviceItem: definition.implementationCode });
  const a2 = jobRetentionRefund();
  const b1 = samplePolicy({ title: { 'zh-CN': '乙部门申领政策', en: 'Claim policy of B' }, mode: 'apply', serviceItem: definition.implementationCode });
  let key = 0;

  const send = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { cookie, 'accept-language': 'en', ...headers }, ...(payload ? { payload } : {}) });
  const jump = async (instant: string) => {
    t.clock.set(instant);
    for (const staff of [a.author, a.reviewer, b.author, b.reviewer]) await staffSignInAgain(t, staff);
    for (const enterprise of [e1, e2]) await signInAgain(t, enterprise.representative);
  };
  const claim = async (enterprise: Enterprise, code: string) => {
    const response = await send('POST', `/api/v1/enterprises/${enterprise.id}/policy-claims`, enterprise.representative.cookie, { policyCode: code, form: { bankAccount: '6222020200112233' }, reuseHeldMaterials: true }, { 'idempotency-key': `uptake-claim-${++key}` });
    expect(response.statusCode, response.body).toBe(201);
  };
  const ask = async (enterprise: Enterprise, code: string) => {
    const response = await send('POST', `/api/v1/enterprises/${enterprise.id}/policy-inquiries`, enterprise.representative.cookie, { policyCode: code, question: '需要哪些材料？' });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; dueOn: string };
  };
  const dashboard = async (cookie: string, url: string): Promise<DashboardView> => {
    const response = await send('GET', url, cookie);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as DashboardView;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2025-12-10T02:00:00Z')) });
    services = createServices(t.platform);
    await departmentWithItem(t, { regionCode: '310115', item: definition });
    a = await policyDepartment(t, { regionCode: '310115' });
    b = await policyDepartment(t, { regionCode: '330000' });
    e1 = await enterpriseWithFacts(t, { ...EMPLOYER, region: '310115', taxableIncome: 1_000_000, employees: 20, layoffRate: 2, unemploymentInsurancePaid: 10_000 } as BuiltinFactsInput);
    e2 = await enterpriseWithFacts(t, { ...EMPLOYER, region: '310104', taxableIncome: 2_000_000, employees: 50, layoffRate: 3, unemploymentInsurancePaid: 20_000 } as BuiltinFactsInput);
    await enterpriseWithFacts(t, { ...EMPLOYER, region: '310115', taxableIncome: 9_000_000, employees: 20, layoffRate: 8, unemploymentInsurancePaid: 50_000 } as BuiltinFactsInput);
    await publishPolicies(t, a, [a1, a2]);
    await publishPolicies(t, b, [b1]);
    await services.jobs.runDue();

    // Wednesday 10 December 2025: before the period.
    await claim(e2, b1.code);
    expect((await ask(e1, b1.code)).dueOn).toBe('2025-12-17');

    // Monday 16 March 2026.
    await jump('2026-03-16T02:00:00Z');
    await claim(e1, a1.code);
    await claim(e1, b1.code);
    await claim(e2, a1.code);
    const batch = await send('POST', `/api/v1/department/policies/${a2.code}/grant-batches`, a.author.cookie, {});
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json()).toMatchObject({ eligibleCount: 2, totalAmount: 21_000 });
    const approved = await send('POST', `/api/v1/department/policy-grant-batches/${batch.json().id}/approval`, a.reviewer.cookie, {});
    expect(approved.json()).toMatchObject({ status: 'approved', grantedCount: 2, grantedAmount: 21_000 });

    // Monday 12 October 2026.
    await jump('2026-10-12T02:00:00Z');
    expect((await ask(e1, a1.code)).dueOn).toBe('2026-10-19');
    const answeredLater = await ask(e2, b1.code);
    expect(answeredLater.dueOn).toBe('2026-10-19');

    // Tuesday 20 October 2026: "today".
    await jump('2026-10-20T02:00:00Z');
    const answered = await send('POST', `/api/v1/department/policy-inquiries/${answeredLater.id}/answer`, b.author.cookie, { answer: '请见政策原文第三条。' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((await ask(e2, b1.code)).dueOn).toBe('2026-10-27');

    national = await staffSession(t, { roles: ['supervisor'], regionCode: '100000' });
    shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
    zhejiang = await staffSession(t, { roles: ['supervisor'], regionCode: '330000' });
    await services.supervisionDashboards.refresh();
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives the nationwide totals, one row per province, and claims and grants of the period before', async () => {
    const view = await dashboard(national.cookie, '/api/v1/supervision/dashboard');
    expect(view.period).toEqual({ from: '2026-01', to: '2026-10' });
    expect(uptakeOf(view.totals)).toEqual(ALL_FIGURES);
    const rows = new Map(view.rows.map((row) => [row.id, uptakeOf(row.figures)]));
    expect(rows.get('310000')).toEqual(A_FIGURES);
    expect(rows.get('330000')).toEqual(B_FIGURES);
    // Every other province shows nothing, so the rows add up to the totals.
    for (const [id, figures] of rows) if (id !== '310000' && id !== '330000') expect(figures, id).toEqual(NOTHING);
    // December 2025: E2's claim of B1 (100,000 yuan). Eligible and inquiries have no past value.
    expect(view.previous).toMatchObject({ policyClaims: 1, policyClaimedFen: 10_000_000, policyGrants: 0, policyGrantedFen: 0, policyEligible: null, openInquiries: null, overdueInquiries: null });
  });

  it('counts the December claim in a period that covers it, and only the claims and grants in a March-only period', async () => {
    const december = await dashboard(national.cookie, '/api/v1/supervision/dashboard?from=2025-12&to=2025-12');
    // Claims of December 2025: E2 on B1 only. Eligible and unanswered inquiries stand as of today.
    expect(uptakeOf(december.totals)).toEqual({ ...ALL_FIGURES, policyClaims: 1, policyClaimedFen: 10_000_000, policyGrants: 0, policyGrantedFen: 0 });
    const march = await dashboard(national.cookie, '/api/v1/supervision/dashboard?from=2026-03&to=2026-03');
    expect(uptakeOf(march.totals)).toEqual(ALL_FIGURES);
    const april = await dashboard(national.cookie, '/api/v1/supervision/dashboard?from=2026-04&to=2026-10');
    expect(uptakeOf(april.totals)).toEqual({ ...ALL_FIGURES, policyClaims: 0, policyClaimedFen: 0, policyGrants: 0, policyGrantedFen: 0 });
    // The period before April-October is September 2025 to March 2026: the December claim and all of March.
    expect(april.previous).toMatchObject({ policyClaims: 4, policyClaimedFen: 30_000_000, policyGrants: 2, policyGrantedFen: 2_100_000 });
  });

  it("gives Shanghai only department A's figures, in Pudong's row", async () => {
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/regions/310000');
    expect(uptakeOf(view.totals)).toEqual(A_FIGURES);
    const rows = new Map(view.rows.map((row) => [row.id, uptakeOf(row.figures)]));
    expect(rows.get('310115')).toEqual(A_FIGURES);
    for (const [id, figures] of rows) if (id !== '310115') expect(figures, id).toEqual(NOTHING);
    expect(view.previous).toMatchObject({ policyClaims: 0, policyClaimedFen: 0 });
  });

  it("gives Zhejiang only department B's figures, in B's own row (seated at the province)", async () => {
    const view = await dashboard(zhejiang.cookie, '/api/v1/supervision/dashboard');
    expect(uptakeOf(view.totals)).toEqual(B_FIGURES);
    const own = view.rows.find((row) => row.id === b.department.id);
    expect(own?.kind).toBe('department');
    expect(uptakeOf(own!.figures)).toEqual(B_FIGURES);
    expect(view.previous).toMatchObject({ policyClaims: 1, policyClaimedFen: 10_000_000 });
  });

  it("gives each department's view its own figures in the totals", async () => {
    const viewA = await dashboard(shanghai.cookie, `/api/v1/supervision/departments/${a.department.id}`);
    expect(uptakeOf(viewA.totals)).toEqual(A_FIGURES);
    const viewB = await dashboard(national.cookie, `/api/v1/supervision/departments/${b.department.id}`);
    expect(uptakeOf(viewB.totals)).toEqual(B_FIGURES);
    expect(viewB.previous).toMatchObject({ policyClaims: 1, policyClaimedFen: 10_000_000 });
    expect((await send('GET', `/api/v1/supervision/departments/${b.department.id}`, shanghai.cookie)).statusCode).toBe(403);
  });
});
