import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { demoImplementationCode, seedCatalog } from '../demo/catalog.js';
import { staffSession } from '../identity/testing.js';
import { createServices, type Services } from '../services.js';
import type { BundleView } from './schema.js';
import { individualBusinessDefinition, uploadMaterial } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('"one thing" bundles: one form and one set of materials for items of several departments', () => {
  let t: TestApp;
  let services: Services;
  const departments = new Map<string, string>();
  const itemId = async (template: Parameters<typeof demoImplementationCode>[0], department: string) =>
    (await services.catalog.itemByImplementationCode(demoImplementationCode(template, department)))!.itemId;
  const bundle = async (code: string) => (await t.app.inject({ url: `/api/v1/catalog/bundles/${code}` })).json() as BundleView;

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    await seedCatalog(services, departments);
  });
  afterAll(() => t.close());

  it('lists the demo bundles: opening a restaurant and having a baby', async () => {
    const list = (await t.app.inject({ url: '/api/v1/catalog/bundles' })).json();
    expect(list.map((b: { code: string }) => b.code)).toEqual(['having-baby', 'open-restaurant']);
    expect(list[1]).toMatchObject({ name: { 'zh-CN': '开饭店' }, status: 'published' });
    expect(list[1].itemIds).toHaveLength(5);
  });

  it('asks a question several items share once, required if any item requires it, naming the items that use it', async () => {
    const baby = await bundle('having-baby');
    const [registration, household, medical, card] = baby.items;
    expect(baby.items.map((item) => item.definition.name['zh-CN'])).toEqual(['生育登记', '新生儿出生登记（落户）', '新生儿城乡居民医保参保登记', '新生儿社会保障卡申领']);
    const fields = new Map(baby.form.fields.map((f) => [f.key, f]));
    expect(baby.form.fields.filter((f) => f.key === 'babyName')).toHaveLength(1);
    expect(fields.get('babyName')!.itemIds).toEqual([household!.itemId, medical!.itemId, card!.itemId]);
    expect(fields.get('applicantName')).toMatchObject({ prefill: 'person.name', itemIds: baby.items.map((i) => i.itemId) });
    // Optional when registering the pregnancy, required for the household: required in the combined form.
    expect(registration!.definition.form.fields.find((f) => f.key === 'babyBirthDate')!.required).toBe(false);
    expect(fields.get('babyBirthDate')!.required).toBe(true);

    const materials = new Map(baby.materials.map((m) => [m.key, m]));
    expect([...materials.keys()].sort()).toEqual(['birthMedicalCertificate', 'householdRegister', 'marriageRecord', 'residentIdentity']);
    expect(materials.get('birthMedicalCertificate')!.itemIds).toHaveLength(3);
    expect(baby.figures).toEqual({ items: 4, departments: 4, visits: 0, materialsAsked: 4, materialsReused: 4, materialsToProvide: 0, promisedDays: 10, legalDays: 20, fullyOnline: true });
  });

  it('combines the restaurant items of four departments, and finds a bundle by id as well as by code', async () => {
    const restaurant = await bundle('open-restaurant');
    expect(restaurant.figures).toMatchObject({ items: 5, departments: 4 });
    expect(restaurant.form.fields.filter((f) => f.key === 'enterpriseName')).toHaveLength(1);
    expect(restaurant.materials.find((m) => m.key === 'premisesProof')!.itemIds).toHaveLength(3);
    expect((await bundle(restaurant.id)).code).toBe('open-restaurant');
    expect((await t.app.inject({ url: '/api/v1/catalog/bundles/no-such-thing' })).statusCode).toBe(404);
  });

  it('lets an administrator or a catalogue editor publish a bundle across departments, and nobody else', async () => {
    const payload = {
      code: 'moving-house',
      name: { 'zh-CN': '搬家', en: 'Moving house' },
      description: { 'zh-CN': '居住证和公积金提取一起办。', en: 'Residence permit and housing fund together.' },
      themes: ['housing'],
      itemIds: [await itemId('residencePermit', 'SH-PD-PSB'), await itemId('housingFund', 'SH-HOUSING-FUND')],
    };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/catalog/bundles', payload })).statusCode).toBe(401);
    const officer = await staffSession(t, { roles: ['officer'], departmentId: departments.get('SH-PD-PSB'), regionCode: '310115' });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/catalog/bundles', headers: { cookie: officer.cookie }, payload })).statusCode).toBe(403);

    const admin = await staffSession(t, { roles: ['admin'], departmentId: departments.get('GOV-NATIONAL-SAMR'), regionCode: '100000' });
    const published = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/bundles', headers: { cookie: admin.cookie }, payload });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ code: 'moving-house', itemIds: payload.itemIds, figures: { items: 2, departments: 2, visits: 1 } });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/bundles', headers: { cookie: admin.cookie }, payload });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('/code');
  });

  it('refuses items that use one key for different things, naming the item', async () => {
    const editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: departments.get('SH-PD-HEALTH'), regionCode: '310115' });
    const odd = individualBusinessDefinition({
      implementationCode: 'SH-PD-HEALTH-ODD-1',
      form: { fields: [{ key: 'babyName', label: { 'zh-CN': '编号', en: 'Number' }, type: 'integer', required: true }] },
      materials: [uploadMaterial('birthMedicalCertificate')],
    });
    const item = (await t.app.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: { cookie: editor.cookie }, payload: odd })).json();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/bundles',
      headers: { cookie: editor.cookie, 'accept-language': 'en' },
      payload: { code: 'odd', name: { 'zh-CN': '怪', en: 'Odd' }, description: { 'zh-CN': '怪', en: 'Odd' }, themes: [], itemIds: [await itemId('newbornHousehold', 'SH-PD-PSB'), item.itemId] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['/itemIds/1', 'catalog.bundle.fieldConflict'],
      ['/itemIds/1', 'catalog.bundle.materialConflict'],
    ]);
    expect(refused.json().errors[0].message).toContain('"babyName" of "SH-PD-HEALTH-ODD-1"');
  });

  it('refuses a withdrawn or unknown item, and shows a withdrawn item in a bundle that has it', async () => {
    const editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: departments.get('SH-PD-MEDICARE'), regionCode: '310115' });
    const medical = await itemId('newbornMedical', 'SH-PD-MEDICARE');
    await t.app.inject({ method: 'POST', url: `/api/v1/catalog/items/${medical}/withdraw`, headers: { cookie: editor.cookie }, payload: {} });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/bundles',
      headers: { cookie: editor.cookie },
      payload: { code: 'baby-again', name: { 'zh-CN': '再来', en: 'Again' }, description: { 'zh-CN': '再来', en: 'Again' }, themes: [], itemIds: [medical, '01900000-0000-7000-8000-000000000000'] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['/itemIds/0', '/itemIds/1']);
    const baby = await bundle('having-baby');
    expect(baby.items.find((item) => item.itemId === medical)!.status).toBe('withdrawn');
    expect(baby.figures.items).toBe(4);
  });
});
