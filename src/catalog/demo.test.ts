import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../core/testing.js';
import { CATALOG_DEPARTMENTS, CATALOG_ITEMS, catalogStaffUsername, demoItemDefinition, seedCatalog } from '../demo/catalog.js';
import { createServices, type Services } from '../services.js';
import { checkItem } from './rules.js';

type TestPlatform = Awaited<ReturnType<typeof createTestPlatform>>;

describe('the demo catalogue a newcomer sees', () => {
  let t: TestPlatform;
  let services: Services;
  const count = async (table: 'serviceItems' | 'serviceItemVersions' | 'serviceBundles') =>
    Number((await t.platform.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestPlatform();
    services = createServices(t.platform);
  });
  afterAll(() => t.close());

  it('writes only items that keep every consistency rule', () => {
    for (const [template, department] of CATALOG_ITEMS) expect(checkItem(demoItemDefinition(template, department)), `${template} at ${department}`).toEqual([]);
  });

  it('has at least 30 items at every level, of at least 5 departments in at least 3 provinces, and 2 bundles', async () => {
    const accounts = await seedCatalog(services);
    const { items, total } = await services.catalog.search({ limit: 50 });
    expect(total).toBeGreaterThanOrEqual(30);
    expect(total).toBe(CATALOG_ITEMS.length);
    expect(new Set(items.map((item) => item.level))).toEqual(new Set(['national', 'provincial', 'city', 'county']));
    const departments = new Set(items.map((item) => item.departmentId));
    expect(departments.size).toBeGreaterThanOrEqual(5);
    const provinces = new Set(items.map((item) => item.regionCode.slice(0, 2)).filter((prefix) => prefix !== '10'));
    expect(provinces.size).toBeGreaterThanOrEqual(3);
    expect((await services.catalog.listBundles()).map((bundle) => bundle.code)).toEqual(['having-baby', 'open-restaurant']);

    // A catalogue editor, an officer and an approver in each department, printed with their TOTP secret.
    expect(accounts).toHaveLength(CATALOG_DEPARTMENTS.length * 3);
    for (const username of ['editor.sh-pd-samr', 'officer.sh-pd-samr', 'approver.sh-pd-samr', catalogStaffUsername('approver', 'SZ-NS-HEALTH')]) {
      const account = await services.identity.store.accountByUsername(username);
      expect(account?.totpEnrolledAt, username).toBeTruthy();
      expect(accounts.find((a) => a.login === username)?.note).toMatch(/^TOTP secret [A-Z2-7]{32}$/);
    }
  });

  it('can be loaded again without adding anything', async () => {
    const before = await Promise.all([count('serviceItems'), count('serviceItemVersions'), count('serviceBundles')]);
    await seedCatalog(services);
    expect(await Promise.all([count('serviceItems'), count('serviceItemVersions'), count('serviceBundles')])).toEqual(before);
  });
});
