/**
 * Bad input at the public front doors: registration, login, number validation and the
 * departments' verification API. Thousands of malformed requests, partly written out as the cases
 * a reviewer would think of, partly generated, must each get a 4xx RFC 9457 problem with a code
 * (naming the fields that were wrong) and must never get a 5xx or leave anything behind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT } from '../src/core/http.js';
import { createTestApp } from '../src/core/testing.js';
import { makeResidentId } from '../src/reference/testing.js';
import { createServices } from '../src/services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Method = 'GET' | 'POST';

const REGISTRATIONS = '/api/v1/identity/registrations';
const SESSIONS = '/api/v1/identity/sessions';
const VALIDATE = '/api/v1/reference/validate';
const VERIFICATIONS = '/api/v1/identity/verifications';

interface Attack {
  method: Method;
  url: string;
  /** Sent as is; `undefined` sends no body at all. */
  body?: string;
  contentType?: string;
  language?: 'zh' | 'en';
}

interface Answer {
  status: number;
  contentType: string;
  json: Record<string, unknown> | undefined;
}

// A person the registry knows, so that a body left intact would register: every generated
// registration below breaks at least one field, and nothing may be created.
const zhang = {
  name: '张伟',
  idNumber: makeResidentId({ region: '110105', birthDate: '1990-03-07', sequence: 11 }),
  phone: '13800138000',
  password: 'mulberry-lantern-47',
};

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const toFullWidth = (digits: string) => digits.replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)]!);
/** Zhang's number with 0230 as month and day, and its check character recomputed so that only the date is wrong. */
const impossibleDateId = (() => {
  const body = `110105${'19990230'}011`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11];
})();
const unknownRegionId = makeResidentId({ region: '990105', birthDate: '1990-03-07', sequence: 11 });
const wrongCheckId = zhang.idNumber.slice(0, 17) + (zhang.idNumber[17] === '1' ? '2' : '1');

let requestsFired = 0;

async function fire(t: TestApp, attack: Attack): Promise<Answer> {
  requestsFired++;
  const headers: Record<string, string> = { 'accept-language': attack.language ?? 'zh' };
  if (attack.contentType !== undefined) headers['content-type'] = attack.contentType;
  const response = await t.app.inject({ method: attack.method, url: attack.url, headers, ...(attack.body === undefined ? {} : { payload: attack.body }) });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), json };
}

function describeAttack(attack: Attack): string {
  const body = attack.body === undefined ? '(no body)' : attack.body.length > 200 ? `${attack.body.slice(0, 200)}… (${attack.body.length} chars)` : attack.body;
  return `${attack.method} ${attack.url.slice(0, 200)} [${attack.contentType ?? 'no content-type'}] ${body}`;
}

/** A refusal as every client may rely on: 4xx, problem+json, a code, and the fields that were wrong. */
function expectProblem(answer: Answer, attack: Attack): { code: string; fields: string[] } {
  const context = describeAttack(attack);
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.contentType, context).toMatch(/^application\/problem\+json/);
  const problem = answer.json!;
  expect(problem, context).toBeDefined();
  expect(problem.status, context).toBe(answer.status);
  expect(typeof problem.code === 'string' && problem.code.length > 0, context).toBe(true);
  expect(typeof problem.title === 'string' && problem.title.length > 0, context).toBe(true);
  expect(JSON.stringify(problem), context).not.toMatch(/\bat .*\.(ts|js):\d+/);
  const errors = (problem.errors ?? []) as { field: unknown; message: unknown; code: unknown }[];
  if (problem.code === 'validation') expect(errors.length, context).toBeGreaterThan(0);
  for (const error of errors) {
    expect(typeof error.field === 'string' && error.field.startsWith('/'), context).toBe(true);
    expect(typeof error.message === 'string' && error.message.length > 0, context).toBe(true);
    expect(typeof error.code, context).toBe('string');
  }
  return { code: problem.code as string, fields: errors.map((e) => e.field as string) };
}

