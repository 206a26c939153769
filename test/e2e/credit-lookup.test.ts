import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { creditDepartment, departmentToken, penaltyReport } from '../../src/credit/testing.js';
import { enterpriseWithFacts } from '../../src/policies/testing.js';
import { shanghaiDate } from '../../src/reference/dates.js';
import { expectAccessible, launchChromium, mainText, screenshots } from './browser.js';

/**
 * The public credit lookup in real Chromium (issue 5): a visitor, not signed in, looks an
 * enterprise up by part of its name and by its credit code, reads its public records (what the
 * department did not publish says so), and sees a listed enterprise flagged. axe-core checks the
 * empty page, the results and the English version.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const JOURNEY_TIMEOUT = 120_000;
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let listed: Awaited<ReturnType<typeof enterpriseWithFacts>>;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  const today = shanghaiDate(t.clock.now());
  const market = await creditDepartment(t);
  const token = await departmentToken(t, market.department.id);
  listed = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false }, { name: '上海浦东示例建筑工程有限公司' });
  const report = async (body: object) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/credit/records', headers: { authorization: `Bearer ${token}` }, payload: body });
    if (response.statusCode !== 201) throw new Error(response.body);
  };
  await report(penaltyReport(listed.uscc, { subject: { kind: 'enterprise', uscc: listed.uscc, name: listed.name }, title: '未依法支付劳动报酬', content: '内部核查记录，不公开', publicFields: ['title', 'documentNumber', 'legalBasis'], decidedOn: today }));
  await report(penaltyReport(listed.uscc, { subject: { kind: 'enterprise', uscc: listed.uscc, name: listed.name }, category: 'listing', title: '拖欠农民工工资失信联合惩戒对象', decidedOn: today }));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(locale = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale });
  return context.newPage();
}

describe('the public credit lookup', () => {
  it(
    'finds an enterprise by name and by credit code, shows only what is public, and passes axe',
    async () => {
      const page = await newPage();
      await page.goto('/credit');
      await expectAccessible(page, 'credit lookup');
      await page.getByLabel('统一社会信用代码或企业名称').fill('示例建筑');
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForURL(/\/credit\?q=/);
      const byName = await mainText(page);
      expect(byName).toContain('上海浦东示例建筑工程有限公司');
      expect(byName).toContain('未依法支付劳动报酬');
      expect(byName).toContain('该主体目前列入严重失信主体名单');
      expect(byName).toContain('不公开');
      expect(byName).not.toContain('内部核查记录');
      expect(await page.getByRole('table', { name: /上海浦东示例建筑工程有限公司的公示信用信息/ }).count()).toBe(1);
      await expectAccessible(page, 'credit results by name');
      await screenshots(page, 'credit-lookup-results');

      await page.getByLabel('统一社会信用代码或企业名称').fill(listed.uscc);
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForURL((url) => url.search.includes(listed.uscc));
      expect(await mainText(page)).toContain(listed.uscc);
      await expectAccessible(page, 'credit results by code');

      await page.getByLabel('统一社会信用代码或企业名称').fill('没有这家公司');
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForURL(/\/credit\?q=/);
      expect(await mainText(page)).toContain('没有找到');
      await page.context().close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'reads the same in English',
    async () => {
      const page = await newPage('en');
      await page.goto(`/credit?q=${listed.uscc}&lang=en`);
      const text = await mainText(page);
      expect(text).toContain('Credit lookup');
      expect(text).toContain('Seriously untrustworthy list');
      await expectAccessible(page, 'credit results in English');
      await page.context().close();
    },
    JOURNEY_TIMEOUT,
  );
});
