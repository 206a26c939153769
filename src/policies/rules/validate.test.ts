import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_FACTS, FACT_SOURCES, factsUsed, validateCondition, validateFactValue } from './validate.js';

const problemsOf = (input: unknown) => validateCondition(input, '/policies/0/eligibility').problems.map((p) => `${p.path} ${p.code}`);

describe('checking a rule before it is imported', () => {
  it('accepts a well-formed rule over the built-in facts', () => {
    const rule = {
      all: [
        { fact: 'region', op: 'within', value: ['310000', '330000'] },
        { fact: 'industry', op: 'prefix', value: '62', label: { 'zh-CN': '餐饮业', en: 'Catering' } },
        { fact: 'employees', op: 'between', value: [1, 300] },
        { fact: 'establishedOn', op: 'lt', value: '2025-01-01' },
        { any: [{ fact: 'qualifications', op: 'has', value: '高新技术企业' }, { not: { fact: 'untrustworthy', op: 'eq', value: true } }] },
        { fact: 'taxableIncome', op: 'exists', value: true },
      ],
    };
    expect(validateCondition(rule).problems).toEqual([]);
  });

  it('names every problem with its JSON path, all at once', () => {
    expect(
      problemsOf({
        all: [
          { fact: 'profitMargin', op: 'gt', value: 1 },
          { fact: 'employees', op: 'approximately', value: 10 },
          { fact: 'employees', op: 'gt', value: '10' },
          { fact: 'region', op: 'within', value: '999999' },
          { fact: 'industry', op: 'prefix', value: '9999' },
          { fact: 'employees', op: 'between', value: [300, 1] },
          { fact: 'sizeClass', op: 'in', value: ['tiny'] },
          { fact: 'establishedOn', op: 'gte', value: '2023-02-30' },
          { fact: 'qualifications', op: 'gt', value: 3 },
          { any: [] },
          { fact: 'region', op: 'eq', value: '310115', extra: true },
        ],
      }),
    ).toEqual([
      '/policies/0/eligibility/all/0/fact unknownFact',
      '/policies/0/eligibility/all/1/op unknownOperator',
      '/policies/0/eligibility/all/2/value wrongValueType',
      '/policies/0/eligibility/all/3/value unknownRegion',
      '/policies/0/eligibility/all/4/value unknownIndustry',
      '/policies/0/eligibility/all/5/value badRange',
      '/policies/0/eligibility/all/6/value/0 wrongValueType',
      '/policies/0/eligibility/all/7/value wrongValueType',
      '/policies/0/eligibility/all/8/op operatorNotForFact',
      '/policies/0/eligibility/all/9/any emptyGroup',
      '/policies/0/eligibility/all/10 shape',
    ]);
  });

  it('accepts facts a file declares, with their types', () => {
    expect(validateCondition({ fact: 'exportShare', op: 'gte', value: 30 }, '', { exportShare: 'number' }).problems).toEqual([]);
  });

  it('never throws on arbitrary JSON, and every problem path starts where the rule does (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = validateCondition(value, '/eligibility');
        for (const problem of result.problems) expect(problem.path.startsWith('/eligibility')).toBe(true);
        expect(result.condition === undefined).toBe(result.problems.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('does not take names of Object.prototype for facts', () => {
    for (const fact of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(problemsOf({ fact, op: 'eq', value: 'x' })).toEqual(['/policies/0/eligibility/fact unknownFact']);
    }
  });
});

describe('facts: where they come from and where they are used', () => {
  it('every built-in fact has exactly one authoritative source or is self-declared', () => {
    expect(Object.keys(FACT_SOURCES).sort()).toEqual(Object.keys(BUILTIN_FACTS).sort());
    expect(FACT_SOURCES).toMatchObject({ region: 'registry', taxableIncome: 'tax', layoffRate: 'socialInsurance', untrustworthy: 'credit', employees: 'declared', sizeClass: 'declared' });
  });

  it('lists the facts a rule reads, once each, in rule order', () => {
    const rule = {
      all: [
        { fact: 'region', op: 'within', value: '310000' },
        { any: [{ fact: 'employees', op: 'lt', value: 300 }, { not: { fact: 'region', op: 'eq', value: '310115' } }] },
        { fact: 'qualifications', op: 'has', value: '高新技术企业' },
      ],
    } as const;
    expect(factsUsed(rule as never)).toEqual(['region', 'employees', 'qualifications']);
  });

  it('checks a value given for a fact against its type', () => {
    expect(validateFactValue(['高新技术企业'], 'list', '/q')).toEqual([]);
    expect(validateFactValue('高新技术企业', 'list', '/q')).toEqual([{ path: '/q', code: 'wrongValueType' }]);
    expect(validateFactValue(['ok', ''], 'list', '/q')).toEqual([{ path: '/q/1', code: 'wrongValueType' }]);
    expect(validateFactValue('330106', 'region', '/r')).toEqual([]);
    expect(validateFactValue('339999', 'region', '/r')).toEqual([{ path: '/r', code: 'unknownRegion' }]);
    expect(validateFactValue('small', { oneOf: ['small', 'micro'] }, '/s')).toEqual([]);
    expect(validateFactValue(46, 'number', '/e')).toEqual([]);
    expect(validateFactValue('46', 'number', '/e')).toEqual([{ path: '/e', code: 'wrongValueType' }]);
  });
});
