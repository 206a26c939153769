import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from '../applications/workflow.js';
import { createTestPlatform, type TestPlatform } from '../core/testing.js';
import type { SessionPrincipal } from '../core/auth.js';
import { createServices } from '../services.js';
import { personPrincipal } from './applications.js';
import { DEMO_RESIDENTS, seedDemo } from './seed.js';

async function principalOf(t: TestPlatform, phone: string): Promise<SessionPrincipal> {
  const store = createServices(t.platform).identity.store;
  const person = await store.personByPhoneHash(t.platform.vault.lookupHash('phone', phone));
  const account = person && (await store.accountByPersonId(person.id));
  if (!person || !account) throw new Error('no demo account');
  return personPrincipal(account.id, person);
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
    const wang = await principalOf(t, DEMO_RESIDENTS[0].phone);
    const [wangFang] = await services.enterprises.myEnterprises(wang);
    const report = await services.policyMatching.forEnterprise(wang, wangFang!.id, { on: '2026-11-26' });
    expect(report.results.filter((r) => r.outcome === 'eligible').length).toBeGreaterThan(3);
    expect(report.results.some((r) => r.outcome === 'eligible' && r.benefit)).toBe(true);
  });

  it('adds nothing when seeded again', async () => {
    const before = (await t.platform.db.selectFrom('applications').select('id').execute()).length;
    await seedDemo(t.platform);
    expect((await t.platform.db.selectFrom('applications').select('id').execute()).length).toBe(before);
  });
});
