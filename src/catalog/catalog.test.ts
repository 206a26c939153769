import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { staffSession } from '../identity/testing.js';
import { createServices, type Services } from '../services.js';
import type { FlowStep, ItemDefinition } from './schema.js';
import { individualBusinessDefinition, uploadMaterial } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Session = Awaited<ReturnType<typeof staffSession>>;

const steps = (...names: FlowStep[]) => ({ steps: names.map((step) => ({ step, roles: ['officer' as const] })) });
const textField = (key: string) => ({ key, label: { 'zh-CN': '字段', en: 'Field' }, type: 'text' as const, required: false });

/** One broken rule per case, as an editor might send it, and the field the 422 must blame. */
const BROKEN: { rule: string; field: string; change: (d: ItemDefinition) => void }[] = [
  { rule: 'fullyOnlineVisits', field: '/visits', change: (d) => Object.assign(d, { visits: 1, visitReason: { 'zh-CN': '核验原件', en: 'Originals' } }) },
  { rule: 'fullyOnlineHandling', field: '/handlingForms', change: (d) => Object.assign(d, { handlingForms: ['counter'] }) },
  { rule: 'visitReason', field: '/visitReason', change: (d) => Object.assign(d, { onlineDepth: 3, visits: 1 }) },
  { rule: 'feeBasis', field: '/fees/0/basis', change: (d) => d.fees.push({ name: { 'zh-CN': '工本费', en: 'Fee' }, amount: 10, basis: ' ' }) },
  { rule: 'feeAmount', field: '/fees/0/amount', change: (d) => d.fees.push({ name: { 'zh-CN': '工本费', en: 'Fee' }, amount: 0.001, basis: '沪价费〔2020〕1号' }) },
  { rule: 'promisedWithinLegal', field: '/promisedLimitDays', change: (d) => Object.assign(d, { promisedLimitDays: 16 }) },
  { rule: 'licensingSteps', field: '/flow/steps', change: (d) => Object.assign(d, { flow: steps('accept', 'approve', 'conclude', 'deliver') }) },
  { rule: 'flowOrder', field: '/flow/steps/2', change: (d) => Object.assign(d, { flow: steps('accept', 'review', 'accept', 'approve', 'conclude', 'deliver') }) },
  { rule: 'certificateType', field: '/materials/2/certificateType', change: (d) => d.materials.push(uploadMaterial('licence', { source: 'certificate' })) },
  { rule: 'dataset', field: '/materials/2/dataset', change: (d) => d.materials.push(uploadMaterial('household', { source: 'governmentData' })) },
  { rule: 'uploadAllowed', field: '/materials/1/uploadAllowed', change: (d) => (d.materials[1]!.uploadAllowed = false) },
  { rule: 'materialCondition', field: '/materials/2/condition', change: (d) => d.materials.push(uploadMaterial('lease', { requirement: 'conditional' })) },
  {
    rule: 'requiredWhenOnlyConditional',
    field: '/materials/2/requiredWhen',
    change: (d) => d.materials.push(uploadMaterial('lease', { requiredWhen: { field: 'premisesType', equals: 'leased' } })),
  },
  {
    rule: 'materialFieldReference',
    field: '/materials/2/requiredWhen/field',
    change: (d) => d.materials.push(uploadMaterial('lease', { requirement: 'conditional', condition: { 'zh-CN': '租赁的', en: 'If leased' }, requiredWhen: { field: 'premises', equals: 'leased' } })),
  },
  { rule: 'fieldReference', field: '/form/fields/3/visibleWhen/field', change: (d) => d.form.fields.push({ ...textField('leaseEnds'), visibleWhen: { field: 'premises', equals: 'leased' } }) },
  { rule: 'selectOptions', field: '/form/fields/3/options', change: (d) => d.form.fields.push({ ...textField('scale'), type: 'select' }) },
  { rule: 'fieldKeyUnique', field: '/form/fields/3/key', change: (d) => d.form.fields.push(textField('businessName')) },
  { rule: 'materialKeyUnique', field: '/materials/2/key', change: (d) => d.materials.push(uploadMaterial('premisesProof')) },
  { rule: 'pattern', field: '/form/fields/3/pattern', change: (d) => d.form.fields.push({ ...textField('postcode'), pattern: '[0-9{6' }) },
  { rule: 'fieldRange', field: '/form/fields/3/maximum', change: (d) => d.form.fields.push({ ...textField('staff'), type: 'integer', minimum: 5, maximum: 1 }) },
  { rule: 'enterprisePrefill', field: '/form/fields/3/prefill', change: (d) => d.form.fields.push({ ...textField('company'), prefill: 'enterprise.name' }) },
  { rule: 'resultCertificate', field: '/result/type', change: (d) => (d.result.type = 'approvalDocument') },
];

