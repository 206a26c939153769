import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { CertificateView } from '../../src/certificates/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { CATALOG_DEMO_TOTP, CATALOG_DEPARTMENTS, catalogStaffUsername, demoImplementationCode } from '../../src/demo/catalog.js';
import { DEMO_PERSON_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF_PASSWORD, seedDemo } from '../../src/demo/seed.js';
import { sessionCookieOf } from '../../src/identity/testing.js';
import { createServices, type Services } from '../../src/services.js';
import { launchChromium, pageChecker, screenshots } from './browser.js';

/**
 * The service journeys of issue 3 in real Chromium, on the demo data: a person finds a service,
 * applies once reusing a certificate she holds, answers one supplement request, receives and
 * publicly verifies the licence, rates the service badly and sees the department's response; a
 * cross-region application collected in Hangzhou and handled in Pudong; a "one thing" bundle.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type StaffRole = 'officer' | 'approver';

let t: TestApp;
let services: Services;
let browser: Browser;
let baseUrl: string;
let files: string;
let leasePdf: string;
let shopItemId: string;
let propertyCertificate: CertificateView;
/** The Pudong bureau's officer and approver, each in their own browser, signed in once for all journeys. */
let officerPage: Page;
let approverPage: Page;

const [wang, li] = DEMO_RESIDENTS;
const PUDONG = 'SH-PD-SAMR';
const XIHU = 'ZJ-HZ-XH-SAMR';
const PUDONG_NAME = '上海市浦东新区市场监督管理局';
const XIHU_NAME = '杭州市西湖区市场监督管理局';
const SHOP = '个体工商户设立登记';
const ADDRESS = '上海市浦东新区峨山路 91 弄 12 号底层';
const SCOPE = '小吃服务；预包装食品销售';

// A one-page PDF, as a scanned lease would be (only smaller); the server sniffs the type from the bytes.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  services = createServices(t.platform);
  await seedDemo(t.platform, services);
  shopItemId = (await services.catalog.itemByImplementationCode(demoImplementationCode('individualBusiness', PUDONG)))!.itemId;

  // 王芳's flat is registered with the property registry, which issued her its electronic certificate.
  const registry = await services.identity.createDepartment({ code: 'SH-PD-REALESTATE', nameZh: '上海市浦东新区不动产登记事务中心', nameEn: 'Pudong Real Estate Registration Centre', level: 'county', regionCode: '310115' });
  const owner = await services.identity.findVerifiedPerson(wang.name, wang.idNumber);
  propertyCertificate = await t.platform.db.transaction().execute((tx) =>
    services.certificates.issue(tx, {
      certificateType: 'realEstateCertificate',
      holder: { personId: owner!.id },
      holderName: wang.name,
      title: { 'zh-CN': '不动产权证书', en: 'Real estate title certificate' },
      fields: [
        { key: 'location', label: { 'zh-CN': '坐落', en: 'Location' }, value: ADDRESS, public: false },
        { key: 'use', label: { 'zh-CN': '用途', en: 'Use' }, value: '商业', public: true },
      ],
      issuedByDepartmentId: registry.id,
      numberPrefix: '沪房地浦字',
    }),
  );

  files = mkdtempSync(path.join(tmpdir(), 'tongban-e2e-'));
  leasePdf = path.join(files, 'lease.pdf');
  writeFileSync(leasePdf, PDF);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
  officerPage = (await newPage()).page;
  approverPage = (await newPage()).page;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

async function newPage(javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run inline scripts.
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

/** axe-core and screenshots, once per distinct page (they need JavaScript in the page). */
const check = pageChecker('service');

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const idFrom = (page: Page, pattern: RegExp) => pattern.exec(new URL(page.url()).pathname)![1]!;

/** The current code of a demo staff authenticator, at the server's time. */
function totp(role: StaffRole): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(CATALOG_DEMO_TOTP[role]) }).generate({ timestamp: t.clock.now().getTime() });
}

/** A code counts once per 30-second step and account: every sign-in moves the server's clock to a fresh step. */
function nextTotpStep(): void {
  t.clock.advance(30_000);
}

async function signIn(page: Page, phone: string, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('身份号码或手机号码').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PERSON_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === next);
}

