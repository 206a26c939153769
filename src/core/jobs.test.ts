import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from './jobs.js';
import { createLogger } from './platform.js';
import { createTestPlatform, type TestPlatform } from './testing.js';

describe('background jobs kept in the database', () => {
  let t: TestPlatform;
  const runner = () => new JobRunner(t.platform.db, t.platform.dialect, t.clock, createLogger('silent'));
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('runs a due job exactly once even with two server copies polling at the same time', async () => {
    const seen: unknown[] = [];
    const [a, b] = [runner(), runner()];
    for (const r of [a, b]) r.handle('test.once', async (payload) => void seen.push(payload));
    for (let i = 0; i < 20; i++) await a.enqueue('test.once', { i });
    await Promise.all([a.runDue(50), b.runDue(50), a.runDue(50), b.runDue(50)]);
    await Promise.all([a.runDue(50), b.runDue(50)]);
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((p) => (p as { i: number }).i)).size).toBe(20);
  });

  it('waits for a job scheduled later', async () => {
    const r = runner();
    let ran = 0;
    r.handle('test.later', async () => void ran++);
    await r.enqueue('test.later', {}, { runAt: new Date(t.clock.now().getTime() + 60_000) });
    await r.runDue();
    expect(ran).toBe(0);
    t.clock.advance(61_000);
    await r.runDue();
    expect(ran).toBe(1);
  });

  it('retries a failing job with growing back-off, recording the error', async () => {
    const r = runner();
    let calls = 0;
    r.handle('test.flaky', async () => {
      calls++;
      if (calls < 3) throw new Error('gateway timeout');
    });
    const id = await r.enqueue('test.flaky');
    await r.runDue();
    const failed = await t.platform.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ attempts: 1, lastError: 'gateway timeout', doneAt: null });
    await r.runDue();
    expect(calls).toBe(1);
    t.clock.advance(2_001);
    await r.runDue();
    t.clock.advance(4_001);
    await r.runDue();
    expect(calls).toBe(3);
    const done = await t.platform.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(done.doneAt).not.toBeNull();
  });

  it('reschedules a recurring job after each run, one row however many copies declare it', async () => {
    const [a, b] = [runner(), runner()];
    let ran = 0;
    for (const r of [a, b]) r.handle('test.recurring', async () => void ran++);
    await a.every('test.recurring', 10_000);
    await b.every('test.recurring', 10_000);
    const rows = await t.platform.db.selectFrom('jobs').select('id').where('kind', '=', 'test.recurring').execute();
    expect(rows).toHaveLength(1);
    await a.runDue();
    await b.runDue();
    expect(ran).toBe(1);
    t.clock.advance(10_001);
    await b.runDue();
    expect(ran).toBe(2);
  });
});
