import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import type { PolicyDocument } from '../../src/policies/format/schema.js';
import { enterpriseWithFacts, policyDepartment, policyFile, samplePolicy } from '../../src/policies/testing.js';
import { launchChromium, mainText, pageChecker, screenshots } from './browser.js';

/**
 * The policy zone's pages in real Chromium (issue 4): an anonymous visitor screens her business,
 * reads why each policy fits or not, answers the question asked and sees the outcome change; an
 * enterprise reads its matches and answers a question; a policy officer imports a file with a
 * mistake (each shown with its JSON path), then a good one, and a second officer publishes it.
 * axe-core checks every page.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Each journey drives several pages through axe and screenshots; on a busy two-core machine that outlasts the default 30 s. */
const JOURNEY_TIMEOUT = 120_000;

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let officers: Awaited<ReturnType<typeof policyDepartment>>;
let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;

const PASSWORD = 'long-enough-password-2026';
const SMALL_TAX = '小型微利企业所得税优惠';

const smallTax = samplePolicy({ code: 'E2E-SMALL-TAX', regions: ['310000'], documentNumber: '财政部 税务总局公告2023年第6号' });
const vat = samplePolicy({
  code: 'E2E-VAT',
  title: { 'zh-CN': '小规模纳税人增值税减免', en: 'VAT relief for small-scale taxpayers' },
  mode: 'automatic',
  eligibility: {
    all: [
      { fact: 'taxpayerType', op: 'eq', value: 'smallScale', label: { 'zh-CN': '增值税小规模纳税人', en: 'Small-scale VAT taxpayer' } },
      { fact: 'operatingRevenue', op: 'lte', value: 1_200_000 },
    ],
  },
  benefit: { description: { 'zh-CN': '免征增值税', en: 'No VAT' }, formula: 'operatingRevenue * 0.01' },
  examples: [
    { name: '便利店', facts: { taxpayerType: 'smallScale', operatingRevenue: 960_000 }, expected: 'eligible', benefitAmount: 9_600 },
    { name: '一般纳税人', facts: { taxpayerType: 'general', operatingRevenue: 960_000 }, expected: 'ineligible' },
  ],
});

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  officers = await policyDepartment(t);
  const documents: PolicyDocument[] = [smallTax, vat];
  const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie: officers.author.cookie }, payload: policyFile(documents) });
  if (imported.statusCode !== 200) throw new Error(imported.body);
  for (const { code } of documents) {
    await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/submit`, headers: { cookie: officers.author.cookie }, payload: {} });
    await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/review`, headers: { cookie: officers.reviewer.cookie }, payload: { approve: true } });
  }
  enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_200_000, untrustworthy: false, taxpayerType: 'smallScale', operatingRevenue: 2_000_000 }, { name: '上海浦东示例软件有限公司' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(): Promise<Page> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run scripts.
  const context = await browser.newContext({ bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return context.newPage();
}

const check = pageChecker('policy');

async function signIn(page: Page, login: string, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('身份号码或手机号码').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === next);
}

/** Staff sign in with password and the authenticator's code (each code counts once, so the clock moves to a fresh step). */
async function staffSignIn(page: Page, staff: { username: string; password: string; secret: string }): Promise<void> {
  t.clock.advance(30_000);
  await page.goto('/workbench/policies');
  await page.waitForURL(/\/staff\/login\?next=/);
  await page.getByLabel('用户名').fill(staff.username);
  await page.getByLabel('密码', { exact: true }).fill(staff.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/login\/totp/);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate({ timestamp: t.clock.now().getTime() });
  await page.getByLabel('输入动态验证码').fill(code);
  await page.getByRole('button', { name: '继续' }).click();
  await page.waitForURL((url) => url.pathname === '/workbench/policies');
}

describe('an anonymous visitor screens her business', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage();
  });
  afterAll(() => page.context().close());

  it('finds the library and the screener without signing in', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '惠企政策' }).click();
    await page.waitForURL('**/policies');
    const text = await mainText(page);
    expect(text).toContain(SMALL_TAX);
    expect(text).toContain('免申即享');
    await check(page, 'library');
    await page.getByLabel('享受方式').selectOption('automatic');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL((url) => url.searchParams.get('mode') === 'automatic');
    expect(await mainText(page)).not.toContain(SMALL_TAX);
    await page.getByRole('link', { name: '看看哪些政策适合我的企业' }).click();
    await page.waitForURL('**/policies/screener');
    await check(page, 'screener');
  }, JOURNEY_TIMEOUT);

  it('answers, reads each condition explained, answers the question asked, and the outcome changes', async () => {
    await page.getByLabel('所在省份').selectOption({ label: '上海市' });
    await page.getByLabel('所属行业').fill('6513');
    await page.getByLabel('从业人员数').fill('20');
    await page.getByLabel('应纳税所得额（元）').fill('1,000,000');
    await page.getByRole('button', { name: '查看匹配结果' }).click();
    await page.waitForURL((url) => url.searchParams.get('province') === '310000');
    // Now the county can be chosen too.
    await page.getByLabel('所在市、区县').selectOption({ label: '浦东新区' });
    await page.getByRole('button', { name: '查看匹配结果' }).click();
    await page.waitForURL((url) => url.searchParams.get('region') === '310115');

    const undetermined = page.locator('section', { has: page.locator('#undetermined-heading') });
    const result = undetermined.locator('.policy-result', { hasText: SMALL_TAX });
    const explained = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(explained).toContain('还需要知道：列入失信名单');
    expect(explained).toContain('判断标准：应纳税所得额不超过3,000,000元；您的情况：1,000,000元');
    expect(explained).toContain('从业人员数不超过300人');
    await check(page, 'screener-results');

    const questions = page.locator('form.questions');
    await questions.getByRole('group', { name: '列入失信名单' }).getByLabel('否').check();
    await questions.getByRole('button', { name: '更新结果' }).click();
    await page.waitForURL((url) => url.searchParams.get('untrustworthy') === 'false');

    const eligible = page.locator('section', { has: page.locator('#eligible-heading') });
    const now = ((await eligible.locator('.policy-result', { hasText: SMALL_TAX }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(now).toContain('符合');
    expect(now).toContain('预计可享受：50,000元');
    // Earlier answers travelled with the question.
    expect(await page.getByLabel('应纳税所得额（元）').first().inputValue()).toBe('1000000');
    await check(page, 'screener-answered');

    await eligible.getByRole('link', { name: SMALL_TAX }).click();
    await page.waitForURL('**/policies/E2E-SMALL-TAX');
    expect(await mainText(page)).toContain('财政部 税务总局公告2023年第6号');
    await check(page, 'policy');
  }, JOURNEY_TIMEOUT);
});

describe('an enterprise reads its matches', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage();
  });
  afterAll(() => page.context().close());

  it('sees eligible policies with their explanations, answers the question asked, and is matched again', async () => {
    await signIn(page, enterprise.representative.phone, '/enterprises');
    await page.getByRole('link', { name: '惠企政策', exact: true }).last().click();
    await page.waitForURL(`**/enterprises/${enterprise.id}/policies`);
    const text = await mainText(page);
    expect(text).toContain('上海浦东示例软件有限公司');
    // Revenue of 2 million is above the VAT relief's limit: one condition short, and which one.
    const nearMisses = ((await page.locator('section', { has: page.locator('#near-misses-heading') }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(nearMisses).toContain('小规模纳税人增值税减免');
    expect(nearMisses).toContain('差一个条件：营业收入不超过1,200,000元（2,000,000元）');
    await check(page, 'my-policies');

    const questions = page.locator('#questions');
    await questions.getByLabel('从业人员数').fill('25');
    await questions.getByRole('button', { name: '保存并重新匹配' }).click();
    await page.waitForURL((url) => url.searchParams.get('saved') === '1');
    expect(await page.locator('main [role="status"]').textContent()).toContain('已保存您的回答');
    const eligible = ((await page.locator('section', { has: page.locator('#eligible-heading') }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(eligible).toContain(SMALL_TAX);
    expect(eligible).toContain('预计可享受：60,000元');
    await check(page, 'my-policies-answered');

    await page.goto('/policies/E2E-SMALL-TAX');
    expect(await mainText(page)).toContain('上海浦东示例软件有限公司： 符合');
    await check(page, 'policy-for-enterprise');
  }, JOURNEY_TIMEOUT);
});

describe('policy officers import, review and publish', () => {
  const code = 'E2E-IMPORTED';
  const good = samplePolicy({ code, title: { 'zh-CN': '稳岗返还（示例）', en: 'Job-retention refund (example)' }, regions: ['310000'] });
  const mistaken = { ...good, eligibility: { all: [{ fact: 'turnover', op: 'gt', value: 1 }, { fact: 'region', op: 'within', value: '999999' }] } };

  it('the author imports a file with mistakes, reads each with its path, then a good one, and submits it', async () => {
    const page = await newPage();
    await staffSignIn(page, officers.author);
    await check(page, 'officer-list');
    await page.getByRole('link', { name: '导入政策文件' }).click();
    await page.waitForURL('**/workbench/policies/import');
    await check(page, 'officer-import');

    await page.getByLabel('或者粘贴文件内容').fill(JSON.stringify(policyFile([mistaken as PolicyDocument]), null, 2));
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.waitForSelector('#problems');
    const problems = ((await page.locator('#problems').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(problems).toContain('/policies/0/eligibility/all/0/fact');
    expect(problems).toContain('/policies/0/eligibility/all/1/value');
    expect(problems).toContain(`第 1 项政策（${code}）`);
    expect(await page.locator('.error-summary').textContent()).toContain('未导入任何政策');
    await check(page, 'officer-import-problems');

    await page.getByLabel('或者粘贴文件内容').fill(JSON.stringify(policyFile([good])));
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/workbench/policies' && url.searchParams.get('imported') === '1');
    expect(await page.locator('main [role="status"]').textContent()).toContain(`新建 1 项（${code}）`);
    await page.getByRole('link', { name: code, exact: true }).click();
    await page.waitForURL(`**/workbench/policies/${code}`);
    await check(page, 'officer-policy');
    await page.locator('#action-submit').getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'submit');
    expect(await mainText(page)).toContain('第 1 版：审核中');
    await page.context().close();
  }, JOURNEY_TIMEOUT);

  it('a second officer approves and publishes it; the public sees it', async () => {
    const page = await newPage();
    await staffSignIn(page, officers.reviewer);
    await page.goto(`/workbench/policies/${code}`);
    const review = page.locator('#action-review');
    await review.getByLabel('通过并发布').check();
    await review.getByLabel('审核意见').fill('条件与文件一致，同意发布。');
    await check(page, 'officer-review');
    await review.getByRole('button', { name: '提交审核结论' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'approve');
    expect(await page.locator('main [role="status"]').textContent()).toBe('已通过并发布。');
    expect(await mainText(page)).toContain('条件与文件一致，同意发布。');
    await page.getByRole('link', { name: `/policies/${code}` }).click();
    await page.waitForURL(`**/policies/${code}`);
    expect(await page.locator('h1').textContent()).toBe('稳岗返还（示例）');
    await page.context().close();
  }, JOURNEY_TIMEOUT);
});
