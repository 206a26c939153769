import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { demoImplementationCode, seedCatalog } from '../demo/catalog.js';
import { staffSession } from '../identity/testing.js';
import { createServices, type Services } from '../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('the public service guide pages, without signing in', () => {
  let t: TestApp;
  let services: Services;
  const departments = new Map<string, string>();
  let individualBusinessId = '';

  const page = (url: string) => t.app.inject({ url, headers: { accept: 'text/html' } });
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    await seedCatalog(services, departments);
    individualBusinessId = (await services.catalog.itemByImplementationCode(demoImplementationCode('individualBusiness', 'SH-PD-SAMR')))!.itemId;
  });
  afterAll(() => t.close());

  it('offers a search form with labelled choices, the bundles and every item, in Chinese by default', async () => {
    const response = await page('/services');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const html = response.body;
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain('<h1>办事服务</h1>');
    const form = /<form[^>]*role="search"[^>]*>/.exec(html)?.[0] ?? '';
    expect(form).toContain('method="get"');
    expect(form).toContain('action="/services"');
    for (const name of ['q', 'region', 'theme', 'audience', 'itemType']) expect(html).toContain(`for="${name}"`);
    expect(html).toContain('<option value="310115">— 上海市 / 浦东新区</option>');
    expect(html).toContain('href="/services/bundles/open-restaurant"');
    expect(text(html)).toMatch(/找到 4\d 个事项/);
  });

  it('lists the search results with their figures and links to each item', async () => {
    const html = (await page('/services?q=%E4%B8%AA%E4%BD%93%E5%B7%A5%E5%95%86%E6%88%B7&region=310115')).body;
    expect(text(html)).toContain('找到 1 个事项');
    expect(html).toContain(`href="/services/${individualBusinessId}"`);
    expect(text(html)).toContain('零跑动');
    expect(text(html)).toContain('需提交材料 0 份（共 2 份，2 份免提交）');
    expect(html).toContain('<option value="310115" selected="">');
  });

  it('speaks English with ?lang=en', async () => {
    const html = (await page('/services?lang=en&theme=havingBaby')).body;
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('<h1>Find a service</h1>');
    expect(text(html)).toContain('6 services found');
    expect(text(html)).toContain('Birth registration');
  });

  it('pages through many results with links that keep the search', async () => {
    const first = (await page('/services?region=310115')).body;
    expect(first).toContain('href="/services?region=310115&amp;page=2"');
    const second = (await page('/services?region=310115&page=2')).body;
    expect(second).toContain('rel="prev"');
    expect(text(second)).toContain('第 11–19 个');
  });

  it('explains an unknown region against its field instead of failing', async () => {
    const response = await page('/services?region=999999');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#region"');
    expect(text(response.body)).toContain('请选择有效的行政区划');
  });

  it('shows an item with everything a person needs before applying, and the button to apply', async () => {
    const response = await page(`/services/${individualBusinessId}`);
    expect(response.statusCode).toBe(200);
    const body = text(response.body);
    expect(response.body).toContain('<h1>个体工商户设立登记</h1>');
    expect(response.body).toContain(`href="/applications/new?item=${individualBusinessId}"`);
    for (const expected of [
      '上海市浦东新区市场监督管理局 · 县级',
      '受理条件',
      '部门共享数据，免提交：居民身份信息',
      '从电子证照库调取：不动产权证书',
      '承诺办结时限 1 个工作日',
      '法定办结时限 3 个工作日',
      '到现场次数 0 次',
      '不收费',
      '《促进个体工商户发展条例》 国务院令第755号 第八条',
      '受理（经办人员）',
      '决定（审批人员）',
      '办结后签发电子证照“个体工商户营业执照”',
      '跨省通办',
      '申请人姓名 – 根据您的实名信息自动填写',
    ]) {
      expect(body).toContain(expected);
    }
    const en = text((await page(`/services/${individualBusinessId}?lang=en`)).body);
    expect(en).toContain('Individual business registration');
    expect(en).toContain('Apply online');
    expect(en).toContain('Shared by the government, nothing to provide: resident identity');
  });

  it('shows fees with their basis, and a visit with its reason', async () => {
    const licence = (await services.catalog.itemByImplementationCode(demoImplementationCode('drivingLicence', 'SH-TRAFFIC')))!;
    expect(text((await page(`/services/${licence.itemId}`)).body)).toContain('驾驶证工本费: 10.00 元 收费依据：《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》');
    const permit = (await services.catalog.itemByImplementationCode(demoImplementationCode('residencePermit', 'SH-PD-PSB')))!;
    const body = text((await page(`/services/${permit.itemId}`)).body);
    expect(body).toContain('跑动 1 次');
    expect(body).toContain('必须到现场的原因 首次申领需在派出所采集人像和指纹。');
  });

  it('marks an older version and a withdrawn item, without the button to apply', async () => {
    const editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: departments.get('SH-PD-SAMR'), regionCode: '310115' });
    const current = await services.catalog.getItem(individualBusinessId);
    const revised = await t.app.inject({ method: 'PUT', url: `/api/v1/catalog/items/${individualBusinessId}`, headers: { cookie: editor.cookie }, payload: { ...current.definition, promisedLimitDays: 0 } });
    expect(revised.statusCode).toBe(200);
    const older = (await page(`/services/${individualBusinessId}?version=1`)).body;
    expect(text(older)).toContain('这是第 1 版，已有更新的第 2 版。');
    expect(older).not.toContain('/applications/new');
    expect(text((await page(`/services/${individualBusinessId}`)).body)).toContain('承诺办结时限 即办');

    await t.app.inject({ method: 'POST', url: `/api/v1/catalog/items/${individualBusinessId}/withdraw`, headers: { cookie: editor.cookie }, payload: {} });
    const withdrawn = (await page(`/services/${individualBusinessId}`)).body;
    expect(text(withdrawn)).toContain('这个事项已停止办理');
    expect(withdrawn).not.toContain('/applications/new');
  });

  it('shows a bundle with its items, the combined materials and form, and the button to apply for all', async () => {
    const response = await page('/services/bundles/having-baby');
    expect(response.statusCode).toBe(200);
    const body = text(response.body);
    expect(response.body).toContain('<h1>出生一件事</h1>');
    expect(response.body).toContain('href="/applications/new?bundle=having-baby"');
    expect(body).toContain('涉及 4 个部门');
    expect(body).toContain('用于：新生儿出生登记（落户）、新生儿城乡居民医保参保登记、新生儿社会保障卡申领');
    expect(body.match(/新生儿姓名/g)).toHaveLength(1);
    const en = text((await page('/services/bundles/open-restaurant?lang=en')).body);
    expect(en).toContain('Opening a restaurant');
    expect(en).toContain('Apply for all of them');
    const list = (await page('/services/bundles')).body;
    expect(list).toContain('href="/services/bundles/having-baby"');
  });

  it('answers 404 pages for an item or bundle that does not exist', async () => {
    for (const url of ['/services/01900000-0000-7000-8000-000000000000', '/services/bundles/no-such-thing', '/services/%3Cscript%3E']) {
      const response = await page(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('text/html');
    }
  });
});
