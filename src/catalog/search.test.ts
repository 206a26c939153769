import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { newId } from '../core/ids.js';
import { CATALOG_DEPARTMENTS, seedCatalog } from '../demo/catalog.js';
import { createServices, type Services } from '../services.js';
import type { ItemSummary } from './schema.js';
import { indexTerms } from './terms.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Search over the demo catalogue: some forty items of the nation, Shanghai (Pudong), Zhejiang
 * (Hangzhou, Xihu) and Guangdong (Shenzhen, Nanshan), as a person would search it.
 */
describe('a person searches the service catalogue', () => {
  let t: TestApp;
  let services: Services;
  const departments = new Map<string, string>();

  const search = async (query: Record<string, string | number>) => {
    const params = new URLSearchParams(Object.entries({ limit: 50, ...query }).map(([k, v]) => [k, String(v)]));
    const response = await t.app.inject({ url: `/api/v1/catalog/items?${params}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { total: number; items: ItemSummary[] };
  };
  const names = (items: ItemSummary[]) => items.map((item) => item.name['zh-CN']);

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    await seedCatalog(services, departments);
  });
  afterAll(() => t.close());

  it('finds 个体工商户 as a whole word, in every region that offers it, with the once-only figures', async () => {
    const found = await search({ q: '个体工商户' });
    expect(found.total).toBe(3);
    expect(new Set(names(found.items))).toEqual(new Set(['个体工商户设立登记']));
    expect(found.items.map((item) => item.regionCode).sort()).toEqual(['310115', '330106', '440300']);
    expect(found.items[0]!.figures).toEqual({ visits: 0, materialsAsked: 2, materialsReused: 2, materialsToProvide: 0, promisedDays: 1, legalDays: 3, fullyOnline: true });
    // Part of the word finds it too; characters that are there but apart do not.
    expect((await search({ q: '个体' })).total).toBe(3);
    expect((await search({ q: '工商户' })).total).toBe(3);
    expect((await search({ q: '个户' })).total).toBe(0);
  });

  it('finds 营业执照 in the results and keywords of the registrations that issue one', async () => {
    const found = await search({ q: '营业执照' });
    expect(new Set(names(found.items))).toEqual(new Set(['企业设立登记', '个体工商户设立登记']));
    expect(found.total).toBe(6);
  });

  it('ranks items named by the words above items that only list them as keywords', async () => {
    const found = await search({ q: '登记' });
    const named = found.items.filter((item) => item.name['zh-CN'].includes('登记'));
    const keywordOnly = found.items.filter((item) => !item.name['zh-CN'].includes('登记'));
    expect(named.length).toBeGreaterThan(5);
    expect(names(keywordOnly)).toContain('新办纳税人涉税事项综合办理');
    expect(found.items.slice(0, named.length)).toEqual(named);
  });

  it('searches English names by words', async () => {
    const found = await search({ q: 'Food Business licence' });
    expect(found.total).toBe(3);
    expect(new Set(found.items.map((item) => item.name.en))).toEqual(new Set(['Food business licence']));
  });

  it('shows a Pudong resident the items of Pudong, of Shanghai and of the nation, and nothing of other provinces', async () => {
    const found = await search({ regionCode: '310115' });
    expect(new Set(found.items.map((item) => item.regionCode))).toEqual(new Set(['100000', '310000', '310115']));
    expect(found.total).toBe(19);
    const licence = await search({ regionCode: '310115', q: '个体工商户' });
    expect(licence.items.map((item) => item.regionCode)).toEqual(['310115']);
  });

  it('shows for a province or city also the items of the regions within it', async () => {
    const zhejiang = await search({ regionCode: '330000' });
    expect(new Set(zhejiang.items.map((item) => item.regionCode))).toEqual(new Set(['100000', '330000', '330100', '330106']));
    const hangzhou = await search({ regionCode: '330100' });
    expect(hangzhou.total).toBe(zhejiang.total);
    const xihu = await search({ regionCode: '330106', q: '食品' });
    expect(xihu.items.map((item) => [item.name['zh-CN'], item.regionCode]).sort()).toEqual([
      ['食品生产许可', '330000'],
      ['食品经营许可', '330106'],
    ]);
    const nanshan = await search({ regionCode: '440305' });
    expect(new Set(nanshan.items.map((item) => item.regionCode))).toEqual(new Set(['100000', '440000', '440300', '440305']));
    expect((await search({ regionCode: '100000' })).total).toBe((await search({})).total);
  });

  it('refuses a region code that does not exist, naming the field', async () => {
    const response = await t.app.inject({ url: '/api/v1/catalog/items?regionCode=999999' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('/regionCode');
  });

  it('filters by theme or life event, alone or with a region', async () => {
    const baby = await search({ theme: 'havingBaby' });
    expect(baby.total).toBe(6);
    expect(baby.items.every((item) => item.themes.includes('havingBaby'))).toBe(true);
    const pudongBaby = await search({ theme: 'havingBaby', regionCode: '310115' });
    expect(new Set(names(pudongBaby.items))).toEqual(new Set(['生育登记', '新生儿出生登记（落户）', '新生儿城乡居民医保参保登记', '新生儿社会保障卡申领']));
  });

  it('filters by audience: food production is for enterprises only, a food business also for individuals', async () => {
    const forEnterprises = await search({ q: '食品', audience: 'enterprise' });
    expect(new Set(names(forEnterprises.items))).toEqual(new Set(['食品经营许可', '食品生产许可']));
    const forPersons = await search({ q: '食品', audience: 'person' });
    expect(new Set(names(forPersons.items))).toEqual(new Set(['食品经营许可']));
    expect(forPersons.items.every((item) => item.audiences.includes('person'))).toBe(true);
  });

  it('filters by department and by type of item', async () => {
    const pudongSamr = departments.get('SH-PD-SAMR')!;
    const found = await search({ departmentId: pudongSamr });
    expect(found.total).toBe(3);
    expect(found.items.every((item) => item.departmentId === pudongSamr && item.departmentName['zh-CN'] === '上海市浦东新区市场监督管理局')).toBe(true);
    expect((await search({ departmentId: pudongSamr, q: '个体' })).total).toBe(1);
    const licences = await search({ regionCode: '310115', itemType: 'administrativeLicence' });
    expect(licences.total).toBeGreaterThan(0);
    expect(licences.items.every((item) => item.itemType === 'administrativeLicence')).toBe(true);
    // A department's name is searchable too.
    expect((await search({ q: '浦东 卫生健康' })).total).toBe(2);
  });

  it('pages through results with a stable order and the same total', async () => {
    const all = await search({ regionCode: '310115' });
    const first = await search({ regionCode: '310115', limit: 10, offset: 0 });
    const second = await search({ regionCode: '310115', limit: 10, offset: 10 });
    expect(first.total).toBe(all.total);
    expect([...first.items, ...second.items].map((item) => item.itemId)).toEqual(all.items.map((item) => item.itemId));
  });

  it('stays an indexed lookup with thousands of items', async () => {
    // 3,000 more items of a Pudong department, written straight into the tables in bulk.
    const view = (await search({ q: '个体工商户', regionCode: '310115' })).items[0]!;
    const source = await services.catalog.getItem(view.itemId);
    const nowIso = new Date().toISOString();
    const department = CATALOG_DEPARTMENTS.find((d) => d.code === 'SH-PD-HRSS')!;
    const items = [];
    const versions = [];
    const terms = [];
    for (let i = 0; i < 3000; i++) {
      const id = newId();
      const versionId = newId();
      const name = `第${i}号便民服务事项`;
      items.push({
        id,
        implementationCode: `BULK-${i}`,
        basicCode: `BULK${i}`,
        departmentId: departments.get(department.code)!,
        departmentNameZh: department.nameZh,
        departmentNameEn: department.nameEn,
        regionCode: department.regionCode,
        level: department.level,
        itemType: 'publicService' as const,
        status: 'published' as const,
        currentVersionId: versionId,
        currentVersion: 1,
        nameZh: name,
        nameEn: `Service ${i}`,
        audiences: '["person"]',
        themes: '[]',
        createdAt: nowIso,
        updatedAt: nowIso,
      });
      versions.push({ id: versionId, itemId: id, version: 1, definition: JSON.stringify({ ...source.definition, name: { 'zh-CN': name, en: `Service ${i}` } }), createdBy: 'bulk', createdAt: nowIso });
      for (const term of indexTerms(`${name} 登记`)) terms.push({ term, itemId: id, weight: 8 });
    }
    const db = t.platform.db;
    for (let i = 0; i < items.length; i += 500) await db.insertInto('serviceItems').values(items.slice(i, i + 500)).execute();
    for (let i = 0; i < versions.length; i += 500) await db.insertInto('serviceItemVersions').values(versions.slice(i, i + 500)).execute();
    for (let i = 0; i < terms.length; i += 1000) await db.insertInto('serviceItemTerms').values(terms.slice(i, i + 1000)).execute();

    const timings: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const found = await services.catalog.search({ q: '个体工商户', regionCode: '310115' });
      timings.push(performance.now() - started);
      expect(found.total).toBe(1);
    }
    const broad = await services.catalog.search({ q: '便民服务', regionCode: '310115', limit: 20 });
    expect(broad.total).toBe(3000);
    expect(broad.items).toHaveLength(20);
    // Generous: the lookup takes a few milliseconds; a scan of every item would show as far more.
    expect(timings.sort((a, b) => a - b)[2]).toBeLessThan(150);
  });
});
