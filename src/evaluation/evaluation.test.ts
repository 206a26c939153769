import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { logIn, staffSession } from '../identity/testing.js';
import { makeResidentId } from '../reference/testing.js';
import { createEvaluationTestApp, staffLogIn } from './testing.js';
import type { ReviewableApplication } from './service.js';

type TestApp = Awaited<ReturnType<typeof createEvaluationTestApp>>;

const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1984-06-12', sequence: 122 }), phone: '13912340001', password: 'harbour-lights-84' };
const li = { name: '李明', idNumber: makeResidentId({ region: '310104', birthDate: '1991-02-03', sequence: 31 }), phone: '13912340002', password: 'maple-street-1991' };

const individualBusiness = { 'zh-CN': '个体工商户登记', en: 'Individual business registration' };
const good = { efficiency: 5, guidanceAccuracy: 4, convenience: 5 };
const poor = { efficiency: 2, guidanceAccuracy: 3, convenience: 2 };

describe('a person rates a concluded application once, and a bad rating is put right by the department', () => {
  let t: TestApp;
  let wangId = '';
  let wangCookie = '';
  let liCookie = '';
  let pudongDepartmentId = '';
  let pudongOfficer = '';
  let hangzhouOfficer = '';
  let shanghaiSupervisor = '';
  let zhejiangSupervisor = '';
  let concluded: ReviewableApplication;
  let underReview: ReviewableApplication;
  let respondedTo: ReviewableApplication;
  let appealed: ReviewableApplication;
  let respondCaseId = '';
  let appealCaseId = '';
  type Staff = Awaited<ReturnType<typeof staffSession>>;
  const staff: Record<'pudongOfficer' | 'hangzhouOfficer' | 'shanghaiSupervisor' | 'zhejiangSupervisor', Staff> = {} as never;

  /** Moves the clock days ahead and signs everyone in again (the old sessions have timed out). */
  const jump = async (iso: string) => {
    t.clock.set(iso);
    wangCookie = await logIn(t, wang.phone, wang.password);
    liCookie = await logIn(t, li.phone, li.password);
    pudongOfficer = await staffLogIn(t, staff.pudongOfficer);
    hangzhouOfficer = await staffLogIn(t, staff.hangzhouOfficer);
    shanghaiSupervisor = await staffLogIn(t, staff.shanghaiSupervisor);
    zhejiangSupervisor = await staffLogIn(t, staff.zhejiangSupervisor);
  };

  const post = (url: string, cookie: string, payload: unknown, lang = 'zh-CN') =>
    t.app.inject({ method: 'POST', url, headers: { cookie, 'accept-language': lang }, payload: payload as object });
  const get = (url: string, cookie = '') => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const reviewCount = async () => Number((await t.platform.db.selectFrom('reviews').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createEvaluationTestApp();
    wangId = (await t.services.identity.createVerifiedPerson(wang)).personId;
    const liId = (await t.services.identity.createVerifiedPerson(li)).personId;
    const pudong = await t.services.identity.createDepartment({ code: 'SH-PD-SCJG', nameZh: '上海市浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation Bureau', level: 'county', regionCode: '310115' });
    const hangzhou = await t.services.identity.createDepartment({ code: 'ZJ-HZ-XH-SCJG', nameZh: '杭州市西湖区市场监督管理局', nameEn: 'Xihu Market Regulation Bureau', level: 'county', regionCode: '330106' });
    pudongDepartmentId = pudong.id;
    staff.pudongOfficer = await staffSession(t, { roles: ['officer'], departmentId: pudong.id, regionCode: '310115' });
    staff.hangzhouOfficer = await staffSession(t, { roles: ['officer', 'approver'], departmentId: hangzhou.id, regionCode: '330106' });
    staff.shanghaiSupervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
    staff.zhejiangSupervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '330000' });
    pudongOfficer = staff.pudongOfficer.cookie;
    hangzhouOfficer = staff.hangzhouOfficer.cookie;
    shanghaiSupervisor = staff.shanghaiSupervisor.cookie;
    zhejiangSupervisor = staff.zhejiangSupervisor.cookie;
    wangCookie = await logIn(t, wang.phone, wang.password);
    liCookie = await logIn(t, li.phone, li.password);
    const base = { applicantPersonId: wangId, departmentId: pudong.id, itemId: 'item-individual-business', itemName: individualBusiness };
    concluded = t.applications.add({ ...base, status: 'concluded', concludedAt: '2026-09-29T08:00:00.000Z' });
    underReview = t.applications.add({ ...base, status: 'underReview', concludedAt: null });
    respondedTo = t.applications.add({ ...base, status: 'delivered', concludedAt: '2026-09-28T08:00:00.000Z' });
    appealed = t.applications.add({ ...base, status: 'concluded', concludedAt: '2026-09-29T09:00:00.000Z' });
    t.applications.add({ ...base, applicantPersonId: liId, status: 'concluded', concludedAt: '2026-09-29T09:00:00.000Z' });
  });
  afterAll(() => t.close());

  it('lets no one but the applicant rate an application or read its review', async () => {
    const stranger = await post(`/api/v1/applications/${concluded.id}/review`, liCookie, { rating: 5, indicators: good });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('applicationNotFound');
    const staff = await post(`/api/v1/applications/${concluded.id}/review`, pudongOfficer, { rating: 5, indicators: good });
    expect(staff.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${concluded.id}/review`, payload: { rating: 5, indicators: good } });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await post('/api/v1/applications/no-such-application/review', wangCookie, { rating: 5, indicators: good });
    expect(unknown.statusCode).toBe(404);
    expect(await reviewCount()).toBe(0);
  });

  it('refuses to rate an application that is still under review (409)', async () => {
    const response = await post(`/api/v1/applications/${underReview.id}/review`, wangCookie, { rating: 4, indicators: good });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('applicationNotConcluded');
    expect(await reviewCount()).toBe(0);
  });

  it('records a good rating with its indicators, opens no case, and refuses a second rating (409)', async () => {
    const first = await post(`/api/v1/applications/${concluded.id}/review`, wangCookie, { rating: 5, indicators: good, comment: '材料一次就齐了，很快。' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ applicationId: concluded.id, trackingNumber: concluded.trackingNumber, rating: 5, indicators: good, rectification: null });
    const second = await post(`/api/v1/applications/${concluded.id}/review`, wangCookie, { rating: 1, indicators: poor, comment: '改主意了' });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('alreadyReviewed');
    const mine = await get(`/api/v1/applications/${concluded.id}/review`, wangCookie);
    expect(mine.json()).toMatchObject({ rating: 5, comment: '材料一次就齐了，很快。' });
    expect((await get(`/api/v1/applications/${concluded.id}/review`, liCookie)).statusCode).toBe(404);
    expect(await reviewCount()).toBe(1);
    expect(t.events).toEqual([]);
  });

  it('names every wrong field of a bad rating: indicators out of range and the missing reason', async () => {
    const outOfRange = await post(`/api/v1/applications/${respondedTo.id}/review`, wangCookie, { rating: 2, indicators: { efficiency: 0, guidanceAccuracy: 3, convenience: 9 } });
    expect(outOfRange.statusCode).toBe(400);
    const fields = outOfRange.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['/indicators/convenience', '/indicators/efficiency']);
    const noReason = await post(`/api/v1/applications/${respondedTo.id}/review`, wangCookie, { rating: 2, indicators: poor, comment: '   ' }, 'en');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ field: '/comment', code: 'evaluation.comment.requiredForBad' })]);
    expect(noReason.json().errors[0].message).toMatch(/say why/);
    const tooLong = await post(`/api/v1/applications/${respondedTo.id}/review`, wangCookie, { rating: 2, indicators: poor, comment: '慢'.repeat(501) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('/comment');
    expect(await reviewCount()).toBe(1);
  });

  it('opens a case for a rating of 2 given on 30 September, due 13 October: the National Day week does not count', async () => {
    // Hand count from 30 September 2026 (Wednesday): 1–7 October are holidays; 8 (Thu) and 9 (Fri)
    // are working days 1 and 2; Saturday 10 October is an adjusted working day (3); 12 and 13 are 4 and 5.
    const calendar = await t.services.calendar.current();
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    const response = await post(`/api/v1/applications/${respondedTo.id}/review`, wangCookie, { rating: 2, indicators: poor, comment: '窗口让我补交了两次材料。' });
    expect(response.statusCode).toBe(201);
    const review = response.json();
    expect(review.rectification).toMatchObject({ status: 'open', dueOn: '2026-10-13', response: null, appeal: null });
    respondCaseId = review.rectification.id;
    expect(t.events).toEqual([
      { hook: 'opened', event: expect.objectContaining({ rectificationId: respondCaseId, applicationId: respondedTo.id, departmentId: pudongDepartmentId, dueOn: '2026-10-13', applicantPersonId: wangId }) },
    ]);
    const audit = await t.platform.audit.forPerson(wangId, ['evaluation.reviewed', 'evaluation.rectificationOpened']);
    expect(audit.map((e) => e.action).sort()).toEqual(['evaluation.rectificationOpened', 'evaluation.reviewed', 'evaluation.reviewed']);
  });

  it("lists the department's cases soonest due first, and keeps them from other departments and roles", async () => {
    await jump('2026-10-08T02:00:00Z');
    const bad = await post(`/api/v1/applications/${appealed.id}/review`, wangCookie, { rating: 1, indicators: { efficiency: 1, guidanceAccuracy: 1, convenience: 1 }, comment: '态度很差。' });
    expect(bad.statusCode).toBe(201);
    appealCaseId = bad.json().rectification.id;
    // 8 October plus five working days: 9, 10 (adjusted Saturday), 12, 13, 14.
    expect(bad.json().rectification.dueOn).toBe('2026-10-14');

    const list = await get('/api/v1/rectifications', pudongOfficer);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    expect(list.json().items.map((c: { id: string; dueOn: string; overdue: boolean }) => [c.id, c.dueOn, c.overdue])).toEqual([
      [respondCaseId, '2026-10-13', false],
      [appealCaseId, '2026-10-14', false],
    ]);
    expect(list.json().items[0]).toMatchObject({ trackingNumber: respondedTo.trackingNumber, review: { rating: 2, comment: '窗口让我补交了两次材料。' } });

    expect((await get('/api/v1/rectifications', hangzhouOfficer)).json()).toEqual({ total: 0, items: [] });
    const other = await get(`/api/v1/rectifications/${respondCaseId}`, hangzhouOfficer);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('otherDepartment');
    const otherResponse = await post(`/api/v1/rectifications/${respondCaseId}/response`, hangzhouOfficer, { callbackAt: '2026-10-08T01:00:00Z', outcome: 'explained', response: '不是我们的' });
    expect(otherResponse.statusCode).toBe(403);
    const otherAppeal = await post(`/api/v1/rectifications/${appealCaseId}/appeal`, hangzhouOfficer, { reason: '不是我们的' });
    expect(otherAppeal.statusCode).toBe(403);
    expect((await get('/api/v1/rectifications', wangCookie)).statusCode).toBe(403);
    expect((await get('/api/v1/rectifications', shanghaiSupervisor)).statusCode).toBe(403);
    expect((await get(`/api/v1/rectifications/${respondCaseId}`, pudongOfficer)).json().status).toBe('open');
  });

  it("gives the officer the applicant's phone for the call back, and records the read where the applicant sees it", async () => {
    const refused = await get(`/api/v1/rectifications/${respondCaseId}/contact`, hangzhouOfficer);
    expect(refused.statusCode).toBe(403);
    expect(await t.platform.audit.forPerson(wangId, ['personalData.read'])).toHaveLength(0);
    const contact = await get(`/api/v1/rectifications/${respondCaseId}/contact`, pudongOfficer);
    expect(contact.json()).toEqual({ name: wang.name, phone: wang.phone });
    const reads = await t.platform.audit.forPerson(wangId, ['personalData.read']);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.purpose).toContain(respondedTo.trackingNumber);
  });

  it('records the call back and response; the applicant sees it and rates the rectification once', async () => {
    await jump('2026-10-09T06:00:00Z');
    const future = await post(`/api/v1/rectifications/${respondCaseId}/response`, pudongOfficer, { callbackAt: '2026-10-09T08:00:00Z', outcome: 'explained', response: '已电话说明' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0]).toMatchObject({ field: '/callbackAt', code: 'evaluation.callbackAt.future' });
    const beforeReview = await post(`/api/v1/rectifications/${respondCaseId}/response`, pudongOfficer, { callbackAt: '2026-09-29T08:00:00Z', outcome: 'explained', response: '已电话说明' });
    expect(beforeReview.json().errors[0].code).toBe('evaluation.callbackAt.beforeReview');

    const tooEarlyToRate = await post(`/api/v1/reviews/${(await get(`/api/v1/applications/${respondedTo.id}/review`, wangCookie)).json().id}/rectification-rating`, wangCookie, { rating: 4 });
    expect(tooEarlyToRate.statusCode).toBe(409);
    expect(tooEarlyToRate.json().code).toBe('rectificationNotResponded');

    const answer = '已电话回访并致歉；窗口已按办事指南一次性告知所需材料，并已对窗口人员开展培训。';
    const responded = await post(`/api/v1/rectifications/${respondCaseId}/response`, pudongOfficer, { callbackAt: '2026-10-09T05:30:00+08:00', outcome: 'fixed', response: answer });
    expect(responded.statusCode).toBe(200);
    expect(responded.json()).toMatchObject({ status: 'responded', outcome: 'fixed', callbackAt: '2026-10-08T21:30:00.000Z', overdue: false });
    expect(t.events.at(-1)).toMatchObject({ hook: 'responded', event: { rectificationId: respondCaseId } });
    const again = await post(`/api/v1/rectifications/${respondCaseId}/response`, pudongOfficer, { callbackAt: '2026-10-09T05:30:00+08:00', outcome: 'fixed', response: answer });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('已答复');

    const seen = (await get(`/api/v1/applications/${respondedTo.id}/review`, wangCookie)).json();
    expect(seen.rectification).toMatchObject({ status: 'responded', outcome: 'fixed', response: answer, applicantRating: null });
    const notMine = await post(`/api/v1/reviews/${seen.id}/rectification-rating`, liCookie, { rating: 1 });
    expect(notMine.statusCode).toBe(404);
    const rated = await post(`/api/v1/reviews/${seen.id}/rectification-rating`, wangCookie, { rating: 4, comment: '回访及时。' });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().rectification).toMatchObject({ status: 'closed', applicantRating: 4, applicantComment: '回访及时。' });
    const twice = await post(`/api/v1/reviews/${seen.id}/rectification-rating`, wangCookie, { rating: 5 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('rectificationAlreadyRated');
    expect((await get(`/api/v1/rectifications/${respondCaseId}`, pudongOfficer)).json()).toMatchObject({ status: 'closed', applicantRating: 4 });

    const goodReview = (await get(`/api/v1/applications/${concluded.id}/review`, wangCookie)).json();
    const noCase = await post(`/api/v1/reviews/${goodReview.id}/rectification-rating`, wangCookie, { rating: 5 });
    expect(noCase.json().code).toBe('noRectification');
  });

  it('takes an appeal once; only a supervisor of a region covering the department decides it', async () => {
    const noReason = await post(`/api/v1/rectifications/${appealCaseId}/appeal`, pudongOfficer, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    const appeal = await post(`/api/v1/rectifications/${appealCaseId}/appeal`, pudongOfficer, { reason: '申请人当天未到窗口，监控可查，评价与事实不符。' });
    expect(appeal.statusCode).toBe(200);
    expect(appeal.json()).toMatchObject({ status: 'appealed', overdue: false, appeal: { reason: '申请人当天未到窗口，监控可查，评价与事实不符。', decision: null } });
    expect((await post(`/api/v1/rectifications/${appealCaseId}/appeal`, pudongOfficer, { reason: '再申诉一次' })).statusCode).toBe(409);
    const respondWhileAppealed = await post(`/api/v1/rectifications/${appealCaseId}/response`, pudongOfficer, { callbackAt: '2026-10-09T05:30:00+08:00', outcome: 'explained', response: '说明' });
    expect(respondWhileAppealed.statusCode).toBe(409);
    const closedCase = await post(`/api/v1/rectifications/${respondCaseId}/appeal`, pudongOfficer, { reason: '已经答复了' });
    expect(closedCase.json().code).toBe('appealNotAllowed');

    expect((await get('/api/v1/appeals', zhejiangSupervisor)).json()).toEqual([]);
    const outside = await post(`/api/v1/appeals/${appealCaseId}/decision`, zhejiangSupervisor, { decision: 'upheld', note: '同意' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('outOfRegion');
    expect((await post(`/api/v1/appeals/${appealCaseId}/decision`, pudongOfficer, { decision: 'upheld', note: '自己批' })).statusCode).toBe(403);

    const pending = await get('/api/v1/appeals', shanghaiSupervisor);
    expect(pending.json().map((c: { id: string }) => c.id)).toEqual([appealCaseId]);
    expect(pending.json()[0]).toMatchObject({ departmentName: { 'zh-CN': '上海市浦东新区市场监督管理局' }, review: { rating: 1 } });

    const seen = (await get(`/api/v1/applications/${appealed.id}/review`, wangCookie)).json();
    expect(seen.rectification).toMatchObject({ status: 'appealed', appeal: { decision: null } });
  });

  it('a dismissed appeal sends the case back with the working days that were left when it was appealed', async () => {
    // Appealed on 9 October with four working days left (10, 12, 13 and the due day 14 October);
    // decided on 15 October, so four working days run again from there: 16, 19, 20 and 21 October.
    await jump('2026-10-15T02:00:00Z');
    const missingDecision = await post(`/api/v1/appeals/${appealCaseId}/decision`, shanghaiSupervisor, { decision: 'maybe', note: '' });
    expect(missingDecision.statusCode).toBe(400);
    const decided = await post(`/api/v1/appeals/${appealCaseId}/decision`, shanghaiSupervisor, { decision: 'dismissed', note: '无证据表明评价恶意，请部门回访说明。' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'dismissed', dueOn: '2026-10-21', overdue: false, appeal: { decision: 'dismissed', note: '无证据表明评价恶意，请部门回访说明。' } });
    expect((await post(`/api/v1/appeals/${appealCaseId}/decision`, shanghaiSupervisor, { decision: 'upheld', note: '改判' })).json().code).toBe('appealNotPending');
    expect((await get('/api/v1/appeals', shanghaiSupervisor)).json()).toEqual([]);
    expect((await get('/api/v1/appeals?state=decided', shanghaiSupervisor)).json().map((c: { id: string }) => c.id)).toEqual([appealCaseId]);

    const seen = (await get(`/api/v1/applications/${appealed.id}/review`, wangCookie)).json();
    expect(seen.rectification).toMatchObject({ status: 'dismissed', dueOn: '2026-10-21', appeal: { decision: 'dismissed' } });
    expect((await post(`/api/v1/rectifications/${appealCaseId}/appeal`, pudongOfficer, { reason: '再试一次' })).statusCode).toBe(409);
    const responded = await post(`/api/v1/rectifications/${appealCaseId}/response`, pudongOfficer, { callbackAt: '2026-10-15T09:00:00+08:00', outcome: 'explained', response: '已回访说明情况。' });
    expect(responded.json()).toMatchObject({ status: 'responded' });
    const audit = await t.platform.audit.forPerson(wangId, ['evaluation.appealed', 'evaluation.appealDecided', 'evaluation.rectificationResponded']);
    expect(audit.map((e) => e.action).sort()).toEqual(['evaluation.appealDecided', 'evaluation.appealed', 'evaluation.rectificationResponded', 'evaluation.rectificationResponded']);
  });

  it('two simultaneous first reviews of one application make one review and one 409', async () => {
    const application = t.applications.add({ applicantPersonId: wangId, departmentId: pudongDepartmentId, itemId: 'item-individual-business', itemName: individualBusiness, status: 'concluded', concludedAt: '2026-10-14T08:00:00Z' });
    const url = `/api/v1/applications/${application.id}/review`;
    const answers = await Promise.all([
      post(url, wangCookie, { rating: 1, indicators: poor, comment: '第一次' }),
      post(url, wangCookie, { rating: 2, indicators: poor, comment: '第二次' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const rows = await t.platform.db.selectFrom('reviews').select('id').where('applicationId', '=', application.id).execute();
    expect(rows).toHaveLength(1);
    const cases = await t.platform.db.selectFrom('rectifications').select('id').where('reviewId', '=', rows[0]!.id).execute();
    expect(cases).toHaveLength(1);
  });
});

describe('public satisfaction, hand-computed on a small fixed set of reviews', () => {
  let t: TestApp;
  let healthId = '';
  let officerStaff: Awaited<ReturnType<typeof staffSession>>;
  const ids: Record<string, string> = {};

  const post = (url: string, cookie: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });

  beforeAll(async () => {
    t = await createEvaluationTestApp();
    const wangId = (await t.services.identity.createVerifiedPerson(wang)).personId;
    const health = await t.services.identity.createDepartment({ code: 'SH-PD-WJW', nameZh: '上海市浦东新区卫生健康委员会', nameEn: 'Pudong Health Commission', level: 'county', regionCode: '310115' });
    healthId = health.id;
    officerStaff = await staffSession(t, { roles: ['approver'], departmentId: health.id, regionCode: '310115' });
    const supervisorStaff = await staffSession(t, { roles: ['supervisor'], regionCode: '310115' });
    let officer = officerStaff.cookie;
    const person = await logIn(t, wang.phone, wang.password);
    const itemX = { itemId: 'item-birth-registration', itemName: { 'zh-CN': '生育登记', en: 'Birth registration' } };
    const itemY = { itemId: 'item-vaccination-record', itemName: { 'zh-CN': '预防接种证补办', en: 'Vaccination record reissue' } };

    // On 30 September 2026: cases opened today are due 13 October.
    const reviews: [string, typeof itemX, number, number, number, number][] = [
      ['r1', itemX, 5, 5, 5, 5],
      ['r2', itemX, 5, 4, 5, 5],
      ['r3', itemX, 4, 4, 4, 3],
      ['r4', itemX, 3, 3, 3, 3],
      ['r5', itemX, 2, 2, 3, 2], // answered on time
      ['r6', itemX, 1, 1, 1, 1], // appeal upheld: excluded
      ['r7', itemX, 1, 1, 2, 1], // never answered: overdue
      ['r8', itemX, 2, 2, 2, 2], // answered late
      ['y1', itemY, 4, 5, 4, 5],
    ];
    for (const [key, item, rating, efficiency, guidanceAccuracy, convenience] of reviews) {
      const application = t.applications.add({ ...item, applicantPersonId: wangId, departmentId: health.id, status: 'delivered', concludedAt: '2026-09-29T08:00:00Z' });
      const response = await post(`/api/v1/applications/${application.id}/review`, person, { rating, indicators: { efficiency, guidanceAccuracy, convenience }, comment: `评价 ${key}` });
      if (response.statusCode !== 201) throw new Error(response.body);
      ids[key] = response.json().rectification?.id ?? '';
    }
    t.clock.set('2026-10-09T02:00:00Z');
    officer = await staffLogIn(t, officerStaff);
    const supervisor = await staffLogIn(t, supervisorStaff);
    const answer = (id: string) => post(`/api/v1/rectifications/${id}/response`, officer, { callbackAt: t.clock.now().toISOString(), outcome: 'explained', response: '已回访说明。' });
    expect((await answer(ids.r5!)).statusCode).toBe(200);
    expect((await post(`/api/v1/rectifications/${ids.r6}/appeal`, officer, { reason: '该申请人未在本部门办理过此事项。' })).statusCode).toBe(200);
    expect((await post(`/api/v1/appeals/${ids.r6}/decision`, supervisor, { decision: 'upheld', note: '经核实，评价对象错误。' })).statusCode).toBe(200);
    t.clock.set('2026-10-14T02:00:00Z');
    officer = await staffLogIn(t, officerStaff);
    expect((await answer(ids.r8!)).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('per item: counts, average, shares and indicators without the excluded review; rectification and on-time rates', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/satisfaction/items/item-birth-registration' });
    expect(response.statusCode).toBe(200);
    // Counted: 5, 5, 4, 3, 2, 1, 2 (r6 excluded). Sum 22 over 7 = 3.142857.
    // Good 3/7, basic 1/7, bad 3/7. Efficiency 5+4+4+3+2+1+2 = 21 → 3; guidance 5+5+4+3+3+2+2 = 24 → 3.428571;
    // convenience 5+5+3+3+2+1+2 = 21 → 3. Cases r5, r7, r8: r5 and r8 answered (2/3), r5 on time (1/2), r7 overdue.
    expect(response.json()).toEqual({
      scope: 'item',
      id: 'item-birth-registration',
      name: { 'zh-CN': '生育登记', en: 'Birth registration' },
      reviews: 7,
      excluded: 1,
      averageRating: 3.14,
      distribution: { '5': 2, '4': 1, '3': 1, '2': 2, '1': 1 },
      shares: { good: 0.4286, basic: 0.1429, bad: 0.4286 },
      indicators: { efficiency: 3, guidanceAccuracy: 3.43, convenience: 3 },
      rectification: { cases: 3, rectified: 2, rectificationRate: 0.6667, onTime: 1, onTimeRate: 0.5, overdue: 1 },
    });
  });

  it('per department: both items together', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/satisfaction/departments/${healthId}`, headers: { 'accept-language': 'en' } });
    // Adds y1 (4; 5, 4, 5): eight reviews summing 26 → 3.25; good 4/8, basic 1/8, bad 3/8;
    // efficiency 26/8 = 3.25, guidance 28/8 = 3.5, convenience 26/8 = 3.25.
    expect(response.json()).toMatchObject({
      scope: 'department',
      name: { 'zh-CN': '上海市浦东新区卫生健康委员会', en: 'Pudong Health Commission' },
      reviews: 8,
      excluded: 1,
      averageRating: 3.25,
      shares: { good: 0.5, basic: 0.125, bad: 0.375 },
      indicators: { efficiency: 3.25, guidanceAccuracy: 3.5, convenience: 3.25 },
      rectification: { cases: 3, rectified: 2, rectificationRate: 0.6667, onTime: 1, onTimeRate: 0.5, overdue: 1 },
    });
  });

  it('documents every evaluation route in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    for (const path of [
      '/api/v1/applications/{id}/review',
      '/api/v1/reviews/{id}/rectification-rating',
      '/api/v1/rectifications',
      '/api/v1/rectifications/{id}/response',
      '/api/v1/rectifications/{id}/appeal',
      '/api/v1/appeals',
      '/api/v1/appeals/{id}/decision',
      '/api/v1/satisfaction/items/{itemId}',
      '/api/v1/satisfaction/departments/{departmentId}',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('an item nobody has rated has no figures yet, and an unknown department is 404', async () => {
    const empty = (await t.app.inject({ method: 'GET', url: '/api/v1/satisfaction/items/item-nobody-rated' })).json();
    expect(empty).toMatchObject({ reviews: 0, averageRating: null, shares: { good: null, basic: null, bad: null }, rectification: { cases: 0, rectificationRate: null, onTimeRate: null } });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/satisfaction/departments/no-such-department' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('departmentNotFound');
  });

  it('flags the unanswered case as overdue in the department list, and filters on it', async () => {
    // A minute on, so that the authenticator shows a code not used at the last sign-in.
    t.clock.advance(60_000);
    const cookie = await staffLogIn(t, officerStaff);
    const overdue = (await t.app.inject({ method: 'GET', url: '/api/v1/rectifications?overdue=true', headers: { cookie } })).json();
    expect(overdue.items.map((c: { id: string }) => c.id)).toEqual([ids.r7]);
    expect(overdue.items[0]).toMatchObject({ overdue: true, dueOn: '2026-10-13', status: 'open' });
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/rectifications?status=upheld', headers: { cookie } })).json();
    expect(all.items.map((c: { id: string }) => c.id)).toEqual([ids.r6]);
    const everything = (await t.app.inject({ method: 'GET', url: '/api/v1/rectifications', headers: { cookie } })).json();
    expect(everything.total).toBe(4);
    expect(everything.items.filter((c: { overdue: boolean }) => c.overdue).map((c: { id: string }) => c.id)).toEqual([ids.r7]);
  });
});

