import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageClient } from '../applications/pages/testing.js';
import { createTestApp } from '../core/testing.js';
import { staffSession } from '../identity/testing.js';
import { createServices } from '../services.js';
import { combineBundle, commitmentTextOf } from './model.js';
import type { ItemVersionView } from './schema.js';
import { individualBusinessDefinition, uploadMaterial } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('a material a credit commitment (信用承诺) may replace', () => {
  it('has the standard commitment naming the material, or the words the item gives', () => {
    const premises = uploadMaterial('premisesProof', { name: { 'zh-CN': '经营场所使用证明', en: 'Proof of premises' } });
    expect(commitmentTextOf(premises)).toBeUndefined();
    const standard = commitmentTextOf({ ...premises, commitmentAllowed: true })!;
    expect(standard['zh-CN']).toContain('“经营场所使用证明”');
    expect(standard.en).toContain('"Proof of premises"');
    const own = { 'zh-CN': '本人承诺场所真实。', en: 'I commit the premises are real.' };
    expect(commitmentTextOf({ ...premises, commitmentAllowed: true, commitmentText: own })).toEqual(own);
  });

  it('in a bundle, accepts a commitment only if every item asking the material does', () => {
    const item = (itemId: string, allowed: boolean): Pick<ItemVersionView, 'itemId' | 'definition'> => ({
      itemId,
      definition: individualBusinessDefinition({ materials: [uploadMaterial('premisesProof', allowed ? { commitmentAllowed: true } : {}), uploadMaterial(`own${itemId}`, { commitmentAllowed: allowed })] }),
    });
    const both = combineBundle([item('a', true), item('b', true)]);
    expect(both.materials.find((m) => m.key === 'premisesProof')).toMatchObject({ commitmentAllowed: true });
    const one = combineBundle([item('a', true), item('b', false)]);
    expect(one.conflicts).toEqual([]);
    expect(one.materials.find((m) => m.key === 'premisesProof')!.commitmentAllowed).toBeUndefined();
    expect(combineBundle([item('a', false), item('b', true)]).materials.find((m) => m.key === 'premisesProof')!.commitmentAllowed).toBeUndefined();
    // A material only one item asks keeps that item's choice.
    expect(one.materials.find((m) => m.key === 'owna')).toMatchObject({ commitmentAllowed: true });
  });

  it('in a bundle, offers one combined commitment when every department words it the same, and each one\'s own words otherwise', () => {
    const same = { 'zh-CN': '本人承诺经营场所真实。', en: 'I commit the premises are real.' };
    const item = (itemId: string, name: string, text?: { 'zh-CN': string; en: string }): Pick<ItemVersionView, 'itemId' | 'definition'> => ({
      itemId,
      definition: individualBusinessDefinition({ name: { 'zh-CN': name, en: name }, materials: [uploadMaterial('premisesProof', { commitmentAllowed: true, ...(text ? { commitmentText: text } : {}) })] }),
    });
    const alike = combineBundle([item('a', '甲', same), item('b', '乙', same)]).materials[0]!;
    expect(alike.commitmentText).toEqual(same);
    expect(alike.commitmentTexts).toBeUndefined();
    // The second department uses the standard words: the applicant sees both, each with its item.
    const differ = combineBundle([item('a', '甲', same), item('b', '乙'), item('c', '丙', same)]).materials[0]!;
    expect(differ.commitmentAllowed).toBe(true);
    expect(differ.commitmentText).toBeUndefined();
    expect(differ.commitmentTexts).toEqual([
      { itemIds: ['a', 'c'], itemNames: [{ 'zh-CN': '甲', en: '甲' }, { 'zh-CN': '丙', en: '丙' }], text: same },
      { itemIds: ['b'], itemNames: [{ 'zh-CN': '乙', en: '乙' }], text: commitmentTextOf({ ...uploadMaterial('premisesProof'), commitmentAllowed: true }) },
    ]);
  });
});

