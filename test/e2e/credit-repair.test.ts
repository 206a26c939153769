import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TINY_PNG } from '../../src/applications/testing.js';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { creditDepartment, departmentToken, penaltyReport } from '../../src/credit/testing.js';
import { enterpriseWithFacts } from '../../src/policies/testing.js';
import { addMonths, shanghaiDate } from '../../src/reference/dates.js';
import { launchChromium, listenForBrowser, mainText, pageChecker, signedInPage } from './browser.js';

/**
 * Credit repair with scans of the evidence in real Chromium (the pages run no script; every step
 * is a plain form post): the enterprise's legal representative applies for repair of a penalty
 * with two scans chosen in the file input, sees them in the history, and the issuing department's
 * officer opens the application, downloads a scan and approves. axe-core checks every page.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const JOURNEY_TIMEOUT = 120_000;
// A one-page PDF, as a scanned payment receipt would be, only smaller.
const RECEIPT_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let market: Awaited<ReturnType<typeof creditDepartment>>;
let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;
let recordId: string;

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  market = await creditDepartment(t);
  const token = await departmentToken(t, market.department.id);
  enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海修复旅程样例有限公司' });
  // A general penalty may be repaired three months after its decision: this one was decided four months ago.
  const decidedOn = addMonths(shanghaiDate(t.clock.now()), -4);
  const reported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/credit/records',
    headers: { authorization: `Bearer ${token}` },
    payload: penaltyReport(enterprise.uscc, { subject: { kind: 'enterprise', uscc: enterprise.uscc, name: enterprise.name }, title: '占道经营', decidedOn }),
  });
  if (reported.statusCode !== 201) throw new Error(reported.body);
  recordId = (reported.json() as { record: { id: string } }).record.id;
  [baseUrl, browser] = await Promise.all([listenForBrowser(t.app), launchChromium()]);
}, 180_000);

afterAll(() => Promise.all([browser?.close(), t?.close()]));

const check = pageChecker('credit-repair');

describe('credit repair with scans of the evidence', () => {
  it(
    'is applied for with scans chosen in the form, and the issuing department downloads one and approves',
    async () => {
      const applicant = await signedInPage(browser, baseUrl, enterprise.representative.cookie);
      await applicant.goto(`/enterprises/${enterprise.id}/credit`);
      await applicant.locator(`a[href="/credit/records/${recordId}/repair"]`).click();
      await applicant.waitForURL(/\/repair$/);
      await check(applicant, 'apply');
      await applicant.getByLabel('修复理由').fill('已缴纳罚款，已停止占道经营。');
      await applicant.getByLabel('证明材料', { exact: true }).fill('缴款凭证与整改照片，见扫描件。');
      await applicant.getByLabel(/证明材料扫描件/).setInputFiles([
        { name: '缴款凭证.pdf', mimeType: 'application/pdf', buffer: RECEIPT_PDF },
        { name: 'photo.png', mimeType: 'image/png', buffer: TINY_PNG },
      ]);
      await applicant.getByRole('button', { name: '提交修复申请' }).click();
      await applicant.waitForURL(/sent=1/);
      const sent = await mainText(applicant);
      expect(sent).toContain('修复申请已提交');
      expect(sent).toContain('缴款凭证.pdf、photo.png');
      await check(applicant, 'sent');

      const officer = await signedInPage(browser, baseUrl, market.officer.cookie);
      await officer.goto('/workbench/credit/repairs');
      await check(officer, 'queue');
      await officer.getByRole('link', { name: `审核${enterprise.name}的修复申请` }).click();
      await officer.waitForURL(/\/workbench\/credit\/repairs\/[^/]+$/);
      const review = await mainText(officer);
      expect(review).toContain('缴款凭证.pdf (PDF');
      expect(review).toContain('photo.png (PNG');
      await check(officer, 'review');
      const [download] = await Promise.all([officer.waitForEvent('download'), officer.getByRole('link', { name: '缴款凭证.pdf' }).click()]);
      expect(download.suggestedFilename()).toBe('缴款凭证.pdf');
      expect((await readFile((await download.path())!)).equals(RECEIPT_PDF)).toBe(true);

      await officer.getByLabel('已同意修复').check();
      await officer.getByLabel('审核意见').fill('已履行处罚决定，符合修复条件。');
      await officer.getByRole('button', { name: '提交审核结论' }).click();
      await officer.waitForURL(/decided=1/);
      expect(await mainText(officer)).toContain('审核结论已保存');

      await applicant.reload();
      expect(await mainText(applicant)).toContain('已同意修复');
    },
    JOURNEY_TIMEOUT,
  );
});