/** Staff sign in with password, then the authenticator's code, and land on the workbench. */
async function staffSignIn(page: Page, departmentCode: string, role: StaffRole, checkPages = false): Promise<void> {
  nextTotpStep();
  await page.goto('/workbench');
  await page.waitForURL(/\/staff\/login\?next=%2Fworkbench$/);
  if (checkPages) await check(page, 'staff-login');
  await page.getByLabel('用户名').fill(catalogStaffUsername(role, departmentCode));
  await page.getByLabel('密码', { exact: true }).fill(DEMO_STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/login\/totp/);
  if (checkPages) await check(page, 'staff-totp');
  await page.getByLabel('输入动态验证码').fill(totp(role));
  await page.getByRole('button', { name: '继续' }).click();
  await page.waitForURL((url) => url.pathname === '/workbench');
}

/** Takes one step of the flow from the application's workbench page, through the step's own form. */
async function act(page: Page, action: string, label: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
  const form = page.locator(`#action-${action}`);
  if (fill) await fill(form);
  await form.getByRole('button', { name: label, exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('done') === action);
  expect(await page.locator('main [role="status"]').textContent()).toBe(`已完成“${label}”。`);
}

const statusOnWorkbench = async (page: Page) => (await page.locator('.summary-list__row', { hasText: '状态' }).first().locator('dd').first().textContent())?.trim();

describe('王芳 applies for an individual-business licence, answers a supplement request, verifies and rates the licence', () => {
  let wangPage: Page;
  let applicationId = '';
  let trackingNumber = '';
  let verificationCode = '';

  beforeAll(async () => {
    wangPage = (await newPage()).page;
  });
  afterAll(() => wangPage.context().close());

  it('finds the Pudong item by searching 个体工商户 and sees its "at most one visit" figures', async () => {
    const page = wangPage;
    await signIn(page, wang.phone, '/services');
    await check(page, 'search');
    await page.getByLabel('关键词').fill('个体工商户');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === '个体工商户');
    const results = page.locator('.result-list__item', { hasText: SHOP });
    // The same item is offered in Pudong, Xihu and Shenzhen; each result names its department.
    expect(await results.count()).toBeGreaterThanOrEqual(3);
    await check(page, 'search-results');
    const pudong = results.filter({ hasText: PUDONG_NAME });
    // "At most one visit": no visit, and of the materials asked, those the government holds are not asked again.
    const { figures } = await services.catalog.getItem(shopItemId);
    expect(figures.materialsReused).toBeGreaterThan(0);
    const shown = (await pudong.getByRole('list', { name: '办事数据' }).textContent()) ?? '';
    expect(shown).toContain('零跑动');
    expect(shown).toContain(`（共 ${figures.materialsAsked} 份，${figures.materialsReused} 份免提交）`);
    await pudong.getByRole('link', { name: SHOP }).click();
    await page.waitForURL(`**/services/${shopItemId}`);
    expect(await page.locator('h1').textContent()).toBe(SHOP);
    await check(page, 'item');
  });

  it('applies online: prefilled from her real name, premises proof from her property certificate, identity from government data', async () => {
    const page = wangPage;
    await page.getByRole('link', { name: '在线办理' }).click();
    await page.waitForURL(/\/applications\/new\?item=/);
    await check(page, 'apply-start');
    await page.getByRole('button', { name: '开始申请' }).click();
    await page.waitForURL(/\/applications\/[\w-]+\/edit$/);
    applicationId = idFrom(page, /^\/applications\/([\w-]+)\/edit$/);
    expect(await page.getByLabel('申请人姓名').inputValue()).toBe(wang.name);
    expect(await page.getByLabel('联系电话').inputValue()).toBe(wang.phone);
    await check(page, 'apply-form');

    await page.getByLabel('个体工商户名称').fill('王芳小吃店');
    await page.getByLabel('经营场所地址').fill(ADDRESS);
    await page.getByLabel('经营范围').fill(SCOPE);
    await page.getByLabel('使用政府部门已有的居民身份信息，不再提交材料').check();
    await page.getByLabel(`不动产权证书（编号 ${propertyCertificate.number}）`).check();
    await page.getByLabel('我同意将所选证照提供给承办部门用于本次办理').check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(`**/applications/${applicationId}?submitted=1`);

    expect(await page.locator('.panel__title').textContent()).toBe('申请已提交');
    trackingNumber = ((await page.locator('.panel strong').textContent()) ?? '').trim();
    expect(trackingNumber).toMatch(/\S{6,}/);
    const text = await mainText(page);
    expect(text).toContain('已提交');
    expect(text).toContain(`使用电子证照（编号 ${propertyCertificate.number}）`);
    expect(text).toContain('调取政府部门已有的居民身份信息');
    await check(page, 'application-submitted');
  });

  it('the Pudong officer signs in with a one-time code, accepts it, starts the review and asks once for a supplement', async () => {
    const page = officerPage;
    await staffSignIn(page, PUDONG, 'officer', true);
    await check(page, 'workbench');
    await page.getByRole('link', { name: trackingNumber, exact: true }).click();
    await page.waitForURL(`**/workbench/applications/${applicationId}`);
    // The officer sees the certificate's snapshot the applicant consented to give.
    expect(await mainText(page)).toContain(`电子证照，编号 ${propertyCertificate.number}`);
    await check(page, 'workbench-application');

    await act(page, 'accept', '受理');
    await act(page, 'startReview', '开始审查');
    await act(page, 'requestSupplement', '一次性告知补正', async (form) => {
      await form.getByRole('group', { name: '需要补正的材料' }).getByLabel('经营场所使用证明').check();
      await form.getByLabel('补正说明').fill('请上传经营场所的租赁合同：产权证书上的用途与申报的经营范围不一致。');
    });
    expect(await statusOnWorkbench(page)).toBe('待补正');
  });

  it('she reads the supplement notice and uploads the lease as a PDF', async () => {
    const page = wangPage;
    await page.goto(`/applications/${applicationId}`);
    await expect.poll(() => page.locator('#supplement').textContent()).toBe('一次性补正告知');
    const text = await mainText(page);
    expect(text).toContain('请上传经营场所的租赁合同');
    expect(text).toContain('待补正');
    await check(page, 'application-supplement');

    await page.getByLabel('不使用证照，改为上传文件').check();
    await page.getByLabel('或者上传文件').setInputFiles(leasePdf);
    await page.getByRole('button', { name: '提交补正' }).click();
    await page.waitForURL(`**/applications/${applicationId}?supplemented=1`);
    expect(await page.locator('main [role="status"]').textContent()).toBe('补正已提交，办理时限继续计算。');
    expect(await mainText(page)).toContain('lease.pdf');
    expect(await page.locator('#supplement').count()).toBe(0);
  });

  it('the approver approves, and the officer concludes and delivers', async () => {
    await staffSignIn(approverPage, PUDONG, 'approver');
    await approverPage.goto(`/workbench/applications/${applicationId}`);
    expect(await statusOnWorkbench(approverPage)).toBe('审查中');
    // The approver's flow step is the decision: nothing else is offered.
    expect(await approverPage.locator('#action-accept').count()).toBe(0);
    await act(approverPage, 'approve', '批准', (form) => form.getByLabel('意见').fill('经审查，符合条件，准予登记。'));

    await officerPage.goto(`/workbench/applications/${applicationId}`);
    expect(await statusOnWorkbench(officerPage)).toBe('已批准');
    await act(officerPage, 'conclude', '办结');
    await act(officerPage, 'deliver', '送达');
    expect(await statusOnWorkbench(officerPage)).toBe('已送达');
  });

  it('she receives the licence and reads its verification code', async () => {
    const page = wangPage;
    await page.goto(`/applications/${applicationId}`);
    expect(await mainText(page)).toContain('已送达');
    await check(page, 'application-delivered');
    await page.getByRole('link', { name: '查看电子证照：个体工商户营业执照' }).click();
    await page.waitForURL(/\/certificates\/[\w-]+$/);
    expect(await page.locator('h1').textContent()).toBe('个体工商户营业执照');
    const text = await mainText(page);
    expect(text).toContain(ADDRESS);
    expect(text).toContain(PUDONG_NAME);
    verificationCode = ((await page.locator('.certificate__code').textContent()) ?? '').trim();
    expect(verificationCode).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    await check(page, 'certificate');
  });

  it('anyone can verify it: genuine and current, with none of her private details', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto('/verify');
      await check(page, 'verify');
      await page.getByLabel('核验码').fill(verificationCode);
      await page.getByRole('button', { name: '核验' }).click();
      await page.waitForURL(/\/verify\?code=/);
      expect(await page.locator('h1').textContent()).toBe('证照真实有效');
      const text = await mainText(page);
      expect(text).toContain('个体工商户营业执照');
      expect(text).toContain(PUDONG_NAME);
      expect(text).toContain('有效');
      expect(text).toContain('王*');
      for (const secret of [wang.name, wang.idNumber, wang.phone, ADDRESS, SCOPE, trackingNumber, '王芳小吃店']) expect(text).not.toContain(secret);
      await check(page, 'verify-result');
    } finally {
      await context.close();
    }
  });

  it('she rates it 2 stars with a comment, which opens a rectification case', async () => {
    const page = wangPage;
    await page.goto(`/applications/${applicationId}`);
    await page.getByRole('link', { name: '评价这次服务' }).click();
    await page.waitForURL(`**/applications/${applicationId}/review`);
    await check(page, 'review');
    await page.getByRole('group', { name: '总体评价' }).getByLabel('2 不满意').check();
    for (const [indicator, score] of [['办理效率', '2 分'], ['办事指南准确性', '3 分'], ['办理便利程度', '2 分']] as const) {
      await page.getByRole('group', { name: indicator }).getByLabel(score, { exact: true }).check();
    }
    await page.getByLabel('意见和建议').fill('补正要求在受理后才提出，耽误了两天开业。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.waitForURL(`**/applications/${applicationId}/review?done=1`);
    expect(await page.locator('main [role="status"]').textContent()).toBe('感谢您的评价。');
    const text = await mainText(page);
    expect(text).toContain('2 不满意');
    expect(text).toContain('待整改');
    await check(page, 'review-done');
  });

  it('the department calls her back and responds from the rectification workbench', async () => {
    const page = officerPage;
    await page.goto('/workbench');
    await page.getByRole('link', { name: '差评整改工作台' }).click();
    await page.waitForURL(/\/workbench\/rectifications$/);
    await check(page, 'rectifications');
    await page.getByRole('link', { name: `处理办件 ${trackingNumber} 的整改` }).click();
    await page.waitForURL(/\/workbench\/rectifications\/[\w-]+$/);
    expect(await mainText(page)).toContain('补正要求在受理后才提出');
    await check(page, 'rectification-case');
    await page.getByLabel('回访时间').fill(beijingMinute(t.clock.now()));
    await page.getByLabel('已解释说明').check();
    await page.getByLabel('答复内容').fill('已电话回访：租赁合同应在受理时一并告知，今后受理时一次性核对场所证明。');
    await page.getByRole('button', { name: '提交答复' }).click();
    await page.waitForURL(/\?responded=1$/);
    expect(await page.locator('main [role="status"]').textContent()).toBe('答复已提交，申请人可以看到。');
  });

  it('she sees the response on her review page', async () => {
    const page = wangPage;
    await page.goto(`/applications/${applicationId}/review`);
    const text = await mainText(page);
    expect(text).toContain('已答复');
    expect(text).toContain('已解释说明');
    expect(text).toContain('今后受理时一次性核对场所证明');
    await check(page, 'review-responded');
  });

  describe('without JavaScript, she applies again and answers a supplement request the same way', () => {
    let noScript: { context: BrowserContext; page: Page };
    let secondId = '';

    beforeAll(async () => {
      noScript = await newPage(false);
    });
    afterAll(() => noScript.context.close());

    it('applies with plain forms', async () => {
      const { page } = noScript;
      await signIn(page, wang.phone, `/services/${shopItemId}`);
      await page.getByRole('link', { name: '在线办理' }).click();
      await page.waitForURL(/\/applications\/new\?item=/);
      await page.getByRole('button', { name: '开始申请' }).click();
      await page.waitForURL(/\/applications\/[\w-]+\/edit$/);
      secondId = idFrom(page, /^\/applications\/([\w-]+)\/edit$/);
      await page.getByLabel('经营场所地址').fill(ADDRESS);
      await page.getByLabel('经营范围').fill('小吃服务');
      await page.getByLabel('使用政府部门已有的居民身份信息，不再提交材料').check();
      await page.getByLabel(`不动产权证书（编号 ${propertyCertificate.number}）`).check();
      await page.getByLabel('我同意将所选证照提供给承办部门用于本次办理').check();
      await page.getByRole('button', { name: '提交申请' }).click();
      await page.waitForURL(`**/applications/${secondId}?submitted=1`);
      expect(await page.locator('.panel__title').textContent()).toBe('申请已提交');
    });

    it('answers the supplement request, a file and an answer, in one go', async () => {
      await officerPage.goto(`/workbench/applications/${secondId}`);
      await act(officerPage, 'accept', '受理');
      await act(officerPage, 'startReview', '开始审查');
      await act(officerPage, 'requestSupplement', '一次性告知补正', async (form) => {
        await form.getByRole('group', { name: '需要补正的材料' }).getByLabel('经营场所使用证明').check();
        await form.getByRole('group', { name: '需要补正的填写项' }).getByLabel('经营范围').check();
        await form.getByLabel('补正说明').fill('请上传租赁合同，并写明经营范围的具体项目。');
      });

      const { page } = noScript;
      await page.goto(`/applications/${secondId}`);
      expect(await page.locator('#supplement').textContent()).toBe('一次性补正告知');
      await page.getByLabel('经营范围').fill(SCOPE);
      await page.getByLabel('不使用证照，改为上传文件').check();
      await page.getByLabel('或者上传文件').setInputFiles(leasePdf);
      await page.getByRole('button', { name: '提交补正' }).click();
      await page.waitForURL(`**/applications/${secondId}?supplemented=1`);
      const text = await mainText(page);
      expect(text).toContain('补正已提交，办理时限继续计算。');
      expect(text).toContain('审查中');
      expect(text).toContain('lease.pdf');
      expect(text).toContain(SCOPE);
    });
  });
});

