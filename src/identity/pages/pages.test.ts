import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { createTestApp } from '../../core/testing.js';
import { makeResidentId, makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import { createServices } from '../../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A browser without JavaScript, reduced to what matters: a cookie jar and form posts. */
class FormBrowser {
  private cookies = new Map<string, string>();
  constructor(private readonly t: TestApp) {}

  private remember(headers: Record<string, unknown>) {
    for (const raw of ([] as unknown[]).concat(headers['set-cookie'] ?? [])) {
      const [pair = '', ...attributes] = String(raw).split(';');
      const [name = '', value = ''] = pair.split('=');
      const cleared = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (cleared) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  private get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    const response = await this.t.app.inject({ url, headers: { accept: 'text/html', cookie: this.cookieHeader } });
    this.remember(response.headers);
    return response;
  }

  /** Fetches the page holding the form, then posts it with the page's own CSRF token. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.get(pageUrl);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return this.post(action, { ...fields, _csrf: csrf });
  }

  async post(action: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    const response = await this.t.app.inject({
      method: 'POST',
      url: action,
      headers: { accept: 'text/html', cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.remember(response.headers);
    return response;
  }
}

describe('the enterprise pages: a legal representative opens her company and manages its agents', () => {
  let t: TestApp;
  const lin = { name: '林晓', idNumber: makeResidentId({ region: '310115', birthDate: '1982-06-30', sequence: 33 }), phone: '13512345670', password: 'willow-bridge-82' };
  const he = { name: '何平', idNumber: makeResidentId({ region: '310115', birthDate: '1990-10-01', sequence: 71 }), phone: '13512345671', password: 'autumn-kite-1990' };
  const company = { uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(7001) }), name: '上海青禾咨询有限公司' };

  beforeAll(async () => {
    t = await createTestApp();
    const services = createServices(t.platform);
    await services.identity.createVerifiedPerson(lin);
    await services.identity.createVerifiedPerson(he);
    await services.enterpriseRegistry.add([
      { ...company, legalRepresentativeName: lin.name, legalRepresentativeIdNumber: lin.idNumber, regionCode: '310115', industryCode: '7243' },
    ]);
  });
  afterAll(() => t.close());

  let agentsUrl = '';
  it('opens the company by its credit code, authorises an agent, shows form errors in a summary, and revokes', async () => {
    const browser = new FormBrowser(t);
    const login = await browser.submit('/login?next=/enterprises/open', '/login', { login: lin.phone, password: lin.password, next: '/enterprises/open' });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/enterprises/open');

    const opened = await browser.submit('/enterprises/open', '/enterprises/open', { uscc: company.uscc.toLowerCase() });
    expect(opened.statusCode).toBe(303);
    agentsUrl = String(opened.headers.location).split('?')[0]!;
    expect((await browser.get(String(opened.headers.location))).body).toContain(company.name);

    const empty = await browser.submit(agentsUrl, agentsUrl, { name: '', idNumber: '', expiresOn: '' });
    expect(empty.statusCode).toBe(400);
    for (const field of ['name', 'idNumber', 'scopes', 'expiresOn']) expect(empty.body).toContain(`href="#${field}"`);
    expect(empty.body).toContain('id="scopes"');

    const granted = await browser.submit(agentsUrl, agentsUrl, { name: he.name, idNumber: he.idNumber, scopes: ['applications', 'policies'], expiresOn: '2027-01-31' });
    expect(granted.statusCode).toBe(303);
    const list = await browser.get(agentsUrl);
    expect(list.body).toContain(he.name);
    expect(list.body).not.toContain(he.idNumber);
    const revokeAction = /action="([^"]+\/revoke)"/.exec(list.body)![1]!;
    const revoked = await browser.submit(agentsUrl, revokeAction.replace(/&amp;/g, '&'), {});
    expect(revoked.statusCode).toBe(303);
    expect((await browser.get(agentsUrl)).body).toContain('已撤销');
  });

  it('keeps a stranger out of the company and sends the signed-out to sign in', async () => {
    const stranger = new FormBrowser(t);
    const enterprises = await stranger.get('/enterprises');
    expect(enterprises.statusCode).toBe(303);
    expect(enterprises.headers.location).toBe('/login?next=%2Fenterprises');
    const signedIn = await stranger.submit('/login', '/login', { login: he.idNumber, password: he.password });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/account');
    const list = await stranger.get('/enterprises');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toMatch(/href="\/enterprises\/[^/"]+\/agents"/);
    // His authorisation was revoked above: the company's agents page is refused to him.
    const agents = await stranger.get(agentsUrl);
    expect([403, 404]).toContain(agents.statusCode);
    expect(agents.body).not.toContain('已撤销');
  });

  it('refuses a form without its CSRF token with a friendly page', async () => {
    const browser = new FormBrowser(t);
    await browser.get('/login');
    const response = await browser.post('/login', { login: lin.phone, password: lin.password });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('表单已过期');
  });

  it('never redirects outside the site after sign-in', async () => {
    const browser = new FormBrowser(t);
    for (const next of ['//evil.example/', '/\t/evil.example/', '/\n/evil.example/', '/\\evil.example', 'https://evil.example/', '/%09/evil.example', ' /\t/evil.example']) {
      const response = await browser.submit('/login', '/login', { login: lin.phone, password: lin.password, next });
      expect(response.statusCode, next).toBe(303);
      const location = String(response.headers.location);
      expect(new URL(location, 'https://tongban.gov.cn').origin, `${next} -> ${location}`).toBe('https://tongban.gov.cn');
    }
    const inside = await browser.submit('/login', '/login', { login: lin.phone, password: lin.password, next: '/enterprises?tab=agents' });
    expect(inside.headers.location).toBe('/enterprises?tab=agents');
  });
});

describe('staff sign-in: a new officer sets up the authenticator on first sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is sent to enrolment, confirms a code from the shown secret, and next time needs the code', async () => {
    const services = createServices(t.platform);
    const department = await services.identity.createDepartment({ code: 'PD-MARKET', nameZh: '浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation', level: 'county', regionCode: '310115' });
    await services.identity.createStaff(
      { name: '周敏', username: 'zhou.min', password: 'river-stone-2026', departmentId: department.id, regionCode: '310115', roles: ['officer'] },
      { type: 'system' },
    );
    const browser = new FormBrowser(t);
    const login = await browser.submit('/staff/login', '/staff/login', { login: 'zhou.min', password: 'river-stone-2026' });
    expect(login.headers.location).toBe('/login/enrol');
    expect((await browser.get('/account')).headers.location).toBe('/login/enrol');

    const enrol = await browser.get('/login/enrol');
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(enrol.body)![1]!;
    expect(enrol.body).toContain('otpauth://totp/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(enrol.body)![1]!;
    const wrong = await browser.post('/login/enrol', { _csrf: csrf, secret, uri: 'otpauth://totp/x', code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain(secret);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
    const confirmed = await browser.post('/login/enrol', { _csrf: csrf, secret, uri: '', code });
    expect(confirmed.headers.location).toBe('/account');
    expect((await browser.get('/account')).body).toContain('已绑定认证器');

    const again = new FormBrowser(t);
    const second = await again.submit('/staff/login', '/staff/login', { login: 'zhou.min', password: 'river-stone-2026' });
    expect(second.headers.location).toBe('/login/totp?next=%2Faccount');
    t.clock.advance(60_000);
    const next = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
    const passed = await again.submit('/login/totp', '/login/totp', { code: next, next: '/account' });
    expect(passed.headers.location).toBe('/account');
  });
});
