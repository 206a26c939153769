import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../core/personal-data.js';
import { createTestApp } from '../../core/testing.js';
import { createServices, type Services } from '../../services.js';
import type { PolicyDocument } from '../format/schema.js';
import type { BuiltinFactsInput } from '../profiles/profile.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../testing.js';
import { inboxOf, publishPolicies } from './testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Enterprise = Awaited<ReturnType<typeof enterpriseWithFacts>>;

// samplePolicy: taxable income at most 3 million, at most 300 employees, not untrustworthy.
const QUALIFYING: BuiltinFactsInput = { region: '310115', industry: '6513', taxableIncome: 1_000_000, employees: 20, untrustworthy: false };

describe('personalised push: eligible enterprises are told once per policy', () => {
  let t: T;
  let services: Services;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  let policies = 0;

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    officers = await policyDepartment(t);
  });
  afterAll(async () => t.close());

  /** A sample policy with a title of its own, so that messages about it can be told apart. */
  const policyTitled = (overrides: Partial<PolicyDocument> = {}) => {
    // Titles of equal length, so that none contains another.
    const n = String(++policies).padStart(3, '0');
    return samplePolicy({ title: { 'zh-CN': `推送测试政策${n}号`, en: `Push test policy no. ${n}` }, ...overrides });
  };
  const toldAbout = async (enterprise: Enterprise, policy: PolicyDocument) =>
    (await inboxOf(services, enterprise.representative.personId, 'policies.eligible')).filter((m) => m.body.includes(policy.title.en));
  const textsTo = async (enterprise: Enterprise, policy: PolicyDocument) =>
    (await services.outbox.recent(500)).filter((m) => m.channel === 'sms' && m.recipientMasked === maskPhone(enterprise.representative.phone) && m.body.includes(policy.title['zh-CN']));
  const matchOf = async (enterprise: Enterprise, policy: PolicyDocument) => {
    const policyId = (await services.policyLibrary.store.policyByCode(policy.code))!.id;
    return (await services.policyLibrary.store.matchesOf(enterprise.uscc)).find((row) => row.policyId === policyId);
  };
  /** The recurring sweep, a minute later. */
  const sweep = async () => {
    t.clock.advance(60_000);
    return services.policyPush.sweepChanges();
  };

  it('publication tells an eligible enterprise by inbox and SMS, and never an ineligible, undetermined or out-of-region one', async () => {
    const eligible = await enterpriseWithFacts(t, QUALIFYING);
    const ineligible = await enterpriseWithFacts(t, { ...QUALIFYING, taxableIncome: 9_000_000 });
    const undetermined = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, untrustworthy: false });
    const elsewhere = await enterpriseWithFacts(t, { ...QUALIFYING, region: '440305' });
    const policy = policyTitled({ regions: ['310000'] });
    await publishPolicies(t, officers, [policy]);

    // Publication only queued the work; the job matches every platform enterprise.
    expect(await toldAbout(eligible, policy)).toEqual([]);
    expect(await services.jobs.runDue()).toBe(1);

    const told = await toldAbout(eligible, policy);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: 'Your enterprise qualifies for a policy', link: `/enterprises/${eligible.id}/policies` });
    expect(told[0]!.body).toBe(`${eligible.name} qualifies for "${policy.title.en}". Sign in to see why and how to benefit.`);
    expect(await textsTo(eligible, policy)).toHaveLength(1);
    expect(await matchOf(eligible, policy)).toMatchObject({ outcome: 'eligible', notifiedAt: t.clock.now().toISOString() });

    for (const other of [ineligible, undetermined, elsewhere]) {
      expect(await inboxOf(services, other.representative.personId, 'policies.eligible')).toEqual([]);
      expect(await textsTo(other, policy)).toEqual([]);
    }
    expect(await matchOf(ineligible, policy)).toMatchObject({ outcome: 'ineligible', notifiedAt: null });
    expect(await matchOf(undetermined, policy)).toMatchObject({ outcome: 'undetermined', notifiedAt: null });
    // Not in force where it is: not matched at all.
    expect(await matchOf(elsewhere, policy)).toBeUndefined();

    // The jobs and the sweep running again tell nobody again.
    expect(await services.jobs.runDue()).toBe(0);
    await sweep();
    await sweep();
    expect(await toldAbout(eligible, policy)).toHaveLength(1);
    expect(await textsTo(eligible, policy)).toHaveLength(1);
    expect(await inboxOf(services, undetermined.representative.personId, 'policies.eligible')).toEqual([]);
  });

  it('a new version of a policy, published again, tells nobody a second time', async () => {
    const enterprise = await enterpriseWithFacts(t, QUALIFYING);
    const policy = policyTitled();
    await publishPolicies(t, officers, [policy]);
    await services.jobs.runDue();
    expect(await toldAbout(enterprise, policy)).toHaveLength(1);
    const firstVersion = (await matchOf(enterprise, policy))!;

    const revised: PolicyDocument = {
      ...policy,
      eligibility: { all: [{ fact: 'taxableIncome', op: 'lte', value: 2_000_000 }, { fact: 'untrustworthy', op: 'eq', value: false }] },
      examples: [
        { name: 'small', facts: { taxableIncome: 1_000_000, untrustworthy: false }, expected: 'eligible', benefitAmount: 50_000 },
        { name: 'large', facts: { taxableIncome: 2_500_000, untrustworthy: false }, expected: 'ineligible' },
      ],
    };
    t.clock.advance(60_000);
    await publishPolicies(t, officers, [revised]);
    expect(await services.jobs.runDue()).toBe(1);
    const secondVersion = (await matchOf(enterprise, policy))!;
    expect(secondVersion.versionId).not.toBe(firstVersion.versionId);
    expect(secondVersion).toMatchObject({ outcome: 'eligible', notifiedAt: firstVersion.notifiedAt });
    expect(await toldAbout(enterprise, policy)).toHaveLength(1);
    expect(await textsTo(enterprise, policy)).toHaveLength(1);
  });

  it("respects the enterprise's opt-out per category, set by its legal representative", async () => {
    const enterprise = await enterpriseWithFacts(t, QUALIFYING);
    const stranger = await enterpriseWithFacts(t, QUALIFYING);
    const settings = (cookie: string, payload?: object) =>
      t.app.inject({ method: payload ? 'PUT' : 'GET', url: `/api/v1/enterprises/${enterprise.id}/policy-push-settings`, headers: { cookie, 'accept-language': 'en' }, payload });

    const before = await settings(enterprise.representative.cookie);
    expect(before.statusCode).toBe(200);
    expect(before.json().categories.every((c: { notify: boolean }) => c.notify)).toBe(true);
    const saved = await settings(enterprise.representative.cookie, { optedOut: ['tax', 'rent'] });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().categories.filter((c: { notify: boolean }) => !c.notify).map((c: { category: string }) => c.category)).toEqual(['tax', 'rent']);
    expect((await settings(enterprise.representative.cookie, { optedOut: ['lottery'] })).statusCode).toBe(400);
    expect((await settings(stranger.representative.cookie)).statusCode).toBe(404);
    expect((await settings(stranger.representative.cookie, { optedOut: [] })).statusCode).toBe(404);
    const audited = await t.platform.db.selectFrom('auditEvents').select('action').where('subjectEnterpriseId', '=', enterprise.id).where('action', '=', 'policies.pushSettingsChanged').execute();
    expect(audited).toHaveLength(1);

    const tax = policyTitled({ category: 'tax' });
    const subsidy = policyTitled({ category: 'subsidy' });
    await publishPolicies(t, officers, [tax, subsidy]);
    expect(await services.jobs.runDue()).toBe(2);
    expect(await toldAbout(enterprise, tax)).toEqual([]);
    expect(await textsTo(enterprise, tax)).toEqual([]);
    expect(await toldAbout(enterprise, subsidy)).toHaveLength(1);
    expect(await toldAbout(stranger, tax)).toHaveLength(1);
    // Eligible but not told: were it to opt back in, it would be told at its next change.
    expect(await matchOf(enterprise, tax)).toMatchObject({ outcome: 'eligible', notifiedAt: null });

    await settings(enterprise.representative.cookie, { optedOut: [] });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterprise.id}/profile`, headers: { cookie: enterprise.representative.cookie }, payload: { insuredEmployees: 18 } });
    await sweep();
    expect(await toldAbout(enterprise, tax)).toHaveLength(1);
    expect(await toldAbout(enterprise, subsidy)).toHaveLength(1);
  });

  it('tells an enterprise once its changed profile makes it eligible: facts an authority reloads, its answers, its own profile', async () => {
    const policy = policyTitled({ category: 'employment' });
    await publishPolicies(t, officers, [policy]);
    const taxedHigh = await enterpriseWithFacts(t, { ...QUALIFYING, taxableIncome: 9_000_000 });
    const unanswered = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, untrustworthy: false });
    const unprofiled = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, untrustworthy: false });
    const stillUndetermined = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, untrustworthy: false });
    await services.jobs.runDue();
    await sweep();
    for (const enterprise of [taxedHigh, unanswered, unprofiled, stillUndetermined]) expect(await toldAbout(enterprise, policy)).toEqual([]);

    t.clock.advance(60_000);
    await services.enterpriseFacts.upsert({ uscc: taxedHigh.uscc, name: taxedHigh.name, facts: QUALIFYING }, t.clock.now().toISOString());
    const answered = await t.app.inject({ method: 'PUT', url: `/api/v1/enterprises/${unanswered.id}/policy-facts`, headers: { cookie: unanswered.representative.cookie }, payload: { answers: { employees: 25 } } });
    expect(answered.statusCode).toBe(204);
    const profiled = await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${unprofiled.id}/profile`, headers: { cookie: unprofiled.representative.cookie }, payload: { employees: 30 } });
    expect(profiled.statusCode).toBe(200);

    const swept = await sweep();
    expect(swept.enterprises).toBeGreaterThanOrEqual(3);
    for (const enterprise of [taxedHigh, unanswered, unprofiled]) {
      expect(await toldAbout(enterprise, policy)).toHaveLength(1);
      expect(await textsTo(enterprise, policy)).toHaveLength(1);
    }
    expect(await toldAbout(stillUndetermined, policy)).toEqual([]);
    expect(await matchOf(stillUndetermined, policy)).toMatchObject({ outcome: 'undetermined', notifiedAt: null });

    // The next sweeps re-read the same changes (they overlap) and tell nobody again.
    await sweep();
    for (const enterprise of [taxedHigh, unanswered, unprofiled]) expect(await toldAbout(enterprise, policy)).toHaveLength(1);
  });

  it('an enterprise that qualifies for several policies at once gets one message naming the first few', async () => {
    const first = policyTitled({ category: 'finance' });
    const second = policyTitled({ category: 'finance' });
    await publishPolicies(t, officers, [first, second]);
    await services.jobs.runDue();
    // An enterprise opened after the publications learns of both at the sweep, in one message.
    const latecomer = await enterpriseWithFacts(t, QUALIFYING);
    await sweep();
    const messages = await inboxOf(services, latecomer.representative.personId, 'policies.eligible');
    expect(messages).toHaveLength(1);
    const recorded = (await services.policyLibrary.store.matchesOf(latecomer.uscc)).filter((row) => row.outcome === 'eligible');
    // Every policy published so far in this file is eligible for it.
    expect(recorded.length).toBeGreaterThan(3);
    expect(recorded.every((row) => row.notifiedAt !== null)).toBe(true);
    expect(messages[0]!.title).toBe(`Your enterprise qualifies for ${recorded.length} policies`);
    expect(messages[0]!.body).toMatch(new RegExp(`^${latecomer.name} qualifies for: [^;]+; [^;]+; [^;]+, and ${recorded.length - 3} more\\.`));
    for (const policy of [first, second]) expect(await matchOf(latecomer, policy)).toMatchObject({ outcome: 'eligible', notifiedAt: expect.any(String) });
    await sweep();
    expect(await inboxOf(services, latecomer.representative.personId, 'policies.eligible')).toHaveLength(1);
  });

  // Last: a day passes, after which the officers' sessions have ended.
  it('a policy published before it comes into force is pushed on its first day', async () => {
    const enterprise = await enterpriseWithFacts(t, QUALIFYING);
    await sweep();
    const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const policy = policyTitled({ effective: { from: tomorrow, to: null } });
    await publishPolicies(t, officers, [policy]);
    await services.jobs.runDue();
    await sweep();
    expect(await toldAbout(enterprise, policy)).toEqual([]);

    t.clock.advance(24 * 3_600_000);
    await sweep();
    expect(await toldAbout(enterprise, policy)).toHaveLength(1);
  });

});