describe('the number of working days is a setting (RECTIFICATION_WORKING_DAYS)', () => {
  it('gives the department 3 working days when so configured: due Saturday 10 October, an adjusted working day', async () => {
    const t = await createEvaluationTestApp({ env: { RECTIFICATION_WORKING_DAYS: '3' } });
    try {
      const personId = (await t.services.identity.createVerifiedPerson(wang)).personId;
      const department = await t.services.identity.createDepartment({ code: 'SH-PD-RS', nameZh: '上海市浦东新区人力资源和社会保障局', nameEn: 'Pudong Human Resources Bureau', level: 'county', regionCode: '310115' });
      const application = t.applications.add({ applicantPersonId: personId, departmentId: department.id, itemId: 'item-social-card', itemName: { 'zh-CN': '社保卡申领', en: 'Social security card' }, status: 'concluded', concludedAt: '2026-09-29T08:00:00Z' });
      const cookie = await logIn(t, wang.phone, wang.password);
      const response = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${application.id}/review`, headers: { cookie }, payload: { rating: 1, indicators: poor, comment: '卡寄丢了。' } });
      expect(response.json().rectification.dueOn).toBe('2026-10-10');
    } finally {
      await t.close();
    }
  });

  it('refuses a value outside 1 to 60, naming the variable', async () => {
    await expect(loadConfig({ DATA_DIR: '/nonexistent/never-written', RECTIFICATION_WORKING_DAYS: '0' })).rejects.toThrow(/RECTIFICATION_WORKING_DAYS/);
    await expect(loadConfig({ DATA_DIR: '/nonexistent/never-written', RECTIFICATION_WORKING_DAYS: 'five' })).rejects.toThrow(/RECTIFICATION_WORKING_DAYS/);
  });
});

describe('generated bad input to the review and response endpoints: always a 400 problem naming a field, nothing written', () => {
  let t: TestApp;
  let person = '';
  let officer = '';
  let reviewUrl = '';
  let responseUrl = '';

  beforeAll(async () => {
    t = await createEvaluationTestApp();
    const personId = (await t.services.identity.createVerifiedPerson(wang)).personId;
    const department = await t.services.identity.createDepartment({ code: 'SH-PD-SW', nameZh: '国家税务总局上海市浦东新区税务局', nameEn: 'Pudong Tax Bureau', level: 'county', regionCode: '310115' });
    officer = (await staffSession(t, { roles: ['officer'], departmentId: department.id, regionCode: '310115' })).cookie;
    person = await logIn(t, wang.phone, wang.password);
    const base = { applicantPersonId: personId, departmentId: department.id, itemId: 'item-invoice', itemName: { 'zh-CN': '发票申领', en: 'Invoice application' }, status: 'concluded', concludedAt: '2026-09-29T08:00:00Z' };
    const reviewed = t.applications.add(base);
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${reviewed.id}/review`, headers: { cookie: person }, payload: { rating: 1, indicators: poor, comment: '系统总是报错。' } });
    responseUrl = `/api/v1/rectifications/${created.json().rectification.id}/response`;
    reviewUrl = `/api/v1/applications/${t.applications.add(base).id}/review`;
  });
  afterAll(() => t.close());

  const notAScore = fc.oneof(
    fc.integer({ min: -1000, max: 0 }),
    fc.integer({ min: 6, max: 1000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    fc.string({ maxLength: 5 }),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
  );
  const valid = { rating: 2, indicators: { ...poor }, comment: '等了很久。' };
  const badReview = fc.oneof(
    notAScore.map((rating) => ({ ...valid, rating })),
    fc.tuple(fc.constantFrom('efficiency', 'guidanceAccuracy', 'convenience'), notAScore).map(([key, value]) => ({ ...valid, indicators: { ...valid.indicators, [key]: value } })),
    fc.string({ minLength: 501, maxLength: 520 }).map((comment) => ({ ...valid, comment })),
    fc.constantFrom('rating', 'indicators').map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !(key in valid) && !['__proto__', 'constructor', 'prototype'].includes(key)).map((key) => ({ ...valid, [key]: 1 })),
  );

  it('rejects every generated bad review with a field and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(badReview, async (body) => {
        const response = await t.app.inject({ method: 'POST', url: reviewUrl, headers: { cookie: person, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().errors?.[0]?.field).toMatch(/^\//);
      }),
      { numRuns: 150 },
    );
    expect(await t.platform.db.selectFrom('reviews').select('id').execute()).toHaveLength(1);
  });

  it('rejects every generated bad response and leaves the case open', async () => {
    const validResponse = { callbackAt: '2026-09-30T02:00:00Z', outcome: 'explained', response: '已回访。' };
    const badResponse = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)).map((callbackAt) => ({ ...validResponse, callbackAt })),
      fc.constantFrom('2026-10-30T02:00:00Z', '2026-09-01T00:00:00Z', '2026-09-30T02:00:00').map((callbackAt) => ({ ...validResponse, callbackAt })),
      fc.string({ maxLength: 12 }).filter((o) => !['explained', 'fixed', 'other'].includes(o)).map((outcome) => ({ ...validResponse, outcome })),
      fc.constantFrom('', '   ', '\n').map((response) => ({ ...validResponse, response })),
      fc.string({ minLength: 1001, maxLength: 1010 }).map((response) => ({ ...validResponse, response })),
    );
    await fc.assert(
      fc.asyncProperty(badResponse, async (body) => {
        const response = await t.app.inject({ method: 'POST', url: responseUrl, headers: { cookie: officer, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(response.statusCode).toBe(400);
        expect(response.json().errors?.[0]?.field).toMatch(/^\/(callbackAt|outcome|response)$/);
      }),
      { numRuns: 100 },
    );
    const rows = await t.platform.db.selectFrom('rectifications').select(['status', 'response']).execute();
    expect(rows).toEqual([{ status: 'open', response: null }]);
  });
});