describe('李建国 of Hangzhou applies for the Pudong licence, collected by the Xihu bureau and handled in Pudong', () => {
  let liPage: Page;
  let xihuPage: Page;
  let applicationId = '';
  let trackingNumber = '';

  beforeAll(async () => {
    liPage = (await newPage()).page;
    xihuPage = (await newPage()).page;
  });
  afterAll(async () => {
    await liPage.context().close();
    await xihuPage.context().close();
  });

  it('applies online in Hangzhou, choosing the Xihu bureau to collect the application', async () => {
    const page = liPage;
    await signIn(page, li.phone, `/services/${shopItemId}`);
    await page.getByRole('link', { name: '在线办理' }).click();
    await page.waitForURL(/\/applications\/new\?item=/);
    await page.getByLabel('收件部门（异地代收）').selectOption({ label: XIHU_NAME });
    await check(page, 'apply-start-collecting');
    await page.getByRole('button', { name: '开始申请' }).click();
    await page.waitForURL(/\/applications\/[\w-]+\/edit$/);
    applicationId = idFrom(page, /^\/applications\/([\w-]+)\/edit$/);
    expect(await page.getByLabel('申请人姓名').inputValue()).toBe(li.name);
    await page.getByLabel('经营场所地址').fill(ADDRESS);
    await page.getByLabel('经营范围').fill('茶叶零售');
    await page.getByLabel('使用政府部门已有的居民身份信息，不再提交材料').check();
    // He holds no property certificate, so he uploads the lease.
    expect(await mainText(page)).toContain('您没有可以直接使用的这类电子证照。');
    await page.getByRole('group', { name: '经营场所使用证明' }).getByLabel('上传文件').setInputFiles(leasePdf);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(`**/applications/${applicationId}?submitted=1`);
    trackingNumber = ((await page.locator('.panel strong').textContent()) ?? '').trim();
    const text = await mainText(page);
    expect(text).toContain(PUDONG_NAME);
    expect(text).toContain(XIHU_NAME);
  });

  it('Pudong cannot accept it before Xihu has checked and forwarded it', async () => {
    await officerPage.goto(`/workbench/applications/${applicationId}`);
    expect(await mainText(officerPage)).toContain(`${XIHU_NAME} (尚未转交)`);
    expect(await officerPage.locator('#action-accept').count()).toBe(0);
  });

  it('the Xihu officer finds it among the collected applications and forwards it', async () => {
    const page = xihuPage;
    await staffSignIn(page, XIHU, 'officer');
    const collected = page.getByRole('table', { name: '代收办件' });
    await check(page, 'workbench-collected');
    await collected.getByRole('link', { name: trackingNumber, exact: true }).click();
    await page.waitForURL(`**/workbench/applications/${applicationId}`);
    // Xihu only passes it on: accepting and deciding are Pudong's.
    expect(await page.locator('#actions ~ .card').count()).toBe(1);
    await check(page, 'workbench-collected-application');
    await act(page, 'forward', '核对转交', (form) => form.getByLabel('意见').fill('材料已核对，与原件一致。'));
    expect(await mainText(page)).toContain('已转交');
  });

  it('Pudong accepts, reviews, approves, concludes and delivers', async () => {
    await officerPage.goto(`/workbench/applications/${applicationId}`);
    await act(officerPage, 'accept', '受理');
    await act(officerPage, 'startReview', '开始审查');
    await approverPage.goto(`/workbench/applications/${applicationId}`);
    await act(approverPage, 'approve', '批准');
    await officerPage.reload();
    await act(officerPage, 'conclude', '办结');
    await act(officerPage, 'deliver', '送达');
  });

  it('he sees his licence', async () => {
    const page = liPage;
    await page.goto(`/applications/${applicationId}`);
    expect(await mainText(page)).toContain('已送达');
    await page.getByRole('link', { name: '查看电子证照：个体工商户营业执照' }).click();
    await page.waitForURL(/\/certificates\/[\w-]+$/);
    const text = await mainText(page);
    expect(text).toContain(li.name);
    expect(text).toContain('茶叶零售');
    expect(text).toContain(PUDONG_NAME);
  });
});

