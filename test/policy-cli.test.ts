import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/core/db.js';
import { policyFile, samplePolicy } from '../src/policies/testing.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'tongban-policy-cli-'));
const schema = `policy_cli_${Date.now().toString(36)}`;
const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', ...(process.env.DATABASE_URL ? { DATABASE_SCHEMA: schema } : {}) };

async function tongban(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tongban.js', ...args], { env, cwd: path.resolve(import.meta.dirname, '..') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const relief = samplePolicy({ code: 'CLI-RELIEF', regions: ['310000'], effective: { from: '2020-01-01', to: '2027-12-31' }, parameters: { share: { default: 0.2, byRegion: { '310115': 0.3 } } } });
relief.benefit = { description: { 'zh-CN': '减免', en: 'Relief' }, formula: 'taxableIncome * share' };
relief.examples = [
  { name: 'Pudong', facts: { region: '310115', taxableIncome: 100_000, employees: 10, untrustworthy: false }, expected: 'eligible', benefitAmount: 30_000 },
  { name: 'Xuhui', facts: { region: '310104', taxableIncome: 100_000, employees: 10, untrustworthy: false }, expected: 'eligible', benefitAmount: 20_000 },
];
const expired = samplePolicy({ code: 'CLI-EXPIRED', effective: { from: '2020-01-01', to: '2021-12-31' } });

describe('tongban policy', () => {
  afterAll(async () => {
    if (process.env.DATABASE_URL) {
      const { db, close } = openDatabase({ databaseUrl: process.env.DATABASE_URL, schema, sqliteFile: path.join(dir, 'tongban.sqlite') });
      await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(db);
      await close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches an enterprise file against a policies file and prints the explained results as JSON', async () => {
    const policies = write('policies.json', policyFile([relief, expired]));
    const enterprise = write('enterprise.json', { facts: { region: '310115', industry: '6513', taxableIncome: 250_000, untrustworthy: false } });
    const result = await tongban('policy', 'match', '--policies', policies, '--enterprise', enterprise, '--on', '2026-03-01');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { on: string; results: { code: string; outcome: string; conditions: { fact: string; result: string; actual: unknown; expected: unknown }[]; missingFacts: string[]; benefit: unknown }[] };
    expect(output.on).toBe('2026-03-01');
    expect(output.results.map((r) => r.code)).toEqual(['CLI-RELIEF']);
    expect(output.results[0]).toMatchObject({ outcome: 'undetermined', missingFacts: ['employees'], benefit: null });
    expect(output.results[0]!.conditions.map((c) => [c.fact, c.result])).toEqual([
      ['taxableIncome', 'pass'],
      ['employees', 'unknown'],
      ['untrustworthy', 'pass'],
    ]);

    const known = write('known.json', { region: '310115', taxableIncome: 250_000, employees: 12, untrustworthy: false });
    const eligible = JSON.parse((await tongban('policy', 'match', '--policies', policies, '--enterprise', known, '--on', '2021-06-01')).stdout);
    expect(eligible.results.map((r: { code: string }) => r.code).sort()).toEqual(['CLI-EXPIRED', 'CLI-RELIEF']);
    expect(eligible.results.find((r: { code: string }) => r.code === 'CLI-RELIEF').benefit).toEqual({ amount: 75_000 });
  });

  it('refuses a bad policies file with every problem and its JSON path, and bad usage with the usage', async () => {
    const broken = { ...relief, eligibility: { all: [{ fact: 'turnover', op: 'gt', value: 1 }, { fact: 'employees', op: 'about', value: 3 }] } };
    const policies = write('broken.json', policyFile([broken as never]));
    const enterprise = write('e.json', { region: '310115' });
    const result = await tongban('policy', 'match', '--policies', policies, '--enterprise', enterprise);
    expect(result.code).toBe(1);
    const problems = JSON.parse(result.stderr.slice(result.stderr.indexOf('['))) as { path: string }[];
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/policies/0/eligibility/all/0/fact', '/policies/0/eligibility/all/1/op']));
    expect((await tongban('policy', 'match', '--policies', policies)).code).toBe(2);
    expect((await tongban('policy', 'match', '--enterprise', enterprise, '--policies', policies, '--on', 'tomorrow')).code).toBe(1);
  });

  it('imports and publishes into a department, then matches against the published library without a file', async () => {
    const seeded = await tongban('seed', '--demo');
    expect(seeded.code).toBe(0);
    const policies = write('publish.json', policyFile([relief]));
    const imported = await tongban('policy', 'import', policies, '--department', 'SH-SAMR', '--publish');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: ['CLI-RELIEF'], published: ['CLI-RELIEF'] });
    const enterprise = write('pub-e.json', { region: '310115', taxableIncome: 100_000, employees: 3, untrustworthy: false });
    const matched = JSON.parse((await tongban('policy', 'match', '--enterprise', enterprise, '--on', '2026-03-01')).stdout);
    expect(matched.results.find((r: { code: string }) => r.code === 'CLI-RELIEF')).toMatchObject({ outcome: 'eligible', benefit: { amount: 30_000 } });
    const exported = JSON.parse((await tongban('policy', 'export', '--codes', 'CLI-RELIEF')).stdout);
    expect(exported.policies.map((p: { code: string }) => p.code)).toEqual(['CLI-RELIEF']);
    expect((await tongban('policy', 'import', policies, '--department', 'NO-SUCH')).code).toBe(1);
  }, 180_000);
});
