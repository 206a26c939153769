import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { createTestApp } from '../../src/core/testing.js';
import { makeResidentId } from '../../src/reference/testing.js';
import { createServices, type Services } from '../../src/services.js';
import { expectAccessible, launchChromium, screenshots } from './browser.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let t: TestApp;
let services: Services;
let browser: Browser;
let baseUrl: string;

const residents = {
  withScript: { name: '陈静', idNumber: makeResidentId({ region: '310115', birthDate: '1988-04-09', sequence: 52 }), phone: '13611112222', password: 'harbour-lights-88' },
  withoutScript: { name: '赵磊', idNumber: makeResidentId({ region: '440305', birthDate: '1979-11-23', sequence: 17 }), phone: '13733334444', password: 'mountain-tea-1979' },
  forErrors: { name: '孙悦', idNumber: makeResidentId({ region: '110105', birthDate: '1995-02-14', sequence: 86 }), phone: '13855556666', password: 'quiet-garden-95' },
};

beforeAll(async () => {
  // The browser keeps cookies only until they expire, so the server's clock must be today's.
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  services = createServices(t.platform);
  await services.embeddedRegistry.add(Object.values(residents).map(({ name, idNumber }) => ({ name, idNumber })));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP lets the test inject axe-core; the pages themselves never run inline scripts.
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** The code most recently sent to this phone, read through the outbox service. */
async function codeFromService(phone: string): Promise<string> {
  const message = (await services.outbox.recent(20)).find((m) => m.recipientMasked === masked(phone));
  return /(\d{6})/.exec(message!.body)![1]!;
}

/** The same, read the way a developer would: on the /dev/outbox page. */
async function codeFromOutboxPage(page: Page, phone: string): Promise<string> {
  await page.goto('/dev/outbox');
  const row = page.locator('table tbody tr', { hasText: masked(phone) }).first();
  return /(\d{6})/.exec((await row.locator('td').last().textContent()) ?? '')![1]!;
}

for (const javaScriptEnabled of [true, false]) {
  const resident = javaScriptEnabled ? residents.withScript : residents.withoutScript;
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  describe(`a resident registers, confirms her phone, signs in, ends another session and signs out (${mode})`, () => {
    let context: BrowserContext;
    let page: Page;
    // Only the run with JavaScript can inject axe-core and measure the page; both runs walk the same pages.
    const check = async (name: string) => {
      if (!javaScriptEnabled) return;
      await expectAccessible(page, name);
      await screenshots(page, name);
    };

    beforeAll(async () => {
      ({ context, page } = await newPage(javaScriptEnabled));
    });
    afterAll(() => context?.close());

    it('starts on the home page and registers with name, ID number, phone and password', async () => {
      await page.goto('/');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await check('home');
      await page.getByRole('link', { name: '实名注册' }).click();
      await expect.poll(() => page.url()).toContain('/register');
      await check('register');
      await page.getByLabel('姓名').fill(resident.name);
      await page.getByLabel('身份号码').fill(resident.idNumber);
      await page.getByLabel('手机号码').fill(resident.phone);
      await page.getByLabel('设置密码').fill(resident.password);
      await page.getByRole('button', { name: '继续' }).click();
      await page.waitForURL(/\/register\/confirm\?challenge=/);
      await check('register-confirm');
    });

    it('asks for a new code, enters it and reaches real-name level 2', async () => {
      const firstUrl = page.url();
      await page.getByRole('button', { name: '重新发送验证码' }).click();
      await page.waitForURL((url) => url.toString() !== firstUrl && url.pathname === '/register/confirm');
      const confirmUrl = page.url();
      const code = javaScriptEnabled ? await codeFromService(resident.phone) : await codeFromOutboxPage(page, resident.phone);
      if (!javaScriptEnabled) await page.goto(confirmUrl);
      await page.getByLabel('输入短信验证码').fill(code);
      await page.getByRole('button', { name: '确认手机号码' }).click();
      await page.waitForURL(/\/register\/done$/);
      await expect.poll(() => page.locator('h1').textContent()).toBe('注册成功');
      await check('register-done');
    });

    it('signs in with the phone number and sees her account with masked ID and phone', async () => {
      await page.getByRole('link', { name: '登录' }).last().click();
      await page.waitForURL(/\/login/);
      await check('login');
      await page.getByLabel('身份号码或手机号码').fill(resident.phone);
      await page.getByLabel('密码', { exact: true }).fill(resident.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(/\/account$/);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain(resident.name);
      expect(text).toContain('二级：身份已核验，手机已确认');
      expect(text).toContain(masked(resident.phone));
      expect(text).not.toContain(resident.idNumber);
      expect(text).not.toContain(resident.phone);
    });

    it('ends a session on another device from the account page, and that device is refused at once', async () => {
      const other = await t.app.inject({
        method: 'POST',
        url: '/api/v1/identity/sessions',
        headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' },
        payload: { login: resident.idNumber, password: resident.password },
      });
      expect(other.statusCode).toBe(201);
      const otherCookie = String(([] as unknown[]).concat(other.headers['set-cookie']).find((c) => String(c).startsWith('tb_session='))).split(';')[0]!;
      expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: otherCookie } })).statusCode).toBe(200);

      await page.reload();
      const revokeButtons = page.getByRole('button', { name: /^退出该设备/ });
      await expect.poll(() => revokeButtons.count()).toBe(1);
      await check('account');
      await revokeButtons.first().click();
      await page.waitForURL(/\/account\?revoked=1/);
      await expect.poll(() => page.getByRole('status').textContent()).toBe('已退出该设备。');
      await expect.poll(() => page.getByRole('button', { name: /^退出该设备/ }).count()).toBe(0);
      expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: otherCookie } })).statusCode).toBe(401);
    });

    it('signs out with the button in the header', async () => {
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(/\/signed-out$/);
      expect(await page.locator('h1').textContent()).toBe('您已退出登录');
      await check('signed-out');
      await page.goto('/account');
      await page.waitForURL(/\/login\?next=%2Faccount/);
    });
  });
}

