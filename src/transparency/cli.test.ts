import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { openDatabase } from '../core/db.js';
import { migrateToLatest } from '../core/migrate.js';
import { openPlatform } from '../core/platform.js';
import { MIGRATIONS } from '../migrations.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-audit-cli-'));
const checkpointDir = path.join(dataDir, 'checkpoints');
const schema = `auditcli_${Date.now().toString(36)}`;
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUDIT_CHECKPOINT_DIR: checkpointDir, ...(process.env.DATABASE_URL ? { DATABASE_SCHEMA: schema } : {}) };

async function tongban(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tongban.js', ...args], { env, cwd: path.resolve(import.meta.dirname, '../..') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const database = () => openDatabase({ databaseUrl: process.env.DATABASE_URL, schema, sqliteFile: path.join(dataDir, 'tongban.sqlite') });

describe('tongban audit verify and checkpoint', () => {
  afterAll(async () => {
    if (process.env.DATABASE_URL) {
      const { db, close } = database();
      await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(db);
      await close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs the head, verifies it, and names a cut-off tail even when the checkpoint rows are gone too (from AUDIT_CHECKPOINT_DIR)', async () => {
    const platform = openPlatform(await loadConfig(env));
    await migrateToLatest(platform.database, MIGRATIONS);
    for (let i = 0; i < 6; i++) await platform.audit.record({ action: 'test.event', actor: { type: 'system' }, detail: { i } });
    await platform.database.close();
    const signed = await tongban('audit', 'checkpoint');
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/Signed checkpoint at event #\d+/);
    expect((await tongban('audit', 'checkpoint')).stdout).toContain('already covers the head');
    const [file] = readdirSync(checkpointDir);
    expect(file).toMatch(/^audit-checkpoint-\d{12}\.jws$/);
    // A file lost (the disk was full when it was signed) is written again by the next run.
    rmSync(path.join(checkpointDir, file!));
    expect((await tongban('audit', 'checkpoint')).code).toBe(0);
    expect(readdirSync(checkpointDir)).toEqual([file]);
    const clean = await tongban('audit', 'verify', '--checkpoint', path.join(checkpointDir, file!));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/intact: \d+ events/);
    expect(clean.stdout).toContain('2 signed checkpoint(s) verified; the chain still reaches the latest');

    const { db, close } = database();
    const head = await db.selectFrom('auditEvents').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('auditEvents').where('seq', '>', Number(head.seq) - 3).execute();
    const cut = await tongban('audit', 'verify');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(`signed at event #${head.seq}, but now ends at #${Number(head.seq) - 3}`);
    // Signing on top of a cut tail is refused.
    const refused = await tongban('audit', 'checkpoint');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('truncated');
    await db.deleteFrom('auditCheckpoints').execute();
    await close();
    // The rows are gone, but plain `verify` reads AUDIT_CHECKPOINT_DIR, whose file still shows the cut.
    const rowsGone = await tongban('audit', 'verify');
    expect(rowsGone.code).toBe(1);
    expect(rowsGone.stderr).toContain(`${file}: the chain was signed at event #${head.seq}`);
    expect(rowsGone.stderr).toContain('tail truncated');
    const withCopy = await tongban('audit', 'verify', '--checkpoint', path.join(checkpointDir, file!));
    expect(withCopy.code).toBe(1);
    expect(withCopy.stderr).toContain('tail truncated');
    expect((await tongban('audit', 'verify', '--checkpoint', path.join(checkpointDir, 'missing.jws'))).code).toBe(2);
    expect((await tongban('audit', 'frobnicate')).code).toBe(2);
  }, 180_000);
});
