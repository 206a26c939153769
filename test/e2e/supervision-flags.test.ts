import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { staffSession } from '../../src/identity/testing.js';
import { createServices, type Services } from '../../src/services.js';
import { expectAccessible, launchChromium, screenshots } from './browser.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Staff = Awaited<ReturnType<typeof staffSession>>;

describe('a supervisor flags a department, the department answers, both in the browser; alerts pages', () => {
  let t: TestApp;
  let services: Services;
  let browser: Browser;
  let baseUrl: string;
  let supervisor: Staff;
  let officer: Staff;

  const contextAs = async (staff: Staff, javaScriptEnabled: boolean, locale = 'zh-CN'): Promise<BrowserContext> => {
    const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale });
    const [name, value] = staff.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: baseUrl }]);
    return context;
  };

  beforeAll(async () => {
    // The browser keeps cookies only until they expire, so the server's clock must be today's.
    t = await createTestApp({ clock: new ManualClock(new Date()) });
    services = createServices(t.platform);
    const department = await services.identity.createDepartment({ code: 'E2E-FLAG-310115', nameZh: '浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation', level: 'county', regionCode: '310115' });
    supervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '上海督办' });
    officer = await staffSession(t, { roles: ['officer'], departmentId: department.id, name: '王芳' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`raises, answers and closes a flag with plain forms (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const boss = await contextAs(supervisor, javaScriptEnabled);
      const page = await boss.newPage();
      try {
        await page.goto('/supervision/flags');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('督办');
        if (javaScriptEnabled) await expectAccessible(page, 'supervisor flags');
        await page.getByRole('link', { name: '发起督办' }).click();
        await page.getByRole('button', { name: '发出督办' }).click();
        await expect(page.getByRole('alert').textContent()).resolves.toContain('请填写要督办的申请编号');
        if (javaScriptEnabled) await expectAccessible(page, 'new flag with errors');
        await page.getByLabel('部门', { exact: false }).selectOption({ label: '浦东新区市场监督管理局' });
        await page.getByLabel('督办事由').fill('请说明本周窗口排队情况。');
        await page.getByLabel('回复期限').fill(today);
        await page.getByRole('button', { name: '发出督办' }).click();
        await page.waitForURL(/\/supervision\/flags\/[\w-]+\?done=raised/);
        const flagUrl = new URL(page.url()).pathname;
        if (javaScriptEnabled) await expectAccessible(page, 'flag raised');

        const desk = await contextAs(officer, javaScriptEnabled);
        const officerPage = await desk.newPage();
        await officerPage.goto('/workbench/flags');
        await officerPage.getByRole('link', { name: /查看对浦东新区市场监督管理局的督办/ }).first().click();
        await officerPage.getByLabel('处理情况').fill('已增开两个窗口。');
        await officerPage.getByRole('button', { name: '提交回复' }).click();
        await officerPage.waitForURL(/done=responded/);
        if (javaScriptEnabled) await expectAccessible(officerPage, 'flag answered');
        await desk.close();

        await page.goto(flagUrl);
        await expect(page.getByText('已增开两个窗口。').first().isVisible()).resolves.toBe(true);
        await page.getByRole('button', { name: '办结' }).click();
        await page.waitForURL(/done=closed/);
        const steps = await page.getByRole('table', { name: '这件督办的每一步' }).getByRole('row').count();
        expect(steps).toBe(4);
        if (javaScriptEnabled) await screenshots(page, 'supervision-flag');
      } finally {
        await boss.close();
      }
    });
  }

  it('shows alerts pages to the officer and the supervisor, accessible in both languages', async () => {
    await services.supervisionAlerts.sweep();
    for (const [staff, path] of [[officer, '/workbench/alerts'], [supervisor, '/supervision/alerts']] as const) {
      for (const locale of ['zh-CN', 'en']) {
        const context = await contextAs(staff, true, locale);
        const page = await context.newPage();
        try {
          await page.goto(path);
          expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
          await expectAccessible(page, `${path} ${locale}`);
        } finally {
          await context.close();
        }
      }
    }
  });
});
