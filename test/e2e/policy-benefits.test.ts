import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { enterpriseWithFacts } from '../../src/policies/testing.js';
import { claimablePolicy, jobRetentionRefund, publishPolicies } from '../../src/policies/benefits/testing.js';
import { launchChromium, pageChecker } from './browser.js';

/**
 * Issue 4's claims and grants in real Chromium: an enterprise claims a policy from its claim page
 * and the district bureau approves the application through its workbench; a policy officer scans
 * the population for a grant without application, approves the list, and the enterprise sees it.
 * axe-core checks every page on the way.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Each journey drives several pages, each checked by axe-core and photographed at two widths. */
const BROWSER_TIMEOUT = 180_000;

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let setup: Awaited<ReturnType<typeof claimablePolicy>>;
let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;
const refund = jobRetentionRefund();

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  setup = await claimablePolicy(t);
  await publishPolicies(t, setup.officers, [refund]);
  enterprise = await enterpriseWithFacts(
    t,
    { region: '310115', industry: '6513', taxableIncome: 1_200_000, employees: 40, untrustworthy: false, insuredEmployees: 38, layoffRate: 0, unemploymentInsurancePaid: 48_000 },
    { name: '上海浦东示例软件有限公司' },
  );
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A browser signed in with a session made through the API (sign-in pages have their own journeys). */
async function pageWith(cookie: string): Promise<Page> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run inline scripts.
  const context = await browser.newContext({ bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: baseUrl }]);
  return context.newPage();
}

const check = pageChecker('policy-benefits');

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

/** One step of the flow from the application's workbench page, through the step's own form. */
async function act(page: Page, action: string): Promise<void> {
  await page.locator(`#action-${action}`).getByRole('button').first().click();
  await page.waitForURL((url) => url.searchParams.get('done') === action);
}

describe('an enterprise claims a policy in one step and the bureau approves the application', () => {
  let applicationId = '';

  it('the claim page re-checks eligibility, asks only for the bank account, and submits the application', async () => {
    const page = await pageWith(enterprise.representative.cookie);
    await page.goto(`/policies/${setup.policy.code}/claim?enterprise=${enterprise.id}`);
    expect(await page.locator('h1').textContent()).toBe('申请兑现：小型微利企业所得税优惠');
    const text = await mainText(page);
    expect(text).toContain('符合');
    expect(text).toMatch(/60,000\.00\s?元/);
    expect(await page.locator('#form-enterpriseName').count()).toBe(0);
    await check(page, 'claim');

    // Submitting without the account is refused next to the question, nothing is claimed.
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForSelector('.error-summary');
    await check(page, 'claim-error');
    await page.getByLabel('单位银行账号').fill('6222020200112233');
    await page.locator('#material-businessRegistration').check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL((url) => url.pathname === `/enterprises/${enterprise.id}/benefits`);
    const notice = (await page.locator('main [role="status"]').textContent()) ?? '';
    expect(notice).toContain('小型微利企业所得税优惠');
    const link = page.locator('main a[href^="/applications/"]').first();
    applicationId = (await link.getAttribute('href'))!.split('/').at(-1)!;
    expect(notice).toContain((await link.textContent())!.trim());
    await check(page, 'benefits-claimed');
    await page.context().close();
  }, BROWSER_TIMEOUT);

  it('the bureau accepts, reviews and approves it in its ordinary workbench; the enterprise sees the decision', async () => {
    const officer = await pageWith(setup.bureau.officer.cookie);
    await officer.goto('/workbench');
    await officer.locator(`a[href="/workbench/applications/${applicationId}"]`).click();
    await officer.waitForURL(`**/workbench/applications/${applicationId}`);
    expect(await mainText(officer)).toContain('6222020200112233');
    await act(officer, 'accept');
    await act(officer, 'startReview');
    const approver = await pageWith(setup.bureau.approver.cookie);
    await approver.goto(`/workbench/applications/${applicationId}`);
    await act(approver, 'approve');
    await officer.goto(`/workbench/applications/${applicationId}`);
    await act(officer, 'conclude');
    await officer.context().close();
    await approver.context().close();

    const page = await pageWith(enterprise.representative.cookie);
    await page.goto(`/enterprises/${enterprise.id}/benefits`);
    expect(await page.locator('table').first().textContent()).toContain('已办结');
    await page.context().close();
  }, BROWSER_TIMEOUT);
});

describe('a policy officer grants without application and the enterprise sees the grant', () => {
  it('scans, reviews the list with amounts, approves it; the enterprise is told and sees it', async () => {
    const page = await pageWith(setup.officers.author.cookie);
    await page.goto('/workbench/policy-grants');
    await check(page, 'grants-home');
    await page.getByRole('link', { name: '失业保险稳岗返还' }).click();
    await page.waitForURL(`**/workbench/policy-grants/${refund.code}`);
    await check(page, 'grants-policy');
    await page.getByRole('button', { name: '开始筛查' }).click();
    await page.waitForURL(/\/workbench\/policy-grant-batches\/[\w-]+$/);
    const row = page.locator('tbody tr', { hasText: enterprise.uscc });
    // 48,000 yuan of contributions, 90 % back in Pudong.
    expect(await row.textContent()).toMatch(/43,200\.00\s?元/);
    expect(await page.getByRole('link', { name: '下载名单（CSV）' }).getAttribute('href')).toMatch(/\/export$/);
    await check(page, 'grants-batch');
    await page.getByRole('button', { name: '批准兑现' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'approved');
    expect(await page.locator('main [role="status"]').textContent()).toMatch(/^已批准：向 1 家企业兑现/);
    await check(page, 'grants-approved');
    await page.context().close();

    const mine = await pageWith(enterprise.representative.cookie);
    await mine.goto('/account/inbox');
    expect(await mainText(mine)).toContain('政策已兑现：失业保险稳岗返还');
    await mine.goto(`/enterprises/${enterprise.id}/benefits`);
    const grants = mine.locator('table', { hasText: '失业保险稳岗返还' });
    expect(await grants.textContent()).toMatch(/43,200\.00\s?元/);
    await check(mine, 'benefits-granted');
    await mine.context().close();
  }, BROWSER_TIMEOUT);
});