describe('a department publishes and edits its own service items', () => {
  let t: TestApp;
  let services: Services;
  let editor: Session;
  let xihuEditor: Session;
  let pudongId = '';
  let itemId = '';
  let firstVersionId = '';

  const send = (method: 'POST' | 'PUT', url: string, session: Session | undefined, payload: unknown, lang?: string) =>
    t.app.inject({ method, url, payload: (payload ?? {}) as object, headers: { ...(session ? { cookie: session.cookie } : {}), ...(lang ? { 'accept-language': lang } : {}) } });
  const itemCount = async () => Number((await t.platform.db.selectFrom('serviceItems').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    const pudong = await services.identity.createDepartment({ code: 'T-PD-SAMR', nameZh: '上海市浦东新区市场监督管理局', nameEn: 'Pudong New Area Market Regulation Bureau', level: 'county', regionCode: '310115' });
    const xihu = await services.identity.createDepartment({ code: 'T-XH-SAMR', nameZh: '杭州市西湖区市场监督管理局', nameEn: 'Xihu District Market Regulation Bureau', level: 'county', regionCode: '330106' });
    pudongId = pudong.id;
    editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: pudong.id, regionCode: '310115' });
    xihuEditor = await staffSession(t, { roles: ['catalogEditor'], departmentId: xihu.id, regionCode: '330106' });
  });
  afterAll(() => t.close());

  it('refuses a visitor, an officer and an administrator: only catalogue editors publish items', async () => {
    const officer = await staffSession(t, { roles: ['officer'], departmentId: pudongId, regionCode: '310115' });
    const admin = await staffSession(t, { roles: ['admin'], departmentId: pudongId, regionCode: '310115' });
    expect((await send('POST', '/api/v1/catalog/items', undefined, individualBusinessDefinition())).statusCode).toBe(401);
    for (const session of [officer, admin]) {
      const refused = await send('POST', '/api/v1/catalog/items', session, individualBusinessDefinition());
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('roleRequired');
    }
    expect(await itemCount()).toBe(0);
  });

  it("publishes an item for the editor's department, which gives it its region and level; anyone can read it", async () => {
    const published = await send('POST', '/api/v1/catalog/items', editor, individualBusinessDefinition());
    expect(published.statusCode).toBe(201);
    const view = published.json();
    expect(view).toMatchObject({
      version: 1,
      latestVersion: 1,
      departmentId: pudongId,
      departmentName: { 'zh-CN': '上海市浦东新区市场监督管理局' },
      regionCode: '310115',
      level: 'county',
      status: 'published',
      definition: individualBusinessDefinition(),
      figures: { visits: 0, materialsAsked: 2, materialsReused: 1, materialsToProvide: 1, promisedDays: 3, legalDays: 15, fullyOnline: true },
    });
    itemId = view.itemId;
    firstVersionId = view.versionId;
    const read = await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(view);
    expect((await services.catalog.itemByImplementationCode('TEST-310115-IB-001'))?.itemId).toBe(itemId);
    const audit = await t.platform.db.selectFrom('auditEvents').select(['action', 'actorId']).where('action', '=', 'catalog.itemPublished').execute();
    expect(audit).toEqual([{ action: 'catalog.itemPublished', actorId: editor.staffId }]);
  });

  it('refuses a second item with the same implementation code', async () => {
    const again = await send('POST', '/api/v1/catalog/items', xihuEditor, individualBusinessDefinition());
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'implementationCodeTaken', errors: [{ field: '/implementationCode' }] });
    expect(await itemCount()).toBe(1);
  });

  it.each(BROKEN)('refuses an item that breaks the rule "$rule" with 422 naming $field', async ({ rule, field, change }) => {
    const definition = structuredClone(individualBusinessDefinition({ implementationCode: 'TEST-310115-BROKEN' }));
    change(definition);
    const refused = await send('POST', '/api/v1/catalog/items', editor, definition);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'inconsistentItem', errors: [{ field, code: `catalog.rule.${rule}` }] });
    expect(refused.json().errors).toHaveLength(1);
    expect(await itemCount()).toBe(1);
  });

  it('lists every broken rule at once, in the reader’s language', async () => {
    const definition = individualBusinessDefinition({ implementationCode: 'TEST-310115-BROKEN', visits: 2, promisedLimitDays: 30 });
    const refused = await send('POST', '/api/v1/catalog/items', editor, definition, 'en');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['/promisedLimitDays', '/visits', '/visitReason']);
    expect(refused.json().errors[0].message).toBe('The promised time limit cannot be longer than the legal one (15 days).');
    const zh = await send('POST', '/api/v1/catalog/items', editor, definition);
    expect(zh.json().errors[2].message).toBe('需要到现场 2 次，请说明必须到现场的理由。');
  });

  it('refuses what the schema does not allow (an unknown audience) with 400 before the rules', async () => {
    const refused = await send('POST', '/api/v1/catalog/items', editor, { ...individualBusinessDefinition({ implementationCode: 'TEST-310115-BROKEN' }), audiences: ['robot'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('/audiences/0');
  });

  it('saves an edit as version 2 and leaves version 1 exactly as it was, for applications made under it', async () => {
    const edited = individualBusinessDefinition({ promisedLimitDays: 1, materials: [...individualBusinessDefinition().materials, uploadMaterial('floorPlan')] });
    const revised = await send('PUT', `/api/v1/catalog/items/${itemId}`, editor, edited);
    expect(revised.statusCode).toBe(200);
    expect(revised.json()).toMatchObject({ itemId, version: 2, latestVersion: 2, definition: edited, figures: { materialsAsked: 3, promisedDays: 1 } });
    expect(revised.json().versionId).not.toBe(firstVersionId);

    const current = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json();
    expect(current.version).toBe(2);
    const first = await t.app.inject({ url: `/api/v1/catalog/items/${itemId}/versions/1` });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ versionId: firstVersionId, version: 1, latestVersion: 2, definition: individualBusinessDefinition(), figures: { materialsAsked: 2, promisedDays: 3 } });
    expect((await t.app.inject({ url: `/api/v1/catalog/versions/${firstVersionId}` })).json()).toEqual(first.json());
    expect((await services.catalog.getVersion(firstVersionId)).definition).toEqual(individualBusinessDefinition());
    expect((await t.app.inject({ url: `/api/v1/catalog/items/${itemId}/versions/3` })).statusCode).toBe(404);
    // An edit made from version 1 while version 2 was saved is refused, not saved over it.
    const stale = await send('PUT', `/api/v1/catalog/items/${itemId}?expectedVersion=1`, editor, individualBusinessDefinition());
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('itemVersionChanged');
    expect((await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().version).toBe(2);
    expect((await send('PUT', `/api/v1/catalog/items/${itemId}?expectedVersion=0`, editor, edited)).statusCode).toBe(400);
  });

  it("refuses another department's editor (403) and leaves the item as it was", async () => {
    const edit = await send('PUT', `/api/v1/catalog/items/${itemId}`, xihuEditor, individualBusinessDefinition({ promisedLimitDays: 0 }));
    expect(edit.statusCode).toBe(403);
    expect(edit.json().code).toBe('otherDepartment');
    const withdraw = await send('POST', `/api/v1/catalog/items/${itemId}/withdraw`, xihuEditor, undefined);
    expect(withdraw.statusCode).toBe(403);
    expect((await services.catalog.getItem(itemId))).toMatchObject({ version: 2, status: 'published', figures: { promisedDays: 1 } });
  });

  it('keeps the implementation code of an item fixed, and answers 404 for an item that does not exist', async () => {
    const renamed = await send('PUT', `/api/v1/catalog/items/${itemId}`, editor, individualBusinessDefinition({ implementationCode: 'TEST-310115-IB-002' }));
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().errors[0]).toMatchObject({ field: '/implementationCode', code: 'catalog.item.implementationCodeImmutable' });
    const missing = await send('PUT', '/api/v1/catalog/items/01900000-0000-7000-8000-000000000000', editor, individualBusinessDefinition());
    expect(missing.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/catalog/items/01900000-0000-7000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('withdraws an item: it leaves search and cannot be edited, while its versions stay readable', async () => {
    expect((await t.app.inject({ url: '/api/v1/catalog/items?q=个体工商户' })).json().total).toBe(1);
    const withdrawn = await send('POST', `/api/v1/catalog/items/${itemId}/withdraw`, editor, undefined);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ itemId, status: 'withdrawn', version: 2 });
    expect((await send('POST', `/api/v1/catalog/items/${itemId}/withdraw`, editor, undefined)).json().status).toBe('withdrawn');
    expect((await t.app.inject({ url: '/api/v1/catalog/items?q=个体工商户' })).json()).toMatchObject({ total: 0, items: [] });
    expect((await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().status).toBe('withdrawn');
    expect((await t.app.inject({ url: `/api/v1/catalog/versions/${firstVersionId}` })).statusCode).toBe(200);
    const edit = await send('PUT', `/api/v1/catalog/items/${itemId}`, editor, individualBusinessDefinition());
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('itemWithdrawn');
    const versions = await t.platform.db.selectFrom('serviceItemVersions').select('version').where('itemId', '=', itemId).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('documents the catalogue API in the OpenAPI description', async () => {
    const paths = Object.keys((await t.app.inject({ url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/catalog/items', '/api/v1/catalog/items/{id}', '/api/v1/catalog/items/{id}/versions/{version}', '/api/v1/catalog/bundles/{code}']));
  });
});
