import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from '../applications/workflow.js';
import { createTestPlatform, type TestPlatform } from '../core/testing.js';
import type { SessionPrincipal } from '../core/auth.js';
import { createServices } from '../services.js';
import { DEMO_RESIDENTS, seedDemo } from './seed.js';

/** A demo person as a principal, the way a session would carry them. */
async function principalOf(t: TestPlatform, phone: string): Promise<SessionPrincipal> {
  const services = createServices(t.platform);
  const person = await services.identity.store.personByPhoneHash(t.platform.vault.lookupHash('phone', phone));
  const account = person && (await services.identity.store.accountByPersonId(person.id));
  if (!person || !account) throw new Error('no demo account');
  return {
    kind: 'account',
    accountId: account.id,
    sessionId: '',
    personId: person.id,
    staffId: null,
    roles: ['person'],
    displayName: person.name,
    departmentId: null,
    regionCode: null,
    mfaPassed: false,
    mfaEnrolled: false,
    csrfToken: '',
  } as SessionPrincipal;
}

describe('the demo data shows a living platform', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
    await seedDemo(t.platform);
  });
  afterAll(async () => t.close());

  it('has applications in every state, handled by the departments themselves', async () => {
    const rows = await t.platform.db.selectFrom('applications').select(['status', 'certificateId']).execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(APPLICATION_STATUSES));
    expect(rows.some((r) => r.certificateId)).toBe(true);
    const events = await t.platform.db.selectFrom('applicationEvents').select('actorLabel').where('actorType', '=', 'staff').execute();
    expect(events.length).toBeGreaterThan(10);
  });

  it('publishes every demo policy, with 2,000 enterprise profiles for them to match', async () => {
    const { DEMO_POLICY_FILE } = await import('./policies.js');
    const services = createServices(t.platform);
    const published = await services.policyLibrary.listPublished();
    expect(published.map((p) => p.code).sort()).toEqual(DEMO_POLICY_FILE.policies.map((p) => p.code).sort());
    const profiles = await t.platform.db.selectFrom('enterpriseFacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(profiles.n)).toBe(2002);
    const [wangFang] = await services.enterprises.myEnterprises(await principalOf(t, DEMO_RESIDENTS[0].phone));
    const report = await services.policyMatching.forEnterprise(await principalOf(t, DEMO_RESIDENTS[0].phone), wangFang!.id, { on: '2026-11-26' });
    expect(report.results.filter((r) => r.outcome === 'eligible').length).toBeGreaterThan(3);
    expect(report.results.some((r) => r.outcome === 'eligible' && r.benefit)).toBe(true);
  });

  it('adds nothing when seeded again', async () => {
    const before = (await t.platform.db.selectFrom('applications').select('id').execute()).length;
    await seedDemo(t.platform);
    expect((await t.platform.db.selectFrom('applications').select('id').execute()).length).toBe(before);
  });
});
