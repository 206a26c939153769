import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffSession } from '../identity/testing.js';
import { makeResidentId } from '../reference/testing.js';
import type { ReviewableApplication } from './service.js';
import { createEvaluationTestApp } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createEvaluationTestApp>>;

/** A browser without JavaScript: a cookie jar, links and form posts carrying the page's CSRF token. */
class FormBrowser {
  private cookies = new Map<string, string>();
  constructor(
    private readonly t: TestApp,
    cookie?: string,
  ) {
    if (cookie) this.remember({ 'set-cookie': cookie });
  }

  private remember(headers: Record<string, unknown>) {
    for (const raw of ([] as unknown[]).concat(headers['set-cookie'] ?? [])) {
      const [pair = ''] = String(raw).split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value) this.cookies.set(name.trim(), value);
      else this.cookies.delete(name.trim());
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

const zhou = { name: '周琳', idNumber: makeResidentId({ region: '310115', birthDate: '1988-04-09', sequence: 415 }), phone: '13612340009', password: 'lantern-river-88' };
const itemName = { 'zh-CN': '食品经营许可', en: 'Food business licence' };

describe('the review pages: a person rates a licence badly, the department answers, the supervisor rules on an appeal', () => {
  let t: TestApp;
  let person: FormBrowser;
  let officer: FormBrowser;
  let supervisor: FormBrowser;
  let rated: ReviewableApplication;
  let appealedOn: ReviewableApplication;
  let pending: ReviewableApplication;

  beforeAll(async () => {
    t = await createEvaluationTestApp();
    const personId = (await t.services.identity.createVerifiedPerson(zhou)).personId;
    const department = await t.services.identity.createDepartment({ code: 'SH-PD-SCJG', nameZh: '上海市浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation Bureau', level: 'county', regionCode: '310115' });
    const base = { applicantPersonId: personId, departmentId: department.id, itemId: 'item-food-licence', itemName };
    rated = t.applications.add({ ...base, status: 'delivered', concludedAt: '2026-09-29T08:00:00Z' });
    appealedOn = t.applications.add({ ...base, status: 'concluded', concludedAt: '2026-09-29T08:00:00Z' });
    pending = t.applications.add({ ...base, status: 'underReview', concludedAt: null });
    person = new FormBrowser(t);
    const login = await person.submit('/login', '/login', { login: zhou.phone, password: zhou.password, next: '/account' });
    expect(login.statusCode).toBe(303);
    officer = new FormBrowser(t, (await staffSession(t, { roles: ['officer'], departmentId: department.id, regionCode: '310115' })).cookie);
    supervisor = new FormBrowser(t, (await staffSession(t, { roles: ['supervisor'], regionCode: '310000' })).cookie);
  });
  afterAll(() => t.close());

  const reviewUrl = (application: ReviewableApplication) => `/applications/${application.id}/review`;

  it('sends a visitor who is not signed in to the sign-in page, and tells the applicant when it is too early', async () => {
    const anonymous = await new FormBrowser(t).get(reviewUrl(rated));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(reviewUrl(rated))}`);
    const early = await person.get(reviewUrl(pending));
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('还没有办结');
    expect(early.body).not.toContain('name="rating"');
  });

  it('shows the form in Chinese and English, and lists every missing answer in the error summary', async () => {
    const zh = await person.get(reviewUrl(rated));
    expect(zh.statusCode).toBe(200);
    for (const words of ['评价办事服务', '5 非常满意', '3 基本满意', '1 非常不满意', '办理效率', '办事指南准确性', '办理便利程度', rated.trackingNumber, '食品经营许可']) {
      expect(zh.body).toContain(words);
    }
    const en = await person.get(`${reviewUrl(rated)}?lang=en`);
    expect(en.body).toContain('Rate the service');
    expect(en.body).toContain('Very dissatisfied');
    expect(en.body).toContain('Food business licence');
    await person.get(`${reviewUrl(rated)}?lang=zh-CN`); // the language choice is remembered in a cookie

    const empty = await person.submit(reviewUrl(rated), reviewUrl(rated), { rating: '2', comment: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('class="error-summary"');
    for (const anchor of ['#efficiency', '#guidanceAccuracy', '#convenience', '#comment']) expect(empty.body).toContain(`href="${anchor}"`);
    // What was chosen stays chosen.
    expect(empty.body).toMatch(/id="rating-4"[^>]*checked=""[^>]*value="2"/);
  });

  it('takes a rating of 2 and shows the department’s deadline; the officer sees the case, the caller’s phone, and answers', async () => {
    const sent = await person.submit(reviewUrl(rated), reviewUrl(rated), { rating: '2', efficiency: '2', guidanceAccuracy: '3', convenience: '2', comment: '现场核查预约了三次才成功。' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${reviewUrl(rated)}?done=1`);
    const mine = await person.get(sent.headers.location as string);
    expect(mine.body).toContain('感谢您的评价');
    expect(mine.body).toContain('现场核查预约了三次才成功。');
    expect(mine.body).toContain('2026-10-13');
    expect(mine.body).not.toContain('name="efficiency"');

    const list = await officer.get('/workbench/rectifications');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(rated.trackingNumber);
    const caseUrl = /href="(\/workbench\/rectifications\/[^"?]+)"/.exec(list.body)![1]!;
    const casePage = await officer.get(caseUrl);
    expect(casePage.body).toContain('现场核查预约了三次才成功。');
    expect(casePage.body).not.toContain(zhou.phone);
    const contact = await officer.submit(caseUrl, `${caseUrl}/contact`, {});
    expect(contact.statusCode).toBe(200);
    expect(contact.body).toContain(zhou.phone);

    const blank = await officer.submit(caseUrl, `${caseUrl}/response`, { callbackAt: '昨天下午', response: '' });
    expect(blank.statusCode).toBe(400);
    for (const anchor of ['#callbackAt', '#outcome', '#response']) expect(blank.body).toContain(`href="${anchor}"`);
    const answered = await officer.submit(caseUrl, `${caseUrl}/response`, { callbackAt: '2026-09-30 10:00', outcome: 'fixed', response: '已致电致歉，现场核查改为网上预约，当天可约。' });
    expect(answered.statusCode).toBe(303);
    expect((await officer.get(answered.headers.location as string)).body).toContain('答复已提交');
  });

  it('shows the applicant the response and takes their rating of the rectification', async () => {
    const page = await person.get(reviewUrl(rated));
    expect(page.body).toContain('已致电致歉，现场核查改为网上预约，当天可约。');
    expect(page.body).toContain('2026-09-30 10:00');
    const ratedRectification = await person.submit(reviewUrl(rated), `${reviewUrl(rated)}/rectification-rating`, { rating: '4', comment: '改进很快。' });
    expect(ratedRectification.statusCode).toBe(303);
    const after = await person.get(ratedRectification.headers.location as string);
    expect(after.body).toContain('您对整改的评价');
    expect(after.body).toContain('改进很快。');
  });

  it('takes an appeal from the department and a decision from the supervisor of the region', async () => {
    const sent = await person.submit(reviewUrl(appealedOn), reviewUrl(appealedOn), { rating: '1', efficiency: '1', guidanceAccuracy: '1', convenience: '1', comment: '没人理我。' });
    expect(sent.statusCode).toBe(303);
    const list = await officer.get('/workbench/rectifications?show=awaiting');
    const caseUrl = /href="(\/workbench\/rectifications\/[^"?]+)"/.exec(list.body)![1]!;
    const appealed = await officer.submit(caseUrl, `${caseUrl}/appeal`, { reason: '该申请人当天已由窗口当面答复，有签字记录。' });
    expect(appealed.statusCode).toBe(303);

    const appeals = await supervisor.get('/workbench/appeals');
    expect(appeals.statusCode).toBe(200);
    expect(appeals.body).toContain(appealedOn.trackingNumber);
    const appealUrl = /href="(\/workbench\/appeals\/[^"?]+)"/.exec(appeals.body)![1]!;
    const missing = await supervisor.submit(appealUrl, `${appealUrl}/decision`, { note: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#decision"');
    const decided = await supervisor.submit(appealUrl, `${appealUrl}/decision`, { decision: 'upheld', note: '签字记录属实。' });
    expect(decided.statusCode).toBe(303);
    expect((await supervisor.get('/workbench/appeals')).body).toContain('没有待审核的申诉');
    const applicantView = await person.get(`${reviewUrl(appealedOn)}?lang=en`);
    expect(applicantView.body).toContain('Appeal upheld');
    expect(applicantView.body).toContain('签字记录属实。');
  });

  it('refuses the workbench to a person and the appeals to an officer, with an error page', async () => {
    const refused = await person.get('/workbench/rectifications');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('text/html');
    expect((await officer.get('/workbench/appeals')).statusCode).toBe(403);
  });
});