const json = (value: unknown) => JSON.stringify(value);
/** Lone surrogates cannot be percent-encoded as UTF-8; a browser would send U+FFFD for them, so do we. */
const wellFormed = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const query = (value: string) => encodeURIComponent(wellFormed(value));
const post = (url: string, body: string | undefined, contentType: string | undefined = 'application/json'): Attack => ({ method: 'POST', url, body, contentType });

async function rowCounts(t: TestApp) {
  const db = t.platform.db;
  const count = async (table: 'persons' | 'accounts' | 'auditEvents' | 'phoneChallenges' | 'outboxMessages' | 'sessions') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    persons: await count('persons'),
    accounts: await count('accounts'),
    auditEvents: await count('auditEvents'),
    phoneChallenges: await count('phoneChallenges'),
    outboxMessages: await count('outboxMessages'),
    sessions: await count('sessions'),
  };
}

// Generators of bad values.

const wrongType = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** Every UTF-16 code unit, lone surrogates and NUL included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const unicodeGarbage = fc.string({ unit: anyCodeUnit, minLength: 1, maxLength: 30 });
const veryLong = fc.integer({ min: 200, max: 20_000 }).map((n) => '王'.repeat(n));

const badName = fc.oneof(
  wrongType,
  fc.constantFrom('', 'a', '1234', '<script>alert(1)</script>', '王\u0000芳', '王\ud800芳', 'Robert"); DROP TABLE persons;--', '  '),
  veryLong,
  unicodeGarbage.map((s) => `${s}1`),
);
const badIdNumber = fc.oneof(
  wrongType,
  fc.constantFrom(
    '',
    toFullWidth(zhang.idNumber.slice(0, 17)) + zhang.idNumber[17],
    toFullWidth(zhang.idNumber),
    impossibleDateId,
    unknownRegionId,
    wrongCheckId,
    zhang.idNumber.slice(0, 17),
    `${zhang.idNumber}0`,
    zhang.idNumber.replace(/^(\d{6})/, '$1 '),
    `${zhang.idNumber.slice(0, 17)}Y`,
    '\u0000'.repeat(18),
    '110105199003070118\u202e',
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 14 }),
  veryLong,
  unicodeGarbage.map((s) => `${s}!`),
);
const badPhone = fc.oneof(
  wrongType,
  fc.constantFrom('', '12345', toFullWidth('13800138000'), '+8613800138000', '1380013800', '23800138000', '138-0013-8000', '13800138000\u0000'),
  veryLong,
  unicodeGarbage.map((s) => `${s}x`),
);
const badPassword = fc.oneof(
  wrongType,
  fc.constantFrom('', 'short', '1234567890', 'aaaaaaaaaaaa', `x${zhang.idNumber}`, `pw${zhang.phone}`, 'a'.repeat(129)),
  veryLong,
);

type Field = 'name' | 'idNumber' | 'phone' | 'password';
const FIELDS: Field[] = ['name', 'idNumber', 'phone', 'password'];

