import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProfile, factsOn } from '../profiles/profile.js';
import { ON_DATES, profileArbitrary, ruleArbitrary, uncheckedRuleArbitrary, wildFactsArbitrary } from './arbitraries.js';
import { compileOutcome, compileRule } from './compile.js';
import { evaluate, explain, type Condition, type Facts } from './evaluate.js';

const pujiang: Facts = {
  region: '310115',
  industry: '6513',
  industrySection: 'I',
  entityType: 'enterprise',
  establishedOn: '2019-06-18',
  employees: 46,
  qualifications: [],
  untrustworthy: false,
};

const both = (condition: Condition, facts: Facts) => {
  const compiled = compileRule(condition)(facts);
  expect(compiled).toEqual(explain(condition, facts));
  expect(compileOutcome(condition)(facts)).toBe(evaluate(condition, facts).result);
  return compiled;
};

describe('compiled rules agree with the reference interpreter', () => {
  it('on valid rules and facts of any shape: the same outcome, leaves, order, missing facts and near miss', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ON_DATES).chain(ruleArbitrary), fc.array(wildFactsArbitrary(), { minLength: 1, maxLength: 8 }), (rule, factsList) => {
        const compiled = compileRule(rule);
        const outcome = compileOutcome(rule);
        for (const facts of factsList) {
          expect(compiled(facts)).toEqual(explain(rule, facts));
          expect(outcome(facts)).toBe(evaluate(rule, facts).result);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('on valid rules and profiles as the store keeps them', () => {
    const scenario = fc.constantFrom(...ON_DATES).chain((on) =>
      fc.tuple(fc.constant(on), fc.array(ruleArbitrary(on), { minLength: 1, maxLength: 10 }), fc.tuple(...Array.from({ length: 10 }, (_, i) => profileArbitrary(on, i)))),
    );
    fc.assert(
      fc.property(scenario, ([on, rules, profiles]) => {
        const factsList = profiles.map((profile) => factsOn(checkProfile(profile).facts, on));
        for (const rule of rules) {
          const compiled = compileRule(rule);
          const outcome = compileOutcome(rule);
          for (const facts of factsList) {
            expect(compiled(facts)).toEqual(explain(rule, facts));
            expect(outcome(facts)).toBe(evaluate(rule, facts).result);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on rules that import would refuse (wrong value types, lists where scalars belong)', () => {
    fc.assert(
      fc.property(uncheckedRuleArbitrary(), wildFactsArbitrary(), (rule, facts) => {
        expect(compileRule(rule)(facts)).toEqual(explain(rule, facts));
        expect(compileOutcome(rule)(facts)).toBe(evaluate(rule, facts).result);
      }),
      { numRuns: 1000 },
    );
  });

  it('a compiled rule gives fresh results: one call does not change another\'s', () => {
    const rule: Condition = { all: [{ fact: 'employees', op: 'lt', value: 10 }, { fact: 'sizeClass', op: 'eq', value: 'small' }] };
    const compiled = compileRule(rule);
    const first = compiled({ employees: 46 });
    const second = compiled({ employees: 5 });
    expect(first).toMatchObject({ outcome: 'ineligible', missingFacts: ['sizeClass'] });
    expect(second).toMatchObject({ outcome: 'undetermined', missingFacts: ['sizeClass'] });
    expect(first.conditions[0]).toMatchObject({ actual: 46, result: 'fail' });
  });
});

describe('tricky cases', () => {
  it('a region grouping (Shanghai 市辖区 310100, Hubei 省直辖县级行政区划 429000) contains its counties', () => {
    expect(both({ fact: 'region', op: 'within', value: '310100' }, pujiang).outcome).toBe('eligible');
    expect(both({ fact: 'region', op: 'within', value: '429000' }, { region: '429004' }).outcome).toBe('eligible');
    expect(both({ fact: 'region', op: 'within', value: '420000' }, { region: '429004' }).outcome).toBe('eligible');
    expect(both({ fact: 'region', op: 'within', value: '429000' }, { region: '420100' }).outcome).toBe('ineligible');
    expect(both({ fact: 'region', op: 'within', value: ['330000', '100000'] }, { region: 'not a code' }).outcome).toBe('eligible');
    expect(both({ fact: 'region', op: 'within', value: '310000' }, { region: '3101' }).outcome).toBe('ineligible');
  });

  it('an industry section letter covers every class of its divisions, a division its classes', () => {
    expect(both({ fact: 'industry', op: 'prefix', value: 'I' }, pujiang).outcome).toBe('eligible');
    expect(both({ fact: 'industry', op: 'prefix', value: ['H', '65'] }, pujiang).outcome).toBe('eligible');
    expect(both({ fact: 'industry', op: 'prefix', value: 'H' }, pujiang).outcome).toBe('ineligible');
    expect(both({ fact: 'industry', op: 'prefix', value: '651' }, pujiang).outcome).toBe('eligible');
  });

  it('has on an empty list fails, on a missing list asks', () => {
    expect(both({ fact: 'qualifications', op: 'has', value: '高新技术企业' }, pujiang)).toMatchObject({ outcome: 'ineligible', nearMiss: true });
    const { qualifications: _omitted, ...unknown } = pujiang;
    expect(both({ fact: 'qualifications', op: 'has', value: '高新技术企业' }, unknown)).toMatchObject({ outcome: 'undetermined', missingFacts: ['qualifications'] });
  });

  it('exists false passes on a missing fact and is never unknown', () => {
    expect(both({ fact: 'taxCreditRating', op: 'exists', value: false }, pujiang).outcome).toBe('eligible');
    expect(both({ fact: 'employees', op: 'exists', value: false }, pujiang).outcome).toBe('ineligible');
    expect(both({ not: { fact: 'taxCreditRating', op: 'exists', value: true } }, pujiang).outcome).toBe('eligible');
  });

  it('failing conditions come first, each fact missing is asked once', () => {
    const rule: Condition = {
      all: [
        { fact: 'sizeClass', op: 'in', value: ['small', 'micro'] },
        { fact: 'region', op: 'within', value: '330000' },
        { any: [{ fact: 'sizeClass', op: 'eq', value: 'micro' }, { fact: 'employees', op: 'gt', value: 100 }] },
      ],
    };
    const result = both(rule, pujiang);
    expect(result.outcome).toBe('ineligible');
    expect(result.conditions.map((c) => c.fact)).toEqual(['region', 'employees', 'sizeClass', 'sizeClass']);
    expect(result.missingFacts).toEqual(['sizeClass']);
    expect(result.nearMiss).toBe(false);
  });

  it('labels are carried over, absent ones as null', () => {
    const label = { 'zh-CN': '小微企业', en: 'Small or micro' };
    const result = both({ any: [{ fact: 'sizeClass', op: 'in', value: ['small', 'micro'], label }, { fact: 'employees', op: 'lt', value: 50 }] }, pujiang);
    expect(result.conditions.map((c) => c.label)).toEqual([label, null]);
  });
});
