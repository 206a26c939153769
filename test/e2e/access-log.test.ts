import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { staffSession } from '../../src/identity/testing.js';
import { makeResidentId } from '../../src/reference/testing.js';
import { createServices } from '../../src/services.js';
import { expectAccessible, launchChromium, screenshots } from './browser.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const resident = { name: '钱晓雯', idNumber: makeResidentId({ region: '310115', birthDate: '1990-06-18', sequence: 73 }), phone: '13766668888', password: 'river-stone-1990' };

describe('a person sees who looked at her data', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    // The browser keeps cookies only until they expire, so the server's clock must be today's.
    t = await createTestApp({ clock: new ManualClock(new Date()) });
    const services = createServices(t.platform);
    const { personId } = await services.identity.createVerifiedPerson(resident);
    const department = await services.identity.createDepartment({ code: 'E2E-MR-310115', nameZh: '浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation', level: 'county', regionCode: '310115' });
    const officer = await staffSession(t, { roles: ['officer'], departmentId: department.id, name: '王芳' });
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/identity/persons/${personId}?purpose=${encodeURIComponent('核对办件 310115-20260302-AB12CD34')}`, headers: { cookie: officer.cookie } });
    expect(read.statusCode).toBe(200);
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
    it(`signs in and finds the officer's read on her account page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      // bypassCSP lets the test inject axe-core (which needs JavaScript); the pages themselves never run scripts.
      const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const page = await context.newPage();
      try {
        await page.goto('/account');
        await page.waitForURL(/\/login/);
        await page.getByLabel('身份号码或手机号码').fill(resident.phone);
        await page.getByLabel('密码', { exact: true }).fill(resident.password);
        await page.getByRole('button', { name: '登录' }).click();
        await page.waitForURL(/\/account$/);

        const table = page.getByRole('table', { name: '核验和查阅记录' });
        const row = table.getByRole('row').filter({ hasText: '核对办件 310115-20260302-AB12CD34' });
        await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('浦东新区市场监督管理局 · 王芳');
        await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('查阅了申请或个人信息');
        if (javaScriptEnabled) await expectAccessible(page, 'account with access log');

        await page.goto('/account/access-log');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('谁核验或查阅了我的信息');
        await expect(page.getByRole('columnheader').allTextContents()).resolves.toEqual(['时间', '谁', '做了什么', '事由']);
        if (javaScriptEnabled) await expectAccessible(page, 'access log');
        if (javaScriptEnabled) await screenshots(page, 'access-log');

        await page.getByRole('link', { name: 'English' }).click();
        await page.waitForURL(/lang=en/);
        await expect(page.getByRole('table', { name: 'Verifications and reads' }).getByRole('row').filter({ hasText: '310115-20260302-AB12CD34' }).textContent()).resolves.toContain(
          'Read the application or personal data',
        );
        if (javaScriptEnabled) await expectAccessible(page, 'access log in English');
      } finally {
        await context.close();
      }
    });
  }
});
