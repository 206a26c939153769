import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { publishPolicies } from '../../src/policies/loop/testing.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../../src/policies/testing.js';
import { createServices, type Services } from '../../src/services.js';
import { launchChromium, mainText, pageChecker } from './browser.js';

/**
 * The loop of issue 4 in real Chromium: an enterprise told of a policy it qualifies for asks the
 * issuing department a question (first forgetting to write it), a policy officer finds it among
 * the open questions with its deadline and answers, the enterprise reads the answer and rates it
 * and the policy; the officer reads the policy's analytics. The enterprise also opts out of a
 * category of notifications. axe-core checks every page.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let t: TestApp;
let services: Services;
let browser: Browser;
let baseUrl: string;
let officers: Awaited<ReturnType<typeof policyDepartment>>;
let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;

const PASSWORD = 'long-enough-password-2026';
const TITLE = '小型微利企业所得税优惠（闭环测试）';
const QUESTION = '我们的应纳税所得额按哪一年度计算？';
const ANSWER = '按企业所得税汇算清缴所属年度计算。';
const policy = samplePolicy({ code: 'E2E-LOOP-TAX', title: { 'zh-CN': TITLE, en: 'Small low-profit enterprise income tax relief (loop test)' }, regions: ['310000'] });

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  services = createServices(t.platform);
  officers = await policyDepartment(t);
  enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_000_000, employees: 20, untrustworthy: false }, { name: '上海浦东闭环示例科技有限公司' });
  await publishPolicies(t, officers, [policy]);
  // The publication's push: the enterprise qualifies and is told.
  await services.jobs.runDue();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run scripts.
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

const check = pageChecker('policy-loop');

async function signIn(page: Page, login: string, next: string): Promise<void> {
  await page.goto(next);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('身份号码或手机号码').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === next);
}

/** Staff sign in with password and the authenticator's code (each code counts once, so the clock moves to a fresh step). */
async function staffSignIn(page: Page, staff: { username: string; password: string; secret: string }, next: string): Promise<void> {
  t.clock.advance(30_000);
  await page.goto(next);
  await page.waitForURL(/\/staff\/login\?next=/);
  await page.getByLabel('用户名').fill(staff.username);
  await page.getByLabel('密码', { exact: true }).fill(staff.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/login\/totp/);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate({ timestamp: t.clock.now().getTime() });
  await page.getByLabel('输入动态验证码').fill(code);
  await page.getByRole('button', { name: '继续' }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === next);
}

