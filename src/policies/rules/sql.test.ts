import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db.js';
import { createTestPlatform, type TestPlatform } from '../../core/testing.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import { checkProfile, factsOn } from '../profiles/profile.js';
import { ProfileStore, type ProfileInput } from '../profiles/store.js';
import { DECLARED_FACTS, ON_DATES, profileArbitrary, ruleArbitrary } from './arbitraries.js';
import { compileRule } from './compile.js';
import { explain, type Condition, type Facts, type Outcome } from './evaluate.js';
import { outcomeSql, scanEligible } from './sql.js';

/**
 * The SQL compilation against the reference interpreter and the compiled evaluator, on the engine
 * of this run: SQLite by default, PostgreSQL when DATABASE_URL is set (CI runs both).
 */
let test: TestPlatform;
let db: Db;
let store: ProfileStore;

beforeAll(async () => {
  test = await createTestPlatform();
  db = test.platform.database.db;
  store = new ProfileStore(db);
});
afterAll(async () => test?.close());

async function clear(): Promise<void> {
  await db.deleteFrom('enterpriseFactItems').execute();
  await db.deleteFrom('enterpriseDeclaredFacts').execute();
  await db.deleteFrom('enterpriseFacts').execute();
}

/** One query over the whole population: each enterprise's outcome under the rule. */
async function outcomesBySql(rule: Condition, on: string): Promise<Array<[string, Outcome]>> {
  const rows = await db
    .selectFrom('enterpriseFacts as f')
    .select(['f.uscc', outcomeSql(rule, { on, declared: DECLARED_FACTS }).as('outcome')])
    .orderBy('f.uscc')
    .execute();
  return rows.map((row) => [row.uscc, row.outcome]);
}

const usccOf = (n: number) => makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(n) });

