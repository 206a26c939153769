/**
 * node --import tsx bench/policies-rules.ts — a quick measure of the rule evaluators (not the
 * official policies benchmark, which the lead writes; not a test).
 *
 *  (a) one enterprise against 1,262 generated policies in process, with explanations: the compiled
 *      evaluator (median, p99, per policy) against the reference interpreter;
 *  (c) with BENCH_SCAN=1: an automatic policy's rule compiled to SQL over BENCH_PROFILES (default
 *      1,000,000) enterprise profiles on PostgreSQL (BENCH_DATABASE_URL, default the local test
 *      database, in a schema of its own that is dropped afterwards): load time and scan time.
 */
import fc from 'fast-check';
import pg from 'pg';
import { openDatabase } from '../src/core/db.js';
import { migrateToLatest } from '../src/core/migrate.js';
import { enterpriseFactsMigration } from '../src/policies/profiles/migrations.js';
import { checkProfile, factsOn, type ProfileInput } from '../src/policies/profiles/profile.js';
import { ProfileStore } from '../src/policies/profiles/store.js';
import { profileArbitrary, ruleArbitrary } from '../src/policies/rules/arbitraries.js';
import { compileRule } from '../src/policies/rules/compile.js';
import { explain, type Condition, type Facts } from '../src/policies/rules/evaluate.js';
import { eligibleQuery, scanEligible } from '../src/policies/rules/sql.js';
import { allIndustries } from '../src/reference/industries.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../src/reference/testing.js';

const ON = '2024-06-30';
const POLICIES = 1_262;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const leafCount = (c: Condition): number => ('all' in c ? c.all.reduce((n, x) => n + leafCount(x), 0) : 'any' in c ? c.any.reduce((n, x) => n + leafCount(x), 0) : 'not' in c ? leafCount(c.not) : 1);

