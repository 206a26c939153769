import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../src/core/db.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-cli-'));
const schema = `cli_${Date.now().toString(36)}`;
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  ...(process.env.DATABASE_URL ? { DATABASE_SCHEMA: schema } : {}),
};

async function tongban(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tongban.js', ...args], { env, cwd: path.resolve(import.meta.dirname, '..') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function database() {
  return openDatabase({ databaseUrl: process.env.DATABASE_URL, schema, sqliteFile: path.join(dataDir, 'tongban.sqlite') });
}

describe('the tongban command', () => {
  afterAll(async () => {
    if (process.env.DATABASE_URL) {
      const { db, close } = database();
      await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(db);
      await close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains every command with --help', async () => {
    for (const command of ['serve', 'migrate', 'seed', 'audit']) {
      const result = await tongban(command, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`tongban ${command}`);
    }
    expect((await tongban('--help')).stdout).toContain('audit verify');
  });

  it('migrates, seeds the demo data twice without duplicates, and verifies the audit chain', async () => {
    const migrated = await tongban('migrate');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('applied 0100-identity');
    expect((await tongban('migrate')).stdout).toContain('up to date');
    const seeded = await tongban('seed', '--demo');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('officer.pudong');
    expect((await tongban('seed', '--demo')).code).toBe(0);
    const { db, close } = database();
    const persons = await db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await close();
    expect(Number(persons.n)).toBe(2);
    const verified = await tongban('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/intact: \d+ events/);
    // Three child processes, one of them seeding the whole demo: tens of seconds on a shared, busy machine.
  }, 120_000);

  it('names the first changed audit event, and notices a removed one', async () => {
    const { db, close } = database();
    const rows = await db.selectFrom('auditEvents').select(['seq', 'id']).orderBy('seq').execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    await db.updateTable('auditEvents').set({ purpose: 'tampered' }).where('seq', '=', rows[1]!.seq).execute();
    const changed = await tongban('audit', 'verify');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`#${rows[1]!.seq}`);
    expect(changed.stderr).toContain('was changed');
    await db.updateTable('auditEvents').set({ purpose: null }).where('seq', '=', rows[1]!.seq).execute();
    expect((await tongban('audit', 'verify')).code).toBe(0);
    await db.deleteFrom('auditEvents').where('seq', '=', rows[1]!.seq).execute();
    await close();
    const removed = await tongban('audit', 'verify');
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain(`#${rows[2]!.seq}`);
    expect(removed.stderr).toContain('changed or removed');
  });

  it('refuses to start in production without secrets, naming the variable', async () => {
    const result = await run(process.execPath, ['bin/tongban.js', 'migrate'], {
      env: { ...env, NODE_ENV: 'production', SESSION_SECRET: '' },
      cwd: path.resolve(import.meta.dirname, '..'),
    }).catch((e) => e as { code: number; stderr: string });
    expect((result as { code: number }).code).not.toBe(0);
    expect((result as { stderr: string }).stderr).toContain('SESSION_SECRET');
  });
});
