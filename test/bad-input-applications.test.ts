import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, TINY_PNG, verifiedPerson } from '../src/applications/testing.js';
import { ManualClock } from '../src/core/clock.js';
import { createTestApp } from '../src/core/testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Generated bad input at the application endpoints: answers that break the item's form schema,
 * materials that do not exist or are not the applicant's, officer actions with nonsense bodies.
 * Every answer must be a 4xx problem naming what was wrong, never a 5xx, and nothing half-written.
 */
describe('bad input at the application endpoints', () => {
  let t: TestApp;
  let office: Awaited<ReturnType<typeof departmentWithItem>>;
  let person: Awaited<ReturnType<typeof verifiedPerson>>;
  let draftId: string;
  let submittedId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    office = await departmentWithItem(t);
    person = await verifiedPerson(t, '冯敏');
    draftId = (await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: person.cookie }, payload: { itemId: office.item.itemId } })).json().id;
    const { createServices } = await import('../src/services.js');
    const file = await createServices(t.platform).files.store(person.accountId, { filename: 'lease.png', bytes: TINY_PNG });
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: person.cookie, 'idempotency-key': 'fuzz-base-0001' },
      payload: { itemId: office.item.itemId, form: { businessName: '冯记', organisation: 'personal', employees: 1, premisesRegion: '310115' }, materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [file.id] } } },
    });
    expect(submitted.statusCode).toBe(201);
    submittedId = submitted.json().id;
  });
  afterAll(async () => t.close());

  const value = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    fc.constantFrom('19990230', '３１０１１５', '999999', '<script>', '\u0000', 'a'.repeat(5000)),
  );
  const fieldKey = fc.constantFrom('operatorName', 'operatorIdNumber', 'phone', 'businessName', 'organisation', 'premisesRegion', 'employees', 'nope', '__proto__', 'constructor');
  const form = fc.dictionary(fieldKey, value, { maxKeys: 6 });
  const materialChoice = fc.oneof(
    fc.record({ fileIds: fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }) }),
    fc.record({ certificateId: fc.string({ maxLength: 40 }), consent: fc.boolean() }),
    fc.record({ governmentData: fc.constantFrom(true, false, 'yes'), consent: fc.oneof(fc.boolean(), fc.string()) }),
    value,
  );
  const materials = fc.dictionary(fc.constantFrom('identity', 'premises', 'familyList', 'unknown', '__proto__'), materialChoice, { maxKeys: 4 });
  const body = fc.oneof(fc.record({ form, materials }, { requiredKeys: [] }), value);

  const expectProblem = (response: { statusCode: number; headers: Record<string, unknown>; body: string }, context: string) => {
    expect(response.statusCode, `${context}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, `${context}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
  };

  it('never answers a broken draft save, submission or one-shot application with a 5xx, and creates nothing', async () => {
    const before = (await t.platform.db.selectFrom('applications').select('id').execute()).length;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('patch', 'submit', 'apply'), fc.integer({ min: 0, max: 1e9 }), async (payload, endpoint, n) => {
        const request =
          endpoint === 'patch'
            ? { method: 'PATCH' as const, url: `/api/v1/applications/${draftId}` }
            : endpoint === 'submit'
              ? { method: 'POST' as const, url: `/api/v1/applications/${draftId}/submission` }
              : { method: 'POST' as const, url: '/api/v1/applications', headers: { 'idempotency-key': `fuzz-${n}-key` } };
        const response = await t.app.inject({ ...request, headers: { cookie: person.cookie, ...(request.headers ?? {}) }, payload: JSON.stringify(endpoint === 'apply' && payload && typeof payload === 'object' ? { itemId: office.item.itemId, ...payload } : payload), } as never);
        // A complete, valid body is astronomically unlikely here; anything else must be refused clearly.
        if (response.statusCode < 300) return;
        expectProblem(response, `${endpoint} ${JSON.stringify(payload).slice(0, 200)}`);
      }),
      { numRuns: 400 },
    );
    const after = await t.platform.db.selectFrom('applications').select(['id', 'status']).execute();
    expect(after.length).toBe(before);
    expect(after.find((a) => a.id === draftId)?.status).toBe('draft');
  });

  it('never answers a nonsense officer action with a 5xx', async () => {
    const before = await t.platform.db.selectFrom('applications').select(['status', 'revision']).where('id', '=', submittedId).executeTakeFirstOrThrow();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('accept', 'refuse', 'requestSupplement', 'startReview', 'approve', 'reject', 'conclude', 'deliver', 'forward', 'explode', '../accept'),
        // Every body is broken somewhere (the opinion is never an acceptable text), so no action may succeed.
        fc.oneof(
          fc.record(
            {
              opinion: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.constant('意'.repeat(1001))),
              missing: fc.oneof(value, fc.record({ materials: fc.array(value, { maxLength: 3 }), fields: fc.array(value, { maxLength: 3 }) })),
              procedure: value,
            },
            { requiredKeys: ['opinion'] },
          ),
          fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })),
        ),
        async (action, payload) => {
          const response = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${submittedId}/actions/${action}`, headers: { cookie: office.officer.cookie, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
          expectProblem(response, `${action} ${JSON.stringify(payload).slice(0, 200)}`);
        },
      ),
      { numRuns: 300 },
    );
    // Refused actions leave the application exactly as it was.
    const after = await t.platform.db.selectFrom('applications').select(['status', 'revision']).where('id', '=', submittedId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });
});
