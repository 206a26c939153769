import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { seedCredit } from '../demo/credit.js';
import { DEMO_ENTERPRISES, seedDemo } from '../demo/seed.js';
import { createServices } from '../services.js';
import type { PublicLookup } from './schema.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-11-26T02:00:00Z')) });
  await seedDemo(t.platform);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the demo credit records', () => {
  it('list one enterprise whose authority facts agree, and show the demo enterprises in the public lookup', async () => {
    const services = createServices(t.platform);
    const listings = await t.platform.db.selectFrom('creditRecords').select(['uscc']).where('category', '=', 'listing').execute();
    expect(listings).toHaveLength(1);
    const uscc = listings[0]!.uscc!;
    expect(await services.credit.standing({ kind: 'enterprise', uscc })).toMatchObject({ status: 'listed', listed: true, mayCommit: false });
    const facts = await t.platform.db.selectFrom('enterpriseFacts').select('untrustworthy').where('uscc', '=', uscc).executeTakeFirstOrThrow();
    expect(facts.untrustworthy).toBe(1);
    const lookup = (await t.app.inject({ url: `/api/v1/credit/lookup?q=${uscc}` })).json() as PublicLookup;
    expect(lookup.subjects[0]!.listed).toBe(true);

    const software = (await t.app.inject({ url: `/api/v1/credit/lookup?q=${encodeURIComponent(DEMO_ENTERPRISES[0]!.name)}` })).json() as PublicLookup;
    expect(software.subjects[0]!.records.map((r) => r.category).sort()).toEqual(['honour', 'licence']);
    expect((await services.credit.standing({ kind: 'enterprise', uscc: DEMO_ENTERPRISES[1]!.uscc })).status).toBe('caution');
  });

  it('seeding the credit records again on a later day keeps the records there (no 409 for dates that moved)', async () => {
    const services = createServices(t.platform);
    const departments = new Map((await t.platform.db.selectFrom('departments').select(['code', 'id']).execute()).map((d) => [d.code, d.id]));
    const before = await t.platform.db.selectFrom('creditRecords').select(['id', 'decidedOn']).orderBy('id').execute();
    t.clock.set('2027-01-15T02:00:00Z');
    await seedCredit(t.platform, services, departments, DEMO_ENTERPRISES);
    expect(await t.platform.db.selectFrom('creditRecords').select(['id', 'decidedOn']).orderBy('id').execute()).toEqual(before);
  });
});
