import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { makeResidentId } from '../../reference/testing.js';
import { createServices, type Services } from '../../services.js';
import type { CertificateView } from '../schema.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A browser without JavaScript: a cookie jar, GETs and form posts with the page's CSRF token. */
class FormBrowser {
  private cookies = new Map<string, string>();
  constructor(private readonly t: TestApp) {}

  private remember(headers: Record<string, unknown>) {
    for (const raw of ([] as unknown[]).concat(headers['set-cookie'] ?? [])) {
      const [pair = ''] = String(raw).split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') this.cookies.delete(name.trim());
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

  async submit(pageUrl: string, action: string, fields: Record<string, string>) {
    const page = await this.get(pageUrl);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const response = await this.t.app.inject({
      method: 'POST',
      url: action,
      headers: { accept: 'text/html', cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
    });
    this.remember(response.headers);
    return response;
  }
}

const HOME_ADDRESS = '静安区南京西路1000号';
const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('certificate pages: the holder prints, shares and withdraws; strangers see nothing', () => {
  let t: TestApp;
  let services: Services;
  let certificate: CertificateView;
  let departmentId = '';
  const sun = { name: '孙悦', idNumber: makeResidentId({ region: '310106', birthDate: '1990-04-18', sequence: 62 }), phone: '13712340201', password: 'lantern-hill-1990' };
  const qian = { name: '钱进', idNumber: makeResidentId({ region: '310106', birthDate: '1986-12-01', sequence: 17 }), phone: '13712340202', password: 'copper-kettle-86' };

  const signIn = async (who: { phone: string; password: string }) => {
    const browser = new FormBrowser(t);
    const response = await browser.submit('/login', '/login', { login: who.phone, password: who.password, next: '/account' });
    expect(response.statusCode).toBe(303);
    return browser;
  };

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    const { personId } = await services.identity.createVerifiedPerson(sun);
    await services.identity.createVerifiedPerson(qian);
    const staff = await staffSession(t, { roles: ['approver'], regionCode: '310106' });
    departmentId = (await services.identity.createDepartment({ code: 'TEST-JA-HEALTH', nameZh: '静安区卫生健康委员会', nameEn: 'Jing’an Health Commission', level: 'county', regionCode: '310106' })).id;
    certificate = await t.platform.db.transaction().execute((tx) =>
      services.certificates.issue(tx, {
        certificateType: 'practisingCertificate',
        holder: { personId },
        holderName: sun.name,
        title: { 'zh-CN': '执业证书', en: 'Practising certificate' },
        fields: [
          { key: 'speciality', label: { 'zh-CN': '执业类别', en: 'Speciality' }, value: '临床', public: true },
          { key: 'homeAddress', label: { 'zh-CN': '住址', en: 'Home address' }, value: HOME_ADDRESS, public: false },
        ],
        issuedByDepartmentId: staff.departmentId,
        validityMonths: 24,
      }),
    );
  });
  afterAll(() => t.close());

  it('lists her certificates in Chinese and English, with a link to each', async () => {
    const browser = await signIn(sun);
    const zh = await browser.get('/account/certificates');
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<h1>我的电子证照</h1>');
    expect(zh.body).toContain(`href="/certificates/${certificate.id}"`);
    expect(zh.body).toContain(certificate.number);
    expect(zh.body).toContain('有效');
    // Every form control has its label.
    for (const id of ['certificateId', 'departmentId', 'purpose']) expect(zh.body).toContain(`for="${id}"`);
    const en = await browser.get('/account/certificates?lang=en');
    expect(en.body).toContain('<h1>My electronic certificates</h1>');
    expect(en.body).toContain('Practising certificate');
    expect(en.body).toContain('Jing’an Health Commission');
  });

  it('prints the whole certificate with a QR code of the verification link and the code itself', async () => {
    const browser = await signIn(sun);
    for (const [lang, title, notPublic] of [
      ['zh-CN', '执业证书', '（不公开）'],
      ['en', 'Practising certificate', '(not public)'],
    ] as const) {
      const page = await browser.get(`/certificates/${certificate.id}?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      const html = decode(page.body);
      expect(html).toContain(title);
      expect(html).toContain(certificate.verificationCode);
      expect(html).toContain(HOME_ADDRESS);
      expect(html).toContain(notPublic);
      expect(html).toContain('http://localhost:3000/verify');
      const src = /<img class="certificate__qr" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)?.[1];
      expect(src).toBeDefined();
      const expected = await QRCode.toString(certificate.verificationUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      expect(Buffer.from(src!, 'base64').toString()).toBe(expected);
      expect(certificate.verificationUrl).toBe(`http://localhost:3000/verify?code=${certificate.verificationCode}`);
    }
  });

  it('shows someone else the not-found page, and sends a visitor to sign in', async () => {
    const stranger = await signIn(qian);
    const page = await stranger.get(`/certificates/${certificate.id}`);
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).not.toContain(HOME_ADDRESS);
    expect(page.body).not.toContain(certificate.verificationCode);
    const list = await stranger.get('/account/certificates');
    expect(list.body).not.toContain(certificate.number);

    const visitor = new FormBrowser(t);
    const redirected = await visitor.get(`/certificates/${certificate.id}`);
    expect(redirected.statusCode).toBe(303);
    expect(redirected.headers.location).toBe(`/login?next=${encodeURIComponent(`/certificates/${certificate.id}`)}`);
  });

  it('shares with a department through the form, naming each missing answer, and withdraws again', async () => {
    const browser = await signIn(sun);
    const empty = await browser.submit('/account/certificates', '/account/certificates/shares', { certificateId: '', departmentId: '', purpose: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('error-summary');
    for (const id of ['certificateId', 'departmentId', 'purpose']) expect(empty.body).toContain(`href="#${id}"`);

    const shared = await browser.submit('/account/certificates', '/account/certificates/shares', { certificateId: certificate.id, departmentId, purpose: '申请多点执业备案' });
    expect(shared.statusCode).toBe(303);
    expect(shared.headers.location).toBe('/account/certificates?shared=1#shares');
    const after = await browser.get('/account/certificates?shared=1');
    expect(after.body).toContain('已记录您的同意');
    expect(after.body).toContain('申请多点执业备案');
    expect(after.body).toContain('静安区卫生健康委员会');
    const shares = await t.platform.db.selectFrom('certificateShares').selectAll().where('certificateId', '=', certificate.id).execute();
    expect(shares).toHaveLength(1);

    const revokeAction = `/account/certificates/${certificate.id}/shares/${shares[0]!.id}/revoke`;
    expect(after.body).toContain(`action="${revokeAction}"`);
    const withdrawn = await browser.submit('/account/certificates', revokeAction, {});
    expect(withdrawn.statusCode).toBe(303);
    const final = await browser.get('/account/certificates');
    expect(final.body).toContain('已撤回');
    expect(final.body).not.toContain(`action="${revokeAction}"`);

    // A stranger's forged post finds nothing to withdraw.
    const stranger = await signIn(qian);
    const forged = await stranger.submit('/account/certificates', revokeAction, {});
    expect(forged.statusCode).toBe(404);
  });
});
