/**
 * The logs are read by operators and shipped to log stores that are not cleared for personal data:
 * a resident's journey through registration, login and number validation must leave no ID number,
 * phone number, password or session token in them, at the most verbose level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/platform.js';
import { createTestApp } from '../src/core/testing.js';
import { sessionCookieOf } from '../src/identity/testing.js';
import { makeResidentId } from '../src/reference/testing.js';
import { createServices } from '../src/services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('a resident registers, logs in and has her number checked, and the logs keep none of it', () => {
  const logLines: string[] = [];
  const liu = {
    name: '刘洋',
    idNumber: makeResidentId({ region: '440106', birthDate: '1987-09-23', sequence: 208 }),
    phone: '13622334455',
    password: 'kapok-harbour-1987',
  };
  let t: TestApp;
  let sessionCookie = '';

  beforeAll(async () => {
    const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) });
    t = await createTestApp({ logger });
    await createServices(t.platform).embeddedRegistry.add([{ name: liu.name, idNumber: liu.idNumber }]);
  });
  afterAll(() => t.close());

  it('goes through the journey, including a few refusals that echo her details back', async () => {
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: { ...liu, password: `pw${liu.idNumber}` } });
    expect(weak.statusCode).toBe(400);

    const registered = await t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: liu });
    expect(registered.statusCode).toBe(201);
    const [sms] = await createServices(t.platform).outbox.recent(1);
    const code = /(\d{6})/.exec(sms!.body)![1]!;
    const confirmed = await t.app.inject({ method: 'POST', url: `/api/v1/identity/registrations/${registered.json().challengeId}/confirm`, payload: { code } });
    expect(confirmed.statusCode).toBe(200);

    const wrongPassword = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: liu.idNumber, password: 'not-her-password' } });
    expect(wrongPassword.statusCode).toBe(401);
    for (const login of [liu.idNumber, liu.phone]) {
      const session = await t.app.inject({
        method: 'POST',
        url: '/api/v1/identity/sessions',
        headers: { 'user-agent': `tester ${liu.phone}` },
        payload: { login, password: liu.password },
      });
      expect(session.statusCode).toBe(201);
      sessionCookie = sessionCookieOf(session);
    }
    const me = await t.app.inject({ url: '/api/v1/identity/me', headers: { cookie: sessionCookie } });
    expect(me.statusCode).toBe(200);

    const validated = await t.app.inject({ url: `/api/v1/reference/validate?type=resident-id&value=${liu.idNumber}` });
    expect(validated.json().valid).toBe(true);
    const refused = await t.app.inject({ url: `/api/v1/reference/validate?type=passport&value=${liu.idNumber}` });
    expect(refused.statusCode).toBe(400);
    const notFound = await t.app.inject({ url: `/api/v1/no-such-page?idNumber=${liu.idNumber}&phone=${liu.phone}` });
    expect(notFound.statusCode).toBe(404);
    const authorization = await t.app.inject({ url: '/api/v1/identity/me', headers: { authorization: `Bearer ${sessionCookie.split('=')[1]}` } });
    expect(authorization.statusCode).toBeLessThan(500);
  });

  it('logged the requests, by path and request id', () => {
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    expect(text).toContain('/api/v1/identity/registrations');
    expect(text).toContain('/api/v1/reference/validate');
    expect(text).toMatch(/"reqId":"[\w-]+"/);
  });

  it('logged no ID number, phone number, password, session token or cookie', () => {
    const text = logLines.join('');
    const token = sessionCookie.split('=')[1]!;
    expect(token.length).toBeGreaterThan(10);
    const secrets = {
      idNumber: liu.idNumber,
      idNumberWithoutCheckCharacter: liu.idNumber.slice(0, 17),
      phone: liu.phone,
      password: liu.password,
      sessionToken: token,
      cookie: sessionCookie,
    };
    for (const [what, value] of Object.entries(secrets)) expect(text.includes(value), `${what} appears in the log`).toBe(false);
  });
});
