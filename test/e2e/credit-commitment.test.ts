import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { departmentWithItem, individualBusinessItem, verifiedPerson } from '../../src/applications/testing.js';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { launchChromium, listenForBrowser, mainText, pageChecker, signedInPage } from './browser.js';

/**
 * A credit commitment (信用承诺) in real Chromium (issue 5; the pages run no script, every step is a plain form post): the catalogue editor
 * lets a commitment replace the proof of premises; an applicant in good standing ticks the
 * commitment instead of uploading and submits; the officer sees the credit panel and records the
 * commitment as false, requiring the material. axe-core checks every page on the way.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const JOURNEY_TIMEOUT = 120_000;
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let shop: Awaited<ReturnType<typeof departmentWithItem>>;
let wang: Awaited<ReturnType<typeof verifiedPerson>>;

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  shop = await departmentWithItem(t, { item: individualBusinessItem() });
  wang = await verifiedPerson(t, '王芳');
  [baseUrl, browser] = await Promise.all([listenForBrowser(t.app), launchChromium()]);
  // Starting Chromium beside a loaded test run can take long: a timeout here should say so, not surface as a missing app.
}, 180_000);

afterAll(() => Promise.all([browser?.close(), t?.close()]));

const check = pageChecker('credit-commitment');

describe('a credit commitment instead of a material', () => {
  it(
    'is allowed by the editor, made by the applicant without uploading, and found false by the officer',
    async () => {
      const editor = await signedInPage(browser, baseUrl, shop.editor.cookie);
      await editor.goto('/workbench/catalog');
      await check(editor, 'editor-list');
      await editor.getByRole('link', { name: '个体工商户设立登记' }).click();
      await check(editor, 'editor-item');
      await editor.getByRole('group', { name: '经营场所使用证明' }).getByLabel('可以信用承诺代替这项材料').check();
      await editor.getByRole('button', { name: '保存为新版本' }).click();
      await editor.waitForURL(/saved=1/);
      expect(await mainText(editor)).toContain('已保存，事项当前为第 2 版');

      const applicant = await signedInPage(browser, baseUrl, wang.cookie);
      await applicant.goto(`/applications/new?item=${shop.item.itemId}`);
      await applicant.getByRole('button', { name: /开始/ }).click();
      await applicant.waitForURL(/\/edit$/);
      await applicant.getByLabel('字号名称').fill('王记面馆');
      await applicant.getByLabel('组成形式').selectOption('personal');
      await applicant.getByLabel('经营场所所在地').fill('310115');
      await applicant.getByLabel('从业人数').fill('2');
      await applicant.getByLabel(/使用政府部门已有的/).check();
      await applicant.getByLabel('我作出信用承诺，代替提交这项材料').check();
      await check(applicant, 'apply');
      await applicant.getByRole('button', { name: '提交申请' }).click();
      await applicant.waitForURL(/submitted=1/);
      expect(await mainText(applicant)).toContain('以信用承诺代替');

      const officer = await signedInPage(browser, baseUrl, shop.officer.cookie);
      await officer.goto('/workbench');
      await officer.locator('table a.code').first().click();
      const detail = await mainText(officer);
      expect(detail).toContain('申请人信用状况');
      expect(detail).toContain('良好');
      expect(detail).toContain('以信用承诺代替。');
      expect(await officer.getByRole('table', { name: '信用记录数量' }).count()).toBe(1);
      await check(officer, 'workbench');
      const form = officer.locator('#breach-premises');
      await form.getByLabel('事实和理由').fill('现场核查，承诺的经营场所不存在。');
      await form.getByLabel(/同时一次性告知补正/).check();
      await form.getByRole('button', { name: '认定承诺不实' }).click();
      await officer.waitForURL(/done=commitmentBroken/);
      const after = await mainText(officer);
      expect(after).toContain('承诺不实');
      expect(after).toContain('关注');
      expect(after).toContain('待补正');
      await check(officer, 'workbench-broken');
    },
    JOURNEY_TIMEOUT,
  );
});
