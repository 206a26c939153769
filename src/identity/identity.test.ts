import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { createTestApp } from '../core/testing.js';
import { makeResidentId } from '../reference/testing.js';
import { createServices } from '../services.js';
import { sessionIdFromToken } from './service.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

function cookieOf(response: { headers: Record<string, unknown> }): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const session = list.find((c) => typeof c === 'string' && c.startsWith('tb_session='));
  return String(session).split(';')[0]!;
}

async function lastSmsCode(t: TestApp): Promise<string> {
  const services = createServices(t.platform);
  const [latest] = await services.outbox.recent(1);
  return /(\d{6})/.exec(latest!.body)![1]!;
}

describe('a resident registers with her real name, confirms her phone and logs in', () => {
  let t: TestApp;
  const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1990-05-17', sequence: 124 }), phone: '13912345678', password: 'lotus-river-1990' };

  beforeAll(async () => {
    t = await createTestApp();
    const services = createServices(t.platform);
    await services.embeddedRegistry.add([{ name: '王芳', idNumber: wang.idNumber }, { name: '李明', idNumber: makeResidentId({ region: '110105', birthDate: '1985-01-02', sequence: 11 }) }]);
  });
  afterAll(() => t.close());

  it('is refused with a clear reason when her name does not match the registry, and nothing is created', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: { ...wang, name: '王方' } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'realName.nameMismatch', errors: [{ field: '/name' }] });
    const count = await t.platform.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('registers at level 1, confirms the phone to level 2, then logs in with ID number or phone', async () => {
    const registered = await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: wang });
    expect(registered.statusCode).toBe(201);
    const { challengeId } = registered.json();
    const wrong = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${challengeId}/confirm`, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    const code = await lastSmsCode(t);
    const confirmed = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${challengeId}/confirm`, payload: { code } });
    expect(confirmed.json()).toEqual({ realNameLevel: 2 });

    for (const login of [wang.idNumber, wang.phone]) {
      const session = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login, password: wang.password } });
      expect(session.statusCode).toBe(201);
      const me = await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: cookieOf(session) } });
      expect(me.json()).toMatchObject({ name: '王芳', realNameLevel: 2, phoneMasked: '139****5678' });
      expect(me.json().idNumberMasked).not.toContain('19900517');
    }
  });

  it('keeps ID and phone numbers encrypted at rest', async () => {
    const row = await t.platform.db.selectFrom('persons').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(wang.idNumber);
    expect(JSON.stringify(row)).not.toContain(wang.phone);
  });

  it('registers an ID number once', async () => {
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: wang });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('alreadyRegistered');
  });

  it('answers a wrong password and an unknown login identically, then slows both down', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: 'not-her-password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: '13700000000', password: 'not-her-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: '13700000000', password: 'x' } });
    }
    const throttled = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: '13700000000', password: 'x' } });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(20 * 60_000);
  });

  it('lists sessions, refuses a revoked one at once, and logs out everywhere', async () => {
    const first = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    const second = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    const sessions = (await t.app.inject({ url: '/api/v1/identity/me/sessions', headers: { cookie: first } })).json() as { id: string; current: boolean }[];
    const secondId = sessionIdFromToken(second.slice('tb_session='.length));
    expect(sessions.find((s) => s.current)?.id).toBe(sessionIdFromToken(first.slice('tb_session='.length)));
    expect(sessions.some((s) => s.id === secondId)).toBe(true);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/identity/me/sessions/${encodeURIComponent(secondId)}`, headers: { cookie: first } });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: second } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: first } })).statusCode).toBe(200);
    const all = await t.app.inject({ method: 'POST', url: '/api/v1/identity/me/sessions/revoke-all', headers: { cookie: first, 'content-type': 'application/json' }, payload: {} });
    expect(all.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: first } })).statusCode).toBe(401);
  });

  it('ends an idle session after the idle time-out', async () => {
    const cookie = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie } })).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a person reading another person, and staff without TOTP; audits a staff read she can see', async () => {
    const services = createServices(t.platform);
    const department = await services.identity.createDepartment({ code: 'SH-PD-SCJ', nameZh: '浦东新区市场监督管理局', nameEn: 'Pudong Market Regulation', level: 'county', regionCode: '310115' });
    const staff = await services.identity.createStaff(
      { name: '赵科员', username: 'zhao.officer', password: 'officer-pass-2026', departmentId: department.id, regionCode: '310115', roles: ['officer'] },
      { type: 'system' },
    );
    const person = await t.platform.db.selectFrom('persons').select('id').executeTakeFirstOrThrow();
    const wangCookie = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    const asPerson = await t.app.inject({ url: `/api/v1/identity/persons/${person.id}?purpose=x`, headers: { cookie: wangCookie } });
    expect(asPerson.statusCode).toBe(403);

    const staffLogin = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: 'zhao.officer', password: 'officer-pass-2026' } });
    expect(staffLogin.json().mfaEnrollmentRequired).toBe(true);
    const staffCookie = cookieOf(staffLogin);
    const beforeMfa = await t.app.inject({ url: `/api/v1/identity/persons/${person.id}?purpose=SH-2026-0001`, headers: { cookie: staffCookie } });
    expect(beforeMfa.statusCode).toBe(403);
    expect(beforeMfa.json().code).toBe('mfaRequired');

    const enrolment = (await t.app.inject({ method: 'POST', url: '/api/v1/identity/me/totp', headers: { cookie: staffCookie, 'content-type': 'application/json' }, payload: {} })).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) });
    const code = totp.generate({ timestamp: t.clock.now().getTime() });
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/v1/identity/me/totp/confirm', headers: { cookie: staffCookie }, payload: { code } });
    expect(confirmed.statusCode).toBe(200);
    const read = await t.app.inject({ url: `/api/v1/identity/persons/${person.id}?purpose=SH-2026-0001`, headers: { cookie: staffCookie } });
    expect(read.statusCode).toBe(200);
    expect(read.json().idNumber).toBe(wang.idNumber);

    const log = (await t.app.inject({ url: '/api/v1/identity/me/access-log', headers: { cookie: wangCookie } })).json();
    expect(log[0]).toMatchObject({ action: 'personalData.read', purpose: 'SH-2026-0001' });
    expect(log[0].who).toContain('浦东新区市场监督管理局');
    expect((await t.platform.audit.verify()).ok).toBe(true);
  });

  it('a clean-up job removes sessions a day after they ended, but keeps live ones', async () => {
    const services = createServices(t.platform);
    t.clock.advance(25 * 3_600_000);
    const live = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    const count = async () => Number((await t.platform.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const removed = await services.identity.cleanUp();
    expect(removed.sessions).toBeGreaterThan(0);
    expect(await count()).toBeLessThan(before);
    expect((await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: live } })).statusCode).toBe(200);
  });
});

describe('a resident whose code expired asks for a new one', () => {
  let t: TestApp;
  const chen = { name: '陈静', idNumber: makeResidentId({ region: '440305', birthDate: '1996-12-12', sequence: 208 }), phone: '13900000004', password: 'shenzhen-bay-1996' };

  beforeAll(async () => {
    t = await createTestApp();
    await createServices(t.platform).embeddedRegistry.add([{ name: chen.name, idNumber: chen.idNumber }]);
  });
  afterAll(() => t.close());

  it('gets a new code that works, while the expired one and the replaced challenge do not', async () => {
    const { challengeId } = (await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: chen })).json();
    const oldCode = await lastSmsCode(t);
    t.clock.advance(6 * 60_000);
    const expired = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${challengeId}/confirm`, payload: { code: oldCode } });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('challengeExpired');

    const resent = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${challengeId}/resend`, headers: { 'content-type': 'application/json' }, payload: {} });
    expect(resent.statusCode).toBe(201);
    const fresh = resent.json().challengeId as string;
    expect(fresh).not.toBe(challengeId);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${challengeId}/resend`, headers: { 'content-type': 'application/json' }, payload: {} });
    expect(again.statusCode).toBe(404);

    const confirmed = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${fresh}/confirm`, payload: { code: await lastSmsCode(t) } });
    expect(confirmed.json()).toEqual({ realNameLevel: 2 });
    const afterConfirm = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${fresh}/resend`, headers: { 'content-type': 'application/json' }, payload: {} });
    expect(afterConfirm.statusCode).toBe(404);
  });
});
