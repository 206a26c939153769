/**
 * npm run bench:policies — the policy zone benchmark. Not a test: it prints figures and ratios.
 *
 *  (a) one enterprise against a library of 1,262 policies in process (rules compiled once; every
 *      policy applies, so every rule runs), explanations and benefit amounts included: median and
 *      p99 per enterprise, over the 2,000 demo enterprise profiles;
 *  (b) the same rules as JSON-Logic run by json-logic-js on the same enterprises, as the baseline:
 *      our speed ÷ its speed (it gives only true/false: no explanation, no "unknown");
 *  (c) on PostgreSQL: one automatic policy against 1,000,000 enterprise profiles, time to the full
 *      eligible list (the rule compiled to SQL), beside a plain count(*) over the same table;
 *  (d) the match API (POST /api/v1/policies/screen, the 1,262 policies published) in requests/s
 *      against a bare Fastify hello-world, both served from their own processes.
 *
 * Options (environment): BENCH_PROFILES (default 1000000), BENCH_SECONDS (default 8),
 * BENCH_ONLY=inprocess|scan|api, BENCH_DATABASE_URL (default the local test database; "none"
 * skips (c)).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/core/config.js';
import { migrateToLatest } from '../src/core/migrate.js';
import { openPlatform } from '../src/core/platform.js';
import { demoEnterpriseProfiles } from '../src/demo/enterprises.js';
import { DEMO_POLICY_FILE } from '../src/demo/policies.js';
import { seedDemo } from '../src/demo/seed.js';
import { MIGRATIONS } from '../src/migrations.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../src/reference/testing.js';
import { provinces } from '../src/reference/regions.js';
import type { PolicyDocument } from '../src/policies/format/schema.js';
import { compilePolicy, matchAll } from '../src/policies/library/compiled.js';
import { deriveFacts } from '../src/policies/matching/facts.js';
import type { Condition, Facts } from '../src/policies/rules/evaluate.js';
import { compileOutcome } from '../src/policies/rules/compile.js';
import { scanEligible } from '../src/policies/rules/sql.js';
import { createServices } from '../src/services.js';
import { applyJsonLogic, toJsonLogic } from './json-logic-rules.js';
import { freePort, load, row, startServer } from './support.js';

const LIBRARY_SIZE = 1_262;
const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ONLY = process.env.BENCH_ONLY;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ON = '2026-11-26';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function scaleNumbers(condition: Condition, factor: number): Condition {
  if ('all' in condition) return { all: condition.all.map((c) => scaleNumbers(c, factor)) };
  if ('any' in condition) return { any: condition.any.map((c) => scaleNumbers(c, factor)) };
  if ('not' in condition) return { not: scaleNumbers(condition.not, factor) };
  const scale = (v: unknown) => (typeof v === 'number' && !['in', 'notIn', 'eq', 'ne'].includes(condition.op) ? Math.round(v * factor * 100) / 100 : v);
  return { ...condition, value: Array.isArray(condition.value) ? (condition.value.map(scale) as never) : (scale(condition.value) as never) };
}

/**
 * 1,262 policies made from the 51 demo ones: codes made unique, every one nationwide and in force
 * (so each enterprise meets every rule: the worst case), numeric thresholds moved by up to ±20% so
 * that copies of a rule do not all agree. Examples are dropped (their expectations no longer hold).
 */
export function benchLibrary(size = LIBRARY_SIZE, spread: 'everywhere' | 'regional' = 'everywhere'): PolicyDocument[] {
  const base = DEMO_POLICY_FILE.policies;
  const provinceCodes = provinces().map((p) => p.code);
  return Array.from({ length: size }, (_, i) => {
    const policy = base[i % base.length]!;
    const factor = 0.8 + ((i * 7) % 41) / 100;
    const { examples: _examples, ...rest } = policy;
    // Regional: a fifth national, the rest local, spread over the provinces like the real library.
    const regions = spread === 'everywhere' || i % 5 === 0 ? ['100000'] : [provinceCodes[i % provinceCodes.length]!];
    return { ...rest, code: `${policy.code}-B${i}`, regions, effective: { from: '2020-01-01', to: null }, eligibility: scaleNumbers(policy.eligibility, factor) };
  });
}

function enterprises(): Facts[] {
  return demoEnterpriseProfiles(2000).map((p) => deriveFacts({ ...p.facts }, ON));
}

