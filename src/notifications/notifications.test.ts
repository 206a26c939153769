import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/platform.js';
import { createTestApp } from '../core/testing.js';
import { sessionCookieOf } from '../identity/testing.js';
import { makeResidentId } from '../reference/testing.js';
import { createServices, scheduleRecurringJobs, type Services } from '../services.js';
import { resolveParams } from './inbox.js';
import { Outbox, type MessageGateway } from './outbox.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1984-06-12', sequence: 122 }), phone: '13912340001', password: 'harbour-lights-84' };
const li = { name: '李明', idNumber: makeResidentId({ region: '310104', birthDate: '1991-02-03', sequence: 31 }), phone: '13912340002', password: 'maple-street-1991' };

// An item name as the catalogue keeps it, in both languages.
const licenceItem = { 'zh-CN': '个体工商户设立登记', en: 'Registration of an individual business' };

describe('applicants are notified in the inbox and by SMS, and nothing is lost between commit and send', () => {
  let t: TestApp;
  let services: Services;
  const logLines: { msg: string; messageId?: string; body?: string }[] = [];
  let wangId = '';
  let liId = '';

  const count = async (table: 'inboxMessages' | 'outboxMessages') =>
    Number((await t.platform.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const gatewayDeliveries = (messageId: string) => logLines.filter((line) => line.msg.startsWith('embedded message gateway') && line.messageId === messageId);
  const statusChanged = (personId: string, trackingNumber: string) => ({
    personId,
    kind: 'application.accepted',
    titleKey: 'notifications.application.statusChanged.title',
    bodyKey: 'notifications.application.statusChanged.body',
    params: { item: licenceItem, trackingNumber, status: { 'zh-CN': '已受理', en: 'has been accepted' } },
    link: `/applications/${trackingNumber}`,
  });
  const logIn = async (who: { phone: string; password: string }) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: who.phone, password: who.password } });
    return { cookie: sessionCookieOf(response), csrf: (response.json() as { csrfToken: string }).csrfToken };
  };

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
    t = await createTestApp({ logger });
    services = createServices(t.platform);
    wangId = (await services.identity.createVerifiedPerson(wang)).personId;
    liId = (await services.identity.createVerifiedPerson(li)).personId;
  });
  afterAll(() => t.close());

  it('writes the inbox message and the SMS in the caller’s transaction; a rollback leaves neither', async () => {
    const before = { inbox: await count('inboxMessages'), outbox: await count('outboxMessages') };
    await expect(
      t.platform.db.transaction().execute(async (tx) => {
        await services.notifier.notify(tx, statusChanged(wangId, 'SH-ROLLBACK-1'));
        throw new Error('the application change failed after notifying');
      }),
    ).rejects.toThrow('the application change failed');
    expect({ inbox: await count('inboxMessages'), outbox: await count('outboxMessages') }).toEqual(before);

    const written = await t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, statusChanged(wangId, 'SH-2026-000001')));
    expect(written.inboxMessageId).toBeTruthy();
    expect(written.outboxMessageIds).toHaveLength(1);
    expect({ inbox: await count('inboxMessages'), outbox: await count('outboxMessages') }).toEqual({ inbox: before.inbox + 1, outbox: before.outbox + 1 });
    const sms = await t.platform.db.selectFrom('outboxMessages').selectAll().where('id', '=', written.outboxMessageIds[0]!).executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ channel: 'sms', recipientMasked: '139****0001', sentAt: null });
    expect(sms.recipientEnc).not.toContain(wang.phone);
    expect(sms.body).toBe('【通办】办件进度：个体工商户设立登记：您申请的“个体工商户设立登记”（受理编号 SH-2026-000001）已受理。 详情请登录通办查看：http://localhost:3000/applications/SH-2026-000001');
    await services.notifier.deliver();
    expect(gatewayDeliveries(sms.id)).toHaveLength(1);
  });

  it('notifications survive a crash between commit and send: a restarted process delivers each exactly once', async () => {
    // The process that commits, then stops before it can send.
    const crashed = createServices(t.platform);
    const { outboxMessageIds } = await t.platform.db.transaction().execute((tx) => crashed.notifier.notify(tx, statusChanged(liId, 'SH-2026-000002')));
    const id = outboxMessageIds[0]!;
    expect(gatewayDeliveries(id)).toHaveLength(0);

    // A new process over the same database: its recurring outbox job finds the message.
    const restarted = createServices(t.platform);
    await scheduleRecurringJobs(restarted);
    await restarted.jobs.runDue();
    expect(gatewayDeliveries(id)).toHaveLength(1);
    expect((await t.platform.db.selectFrom('outboxMessages').select('sentAt').where('id', '=', id).executeTakeFirstOrThrow()).sentAt).not.toBeNull();

    // Later passes, in this process or another, do not send it again.
    t.clock.advance(60_000);
    await restarted.jobs.runDue();
    await restarted.outbox.deliverPending();
    await createServices(t.platform).outbox.deliverPending();
    expect(gatewayDeliveries(id)).toHaveLength(1);
  });

  it('two server copies delivering at the same moment send every message once', async () => {
    const sent: string[] = [];
    const slowGateway: MessageGateway = {
      async send(_channel, _recipient, _body, messageId) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        sent.push(messageId!);
      },
    };
    const copyA = new Outbox(t.platform.db, t.platform.vault, t.clock, slowGateway, t.platform.dialect);
    const copyB = new Outbox(t.platform.db, t.platform.vault, t.clock, slowGateway, t.platform.dialect);
    const ids = await t.platform.db.transaction().execute(async (tx) => {
      const written: string[] = [];
      for (let i = 0; i < 12; i++) written.push(...(await services.notifier.notify(tx, statusChanged(i % 2 ? wangId : liId, `SH-2026-1000${i}`))).outboxMessageIds);
      return written;
    });
    const [a, b] = await Promise.all([copyA.deliverPending(), copyB.deliverPending()]);
    expect(a + b).toBe(12);
    expect([...sent].sort()).toEqual([...ids].sort());
  });

  it('a failing gateway keeps the message for a later attempt instead of dropping it', async () => {
    let fail = true;
    const flaky: MessageGateway = {
      async send() {
        if (fail) throw new Error('SMS gateway unavailable');
      },
    };
    const outbox = new Outbox(t.platform.db, t.platform.vault, t.clock, flaky, t.platform.dialect);
    const { outboxMessageIds } = await t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, statusChanged(wangId, 'SH-2026-000003')));
    expect(await outbox.deliverPending()).toBe(0);
    // Backing off: not retried at once, but after the wait.
    fail = false;
    expect(await outbox.deliverPending()).toBe(0);
    t.clock.advance(5_000);
    expect(await outbox.deliverPending()).toBe(1);
    const row = await t.platform.db.selectFrom('outboxMessages').select(['sentAt', 'attempts']).where('id', '=', outboxMessageIds[0]!).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.sentAt).not.toBeNull();
  });

  it('refuses keys missing from the catalogue and links that leave the site, so nothing odd reaches a citizen', async () => {
    await expect(
      t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, { ...statusChanged(wangId, 'X'), titleKey: 'applications.notify.nonsense.title' })),
    ).rejects.toThrow('not in the message catalogue');
    for (const link of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      await expect(t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, { ...statusChanged(wangId, 'X'), link }))).rejects.toThrow('not a path on this site');
    }
    // A parameter may itself be a catalogue message, translated for the reader.
    expect(resolveParams('en', { status: '{notifications.inbox.new}', n: 3 })).toEqual({ status: 'Unread', n: 3 });
    expect(resolveParams('zh-CN', { status: '{notifications.inbox.new}', item: licenceItem })).toEqual({ status: '未读', item: '个体工商户设立登记' });
  });

  it('the inbox API lists my messages newest first in my language, counts unread, and marks them read', async () => {
    // A fresh person so the counts are exactly this test's.
    const zhao = { name: '赵丽', idNumber: makeResidentId({ region: '310115', birthDate: '1995-08-08', sequence: 204 }), phone: '13912340004', password: 'paper-boats-1995' };
    const zhaoId = (await services.identity.createVerifiedPerson(zhao)).personId;
    for (const n of [1, 2, 3]) {
      t.clock.advance(60_000);
      await t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, { ...statusChanged(zhaoId, `SH-2026-00020${n}`), channels: ['inbox'] }));
    }
    const session = await logIn(zhao);

    const english = await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: { cookie: session.cookie, 'accept-language': 'en' } });
    expect(english.statusCode).toBe(200);
    const inbox = english.json();
    expect(inbox.unread).toBe(3);
    expect(inbox.messages.map((m: { link: string }) => m.link)).toEqual(['/applications/SH-2026-000203', '/applications/SH-2026-000202', '/applications/SH-2026-000201']);
    expect(inbox.messages[0]).toMatchObject({
      kind: 'application.accepted',
      title: 'Application update: Registration of an individual business',
      body: 'Your application for "Registration of an individual business" (tracking number SH-2026-000203) has been accepted.',
      readAt: null,
    });
    const chinese = (await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: { cookie: session.cookie } })).json();
    expect(chinese.messages[0].title).toBe('办件进度：个体工商户设立登记');

    const firstPage = (await t.app.inject({ method: 'GET', url: '/api/v1/inbox?limit=2', headers: { cookie: session.cookie } })).json();
    expect(firstPage.messages).toHaveLength(2);
    const secondPage = (await t.app.inject({ method: 'GET', url: `/api/v1/inbox?limit=2&before=${firstPage.olderBefore}`, headers: { cookie: session.cookie } })).json();
    expect(secondPage.messages.map((m: { link: string }) => m.link)).toEqual(['/applications/SH-2026-000201']);
    expect(secondPage.olderBefore).toBeNull();

    const newest = inbox.messages[0].id;
    const read = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${newest}/read`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(read.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${newest}/read`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(again.statusCode).toBe(204);
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: { cookie: session.cookie } })).json();
    expect(after.unread).toBe(2);
    expect(after.messages[0].readAt).toBe(t.clock.now().toISOString());

    // Someone else's message is not found, and cannot be marked read.
    const wangSession = await logIn(wang);
    const notMine = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${inbox.messages[1].id}/read`, headers: { cookie: wangSession.cookie, 'x-csrf-token': wangSession.csrf } });
    expect(notMine.statusCode).toBe(404);
    const wangInbox = (await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: { cookie: wangSession.cookie } })).json();
    expect(wangInbox.messages.some((m: { id: string }) => m.id === inbox.messages[1].id)).toBe(false);
    const peek = await t.app.inject({ method: 'GET', url: `/api/v1/inbox?before=${inbox.messages[1].id}`, headers: { cookie: wangSession.cookie } });
    expect(peek.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/inbox' })).statusCode).toBe(401);
  });

  it('the inbox page shows messages in the reader’s language and marks them read with a plain form', async () => {
    const zhou = { name: '周敏', idNumber: makeResidentId({ region: '310104', birthDate: '1988-04-18', sequence: 65 }), phone: '13912340005', password: 'lantern-river-88' };
    const zhouId = (await services.identity.createVerifiedPerson(zhou)).personId;
    for (const n of [1, 2]) {
      t.clock.advance(60_000);
      await t.platform.db.transaction().execute((tx) => services.notifier.notify(tx, { ...statusChanged(zhouId, `SH-2026-00030${n}`), channels: ['inbox'] }));
    }
    const { cookie } = await logIn(zhou);
    const html = { accept: 'text/html', cookie };

    const account = await t.app.inject({ method: 'GET', url: '/account', headers: html });
    expect(account.body).toContain('<a href="/account/inbox">消息（2 条未读）</a>');

    const page = await t.app.inject({ method: 'GET', url: '/account/inbox', headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>消息</h1>');
    expect(page.body).toContain('2 条未读');
    expect(page.body).toContain('办件进度：个体工商户设立登记');
    expect(page.body).toContain('href="/applications/SH-2026-000302"');
    const englishPage = await t.app.inject({ method: 'GET', url: '/account/inbox?lang=en', headers: html });
    expect(englishPage.body).toContain('Application update: Registration of an individual business');

    const action = /action="(\/account\/inbox\/[^"]+\/read)"/.exec(page.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const forged = await t.app.inject({
      method: 'POST',
      url: action,
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x=1',
    });
    expect(forged.statusCode).toBe(403);
    const marked = await t.app.inject({
      method: 'POST',
      url: action,
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toBe('/account/inbox?read=1');
    const afterOne = await t.app.inject({ method: 'GET', url: '/account/inbox?read=1', headers: html });
    expect(afterOne.body).toContain('已标为已读。');
    expect(afterOne.body).toContain('1 条未读');

    const all = await t.app.inject({
      method: 'POST',
      url: '/account/inbox/read-all',
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(all.statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: '/account/inbox', headers: html })).body).toContain('全部已读');
    expect((await t.app.inject({ method: 'GET', url: '/account', headers: html })).body).toContain('<a href="/account/inbox">消息</a>');

    const signedOut = await t.app.inject({ method: 'GET', url: '/account/inbox', headers: { accept: 'text/html' } });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/login?next=%2Faccount%2Finbox');
  });
});
