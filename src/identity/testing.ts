import * as OTPAuth from 'otpauth';
import type { Role } from '../core/auth.js';
import type { createTestApp } from '../core/testing.js';
import { createServices } from '../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The `tb_session=...` pair from a login response, ready to send back as a Cookie header. */
export function sessionCookieOf(response: { headers: Record<string, unknown> }): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const session = list.find((c) => typeof c === 'string' && c.startsWith('tb_session='));
  if (!session) throw new Error('the response set no session cookie');
  return String(session).split(';')[0]!;
}

/** Logs in through the API and returns the session cookie. */
export async function logIn(t: TestApp, login: string, password: string): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login, password } });
  if (response.statusCode !== 201) throw new Error(`login failed: ${response.body}`);
  return sessionCookieOf(response);
}

let staffCounter = 0;

/**
 * A staff member with the given roles, logged in and past TOTP, as a test would need them.
 * Creates the department when none is given.
 */
export async function staffSession(t: TestApp, options: { roles: Role[]; departmentId?: string; regionCode?: string; name?: string }) {
  const services = createServices(t.platform);
  const regionCode = options.regionCode ?? '310115';
  const departmentId =
    options.departmentId ??
    (await services.identity.createDepartment({ code: `TEST-${regionCode}`, nameZh: `测试部门${regionCode}`, nameEn: `Test department ${regionCode}`, level: 'county', regionCode })).id;
  const username = `staff${++staffCounter}.${Date.now().toString(36)}`;
  const password = 'staff-password-2026';
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const { staffId, accountId } = await services.identity.createStaff(
    { name: options.name ?? '测试员', username, password, departmentId, regionCode, roles: options.roles },
    { type: 'system' },
  );
  await services.identity.enrolTotpWithSecret(accountId, secret);
  const cookie = await logIn(t, username, password);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
  const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions/current/mfa', headers: { cookie }, payload: { code } });
  if (mfa.statusCode !== 200) throw new Error(`TOTP failed: ${mfa.body}`);
  return { cookie, staffId, accountId, departmentId, username, password, secret };
}
