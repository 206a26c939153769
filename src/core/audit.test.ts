import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from './testing.js';

describe('the audit trail', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('keeps an intact chain when many events are recorded at once (group commit)', async () => {
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        t.platform.audit.record({ action: 'test.concurrent', actor: { type: 'system' }, detail: { i } }),
      ),
    );
    await t.platform.db.transaction().execute((tx) => t.platform.audit.record({ action: 'test.inTransaction', actor: { type: 'system' } }, tx));
    const result = await t.platform.audit.verify(64);
    expect(result).toMatchObject({ ok: true, checked: 301 });
    const rows = await t.platform.db.selectFrom('auditEvents').select(['detail']).where('action', '=', 'test.concurrent').execute();
    expect(new Set(rows.map((r) => JSON.parse(r.detail).i)).size).toBe(300);
  });

  it('names an edited event', async () => {
    const [, second] = await t.platform.db.selectFrom('auditEvents').select(['seq', 'id']).orderBy('seq').limit(2).execute();
    await t.platform.db.updateTable('auditEvents').set({ actorLabel: 'someone else' }).where('seq', '=', second!.seq).execute();
    expect(await t.platform.audit.verify()).toMatchObject({ ok: false, problem: 'alteredRow', firstBadId: second!.id });
  });
});
