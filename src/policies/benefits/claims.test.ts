import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../core/testing.js';
import { enterpriseWithFacts, samplePolicy } from '../testing.js';
import { claimablePolicy, publishPolicies } from './testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Enterprise = Awaited<ReturnType<typeof enterpriseWithFacts>>;

const ELIGIBLE = { region: '310115', industry: '6513', taxableIncome: 1_200_000, employees: 40, untrustworthy: false };
const BANK_ACCOUNT = '6222020200112233';

describe('one-stop claims of apply-mode policies', () => {
  let t: T;
  let setup: Awaited<ReturnType<typeof claimablePolicy>>;
  let eligible: Enterprise;
  let publishedVersionId: string;
  let key = 0;

  beforeAll(async () => {
    t = await createTestApp();
    setup = await claimablePolicy(t);
    eligible = await enterpriseWithFacts(t, ELIGIBLE, { name: '上海浦东示例科技有限公司' });
    publishedVersionId = (await t.app.inject({ method: 'GET', url: `/api/v1/policies/${setup.policy.code}` })).json().versionId;
  });
  afterAll(async () => t.close());

  const claim = (enterprise: Pick<Enterprise, 'id'>, cookie: string, body: Record<string, unknown>, idempotencyKey = `claim-key-${++key}`, lang = 'en') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/enterprises/${enterprise.id}/policy-claims`,
      headers: { cookie, 'idempotency-key': idempotencyKey, 'accept-language': lang },
      payload: { policyCode: setup.policy.code, ...body },
    });
  const claimsOf = (enterprise: Pick<Enterprise, 'id'>, cookie: string) => t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${enterprise.id}/policy-claims`, headers: { cookie } });

  it('asks for what the profile cannot fill, and records nothing until the claim is complete', async () => {
    const response = await claim(eligible, eligible.representative.cookie, { reuseHeldMaterials: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual(['/form/bankAccount']);
    expect((await claimsOf(eligible, eligible.representative.cookie)).json()).toEqual([]);
  });

  let claimed: { id: string; applicationId: string; application: { trackingNumber: string } };

  it('an eligible claim becomes a submitted application on the service item, prefilled, reusing what the government holds, with the rule version', async () => {
    const response = await claim(eligible, eligible.representative.cookie, { form: { bankAccount: BANK_ACCOUNT }, reuseHeldMaterials: true }, 'first-claim-key');
    expect(response.statusCode, response.body).toBe(201);
    claimed = response.json();
    expect(claimed).toMatchObject({
      policy: { code: setup.policy.code, versionId: publishedVersionId, version: 1 },
      enterpriseId: eligible.id,
      uscc: eligible.uscc,
      outcome: 'eligible',
      // 1,200,000 × 0.25 × (0.25 − 0.05)
      benefit: { amount: 60_000 },
      application: { status: 'submitted', decision: null },
    });

    // The responsible department finds it in its ordinary queue and reads it like any application.
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications', headers: { cookie: setup.bureau.officer.cookie } });
    expect(queue.json().items.map((row: { id: string }) => row.id)).toContain(claimed.applicationId);
    const application = (await t.app.inject({ method: 'GET', url: `/api/v1/applications/${claimed.applicationId}`, headers: { cookie: setup.bureau.officer.cookie } })).json();
    expect(application.item.id).toBe(setup.bureau.item.itemId);
    expect(application.applicant).toMatchObject({ enterpriseId: eligible.id, enterpriseName: eligible.name });
    expect(application.form).toMatchObject({ enterpriseName: eligible.name, enterpriseUscc: eligible.uscc, contactPhone: eligible.representative.phone, bankAccount: BANK_ACCOUNT });
    expect(application.materials.businessRegistration.kind).toBe('governmentData');
    expect(application.actions).toContain('accept');

    const audit = await t.platform.db.selectFrom('auditEvents').select(['action', 'detail']).where('action', '=', 'policies.claimed').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ code: setup.policy.code, versionId: publishedVersionId, applicationId: claimed.applicationId });
  });

  it('a retry with the same key returns the same claim; another claim of the same policy waits for the first', async () => {
    const retry = await claim(eligible, eligible.representative.cookie, { form: { bankAccount: BANK_ACCOUNT }, reuseHeldMaterials: true }, 'first-claim-key');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id: claimed.id, applicationId: claimed.applicationId });
    const again = await claim(eligible, eligible.representative.cookie, { form: { bankAccount: BANK_ACCOUNT }, reuseHeldMaterials: true });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'alreadyClaimed' });
    expect(again.json().detail).toContain(claimed.application.trackingNumber);
    const list = (await claimsOf(eligible, eligible.representative.cookie)).json();
    expect(list.map((c: { id: string }) => c.id)).toEqual([claimed.id]);
    expect(list[0].application.trackingNumber).toBe(claimed.application.trackingNumber);
  });

  it('an ineligible enterprise is refused with 409 and every failing condition, in both languages', async () => {
    const large = await enterpriseWithFacts(t, { ...ELIGIBLE, taxableIncome: 5_000_000, employees: 500 });
    const english = await claim(large, large.representative.cookie, { form: { bankAccount: BANK_ACCOUNT } });
    expect(english.statusCode).toBe(409);
    expect(english.headers['content-type']).toContain('application/problem+json');
    const problem = english.json();
    expect(problem.code).toBe('notEligible');
    expect(problem.errors).toEqual([
      { field: '/facts/taxableIncome', code: 'policies.benefits.claim.conditionFailed', message: 'Not met: Taxable income (yuan) at most 3000000; it is 5000000.' },
      { field: '/facts/employees', code: 'policies.benefits.claim.conditionFailed', message: 'Not met: Employees at most 300; it is 500.' },
    ]);
    const chinese = (await claim(large, large.representative.cookie, { form: { bankAccount: BANK_ACCOUNT } }, undefined, 'zh-CN')).json();
    expect(chinese.errors[0].message).toBe('不满足“应纳税所得额（元）不超过 3000000”：实际为 5000000。');
    expect(chinese.detail).toContain('不符合');
    expect((await claimsOf(large, large.representative.cookie)).json()).toEqual([]);
  });

  it('an enterprise whose facts are missing is refused with the unknown conditions named', async () => {
    const unknown = await enterpriseWithFacts(t, ELIGIBLE, { withAuthorityFacts: false });
    const response = await claim(unknown, unknown.representative.cookie, { form: { bankAccount: BANK_ACCOUNT } });
    expect(response.statusCode).toBe(409);
    const problem = response.json();
    expect(problem.detail).toMatch(/missing/);
    expect(problem.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual(
      expect.arrayContaining([['/facts/taxableIncome', 'policies.benefits.claim.conditionUnknown']]),
    );
  });

  it("another enterprise's representative finds nothing to claim for, or to read", async () => {
    const stranger = await enterpriseWithFacts(t, ELIGIBLE);
    const response = await claim(eligible, stranger.representative.cookie, { form: { bankAccount: BANK_ACCOUNT }, reuseHeldMaterials: true });
    expect(response.statusCode).toBe(404);
    expect((await claimsOf(eligible, stranger.representative.cookie)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${eligible.id}/policy-grants`, headers: { cookie: stranger.representative.cookie } })).statusCode).toBe(404);
    // Its own claim page is its own business: the first enterprise's claims stay as they were.
    expect((await claimsOf(eligible, eligible.representative.cookie)).json()).toHaveLength(1);
  });

  it('a policy that is not claimed by application cannot be claimed', async () => {
    const info = samplePolicy({ mode: 'info' });
    await publishPolicies(t, setup.officers, [info]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/enterprises/${eligible.id}/policy-claims`,
      headers: { cookie: eligible.representative.cookie, 'idempotency-key': 'info-claim-key' },
      payload: { policyCode: info.code },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('notClaimable');
  });

  it('the claim page asks only what the profile cannot fill; the enterprise page lists the claim with its application', async () => {
    const fresh = await enterpriseWithFacts(t, ELIGIBLE, { name: '上海页面示例有限公司' });
    const page = await t.app.inject({ method: 'GET', url: `/policies/${setup.policy.code}/claim?enterprise=${fresh.id}`, headers: { cookie: fresh.representative.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="form-bankAccount"');
    expect(page.body).not.toContain('id="form-enterpriseName"');
    expect(page.body).toContain('上海页面示例有限公司');
    expect(page.body).toContain('name="idempotencyKey"');

    const refused = await t.app.inject({ method: 'GET', url: `/policies/${setup.policy.code}/claim?enterprise=${eligible.id}`, headers: { cookie: eligible.representative.cookie, accept: 'text/html' } });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain(claimed.application.trackingNumber);
    expect(refused.body).not.toContain('id="form-bankAccount"');

    const benefits = await t.app.inject({ method: 'GET', url: `/enterprises/${eligible.id}/benefits?claimed=${claimed.id}`, headers: { cookie: eligible.representative.cookie, accept: 'text/html' } });
    expect(benefits.statusCode).toBe(200);
    expect(benefits.body).toContain(`/applications/${claimed.applicationId}`);
    expect(benefits.body).toContain(claimed.application.trackingNumber);
  });
});