/** A registration body with at least one field broken, missing or added; returns what may be blamed. */
const brokenRegistration = fc
  .record({
    name: fc.oneof(fc.constant<'keep' | 'omit'>('keep'), fc.constant<'keep' | 'omit'>('omit'), badName.map((value) => ({ value }))),
    idNumber: fc.oneof(fc.constant<'keep' | 'omit'>('keep'), fc.constant<'keep' | 'omit'>('omit'), badIdNumber.map((value) => ({ value }))),
    phone: fc.oneof(fc.constant<'keep' | 'omit'>('keep'), fc.constant<'keep' | 'omit'>('omit'), badPhone.map((value) => ({ value }))),
    password: fc.oneof(fc.constant<'keep' | 'omit'>('keep'), fc.constant<'keep' | 'omit'>('omit'), badPassword.map((value) => ({ value }))),
    extra: fc.option(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !(FIELDS as string[]).includes(key) && !['__proto__', 'constructor', 'prototype'].includes(key)),
        fc.oneof(fc.string(), wrongType),
        { minKeys: 1, maxKeys: 3 },
      ),
      { nil: undefined },
    ),
  })
  .filter((plan) => plan.extra !== undefined || FIELDS.some((field) => plan[field] !== 'keep'))
  .map((plan) => {
    const body: Record<string, unknown> = {};
    const blamable = new Set<string>();
    for (const field of FIELDS) {
      const choice = plan[field];
      if (choice === 'keep') body[field] = zhang[field];
      else {
        blamable.add(`/${field}`);
        if (choice !== 'omit') body[field] = choice.value;
      }
    }
    for (const [key, value] of Object.entries(plan.extra ?? {})) {
      Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
      blamable.add(`/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    return { body, blamable };
  });

/** Bodies that are not what any endpoint takes: broken JSON, other shapes, other formats. */
const rawBody = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 40 }).map((cut) => json(zhang).slice(0, cut)),
  fc.constantFrom('', ' ', 'null', '[]', '{}', '"text"', '0', 'true', '{"a":1,}', "{'name':'x'}", '{"name":"\\ud800"}', '\uFEFF{}', '{"name":1e999}'),
  fc.integer({ min: 34, max: 3000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 34, max: 3000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '{"name":"x","nested":{"__proto__":null}}', '[{"prototype":1}]'),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=----x',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/octet-stream',
  'application/json-patch+json',
  '',
  undefined,
);

describe('bad input at registration, login, validation and verification', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await createServices(t.platform).embeddedRegistry.add([{ name: zhang.name, idNumber: zhang.idNumber }]);
  });
  afterAll(async () => {
    console.info(`bad-input: ${requestsFired} requests fired`);
    await t.close();
  });

  describe('registration', () => {
    let before: Awaited<ReturnType<typeof rowCounts>>;
    beforeAll(async () => {
      before = await rowCounts(t);
    });

    it.each([
      ['malformed JSON', post(REGISTRATIONS, '{"name": "张伟",'), 400, 'invalidJson', []],
      ['an empty JSON body', post(REGISTRATIONS, ''), 400, 'validation', ['/']],
      ['no body and no content type', post(REGISTRATIONS, undefined, undefined), 400, 'validation', ['/']],
      ['a JSON array', post(REGISTRATIONS, '[]'), 400, 'validation', ['/']],
      ['null', post(REGISTRATIONS, 'null'), 400, 'validation', ['/']],
      ['a missing ID number', post(REGISTRATIONS, json({ ...zhang, idNumber: undefined })), 400, 'validation', ['/idNumber']],
      ['an extra field', post(REGISTRATIONS, json({ ...zhang, isAdmin: true })), 400, 'validation', ['/isAdmin']],
      ['a number for the name', post(REGISTRATIONS, json({ ...zhang, name: 42 })), 400, 'validation', ['/name']],
      ['an array for the phone', post(REGISTRATIONS, json({ ...zhang, phone: ['13800138000'] })), 400, 'validation', ['/phone']],
      ['null for the password', post(REGISTRATIONS, json({ ...zhang, password: null })), 400, 'validation', ['/password']],
      ['an object for the ID number', post(REGISTRATIONS, json({ ...zhang, idNumber: { value: zhang.idNumber } })), 400, 'validation', ['/idNumber']],
      ['full-width digits in the ID number', post(REGISTRATIONS, json({ ...zhang, idNumber: toFullWidth(zhang.idNumber) })), 400, 'invalidIdNumber', ['/idNumber']],
      ['an impossible birth date (1999-02-30)', post(REGISTRATIONS, json({ ...zhang, idNumber: impossibleDateId })), 400, 'invalidIdNumber', ['/idNumber']],
      ['an unknown region', post(REGISTRATIONS, json({ ...zhang, idNumber: unknownRegionId })), 400, 'invalidIdNumber', ['/idNumber']],
      ['a wrong check character', post(REGISTRATIONS, json({ ...zhang, idNumber: wrongCheckId })), 400, 'invalidIdNumber', ['/idNumber']],
      ['full-width digits in the phone', post(REGISTRATIONS, json({ ...zhang, phone: toFullWidth(zhang.phone) })), 400, 'invalidPhone', ['/phone']],
      ['a NUL character in the name', post(REGISTRATIONS, json({ ...zhang, name: '张\u0000伟' })), 400, 'validation', ['/name']],
      ['a very long name', post(REGISTRATIONS, json({ ...zhang, name: '王'.repeat(5000) })), 400, 'validation', ['/name']],
      ['a __proto__ key', post(REGISTRATIONS, `{"__proto__":{"realNameLevel":3},${json(zhang).slice(1)}`), 400, 'forbiddenKey', []],
      ['a constructor key', post(REGISTRATIONS, `{"constructor":{"prototype":{"x":1}},${json(zhang).slice(1)}`), 400, 'forbiddenKey', []],
      ['deeply nested JSON', post(REGISTRATIONS, '{"name":'.repeat(100) + '1' + '}'.repeat(100)), 400, 'jsonTooDeep', []],
      ['a body over 64 KiB', post(REGISTRATIONS, json({ ...zhang, name: 'x'.repeat(API_BODY_LIMIT) })), 413, 'bodyTooLarge', []],
      ['text/plain', post(REGISTRATIONS, json(zhang), 'text/plain'), 415, 'unsupportedMediaType', []],
      ['multipart', post(REGISTRATIONS, '------x\r\nContent-Disposition: form-data; name="name"\r\n\r\n张伟\r\n------x--', 'multipart/form-data; boundary=----x'), 415, 'unsupportedMediaType', []],
    ] as const)('refuses %s', async (_label, attack, status, code, fields) => {
      const answer = await fire(t, attack);
      expect(answer.status, describeAttack(attack)).toBe(status);
      const problem = expectProblem(answer, attack);
      expect(problem.code).toBe(code);
      expect(problem.fields).toEqual(fields);
    });

    it('refuses thousands of generated broken registrations, blaming only what was broken', async () => {
      await fc.assert(
        fc.asyncProperty(brokenRegistration, async ({ body, blamable }) => {
          const attack = post(REGISTRATIONS, json(body));
          const answer = await fire(t, attack);
          const problem = expectProblem(answer, attack);
          expect(answer.status, describeAttack(attack)).toBe(Buffer.byteLength(attack.body!) > API_BODY_LIMIT ? 413 : 400);
          for (const field of problem.fields) expect(blamable.has(field), `${field} blamed for ${describeAttack(attack)}`).toBe(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('refuses generated bodies in the wrong format, shape or size', async () => {
      await fc.assert(
        fc.asyncProperty(rawBody, contentType, async (body, type) => {
          expectProblem(await fire(t, post(REGISTRATIONS, body, type)), post(REGISTRATIONS, body, type));
        }),
        { numRuns: 500 },
      );
      const oversized = fc.integer({ min: API_BODY_LIMIT + 1, max: 3 * API_BODY_LIMIT });
      await fc.assert(
        fc.asyncProperty(oversized, async (size) => {
          const attack = post(REGISTRATIONS, json({ ...zhang, name: 'x'.repeat(size) }));
          const answer = await fire(t, attack);
          expect(answer.status).toBe(413);
          expect(expectProblem(answer, attack).code).toBe('bodyTooLarge');
        }),
        { numRuns: 15 },
      );
    });

    it('left nothing behind: no person, account, code, message, session or audit entry', async () => {
      expect(await rowCounts(t)).toEqual(before);
    });

    it('still registers Zhang with the intact body afterwards', async () => {
      const answer = await fire(t, post(REGISTRATIONS, json(zhang)));
      expect(answer.status).toBe(201);
    });
  });

  describe('login', () => {
    it.each([
      ['malformed JSON', post(SESSIONS, '{"login":'), 400, 'invalidJson', []],
      ['a missing password', post(SESSIONS, json({ login: zhang.phone })), 400, 'validation', ['/password']],
      ['a number for the login', post(SESSIONS, json({ login: 13800138000, password: 'x' })), 400, 'validation', ['/login']],
      ['an extra field', post(SESSIONS, json({ login: zhang.phone, password: 'x', remember: true })), 400, 'validation', ['/remember']],
      ['a __proto__ key', post(SESSIONS, '{"login":"a","password":"b","__proto__":{}}'), 400, 'forbiddenKey', []],
      ['a NUL character, which PostgreSQL cannot store', post(SESSIONS, json({ login: 'zhang\u0000', password: 'x' })), 400, 'validation', ['/login']],
      ['text/plain', post(SESSIONS, 'login=a&password=b', 'text/plain'), 415, 'unsupportedMediaType', []],
    ] as const)('refuses %s', async (_label, attack, status, code, fields) => {
      const answer = await fire(t, attack);
      expect(answer.status, describeAttack(attack)).toBe(status);
      const problem = expectProblem(answer, attack);
      expect(problem.code).toBe(code);
      expect(problem.fields).toEqual(fields);
    });

    it('refuses generated logins, never with a server error', async () => {
      const field = (good: fc.Arbitrary<string>) => fc.oneof({ arbitrary: good, weight: 1 }, { arbitrary: wrongType, weight: 2 }, { arbitrary: veryLong, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
      const loginBody = fc.record({
        login: field(fc.oneof(unicodeGarbage, fc.constantFrom(toFullWidth(zhang.phone), impossibleDateId, `${zhang.phone}\u0000`, '\u0000'))),
        password: field(fc.oneof(unicodeGarbage, fc.constant('\u0000'))),
        extra: fc.option(fc.oneof(fc.string(), wrongType), { nil: undefined, freq: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(loginBody, async (body) => {
          const attack = post(SESSIONS, json(body));
          expectProblem(await fire(t, attack), attack);
        }),
        { numRuns: 400 },
      );
      await fc.assert(
        fc.asyncProperty(rawBody, contentType, async (body, type) => {
          expectProblem(await fire(t, post(SESSIONS, body, type)), post(SESSIONS, body, type));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('number validation', () => {
    it.each([
      ['an unknown type', `${VALIDATE}?type=passport&value=E1`, '/querystring/type'],
      ['no type', `${VALIDATE}?value=E1`, '/querystring/type'],
      ['no value', `${VALIDATE}?type=uscc`, '/querystring/value'],
      ['two types', `${VALIDATE}?type=uscc&type=resident-id&value=1`, '/querystring/type'],
      ['a value of 65 characters', `${VALIDATE}?type=resident-id&value=${'1'.repeat(65)}`, '/querystring/value'],
      ['a NUL character', `${VALIDATE}?type=resident-id&value=11010519491231002X%00`, '/querystring/value'],
    ])('refuses %s, naming the query field', async (_label, url, field) => {
      const attack: Attack = { method: 'GET', url };
      const answer = await fire(t, attack);
      expect(answer.status).toBe(400);
      expect(expectProblem(answer, attack).fields).toEqual([field]);
    });

    it.each([
      ['full-width digits', toFullWidth(zhang.idNumber), 'invalidCharacters'],
      ['an impossible date (19990230)', impossibleDateId, 'invalidBirthDate'],
      ['an unknown region', unknownRegionId, 'unknownRegion'],
      ['a wrong check character', wrongCheckId, 'checkCharacter'],
    ])('answers an ID number with %s as not valid, with the reason', async (_label, value, reason) => {
      const answer = await fire(t, { method: 'GET', url: `${VALIDATE}?type=resident-id&value=${query(value)}` });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ valid: false, reason });
    });

    it('answers any value up to 64 characters, and refuses longer ones or other types by the field', async () => {
      const type = fc.oneof({ arbitrary: fc.constantFrom('resident-id', 'uscc'), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
      const value = fc.oneof(unicodeGarbage, fc.string({ maxLength: 80 }), badIdNumber.filter((v) => typeof v === 'string'), fc.string({ unit: fc.constantFrom(...'0123456789XＸ１'), maxLength: 20 }));
      await fc.assert(
        fc.asyncProperty(type, value, async (type, value) => {
          const attack: Attack = { method: 'GET', url: `${VALIDATE}?type=${query(type)}&value=${query(value as string)}` };
          const answer = await fire(t, attack);
          expect(answer.status, describeAttack(attack)).toBeLessThan(500);
          // The schema's maxLength counts code points, as people count characters.
          const answerable = [...wellFormed(value as string)].length <= 64 && !(value as string).includes('\u0000');
          if ((type === 'resident-id' || type === 'uscc') && answerable) {
            expect(answer.status, describeAttack(attack)).toBe(200);
            expect(typeof answer.json?.valid, describeAttack(attack)).toBe('boolean');
            expect(String(answer.json?.message ?? ''), describeAttack(attack)).not.toBe('');
            if (answer.json?.valid === false) expect(typeof answer.json.reason).toBe('string');
          } else {
            const problem = expectProblem(answer, attack);
            expect(problem.fields.length, describeAttack(attack)).toBeGreaterThan(0);
            for (const field of problem.fields) expect(['/querystring/type', '/querystring/value']).toContain(field);
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('survives raw query-string garbage', async () => {
      const garbage = fc.string({ unit: fc.constantFrom(...'%&=?#+ ;,/\\"\'<>ab12\u00e9\u4e2d', '%ED%A0%80', '%C0%AF', '%00', '%FF', 'type=uscc', 'value=', 'type=resident-id'), maxLength: 40 });
      await fc.assert(
        fc.asyncProperty(garbage, async (query) => {
          const attack: Attack = { method: 'GET', url: `${VALIDATE}?${query.replace(/#/g, '%23').replace(/ /g, '+')}` };
          const answer = await fire(t, attack);
          expect(answer.status, describeAttack(attack)).toBeLessThan(500);
          if (answer.status >= 400) expectProblem(answer, attack);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('verification API', () => {
    it('refuses generated requests without a client token, never with a server error', async () => {
      const verificationBody = fc.record({
        name: fc.oneof(badName, fc.constant(zhang.name)),
        idNumber: fc.oneof(badIdNumber, fc.constant(zhang.idNumber)),
        extra: fc.option(wrongType, { nil: undefined, freq: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.oneof(verificationBody.map(json), rawBody), contentType, async (body, type) => {
          const attack = post(VERIFICATIONS, body, type);
          expectProblem(await fire(t, attack), attack);
        }),
        { numRuns: 400 },
      );
    });
  });

  describe('messages in the reader’s language', () => {
    it.each([
      ['malformed JSON', post(REGISTRATIONS, '{')],
      ['a missing field', post(REGISTRATIONS, json({ ...zhang, phone: undefined }))],
      ['an impossible birth date', post(REGISTRATIONS, json({ ...zhang, idNumber: impossibleDateId }))],
      ['deep nesting', post(REGISTRATIONS, '['.repeat(50) + ']'.repeat(50))],
      ['a __proto__ key', post(SESSIONS, '{"__proto__":1}')],
      ['an oversized body', post(SESSIONS, json({ login: 'x'.repeat(API_BODY_LIMIT), password: 'x' }))],
      ['a wrong content type', post(SESSIONS, 'x', 'text/plain')],
      ['an unknown validation type', { method: 'GET', url: `${VALIDATE}?type=x&value=1` } as Attack],
    ])('explains %s in Chinese and in English', async (_label, attack) => {
      const zh = await fire(t, { ...attack, language: 'zh' });
      const en = await fire(t, { ...attack, language: 'en' });
      expectProblem(zh, attack);
      expectProblem(en, attack);
      const text = (answer: Answer) => [answer.json!.title, answer.json!.detail, ...((answer.json!.errors ?? []) as { message: string }[]).map((e) => e.message)].join(' ');
      expect(text(zh)).toMatch(/[\u4e00-\u9fff]/);
      expect(text(en)).not.toMatch(/[\u4e00-\u9fff]/);
      expect(text(zh)).not.toBe(text(en));
      expect(zh.json!.code).toBe(en.json!.code);
    });
  });

  it('fired thousands of requests', () => {
    expect(requestsFired).toBeGreaterThan(2000);
  });
});