describe('an inquiry asked, answered and rated; the policy owner reads the analytics', () => {
  let enterprisePage: Page;
  let officerPage: Page;
  const inquiries = () => `/enterprises/${enterprise.id}/policy-inquiries`;

  beforeAll(async () => {
    enterprisePage = (await newPage()).page;
    officerPage = (await newPage()).page;
  });
  afterAll(async () => {
    await enterprisePage.context().close();
    await officerPage.context().close();
  });

  it('the enterprise was told it qualifies, and asks the department a question', async () => {
    const page = enterprisePage;
    await signIn(page, enterprise.representative.phone, '/account/inbox');
    expect(await mainText(page)).toContain(`${enterprise.name}符合“${TITLE}”的条件`);

    await page.goto(`${inquiries()}?policy=${policy.code}`);
    expect(await page.getByLabel('政策', { exact: true }).inputValue()).toBe(policy.code);
    await check(page, 'enterprise-inquiries');
    // Sent without the question: the error summary says what is missing and links to the field.
    await page.getByRole('button', { name: '提交问题' }).click();
    await page.waitForURL((url) => url.pathname === inquiries());
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('请填写此项。');
    expect(await page.title()).toMatch(/^错误：/);
    await check(page, 'enterprise-inquiries-error');
    await summary.getByRole('link', { name: '请填写此项。' }).click();
    await page.getByLabel('问题', { exact: true }).fill(QUESTION);
    await page.getByRole('button', { name: '提交问题' }).click();
    await page.waitForURL((url) => url.pathname.startsWith(`${inquiries()}/`) && url.searchParams.get('asked') === '1');
    expect(await page.getByRole('status').textContent()).toBe('问题已提交。');
    const text = await mainText(page);
    expect(text).toContain(QUESTION);
    expect(text).toContain('待答复');
    expect(text).toMatch(/部门将在 \d{4}-\d{2}-\d{2} 前答复/);
    await check(page, 'enterprise-inquiry-asked');
  });

  it('a policy officer finds it among the open questions with its deadline, and answers', async () => {
    const page = officerPage;
    await staffSignIn(page, officers.author, '/department/policy-inquiries');
    const row = page.locator('table tbody tr', { hasText: enterprise.name });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(TITLE);
    expect(await row.textContent()).not.toContain('已逾期');
    await check(page, 'officer-inquiries');
    await row.getByRole('link', { name: `答复${enterprise.name}关于“${TITLE}”的咨询` }).click();
    await page.waitForURL(/\/department\/policy-inquiries\/[\w-]+$/);
    expect(await mainText(page)).toContain(QUESTION);
    await check(page, 'officer-inquiry');
    await page.getByLabel('答复', { exact: true }).fill(ANSWER);
    await page.getByRole('button', { name: '发送答复' }).click();
    await page.waitForURL((url) => url.searchParams.get('answered') === '1');
    expect(await page.getByRole('status').textContent()).toBe('答复已发送，企业已收到通知。');
    expect(await mainText(page)).toContain('（按期）');
    await page.goto('/department/policy-inquiries');
    expect(await mainText(page)).toContain('没有符合条件的咨询。');
  });

  it('the enterprise is told, reads the answer and rates it and the policy', async () => {
    const page = enterprisePage;
    await page.goto('/account/inbox');
    expect(await mainText(page)).toContain('您的政策咨询已答复');
    await page.goto(inquiries());
    const row = page.locator('table tbody tr', { hasText: TITLE });
    expect(await row.textContent()).toContain('已答复，待评价');
    await row.getByRole('link').click();
    await page.waitForURL(/\/policy-inquiries\/[\w-]+$/);
    expect(await mainText(page)).toContain(ANSWER);
    await check(page, 'enterprise-inquiry-answered');
    await page.getByRole('group', { name: '您对答复的评价' }).getByLabel('4 满意').check();
    await page.getByRole('group', { name: '您的问题解决了吗？' }).getByLabel('已解决').check();
    await page.getByRole('group', { name: '您对这项政策的满意度' }).getByLabel('5 非常满意').check();
    await page.getByLabel('对政策的意见和建议').fill('希望把申报期限写得更醒目。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.waitForURL((url) => url.searchParams.get('rated') === '1');
    expect(await page.getByRole('status').textContent()).toBe('感谢您的评价。');
    const text = await mainText(page);
    expect(text).toContain('4 满意');
    expect(text).toContain('已解决');
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await check(page, 'enterprise-inquiry-rated');
  });

  it('the enterprise opts out of one category of notifications', async () => {
    const page = enterprisePage;
    await page.goto(inquiries());
    await page.getByRole('link', { name: '政策推送设置' }).click();
    await page.waitForURL(`**/enterprises/${enterprise.id}/policy-notifications`);
    await check(page, 'enterprise-settings');
    await page.getByLabel('房租减免').uncheck();
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.waitForURL((url) => url.searchParams.get('saved') === '1');
    expect(await page.getByLabel('房租减免').isChecked()).toBe(false);
    expect(await page.getByLabel('税收优惠').isChecked()).toBe(true);
    const saved = await page.request.get(`/api/v1/enterprises/${enterprise.id}/policy-push-settings`);
    expect((await saved.json()).categories.filter((c: { notify: boolean }) => !c.notify)).toEqual([{ category: 'rent', notify: false }]);
  });

  it('the policy officer reads the analytics of the policy', async () => {
    const page = officerPage;
    await page.goto('/department/policy-analytics');
    const row = page.locator('table tbody tr', { hasText: TITLE });
    expect(await row.count()).toBe(1);
    await check(page, 'analytics-overview');
    await row.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`**/department/policy-analytics/${policy.code}`);
    const text = await mainText(page);
    expect(text).toContain(`${TITLE}：政策分析`);
    expect(text).toContain('已匹配的企业1');
    expect(text).toContain('平均 4 分（1 个评价）');
    expect(text).toContain('希望把申报期限写得更醒目。');
    await check(page, 'analytics');
  });
});

describe('without JavaScript', () => {
  it('an enterprise asks a question with the plain form', async () => {
    const { context, page } = await newPage(false);
    await signIn(page, enterprise.representative.phone, inquiries());
    await page.getByLabel('政策', { exact: true }).selectOption(policy.code);
    await page.getByLabel('问题', { exact: true }).fill('申报截止时间是哪天？');
    await page.getByRole('button', { name: '提交问题' }).click();
    await page.waitForURL((url) => url.searchParams.get('asked') === '1');
    expect(await mainText(page)).toContain('申报截止时间是哪天？');
    await context.close();
  });
});

function inquiries(): string {
  return `/enterprises/${enterprise.id}/policy-inquiries`;
}