function inProcess(): void {
  const library = benchLibrary();
  const declared = DEMO_POLICY_FILE.facts ?? [];
  const compiled = library.map((document, i) => compilePolicy({ policyId: `p${i}`, versionId: `v${i}`, version: 1, departmentId: null, document, declaredFacts: declared }));
  const outcomes = library.map((p) => compileOutcome(p.eligibility));
  const rules = library.map((p) => toJsonLogic(p.eligibility));
  const population = enterprises();
  const evaluated = matchAll(compiled, population[0]!, ON).length;
  if (evaluated !== LIBRARY_SIZE) throw new Error(`expected every policy to apply, ${evaluated} did`);

  // Every evaluator runs the same rules on the same enterprises, enterprise by enterprise, after a
  // warm-up; each in turn, so that a noisy neighbour hurts them alike.
  let sink = 0;
  const time = (run: (facts: Facts) => void, rounds: number): number[] => {
    for (let i = 0; i < 300; i++) run(population[i % population.length]!);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const facts = population[i % population.length]!;
      const started = performance.now();
      run(facts);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  };
  const explained = time((facts) => {
    const results = matchAll(compiled, facts, ON);
    sink += results.length + results[0]!.conditions.length;
  }, 4000);
  const outcomeOnly = time((facts) => {
    for (const outcome of outcomes) if (outcome(facts) === 'pass') sink++;
  }, 4000);
  const jsonLogic = time((facts) => {
    for (const rule of rules) if (applyJsonLogic(rule, facts)) sink++;
  }, 2000);

  const median = percentile(explained, 50);
  console.log(`\n(a) one enterprise against ${LIBRARY_SIZE.toLocaleString('en')} policies in process (explanations and amounts included)`);
  row('median per enterprise', `${median.toFixed(3)} ms (target < 1 ms) ${median < 1 ? 'met' : 'NOT met'}`);
  row('p99 per enterprise', `${percentile(explained, 99).toFixed(3)} ms`);
  row('per policy (median)', `${((median * 1000) / LIBRARY_SIZE).toFixed(3)} µs`);
  const baseline = percentile(jsonLogic, 50);
  const outcomeMedian = percentile(outcomeOnly, 50);
  console.log('\n(b) the same rules as JSON-Logic (json-logic-js 2.0.5), which answers true/false only');
  row('baseline: json-logic-js, median per enterprise', `${baseline.toFixed(3)} ms, p99 ${percentile(jsonLogic, 99).toFixed(3)} ms`);
  row('ours, the same answer (outcome only)', `${outcomeMedian.toFixed(3)} ms, p99 ${percentile(outcomeOnly, 99).toFixed(3)} ms`);
  const ratio = baseline / outcomeMedian;
  row('  our speed ÷ its speed', `${ratio.toFixed(1)} (target >= 10) ${ratio >= 10 ? 'met' : 'NOT met'}`);
  row('  with our explanations and amounts (a)', `${(baseline / median).toFixed(1)}`);
  if (sink === -1) console.log('');
}

