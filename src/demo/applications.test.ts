import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from '../applications/workflow.js';
import { createTestPlatform, type TestPlatform } from '../core/testing.js';
import { seedDemo } from './seed.js';

describe('the demo data shows a living platform', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
    await seedDemo(t.platform);
  });
  afterAll(async () => t.close());

  it('has applications in every state, handled by the departments themselves', async () => {
    const rows = await t.platform.db.selectFrom('applications').select(['status', 'certificateId']).execute();
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(APPLICATION_STATUSES));
    expect(rows.some((r) => r.certificateId)).toBe(true);
    const events = await t.platform.db.selectFrom('applicationEvents').select('actorLabel').where('actorType', '=', 'staff').execute();
    expect(events.length).toBeGreaterThan(10);
  });

  it('adds nothing when seeded again', async () => {
    const before = (await t.platform.db.selectFrom('applications').select('id').execute()).length;
    await seedDemo(t.platform);
    expect((await t.platform.db.selectFrom('applications').select('id').execute()).length).toBe(before);
  });
});