describe(`rules compiled to SQL (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}) agree with the interpreter`, () => {
  it('random valid rules × random profiles with missing facts: identical outcomes from SQL, the compiled evaluator and the interpreter', async () => {
    const PROFILES = 60;
    const scenario = fc.constantFrom(...ON_DATES).chain((on) =>
      fc.tuple(
        fc.constant(on),
        fc.tuple(...Array.from({ length: PROFILES }, (_, i) => profileArbitrary(on, i))),
        fc.array(ruleArbitrary(on), { minLength: 20, maxLength: 20 }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([on, profiles, rules]) => {
        await clear();
        await store.insertMany(profiles, '2024-01-01T00:00:00.000Z');
        const stored = await store.factsOfMany(profiles.map((p) => checkProfile(p).uscc), on);
        // What the store gives back is what was given, completed the same way.
        for (const profile of profiles) expect(stored.get(checkProfile(profile).uscc)).toEqual(factsOn(checkProfile(profile).facts, on));
        const population = [...stored].sort(([a], [b]) => (a < b ? -1 : 1));

        for (const [index, rule] of rules.entries()) {
          const compiled = compileRule(rule);
          const byInterpreter = population.map(([uscc, facts]): [string, Outcome] => [uscc, explain(rule, facts).outcome]);
          expect(population.map(([uscc, facts]) => [uscc, compiled(facts).outcome])).toEqual(byInterpreter);
          expect(await outcomesBySql(rule, on), JSON.stringify(rule)).toEqual(byInterpreter);
          if (index < 3) {
            const eligible = byInterpreter.filter(([, outcome]) => outcome === 'eligible').map(([uscc]) => uscc);
            expect(await scanEligible(db, rule, { on, declared: DECLARED_FACTS })).toEqual(eligible);
          }
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

describe('tricky cases, on this engine, the compiled evaluator and the interpreter alike', () => {
  const on = '2024-02-29';
  const profiles: Record<string, ProfileInput> = {
    pudong: {
      uscc: usccOf(1),
      facts: { region: '310115', industry: '6513', entityType: 'enterprise', establishedOn: '2024-01-29', qualifications: [], untrustworthy: false },
      declared: { hasOverseasBranch: true, certifications: ['ISO9001'], exportShare: 12.5 },
    },
    xiantao: { uscc: usccOf(2), facts: { region: '429004', industry: '6210', establishedOn: '2024-01-30' } },
    wuhan: { uscc: usccOf(3), facts: { region: '420102', industry: '5211', establishedOn: '2023-02-28' }, declared: { exportShare: '12.5' } },
    nationwide: { uscc: usccOf(4), facts: { region: '100000', industrySection: 'H', establishedOn: '2024-03-01' } },
  };
  const names = Object.keys(profiles);
  let facts: Map<string, Facts>;

  beforeAll(async () => {
    await clear();
    await store.insertMany(Object.values(profiles), '2024-01-01T00:00:00.000Z');
    facts = await store.factsOfMany(Object.values(profiles).map((p) => p.uscc), on);
  });

  const cases: Array<[string, Condition, Record<string, Outcome>]> = [
    // monthsBetween counts a month once the day of the month is reached: 01-29 → 02-29 is one
    // month, 01-30 → 02-29 none yet; 2023-02-28 → 2024-02-29 is twelve.
    ['ageMonths at a month end', { fact: 'ageMonths', op: 'gte', value: 1 }, { pudong: 'eligible', xiantao: 'ineligible', wuhan: 'eligible', nationwide: 'undetermined' }],
    ['ageMonths eq 12', { fact: 'ageMonths', op: 'eq', value: 12 }, { pudong: 'ineligible', xiantao: 'ineligible', wuhan: 'eligible', nationwide: 'undetermined' }],
    ['ageMonths between, fractional bounds', { fact: 'ageMonths', op: 'between', value: [0.5, 11.5] }, { pudong: 'eligible', xiantao: 'ineligible', wuhan: 'ineligible', nationwide: 'undetermined' }],
    ['ageMonths exists (not before establishment)', { fact: 'ageMonths', op: 'exists', value: true }, { pudong: 'eligible', xiantao: 'eligible', wuhan: 'eligible', nationwide: 'ineligible' }],
    ['within the Shanghai grouping 310100', { fact: 'region', op: 'within', value: '310100' }, { pudong: 'eligible', xiantao: 'ineligible', wuhan: 'ineligible', nationwide: 'ineligible' }],
    ['within Hubei and its directly governed counties', { fact: 'region', op: 'within', value: ['429000'] }, { pudong: 'ineligible', xiantao: 'eligible', wuhan: 'ineligible', nationwide: 'ineligible' }],
    ['within the province', { fact: 'region', op: 'within', value: '420000' }, { pudong: 'ineligible', xiantao: 'eligible', wuhan: 'eligible', nationwide: 'ineligible' }],
    ['within the nation', { fact: 'region', op: 'within', value: '100000' }, { pudong: 'eligible', xiantao: 'eligible', wuhan: 'eligible', nationwide: 'eligible' }],
    ['industry section prefix', { fact: 'industry', op: 'prefix', value: ['H', '65'] }, { pudong: 'eligible', xiantao: 'eligible', wuhan: 'ineligible', nationwide: 'undetermined' }],
    ['industry section of a given section', { fact: 'industrySection', op: 'eq', value: 'H' }, { pudong: 'ineligible', xiantao: 'eligible', wuhan: 'ineligible', nationwide: 'eligible' }],
    ['has on an empty list', { fact: 'qualifications', op: 'has', value: '高新技术企业' }, { pudong: 'ineligible', xiantao: 'undetermined', wuhan: 'undetermined', nationwide: 'undetermined' }],
    ['exists false', { fact: 'qualifications', op: 'exists', value: false }, { pudong: 'ineligible', xiantao: 'eligible', wuhan: 'eligible', nationwide: 'eligible' }],
    ['not of a missing fact stays undetermined', { not: { fact: 'untrustworthy', op: 'eq', value: true } }, { pudong: 'eligible', xiantao: 'undetermined', wuhan: 'undetermined', nationwide: 'undetermined' }],
    ['a known failure decides what is missing', { all: [{ fact: 'untrustworthy', op: 'eq', value: false }, { fact: 'region', op: 'within', value: '310000' }] }, { pudong: 'eligible', xiantao: 'ineligible', wuhan: 'ineligible', nationwide: 'ineligible' }],
    ['a declared boolean', { fact: 'hasOverseasBranch', op: 'eq', value: true }, { pudong: 'eligible', xiantao: 'undetermined', wuhan: 'undetermined', nationwide: 'undetermined' }],
    ['a declared list', { fact: 'certifications', op: 'has', value: ['ISO9001'] }, { pudong: 'eligible', xiantao: 'undetermined', wuhan: 'undetermined', nationwide: 'undetermined' }],
    ['a declared number given as text is not that number', { fact: 'exportShare', op: 'gte', value: 10 }, { pudong: 'eligible', xiantao: 'undetermined', wuhan: 'ineligible', nationwide: 'undetermined' }],
    ['a declared fact that is absent exists not', { fact: 'exportShare', op: 'exists', value: false }, { pudong: 'ineligible', xiantao: 'eligible', wuhan: 'ineligible', nationwide: 'eligible' }],
  ];

  it.each(cases)('%s', async (_title, rule, expected) => {
    const bySql = Object.fromEntries(await outcomesBySql(rule, on));
    for (const name of names) {
      const uscc = profiles[name]!.uscc;
      const enterpriseFacts = facts.get(uscc)!;
      expect({ name, outcome: explain(rule, enterpriseFacts).outcome }).toEqual({ name, outcome: expected[name] });
      expect({ name, outcome: compileRule(rule)(enterpriseFacts).outcome }).toEqual({ name, outcome: expected[name] });
      expect({ name, outcome: bySql[uscc] }).toEqual({ name, outcome: expected[name] });
    }
  });

  it('a scan keeps to the policy regions and returns the eligible enterprises only, sorted', async () => {
    const rule: Condition = { fact: 'ageMonths', op: 'gte', value: 0 };
    expect(await scanEligible(db, rule, { on })).toEqual([profiles.pudong!.uscc, profiles.xiantao!.uscc, profiles.wuhan!.uscc].sort());
    expect(await scanEligible(db, rule, { on, regions: ['420000'] })).toEqual([profiles.xiantao!.uscc, profiles.wuhan!.uscc].sort());
    expect(await scanEligible(db, rule, { on, regions: ['100000'] })).toHaveLength(3);
    expect(await scanEligible(db, rule, { on, regions: [] })).toEqual([]);
  });

  it('a rule names only built-in or declared facts, and is evaluated on a real date', () => {
    expect(() => outcomeSql({ fact: 'exportShare', op: 'exists', value: true }, { on })).toThrow(/neither built in nor declared/);
    expect(() => outcomeSql({ fact: 'toString', op: 'exists', value: true }, { on, declared: DECLARED_FACTS })).toThrow(/neither built in nor declared/);
    expect(() => outcomeSql({ fact: 'ageMonths', op: 'gte', value: 12 }, { on: '2024-02-30' })).toThrow(/YYYY-MM-DD/);
  });

  it('rule values are bound, never spliced into the SQL', () => {
    const nasty = "'); DROP TABLE enterprise_facts; --";
    const compiled = db
      .selectFrom('enterpriseFacts as f')
      .select(outcomeSql({ any: [{ fact: 'certifications', op: 'has', value: nasty }, { fact: 'entityType', op: 'in', value: [nasty] }] }, { on, declared: DECLARED_FACTS }).as('outcome'))
      .compile();
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.parameters).toContain(nasty);
  });
});