async function postgresReachable(): Promise<boolean> {
  if (PG_URL === 'none') return false;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function scan(): Promise<void> {
  if (!(await postgresReachable())) {
    console.log('\n(c) skipped: PostgreSQL not reachable at BENCH_DATABASE_URL');
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-bench-policies-'));
  const schema = `bench_policies_${Date.now().toString(36)}`;
  const config = await loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, PUBLIC_URL: 'http://127.0.0.1' });
  const platform = openPlatform(config);
  try {
    await migrateToLatest(platform.database, MIGRATIONS);
    const services = createServices(platform);
    console.log(`\n(c) loading ${PROFILES.toLocaleString('en')} enterprise profiles into PostgreSQL ...`);
    const loadStarted = performance.now();
    const chunk = 50_000;
    for (let start = 0; start < PROFILES; start += chunk) {
      const count = Math.min(chunk, PROFILES - start);
      // The generator numbers organisation codes from its own base for each call; renumber them
      // across chunks so that a million credit codes stay distinct (and valid).
      const profiles = demoEnterpriseProfiles(count, 1_000 + start / chunk).map((profile, i) => ({
        ...profile,
        uscc: makeUscc({
          authority: profile.uscc[0]!,
          category: profile.uscc[1]!,
          region: profile.uscc.slice(2, 8),
          organizationCodeBody: organizationCodeBodyFromNumber(2_000_000 + start + i),
        }),
      }));
      await services.enterpriseFacts.insertMany(profiles, new Date().toISOString());
    }
    await sql`ANALYZE`.execute(platform.db);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const policy = DEMO_POLICY_FILE.policies.find((p) => p.code === 'CN-UI-JOB-RETENTION')!;
    const times: number[] = [];
    const baseline: number[] = [];
    let eligible = 0;
    for (let i = 0; i < 5; i++) {
      let started = performance.now();
      await sql`SELECT count(*) FROM enterprise_facts`.execute(platform.db);
      baseline.push(performance.now() - started);
      started = performance.now();
      eligible = (await scanEligible(platform.db, policy.eligibility, { on: ON, regions: policy.regions })).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const median = percentile(times, 50);
    row('load', `${loadSeconds.toFixed(1)} s (${(PROFILES / loadSeconds).toFixed(0)} profiles/s)`);
    row(`full eligible list of ${policy.code}`, `${(median / 1000).toFixed(2)} s median of 5, ${eligible.toLocaleString('en')} eligible (target < 5 s) ${median < 5000 ? 'met' : 'NOT met'}`);
    row('baseline: SELECT count(*) over the table', `${(percentile(baseline, 50) / 1000).toFixed(2)} s; scan ÷ count ${(median / percentile(baseline, 50)).toFixed(1)}`);
  } finally {
    await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(platform.db);
    await platform.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function api(spread: 'everywhere' | 'regional'): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-bench-policy-api-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const config = await loadConfig({ ...env, PUBLIC_URL: 'http://127.0.0.1' });
  const platform = openPlatform(config);
  await migrateToLatest(platform.database, MIGRATIONS);
  const services = createServices(platform);
  console.log(`\n(d) the match API, ${spread === 'everywhere' ? 'every one of 1,262 policies applying (the worst case)' : '1,262 policies, a fifth national and the rest spread over the provinces'}; seeding ...`);
  await seedDemo(platform, services);
  await services.policyLibrary.importAsOperator('GOV-NATIONAL-TAX', { format: 'tongban-policy/1', facts: DEMO_POLICY_FILE.facts, policies: benchLibrary(LIBRARY_SIZE, spread) }, { publish: false });
  // The publication checks need examples, which the generated copies lack; publish them directly.
  await platform.db.transaction().execute(async (tx) => {
    await sql`UPDATE policy_versions SET status = 'published', published_at = ${new Date().toISOString()} WHERE status = 'draft'`.execute(tx);
    await sql`UPDATE policies SET status = 'published', published_version_id = (SELECT v.id FROM policy_versions v WHERE v.policy_id = policies.id AND v.version = policies.latest_version) WHERE status = 'draft'`.execute(tx);
    await sql`UPDATE policy_library_state SET revision = revision + 1`.execute(tx);
  });
  await platform.database.close();

  const port = await freePort();
  const server = await startServer([process.execPath, 'bin/tongban.js', 'serve'], env, port);
  const helloPort = await freePort();
  const hello = await startServer([process.execPath, '--import', 'tsx', 'bench/hello.ts'], {}, helloPort);
  try {
    const answers = { region: '310115', industry: '6513', entityType: 'enterprise', employees: 46, operatingRevenue: 18_600_000, taxableIncome: 1_650_000, untrustworthy: false };
    const body = JSON.stringify({ answers, on: ON });
    const checkText = await (await fetch(`${server.url}/api/v1/policies/screen`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).text();
    const check = JSON.parse(checkText) as { results: unknown[] };
    const helloResult = await load({ url: `${hello.url}/hello`, method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' }, duration: SECONDS });
    const screen = await load({ url: `${server.url}/api/v1/policies/screen`, method: 'POST', body, headers: { 'content-type': 'application/json' }, duration: SECONDS });
    row('policies matched per request (Pudong)', `${check.results.length}, every condition explained (${(Buffer.byteLength(checkText) / 1024).toFixed(0)} KB of JSON)`);
    row('baseline: bare Fastify hello-world', `${helloResult.requestsPerSecond.toFixed(0)} req/s, p99 ${helloResult.p99Ms} ms`);
    row('match API (POST /api/v1/policies/screen)', `${screen.requestsPerSecond.toFixed(0)} req/s, p99 ${screen.p99Ms} ms, non-2xx ${screen.non2xx}`);
    row('  ratio to hello-world', (screen.requestsPerSecond / helloResult.requestsPerSecond).toFixed(4));
  } finally {
    await server.stop();
    await hello.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`Policy zone benchmark (${new Date().toISOString()}, Node ${process.version})`);
if (!ONLY || ONLY === 'inprocess') inProcess();
if (!ONLY || ONLY === 'scan') await scan();
if (!ONLY || ONLY === 'api') {
  await api('regional');
  await api('everywhere');
}
