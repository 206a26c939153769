import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateLeaf, explain, OPERATORS, type Condition, type Facts, type Leaf } from './evaluate.js';

// 上海浦江云数科技: software, Pudong, 46 staff, A-rated, high-tech.
const pujiang: Facts = {
  region: '310115',
  industry: '6513',
  industrySection: 'I',
  entityType: 'enterprise',
  sizeClass: 'small',
  establishedOn: '2019-06-18',
  employees: 46,
  operatingRevenue: 18_600_000,
  taxCreditRating: 'A',
  qualifications: ['高新技术企业', '专精特新中小企业'],
  untrustworthy: false,
};

const rentRelief: Condition = {
  all: [
    { fact: 'region', op: 'within', value: '310000' },
    { fact: 'sizeClass', op: 'in', value: ['small', 'micro'] },
    { fact: 'untrustworthy', op: 'eq', value: false },
  ],
};

describe('eligibility rules, read as a policy officer would', () => {
  it('a small enterprise in Pudong is eligible for Shanghai rent relief, every condition passing', () => {
    const result = explain(rentRelief, pujiang);
    expect(result.outcome).toBe('eligible');
    expect(result.conditions.map((c) => c.result)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a missing size class is a question to ask, not a refusal', () => {
    const { sizeClass: _omitted, ...unknownSize } = pujiang;
    const result = explain(rentRelief, unknownSize);
    expect(result).toMatchObject({ outcome: 'undetermined', missingFacts: ['sizeClass'] });
  });

  it('an enterprise in Hangzhou fails one condition only: ineligible, a near miss, the failure listed first', () => {
    const result = explain(rentRelief, { ...pujiang, region: '330106' });
    expect(result.outcome).toBe('ineligible');
    expect(result.nearMiss).toBe(true);
    expect(result.conditions[0]).toMatchObject({ fact: 'region', result: 'fail', expected: '310000', actual: '330106' });
  });

  it('a known failure decides, whatever is missing', () => {
    const { sizeClass: _omitted, ...unknownSize } = pujiang;
    expect(explain(rentRelief, { ...unknownSize, untrustworthy: true })).toMatchObject({ outcome: 'ineligible', missingFacts: ['sizeClass'] });
  });

  it.each<[string, Leaf, boolean]>([
    ['industry prefix by division', { fact: 'industry', op: 'prefix', value: '65' }, true],
    ['industry prefix, any of a list', { fact: 'industry', op: 'prefix', value: ['62', '65'] }, true],
    ['industry prefix by section letter', { fact: 'industry', op: 'prefix', value: 'I' }, true],
    ['industry prefix elsewhere', { fact: 'industry', op: 'prefix', value: '62' }, false],
    ['the whole country covers every region', { fact: 'region', op: 'within', value: '100000' }, true],
    ['a region covers itself', { fact: 'region', op: 'within', value: '310115' }, true],
    ['between is inclusive', { fact: 'employees', op: 'between', value: [10, 46] }, true],
    ['dates compare as dates', { fact: 'establishedOn', op: 'lt', value: '2020-01-01' }, true],
    ['has a qualification', { fact: 'qualifications', op: 'has', value: '高新技术企业' }, true],
    ['has not', { fact: 'qualifications', op: 'has', value: '科技型中小企业' }, false],
    ['exists', { fact: 'taxableIncome', op: 'exists', value: false }, true],
    ['numbers never equal strings', { fact: 'employees', op: 'eq', value: '46' }, false],
    ['notIn', { fact: 'taxCreditRating', op: 'notIn', value: ['C', 'D'] }, true],
  ])('%s', (_name, leaf, expected) => {
    expect(evaluateLeaf(leaf, pujiang[leaf.fact])).toBe(expected ? 'pass' : 'fail');
  });
});

describe('properties of three-valued evaluation', () => {
  const factNames = ['employees', 'region', 'sizeClass', 'operatingRevenue'] as const;
  const profile = fc.record(
    { employees: fc.integer({ min: 0, max: 500 }), region: fc.constantFrom('310115', '310104', '330106', '440305'), sizeClass: fc.constantFrom('large', 'medium', 'small', 'micro'), operatingRevenue: fc.integer({ min: 0, max: 1e9 }) },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Facts>;
  const leaf: fc.Arbitrary<Leaf> = fc.oneof(
    fc.record({ fact: fc.constant('employees'), op: fc.constantFrom('lt', 'lte', 'gt', 'gte', 'eq', 'ne'), value: fc.integer({ min: 0, max: 500 }) }),
    fc.record({ fact: fc.constant('operatingRevenue'), op: fc.constantFrom('lt', 'gte'), value: fc.integer({ min: 0, max: 1e9 }) }),
    fc.record({ fact: fc.constant('region'), op: fc.constant('within'), value: fc.constantFrom('310000', '330000', '310115', '100000') }),
    fc.record({ fact: fc.constant('sizeClass'), op: fc.constantFrom('in', 'notIn'), value: fc.subarray(['large', 'medium', 'small', 'micro'], { minLength: 1 }) }),
  ) as fc.Arbitrary<Leaf>;
  const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }) }),
      fc.record({ not: tie('condition') }),
    ),
  }));

  it('not(not(c)) is c, and De Morgan holds', () => {
    fc.assert(
      fc.property(condition, condition, profile, (a, b, facts) => {
        expect(evaluate({ not: { not: a } }, facts).result).toBe(evaluate(a, facts).result);
        expect(evaluate({ not: { all: [a, b] } }, facts).result).toBe(evaluate({ any: [{ not: a }, { not: b }] }, facts).result);
        expect(evaluate({ not: { any: [a, b] } }, facts).result).toBe(evaluate({ all: [{ not: a }, { not: b }] }, facts).result);
      }),
      { numRuns: 300 },
    );
  });

  it('supplying a missing fact never overturns a decided outcome (missing data is never read as zero)', () => {
    fc.assert(
      fc.property(condition, profile, profile, (rule, partial, more) => {
        const before = evaluate(rule, partial).result;
        const after = evaluate(rule, { ...more, ...partial }).result;
        if (before !== 'unknown') expect(after).toBe(before);
      }),
      { numRuns: 500 },
    );
  });

  it('an outcome is undetermined exactly when it names missing facts that decide it', () => {
    fc.assert(
      fc.property(condition, profile, (rule, facts) => {
        const result = explain(rule, facts);
        for (const fact of result.missingFacts) expect(factNames).toContain(fact);
        if (result.outcome === 'undetermined') expect(result.missingFacts.length).toBeGreaterThan(0);
        if (result.missingFacts.length === 0) expect(result.outcome).not.toBe('undetermined');
      }),
      { numRuns: 300 },
    );
  });

  it('knows every operator of the interchange format', () => {
    expect([...OPERATORS].sort()).toEqual(['between', 'eq', 'exists', 'gt', 'gte', 'has', 'in', 'lt', 'lte', 'ne', 'notIn', 'prefix', 'within'].sort());
  });
});