describe('王芳 opens a restaurant for her company with the "one thing" bundle: one form, one submission, four departments', () => {
  let wangPage: Page;
  let bundleId = '';
  const ENTERPRISE = '上海浦江云数科技有限公司';

  beforeAll(async () => {
    wangPage = (await newPage()).page;
  });
  afterAll(() => wangPage.context().close());

  it('fills in one combined form for her company and submits once', async () => {
    const page = wangPage;
    await signIn(page, wang.phone, '/services/bundles/open-restaurant');
    await check(page, 'bundle');
    await page.getByRole('link', { name: '一次申请全部事项' }).click();
    await page.waitForURL(/\/applications\/new\?bundle=open-restaurant$/);
    // Every item of the bundle serves enterprises only, so she applies for the company she represents.
    expect(await mainText(page)).toContain(ENTERPRISE);
    expect(await page.getByLabel('统一社会信用代码').inputValue()).toMatch(/^[0-9A-Z]{18}$/);
    await check(page, 'bundle-apply');

    await page.getByLabel('企业名称').fill('上海浦江小馆餐饮有限公司');
    await page.getByLabel('经营场所地址').fill(ADDRESS);
    await page.getByLabel('经营范围').fill('餐饮服务；食品销售');
    await page.getByLabel('注册资本（万元）').fill('50');
    await page.getByLabel('从业人数').fill('8');
    await page.getByLabel('经营场所面积（平方米）').fill('120');
    await page.getByLabel('经营项目').selectOption({ label: '热食类食品制售' });
    await page.getByLabel('场所类型').selectOption({ label: '餐饮场所' });
    await page.getByLabel('纳税人类型').selectOption({ label: '小规模纳税人' });
    await page.getByLabel('使用政府部门已有的居民身份信息，不再提交材料').check();
    await page.getByLabel('使用政府部门已有的市场主体登记信息，不再提交材料').check();
    for (const material of ['经营场所使用证明', '公司章程', '经营场所平面布局图', '食品安全管理制度', '卫生管理制度', '从业人员健康合格证明']) {
      await page.getByRole('group', { name: material }).getByLabel('上传文件').setInputFiles(leasePdf);
    }
    await page.getByRole('button', { name: '一次提交' }).click();
    await page.waitForURL(/\/applications\/bundles\/[\w-]+\?submitted=1$/);
    bundleId = idFrom(page, /^\/applications\/bundles\/([\w-]+)$/);
    expect(await page.locator('.panel__title').textContent()).toBe('已一次提交到各部门');
    await check(page, 'bundle-submitted');
  });

  it('lists one application per item at its department, and each department handles its own', async () => {
    const bundle = await services.catalog.getBundle('open-restaurant');
    const rows = wangPage.getByRole('table', { name: '各部门的办理情况' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(bundle.items.length);
    const applications: { id: string; departmentCode: string }[] = [];
    for (const row of await rows.all()) {
      const href = (await row.locator('a').first().getAttribute('href')) ?? '';
      const departmentName = ((await row.locator('td').nth(1).textContent()) ?? '').trim();
      const department = CATALOG_DEPARTMENTS.find((d) => d.nameZh === departmentName);
      expect(department, `department ${departmentName}`).toBeDefined();
      expect(await row.locator('td').nth(3).textContent()).toBe('已提交');
      applications.push({ id: /^\/applications\/([\w-]+)$/.exec(href)![1]!, departmentCode: department!.code });
    }
    expect(new Set(applications.map((a) => a.departmentCode))).toEqual(new Set(bundle.items.map((i) => CATALOG_DEPARTMENTS.find((d) => d.nameZh === i.departmentName['zh-CN'])!.code)));

    // The Pudong market regulation bureau works in the browser; the other departments through the API.
    const sessions = new Map<string, string[]>();
    for (const { id, departmentCode } of applications) {
      if (departmentCode === PUDONG) {
        await officerPage.goto(`/workbench/applications/${id}`);
        expect(await mainText(officerPage)).toContain('企业（由法定代表人或经授权的经办人申请）');
        await act(officerPage, 'accept', '受理');
        await act(officerPage, 'startReview', '开始审查');
        await approverPage.goto(`/workbench/applications/${id}`);
        await act(approverPage, 'approve', '批准');
        await officerPage.reload();
        await act(officerPage, 'conclude', '办结');
        await act(officerPage, 'deliver', '送达');
      } else {
        if (!sessions.has(departmentCode)) sessions.set(departmentCode, [await apiStaffSession(departmentCode, 'officer'), await apiStaffSession(departmentCode, 'approver')]);
        expect(['concluded', 'delivered']).toContain(await handleThroughApi(id, sessions.get(departmentCode)!));
      }
    }
  });

  it('the bundle page shows it completed, with the licences issued', async () => {
    const page = wangPage;
    await page.goto(`/applications/bundles/${bundleId}`);
    expect(await page.locator('.summary-list__row', { hasText: '总体进度' }).locator('dd').first().textContent()).toBe('全部办结');
    const bundle = await services.catalog.getBundle('open-restaurant');
    const licences = bundle.items.filter((i) => i.definition.result.certificateType).length;
    expect(licences).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('link', { name: /^查看“.+”的电子证照$/ }).count()).toBe(licences);
    await check(page, 'bundle-completed');
    await page.getByRole('link', { name: /^查看“.+”的电子证照$/ }).first().click();
    await page.waitForURL(/\/certificates\/[\w-]+$/);
    expect(await mainText(page)).toContain(ENTERPRISE);
  });
});

/** A staff session through the API, past the second factor, as another department's system would hold. */
async function apiStaffSession(departmentCode: string, role: StaffRole): Promise<string> {
  nextTotpStep();
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: catalogStaffUsername(role, departmentCode), password: DEMO_STAFF_PASSWORD } });
  expect(login.statusCode, login.body).toBe(201);
  const cookie = sessionCookieOf(login);
  const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions/current/mfa', headers: { cookie }, payload: { code: totp(role) } });
  expect(mfa.statusCode, mfa.body).toBe(200);
  return cookie;
}

const HANDLING_ORDER = ['accept', 'startReview', 'approve', 'conclude', 'deliver'];

/** Walks an application through its item's flow: each step is taken by whichever of the department's staff the flow lets act. */
async function handleThroughApi(applicationId: string, cookies: string[]): Promise<string> {
  let status = '';
  for (let steps = 0; steps < HANDLING_ORDER.length + 1; steps++) {
    let taken = false;
    for (const cookie of cookies) {
      const view = (await t.app.inject({ url: `/api/v1/applications/${applicationId}`, headers: { cookie } })).json() as { status: string; actions: string[] };
      status = view.status;
      const action = HANDLING_ORDER.find((a) => view.actions.includes(a));
      if (!action) continue;
      const done = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${applicationId}/actions/${action}`, headers: { cookie }, payload: { opinion: '符合条件，予以办理。' } });
      expect(done.statusCode, done.body).toBe(200);
      status = (done.json() as { status: string }).status;
      taken = true;
      break;
    }
    if (!taken) break;
  }
  return status;
}

/** "2026-10-09 14:30": Beijing time to the minute, as the rectification form asks for it. */
function beijingMinute(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