function timePasses(evaluate: () => void, passes: number): { median: number; p99: number } {
  for (let i = 0; i < Math.min(200, passes); i++) evaluate();
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    evaluate();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

function inProcess(): void {
  // Policies shaped like real ones: a region, then a few conditions (random, every operator), about
  // six leaves in all (the demo policies have four to seven).
  const regions = ['100000', '310000', '330000', '440000', '420000', '110000'];
  const conditions = ruleArbitrary(ON).filter((rule) => leafCount(rule) >= 2 && leafCount(rule) <= 3);
  const rules = fc.sample(fc.tuple(fc.constantFrom(...regions), conditions, conditions), { numRuns: POLICIES, seed: 4 }).map(
    ([region, a, b]): Condition => ({ all: [{ fact: 'region', op: 'within', value: region }, a, b] }),
  );
  const [profile] = fc.sample(profileArbitrary(ON, 1), { numRuns: 1, seed: 7 }) as [ProfileInput];
  const facts: Facts = factsOn(checkProfile({ ...profile, facts: { ...profile.facts, region: '310115' } }).facts, ON);
  const compiled = rules.map(compileRule);
  for (const [index, rule] of rules.entries()) {
    if (JSON.stringify(compiled[index]!(facts)) !== JSON.stringify(explain(rule, facts))) throw new Error(`compiled and reference disagree on rule ${index}`);
  }
  const leaves = rules.reduce((n, rule) => n + leafCount(rule), 0);
  let sink = 0;
  const fast = timePasses(() => {
    for (let i = 0; i < compiled.length; i++) sink += compiled[i]!(facts).conditions.length;
  }, 3_000);
  const reference = timePasses(() => {
    for (let i = 0; i < rules.length; i++) sink += explain(rules[i]!, facts).conditions.length;
  }, 500);
  console.log(`(a) one enterprise × ${POLICIES} policies (${(leaves / POLICIES).toFixed(1)} leaves each), explanations included`);
  console.log(
    `    compiled:  median ${fast.median.toFixed(3)} ms, p99 ${fast.p99.toFixed(3)} ms, ${((fast.median * 1000) / POLICIES).toFixed(3)} µs per policy, ${((fast.median * 1e6) / leaves).toFixed(0)} ns per leaf`,
  );
  console.log(`    reference: median ${reference.median.toFixed(3)} ms, p99 ${reference.p99.toFixed(3)} ms; compiled is ${(reference.median / fast.median).toFixed(1)}× faster`);
  if (sink < 0) console.log(sink);
}

/** A deterministic PRNG (mulberry32), so that every run loads the same population. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function syntheticProfiles(from: number, count: number, next: () => number): ProfileInput[] {
  const classes = allIndustries('class').map((i) => i.code);
  const regions = ['310115', '310104', '330106', '330102', '440305', '440106', '420102', '429004', '110105', '510104'];
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const maybe = <T>(value: T) => (next() < 0.1 ? undefined : value);
  return Array.from({ length: count }, (_, i) => ({
    uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(from + i) }),
    facts: {
      region: pick(regions),
      industry: maybe(pick(classes)),
      entityType: pick(['enterprise', 'enterprise', 'enterprise', 'individualBusiness', 'farmerCooperative'] as const),
      establishedOn: maybe(`${2000 + Math.floor(next() * 24)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`),
      employees: maybe(Math.floor(next() * 500)),
      insuredEmployees: maybe(Math.floor(next() * 400)),
      operatingRevenue: maybe(Math.round(next() * 50_000_000)),
      totalAssets: maybe(Math.round(next() * 80_000_000)),
      taxableIncome: maybe(Math.round(next() * 5_000_000) - 500_000),
      taxpayerType: maybe(pick(['general', 'smallScale'] as const)),
      taxCreditRating: maybe(pick(['A', 'B', 'M', 'C', 'D'] as const)),
      layoffRate: maybe(Math.round(next() * 100) / 10),
      unemploymentInsurancePaid: maybe(Math.round(next() * 200_000)),
      untrustworthy: maybe(next() < 0.02),
      qualifications: next() < 0.3 ? ['高新技术企业'] : [],
    },
  }));
}

async function scan(): Promise<void> {
  const count = Number(process.env.BENCH_PROFILES ?? 1_000_000);
  const schema = `bench_rules_${Date.now().toString(36)}`;
  const database = openDatabase({ databaseUrl: PG_URL, schema, poolSize: 4 });
  try {
    await migrateToLatest(database, [enterpriseFactsMigration]);
    const store = new ProfileStore(database.db);
    const next = random(2024);
    const loadStart = performance.now();
    for (let from = 0; from < count; from += 50_000) await store.insertMany(syntheticProfiles(from, Math.min(50_000, count - from), next), '2024-06-30T00:00:00.000Z');
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`ANALYZE ${schema}.enterprise_facts`);
    await client.end();
    console.log(`(c) loaded ${count.toLocaleString('en')} profiles in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

    // 稳岗返还 for small and medium enterprises, as a grant without application: every fact authoritative.
    const rule: Condition = {
      all: [
        { fact: 'entityType', op: 'in', value: ['enterprise', 'individualBusiness'] },
        { fact: 'layoffRate', op: 'lte', value: 5.5 },
        { fact: 'unemploymentInsurancePaid', op: 'gt', value: 0 },
        { fact: 'untrustworthy', op: 'eq', value: false },
        { fact: 'ageMonths', op: 'gte', value: 12 },
        { not: { fact: 'taxCreditRating', op: 'in', value: ['D'] } },
        { any: [{ fact: 'industry', op: 'prefix', value: ['H', 'F', '54'] }, { fact: 'insuredEmployees', op: 'lte', value: 300 }] },
      ],
    };
    for (const [label, regions] of [['whole country', undefined], ['Shanghai only', ['310000']]] as const) {
      const times: number[] = [];
      let eligible = 0;
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        eligible = (await scanEligible(database.db, rule, { on: ON, ...(regions ? { regions } : {}) })).length;
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(`    scan (${label}): ${eligible.toLocaleString('en')} eligible, median of 3 ${(times[1]! / 1000).toFixed(2)} s`);
      const plan = await eligibleQuery(database.db, rule, { on: ON, ...(regions ? { regions } : {}) }).explain();
      console.log(plan.map((line) => `      ${Object.values(line)[0]}`).join('\n'));
    }
  } finally {
    await database.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

inProcess();
if (process.env.BENCH_SCAN === '1') await scan();
