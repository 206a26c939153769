import { readFile } from 'node:fs/promises';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { staffSession } from '../../src/identity/testing.js';
import { createServices } from '../../src/services.js';
import { dashboardFixture } from '../../src/supervision/dashboard/testing.js';
import { expectAccessible, launchChromium, screenshots } from './browser.js';

/**
 * The supervision dashboards of issue 5 in real Chromium, on the fixed data set of the dashboard
 * tests (src/supervision/dashboard/testing.ts, figures worked out in docs/supervision.md): a
 * Shanghai supervisor signs in with password and authenticator code, chooses January to October
 * 2026, reads the on-time chart and the table behind it, drills down to Xuhui, to its department
 * and to one item, and downloads the comparison as CSV. axe-core checks every page visited.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Staff = Awaited<ReturnType<typeof staffSession>>;

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let fixture: Awaited<ReturnType<typeof dashboardFixture>>;
let supervisor: Staff;

// The fixture's applications are in 2026; the period is chosen explicitly, so the figures do not
// depend on the day the test runs (the server's clock must be today's for the browser's cookies).
const PERIOD = '?from=2026-01&to=2026-10';

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  fixture = await dashboardFixture(t);
  supervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '上海督查' });
  await createServices(t.platform).supervisionDashboards.refresh();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run scripts.
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale, acceptDownloads: true });
  const page = await context.newPage();
  // A step that cannot happen fails with its own message, well before the test's time runs out.
  page.setDefaultTimeout(10_000);
  return { context, page };
}

const SIGN_IN = {
  'zh-CN': { username: '用户名', password: '密码', submit: '登录', code: '输入动态验证码', next: '继续' },
  en: { username: 'User name', password: 'Password', submit: 'Sign in', code: 'Enter your one-time code', next: 'Continue' },
} as const;

/** Staff sign in with password and the authenticator's code (each code counts once, so the clock moves to a fresh step). */
async function staffSignIn(page: Page, staff: Staff, next: string, locale: keyof typeof SIGN_IN = 'zh-CN'): Promise<void> {
  const label = SIGN_IN[locale];
  t.clock.advance(30_000);
  // A page that needs sign-in sends the browser to the person's sign-in page, whose staff link
  // drops where it came from; staff are given the staff sign-in address with where to go next.
  await page.goto(next);
  await page.waitForURL(/\/login\?next=/);
  await page.goto(`/staff/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(label.username).fill(staff.username);
  await page.getByLabel(label.password, { exact: true }).fill(staff.password);
  await page.getByRole('button', { name: label.submit, exact: true }).click();
  await page.waitForURL(/\/login\/totp/);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate({ timestamp: t.clock.now().getTime() });
  await page.getByLabel(label.code).fill(code);
  await page.getByRole('button', { name: label.next }).click();
  await page.waitForURL((url) => url.pathname === next);
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
/** The cells (row header included) of the table row whose first cell is `name`. */
const rowCells = async (page: Page, table: string, name: string) => {
  const rows = page.getByRole('table', { name: table, exact: true }).locator('tbody tr');
  for (const cells of await Promise.all((await rows.all()).map((row) => row.locator('th, td').allTextContents()))) if (cells[0] === name) return cells;
  return [];
};

/** A row's link in the comparison table (regions, departments and items below the scope). */
const compareLink = (page: Page, name: string) => page.getByRole('table', { name: /下级地区、部门和事项比较/ }).getByRole('link', { name, exact: true });

describe('a Shanghai supervisor reads the dashboards in the browser', () => {
  it('signs in, drills down from Shanghai to Xuhui, its department and an item, and downloads a CSV', async () => {
    const { context, page } = await newPage('zh-CN');
    try {
      await staffSignIn(page, supervisor, '/supervision');
      expect(await h1(page)).toBe('上海市：政务服务监督');

      // The period form posts nothing: a GET that lands on the region's own address.
      await page.getByLabel('开始月份').fill('2026-01');
      await page.getByLabel('结束月份').fill('2026-10');
      await page.getByRole('button', { name: '查看', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/supervision/regions/310000' && url.searchParams.get('from') === '2026-01' && url.searchParams.get('to') === '2026-10');
      expect(await page.getByText('2026-01 至 2026-10（上一期间：2025-03 至 2025-12）').count()).toBe(1);
      expect(await rowCells(page, '上海市 主要指标：本期与上一期间', '收件数')).toEqual(['收件数', '9', '0']);

      // The chart is an image with a title and a description, and a table carries its figures.
      const chart = page.getByRole('img', { name: /^上海市：承诺时限内办结率/ });
      expect(await chart.count()).toBe(1);
      expect(await chart.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
      expect(await chart.locator('title').textContent()).toBe('上海市：承诺时限内办结率');
      expect(await chart.locator('text').allTextContents()).toEqual(expect.arrayContaining(['浦东新区', '66.7%', '徐汇区', '0.0%']));
      const chartTable = '承诺时限内办结率（图表数据）';
      expect(await rowCells(page, chartTable, '浦东新区')).toEqual(['浦东新区', '66.7%', '3']);
      expect(await rowCells(page, chartTable, '徐汇区')).toEqual(['徐汇区', '0.0%', '2']);
      // The overdue list is live: a4 (due 15 Oct) and a5 (due 22 Oct) are overdue on any day after the fixture's.
      expect(await page.getByRole('table', { name: '已超期的申请', exact: true }).textContent()).toContain(fixture.apps.a4.trackingNumber!);
      await expectAccessible(page, 'Shanghai dashboard');
      await screenshots(page, 'supervision-dashboard-city');

      // The comparison table as CSV: UTF-8 with a byte-order mark, a header, one line per district.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 CSV：下级比较' }).click()]);
      expect(download.suggestedFilename()).toBe('supervision-310000-rows-2026-01-2026-10.csv');
      const bytes = await readFile((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/);
      expect(lines[0]!.startsWith('层级,id,名称,收件数,办结数,')).toBe(true);
      expect(lines.find((line) => line.includes(',310115,'))).toMatch(/^地区,310115,浦东新区,7,3,1,3,2,0,3,66\.7%,/);
      expect(lines.find((line) => line.includes(',310104,'))).toMatch(/^地区,310104,徐汇区,2,2,0,0,0,0,2,0\.0%,/);
      // Every district of Shanghai is a row, with or without applications.
      expect(lines.filter((line) => line.startsWith('地区,31')).length).toBe(16);

      // Down to the district.
      await compareLink(page, '徐汇区').click();
      await page.waitForURL((url) => url.pathname === '/supervision/regions/310104' && url.search.includes('from=2026-01'));
      expect(await h1(page)).toBe('徐汇区：政务服务监督');
      expect(await page.getByRole('navigation', { name: '层级导航' }).getByRole('link').allTextContents()).toEqual(['上海市']);
      expect(await rowCells(page, '徐汇区 主要指标：本期与上一期间', '收件数')).toEqual(['收件数', '2', '0']);
      await expectAccessible(page, 'Xuhui dashboard');

      // Down to the department: its two items side by side.
      const departmentName = fixture.xuhui.department.nameZh;
      await compareLink(page, departmentName).click();
      await page.waitForURL((url) => url.pathname === `/supervision/departments/${fixture.xuhui.department.id}`);
      expect(await h1(page)).toBe(`${departmentName}：政务服务监督`);
      expect(await page.getByRole('img', { name: new RegExp(`^${departmentName}：承诺时限内办结率`) }).count()).toBe(1);
      expect(await page.getByRole('navigation', { name: '层级导航' }).getByRole('link').allTextContents()).toEqual(['上海市', '徐汇区']);
      await expectAccessible(page, 'Xuhui department dashboard');

      // Down to the item the department handled.
      await page.locator(`a[href^="/supervision/items/${fixture.xuhui.item.itemId}?"]`).click();
      await page.waitForURL((url) => url.pathname === `/supervision/items/${fixture.xuhui.item.itemId}`);
      expect(await h1(page)).toBe('个体工商户设立登记：政务服务监督');
      expect(await page.getByRole('navigation', { name: '层级导航' }).getByRole('link').allTextContents()).toEqual(['上海市', '徐汇区', departmentName]);
      const item = await rowCells(page, '个体工商户设立登记 主要指标：本期与上一期间', '收件数');
      expect(item).toEqual(['收件数', '2', '0']);
      await expectAccessible(page, 'item dashboard');

      // The breadcrumbs lead back up.
      await page.getByRole('navigation', { name: '层级导航' }).getByRole('link', { name: '上海市' }).click();
      await page.waitForURL((url) => url.pathname === '/supervision/regions/310000' && url.search.includes('from=2026-01'));
    } finally {
      await context.close();
    }
  });

  it('shows the same dashboards in English, accessible, and a mistyped month at its field', async () => {
    const { context, page } = await newPage('en');
    try {
      await staffSignIn(page, supervisor, '/supervision', 'en');
      await page.goto(`/supervision/regions/310000${PERIOD}&lang=en`);
      expect(await page.getByRole('img', { name: /^上海市: On time \(promised limit\)/ }).count()).toBe(1);
      await expectAccessible(page, 'Shanghai dashboard in English');
      await page.getByLabel('First month').fill('2026-13');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('from') === '2026-13');
      const summary = page.getByRole('alert');
      expect(await summary.count()).toBe(1);
      expect(await page.title()).toMatch(/^Error: /);
      await expectAccessible(page, 'period error in English');
      await page.goto(`/supervision/departments/${fixture.pudong.department.id}${PERIOD}&lang=en`);
      expect(await page.getByRole('table', { name: 'On time (promised limit) (chart data)', exact: true }).getByRole('row').count()).toBe(2);
      await expectAccessible(page, 'Pudong department in English');
    } finally {
      await context.close();
    }
  });
});
