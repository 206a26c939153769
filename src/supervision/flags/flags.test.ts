import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, staffSignInAgain, verifiedPerson } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { createServices, type Services } from '../../services.js';
import { acceptedApplication } from '../testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;
type Staff = Awaited<ReturnType<typeof staffSession>>;

describe('supervision flags: a supervisor flags, the department responds, the supervisor closes or reopens', () => {
  let t: T;
  let services: Services;
  let pudong: Awaited<ReturnType<typeof departmentWithItem>>;
  let hangzhou: Awaited<ReturnType<typeof departmentWithItem>>;
  let shanghai: Staff;
  let xuhui: Staff;
  let pudongSupervisor: Staff;
  let applicationId = '';
  let trackingNumber = '';
  let flagId = '';

  const send = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    pudong = await departmentWithItem(t);
    hangzhou = await departmentWithItem(t, { regionCode: '330102' });
    shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '上海督办' });
    xuhui = await staffSession(t, { roles: ['supervisor'], regionCode: '310104', name: '徐汇督办' });
    pudongSupervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310115', name: '浦东督办' });
    const wang = await verifiedPerson(t, '王芳');
    applicationId = await acceptedApplication(t, services, wang, pudong.item.itemId, pudong.officer.cookie);
    trackingNumber = (await services.applications.reviewable(applicationId))!.trackingNumber;
  });
  afterAll(async () => t.close());

  it('flags an application in the region by its tracking number, with a reason and a due day, and records who and when', async () => {
    const raised = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { trackingNumber, reason: '  受理后三天无进展，请说明原因。 ', dueOn: '2026-03-05' });
    expect(raised.statusCode).toBe(201);
    const flag = raised.json();
    flagId = flag.id;
    expect(flag).toMatchObject({
      target: 'application',
      application: { id: applicationId, trackingNumber },
      department: { id: pudong.department.id, regionCode: '310115' },
      reason: '受理后三天无进展，请说明原因。',
      dueOn: '2026-03-05',
      status: 'open',
      round: 1,
      overdue: false,
      raisedAt: '2026-03-02T02:00:00.000Z',
      response: null,
      actions: ['close'],
      history: [{ action: 'raised', round: 1, at: '2026-03-02T02:00:00.000Z', dueOn: '2026-03-05' }],
    });
    expect(flag.raisedBy).toContain('上海督办');
    const audited = await t.platform.db.selectFrom('auditEvents').select(['action', 'outcome']).where('action', 'like', 'supervision.flag%').execute();
    expect(audited).toEqual([{ action: 'supervision.flagRaised', outcome: 'success' }]);
  });

  it('answers the same flag sent again (twice at once, or later while it is open) with the flag already raised', async () => {
    const again = () => send('POST', '/api/v1/supervision/flags', shanghai.cookie, { trackingNumber, reason: '受理后三天无进展，请说明原因。', dueOn: '2026-03-05' });
    const twice = await Promise.all([again(), again()]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(twice.map((r) => r.json().id)).toEqual([flagId, flagId]);
    expect(await t.platform.db.selectFrom('supervisionFlags').select('id').execute()).toHaveLength(1);
    expect(await t.platform.db.selectFrom('auditEvents').select('action').where('action', '=', 'supervision.flagRaised').execute()).toHaveLength(1);
  });

  it('refuses a flag outside the supervisor’s region, and names what is wrong in a bad request', async () => {
    const outside = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { departmentId: hangzhou.department.id, reason: '越权督办', dueOn: '2026-03-05' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('outsideRegion');
    // An application in another region is "not found", word for word like a tracking number that does not exist.
    const sibling = await send('POST', '/api/v1/supervision/flags', xuhui.cookie, { trackingNumber, reason: '越权督办', dueOn: '2026-03-05' });
    const nonexistent = await send('POST', '/api/v1/supervision/flags', xuhui.cookie, { trackingNumber: 'NO-SUCH-NUMBER', reason: '越权督办', dueOn: '2026-03-05' });
    expect(sibling.statusCode).toBe(400);
    expect({ ...sibling.json(), requestId: null }).toEqual({ ...nonexistent.json(), requestId: null });
    expect(sibling.json().code).toBe('applicationNotFound');
    const bad = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { departmentId: pudong.department.id, trackingNumber, reason: ' ', dueOn: '2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/departmentId', '/dueOn', '/reason']);
    const past = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { departmentId: pudong.department.id, reason: '过期', dueOn: '2026-03-01' });
    expect(past.json().errors).toEqual([expect.objectContaining({ field: '/dueOn', message: 'The due day cannot be before today (2026-03-02).' })]);
    const officer = await send('POST', '/api/v1/supervision/flags', pudong.officer.cookie, { departmentId: pudong.department.id, reason: '自查', dueOn: '2026-03-05' });
    expect(officer.statusCode).toBe(403);
    expect(await t.platform.db.selectFrom('supervisionFlags').select('id').execute()).toHaveLength(1);
  });

  it('shows the flag to the flagged department’s officers and approvers, and hides it from another department and from a sibling supervisor', async () => {
    const list = await send('GET', '/api/v1/supervision/flags', pudong.approver.cookie);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: flagId, actions: ['respond'] }] });
    const other = await send('GET', '/api/v1/supervision/flags', hangzhou.officer.cookie);
    expect(other.json()).toMatchObject({ total: 0, items: [] });
    for (const cookie of [hangzhou.officer.cookie, xuhui.cookie]) {
      expect((await send('GET', `/api/v1/supervision/flags/${flagId}`, cookie)).statusCode).toBe(404);
    }
    const answer = await send('POST', `/api/v1/supervision/flags/${flagId}/response`, hangzhou.officer.cookie, { response: '不是我们的' });
    expect(answer.statusCode).toBe(404);
    expect((await send('GET', '/api/v1/supervision/flags', xuhui.cookie)).json().total).toBe(0);
    const denied = await t.platform.db.selectFrom('auditEvents').select('action').where('action', '=', 'supervision.flagRead').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('takes the department’s response once; the supervisor sees it, reopens with a note and a new due day, and closes after the second response', async () => {
    expect((await send('POST', `/api/v1/supervision/flags/${flagId}/response`, pudong.officer.cookie, { response: '' })).statusCode).toBe(400);
    t.clock.set('2026-03-04T02:00:00Z');
    for (const s of [pudong.officer, pudong.approver, shanghai, xuhui]) await staffSignInAgain(t, s);
    const responded = await send('POST', `/api/v1/supervision/flags/${flagId}/response`, pudong.officer.cookie, { response: '申请人材料待核实，已电话联系。' });
    expect(responded.statusCode).toBe(200);
    expect(responded.json()).toMatchObject({ status: 'responded', response: { text: '申请人材料待核实，已电话联系。', onTime: true }, actions: [] });
    expect((await send('POST', `/api/v1/supervision/flags/${flagId}/response`, pudong.approver.cookie, { response: '再答一次' })).statusCode).toBe(409);

    t.clock.advance(60_000);
    const seen = await send('GET', `/api/v1/supervision/flags/${flagId}`, shanghai.cookie);
    expect(seen.json()).toMatchObject({ status: 'responded', actions: ['close', 'reopen'], response: { text: '申请人材料待核实，已电话联系。' } });
    const noNote = await send('POST', `/api/v1/supervision/flags/${flagId}/reopen`, shanghai.cookie, { note: '', dueOn: '2026-03-06' });
    expect(noNote.json().errors.map((e: { field: string }) => e.field)).toEqual(['/note']);
    const reopened = await send('POST', `/api/v1/supervision/flags/${flagId}/reopen`, shanghai.cookie, { note: '请给出办结时间。', dueOn: '2026-03-06' });
    expect(reopened.json()).toMatchObject({ status: 'open', round: 2, dueOn: '2026-03-06', response: null });
    expect((await send('POST', `/api/v1/supervision/flags/${flagId}/close`, xuhui.cookie, {})).statusCode).toBe(404);

    t.clock.set('2026-03-09T02:00:00Z');
    for (const s of [pudong.officer, shanghai]) await staffSignInAgain(t, s);
    const late = await send('POST', `/api/v1/supervision/flags/${flagId}/response`, pudong.officer.cookie, { response: '已于今日办结。' });
    expect(late.json()).toMatchObject({ status: 'responded', round: 2, response: { onTime: false } });
    t.clock.advance(60_000);
    const closed = await send('POST', `/api/v1/supervision/flags/${flagId}/close`, shanghai.cookie, { note: '同意办结' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: '2026-03-09T02:01:00.000Z', actions: ['reopen'] });
    expect(closed.json().history.map((e: { action: string; round: number; note: string | null }) => [e.action, e.round, e.note])).toEqual([
      ['raised', 1, '受理后三天无进展，请说明原因。'],
      ['responded', 1, '申请人材料待核实，已电话联系。'],
      ['reopened', 2, '请给出办结时间。'],
      ['responded', 2, '已于今日办结。'],
      ['closed', 2, '同意办结'],
    ]);
    const audited = await t.platform.db.selectFrom('auditEvents').select('action').where('action', 'like', 'supervision.flag%').where('outcome', '=', 'success').orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['supervision.flagRaised', 'supervision.flagResponded', 'supervision.flagReopened', 'supervision.flagResponded', 'supervision.flagClosed']);
  });

  it('lets the Pudong supervisor follow a flag Shanghai raised there, but not close or reopen it', async () => {
    t.clock.set('2026-03-09T03:00:00Z');
    for (const s of [pudong.officer, shanghai, pudongSupervisor]) await staffSignInAgain(t, s);
    const raised = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { trackingNumber, reason: '请说明补正情况。', dueOn: '2026-03-10' });
    const id = raised.json().id;
    await send('POST', `/api/v1/supervision/flags/${id}/response`, pudong.officer.cookie, { response: '已补正。' });
    const seen = await send('GET', `/api/v1/supervision/flags/${id}`, pudongSupervisor.cookie);
    expect(seen.json()).toMatchObject({ status: 'responded', actions: [] });
    const close = await send('POST', `/api/v1/supervision/flags/${id}/close`, pudongSupervisor.cookie, {});
    expect(close.statusCode).toBe(403);
    expect(close.json()).toMatchObject({ code: 'raisedAbove' });
    expect(close.json().detail).toContain('上海市');
    expect((await send('POST', `/api/v1/supervision/flags/${id}/reopen`, pudongSupervisor.cookie, { note: '再查', dueOn: '2026-03-12' })).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/supervision/flags/${id}/close`, shanghai.cookie, {})).json()).toMatchObject({ status: 'closed' });
    // A flag the Pudong supervisor raised, they close themselves.
    const own = await send('POST', '/api/v1/supervision/flags', pudongSupervisor.cookie, { departmentId: pudong.department.id, reason: '请报送台账。', dueOn: '2026-03-10' });
    expect(own.json().actions).toEqual(['close']);
    expect((await send('POST', `/api/v1/supervision/flags/${own.json().id}/close`, pudongSupervisor.cookie, {})).statusCode).toBe(200);
  });

  it('serves both sides’ pages without JavaScript: the department answers by a plain form post and is redirected back', async () => {
    const raised = await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { departmentId: pudong.department.id, reason: '请报送本月窗口排班表。', dueOn: '2026-03-12' });
    const id = raised.json().id;
    const list = await send('GET', '/workbench/flags', pudong.officer.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/workbench/flags/${id}`);
    const page = await send('GET', `/workbench/flags/${id}`, pudong.officer.cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const empty = await t.app.inject({ method: 'POST', url: `/workbench/flags/${id}/response`, headers: { cookie: pudong.officer.cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, payload: `_csrf=${csrf}&response=` });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#response"');
    const posted = await t.app.inject({ method: 'POST', url: `/workbench/flags/${id}/response`, headers: { cookie: pudong.officer.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}&response=${encodeURIComponent('已报送。')}` });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/workbench/flags/${id}?done=responded`);
    const supervisorPage = await send('GET', `/supervision/flags/${id}`, shanghai.cookie);
    expect(supervisorPage.body).toContain('已报送。');
    expect(supervisorPage.body).toContain('action="/supervision/flags/' + id + '/reopen"');
    const form = await send('GET', `/supervision/flags/new?departmentId=${pudong.department.id}`, shanghai.cookie);
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain(hangzhou.department.nameEn);
  });

  it('pages a long list a hundred at a time, reaching the oldest without JavaScript', async () => {
    for (let i = 1; i <= 101; i++) {
      expect((await send('POST', '/api/v1/supervision/flags', shanghai.cookie, { departmentId: pudong.department.id, reason: `第${i}项整改督办`, dueOn: '2026-03-31' })).statusCode).toBe(201);
    }
    const total = (await send('GET', '/api/v1/supervision/flags?state=all', shanghai.cookie)).json().total as number;
    const flagLinks = (body: string) => (body.match(/href="\/supervision\/flags\/[^"/]+"/g) ?? []).filter((link) => !link.endsWith('/new"'));
    const first = await send('GET', '/supervision/flags?show=all', shanghai.cookie);
    expect(flagLinks(first.body)).toHaveLength(100);
    expect(first.body).toContain(`Page 1 of ${Math.ceil(total / 100)}`);
    expect(first.body).toContain('href="/supervision/flags?show=all&amp;page=2" rel="next"');
    const second = await send('GET', '/supervision/flags?show=all&page=2', shanghai.cookie);
    expect(flagLinks(second.body)).toHaveLength(total - 100);
    expect(second.body).toContain('rel="prev"');
    expect(second.body).not.toContain('rel="next"');
    // Not a page number: the first page.
    expect((await send('GET', '/supervision/flags?show=all&page=x', shanghai.cookie)).body).toContain('Page 1 of');
    // Past the end (a bookmark, after flags were closed): the count and a way back, not "none".
    const past = await send('GET', '/supervision/flags?show=all&page=9', shanghai.cookie);
    expect(flagLinks(past.body)).toHaveLength(0);
    expect(past.body).toContain('href="/supervision/flags?show=all&amp;page=2" rel="prev"');
  });
});