describe('the portal in English and its error messages', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await newPage(true));
  });
  afterAll(() => context?.close());

  it('switches to English with the language link and remembers the choice', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Tongban: one-stop government services');
    await page.goto('/login');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await expectAccessible(page, 'login in English');
  });

  it('shows an error summary linked to each field, keeps what was typed and never the password', async () => {
    await page.goto('/register?lang=en');
    await page.getByLabel('Name').fill(residents.forErrors.name);
    await page.getByLabel('ID number').fill(residents.forErrors.idNumber.slice(0, 17) + (residents.forErrors.idNumber.endsWith('1') ? '2' : '1'));
    await page.getByLabel('Create a password').fill('short');
    await page.getByRole('button', { name: 'Continue' }).click();

    const summary = page.getByRole('alert');
    expect(await summary.locator('h2').textContent()).toBe('There is a problem');
    expect(await page.title()).toMatch(/^Error: /);
    const links = summary.getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      const input = page.locator(href!);
      expect(await input.count(), `summary link ${href} points at a field`).toBe(1);
      const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
      expect(describedBy).toContain(`${href!.slice(1)}-error`);
    }
    // An empty phone field is named in the summary and beside the field.
    await expect.poll(() => summary.getByRole('link', { name: 'Mobile phone number is required.' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#phone-error').textContent()).toContain('Mobile phone number is required.');
    await summary.getByRole('link').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('phone');
    expect(await page.getByLabel('Name').inputValue()).toBe(residents.forErrors.name);
    expect(await page.getByLabel('Create a password').inputValue()).toBe('');
    await expectAccessible(page, 'register with errors');
    await screenshots(page, 'register-errors');

    await page.getByLabel('Mobile phone number').fill(residents.forErrors.phone);
    await page.getByLabel('ID number').fill(residents.forErrors.idNumber);
    await page.getByLabel('Create a password').fill(residents.forErrors.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/register\/confirm/);
  });

  it('answers an unknown page with a friendly HTML 404 in the chosen language', async () => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator('h1').textContent()).toBe('Not found');
    await expectAccessible(page, '404');
  });
});