describe("the catalogue editor's credit commitment page", () => {
  let t: TestApp;
  let editor: Awaited<ReturnType<typeof staffSession>>;
  let otherEditor: Awaited<ReturnType<typeof staffSession>>;
  let officer: Awaited<ReturnType<typeof staffSession>>;
  let itemId = '';
  const { get, postForm } = pageClient(() => t);
  const pageUrl = () => `/workbench/catalog/items/${itemId}/commitments`;

  beforeAll(async () => {
    t = await createTestApp();
    const services = createServices(t.platform);
    const department = await services.identity.createDepartment({ code: 'CAT-COMMIT-1', nameZh: '浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation', level: 'county', regionCode: '310115' });
    const other = await services.identity.createDepartment({ code: 'CAT-COMMIT-2', nameZh: '黄浦区市场监督管理局', nameEn: 'Huangpu Market Regulation', level: 'county', regionCode: '310101' });
    editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: department.id });
    otherEditor = await staffSession(t, { roles: ['catalogEditor'], departmentId: other.id, regionCode: '310101' });
    officer = await staffSession(t, { roles: ['officer'], departmentId: department.id });
    const published = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: { cookie: editor.cookie }, payload: individualBusinessDefinition() });
    expect(published.statusCode).toBe(201);
    itemId = published.json().itemId;
  }, 180_000);
  // When the setup fails (or times out on a loaded machine), report that failure, not a missing app.
  afterAll(() => t?.close());

  it("lists the department's items, and lets only its catalogue editors in", async () => {
    const list = await get('/workbench/catalog', editor.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="${pageUrl()}"`);
    expect(list.body).toContain('<caption');
    expect((await get('/workbench/catalog', officer.cookie)).statusCode).toBe(403);
    expect((await get(pageUrl(), otherEditor.cookie)).statusCode).toBe(404);
    expect((await get('/workbench/catalog')).headers.location).toBe('/staff/login?next=%2Fworkbench%2Fcatalog');
  });

  it('offers a commitment only for materials the applicant provides, not for government data', async () => {
    const page = await get(pageUrl(), editor.cookie);
    expect(page.body).toContain('name="commitment-premisesProof"');
    expect(page.body).not.toContain('name="commitment-residentIdentity"');
    expect(page.body).toContain('由部门共享数据提供的材料');
  });

  it('names the empty language of a half-written commitment, and saves nothing', async () => {
    const response = await postForm(pageUrl(), pageUrl(), editor.cookie, { 'commitment-premisesProof': 'yes', 'commitmentText-premisesProof-zh': '本人承诺经营场所真实。', 'commitmentText-premisesProof-en': '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#commitmentText-premisesProof-en"');
    expect((await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().version).toBe(1);
  });

  it('saves the choice as a new version, which the public guide shows', async () => {
    const response = await postForm(pageUrl(), pageUrl(), editor.cookie, {
      'commitment-premisesProof': 'yes',
      'commitmentText-premisesProof-zh': '本人承诺经营场所真实、合法。',
      'commitmentText-premisesProof-en': 'I commit that the premises are real and lawful.',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${pageUrl()}?saved=1`);
    const item = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json();
    expect(item.version).toBe(2);
    expect(item.definition.materials.find((m: { key: string }) => m.key === 'premisesProof')).toMatchObject({
      commitmentAllowed: true,
      commitmentText: { 'zh-CN': '本人承诺经营场所真实、合法。', en: 'I commit that the premises are real and lawful.' },
    });
    // Version 1, under which applications may have been made, is unchanged.
    const first = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}/versions/1` })).json();
    expect(first.definition.materials.find((m: { key: string }) => m.key === 'premisesProof').commitmentAllowed).toBeUndefined();
    const saved = await get(`${pageUrl()}?saved=1`, editor.cookie);
    expect(saved.body).toContain('已保存，事项当前为第 2 版');
    expect(saved.body).toMatch(/id="commitment-premisesProof"[^>]*checked/);
    const guide = await get(`/services/${itemId}`);
    expect(guide.body).toContain('可以信用承诺代替');

    // Unticking it takes the commitment away again.
    await postForm(pageUrl(), pageUrl(), editor.cookie, {});
    const third = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json();
    expect(third.version).toBe(3);
    expect(third.definition.materials.find((m: { key: string }) => m.key === 'premisesProof').commitmentAllowed).toBeUndefined();
  });

  it('makes no new version when a save changes nothing', async () => {
    const before = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().version;
    const page = await get(pageUrl(), editor.cookie);
    expect(page.body).toContain(`name="expectedVersion" value="${before}"`);
    const response = await postForm(pageUrl(), pageUrl(), editor.cookie, { expectedVersion: String(before) });
    expect(response.headers.location).toBe(`${pageUrl()}?unchanged=1`);
    expect((await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().version).toBe(before);
    expect((await get(`${pageUrl()}?unchanged=1`, editor.cookie)).body).toContain(`没有修改，事项仍为第 ${before} 版`);
  });

  it('refuses to save over a version someone saved meanwhile, and shows the current one', async () => {
    const seen = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json().version as number;
    // A colleague ticks the material in another tab first.
    expect((await postForm(pageUrl(), pageUrl(), editor.cookie, { expectedVersion: String(seen), 'commitment-premisesProof': 'yes' })).statusCode).toBe(303);
    const stale = await postForm(pageUrl(), pageUrl(), editor.cookie, { expectedVersion: String(seen), 'commitmentText-premisesProof-zh': '过时的修改', 'commitmentText-premisesProof-en': 'A stale change' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain(`您修改的是第 ${seen} 版，其间已有人保存了第 ${seen + 1} 版`);
    // The summary links to the form's first control; the form shows the version saved meanwhile, to be changed again.
    expect(stale.body).toContain('href="#commitment-premisesProof"');
    expect(stale.body).toMatch(/id="commitment-premisesProof"[^>]*checked/);
    expect(stale.body).toContain(`name="expectedVersion" value="${seen + 1}"`);
    expect(stale.body).not.toContain('过时的修改');
    const item = (await t.app.inject({ url: `/api/v1/catalog/items/${itemId}` })).json();
    expect(item.version).toBe(seen + 1);
    expect(item.definition.materials.find((m: { key: string }) => m.key === 'premisesProof').commitmentText).toBeUndefined();
  });

  it('pages through a department with more items than one page holds', async () => {
    const services = createServices(t.platform);
    const department = await services.identity.createDepartment({ code: 'CAT-COMMIT-3', nameZh: '静安区市场监督管理局', nameEn: 'Jing\'an Market Regulation', level: 'county', regionCode: '310106' });
    const busy = await staffSession(t, { roles: ['catalogEditor'], departmentId: department.id, regionCode: '310106' });
    for (let i = 1; i <= 51; i++) {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: { cookie: busy.cookie }, payload: individualBusinessDefinition({ implementationCode: `TEST-310106-IB-${String(i).padStart(3, '0')}` }) });
      expect(created.statusCode).toBe(201);
    }
    const first = await get('/workbench/catalog', busy.cookie);
    const links = (html: string) => html.match(/href="\/workbench\/catalog\/items\/[^"]+\/commitments"/g) ?? [];
    expect(links(first.body)).toHaveLength(50);
    expect(first.body).toContain('href="/workbench/catalog?page=2" rel="next"');
    const second = await get('/workbench/catalog?page=2', busy.cookie);
    expect(links(second.body)).toHaveLength(1);
    expect(second.body).toContain('href="/workbench/catalog?page=1" rel="prev"');
    expect(new Set([...links(first.body), ...links(second.body)]).size).toBe(51);
  });
});
