/**
 * fast-check arbitraries for the differential tests of the rule evaluators (test-only: fast-check
 * is a development dependency). Values are drawn from small pools shared by rules and profiles so
 * that comparisons land on, just beside and far from each other, including month ends for
 * `ageMonths`, groupings among regions and every level of the industry hierarchy.
 */
import fc from 'fast-check';
import { daysInMonth } from '../../reference/dates.js';
import { allIndustries } from '../../reference/industries.js';
import { children, getRegion, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import type { ProfileInput } from '../profiles/profile.js';
import { OPERATORS, type Condition, type FactValue, type Facts, type Leaf, type LocalizedLabel, type Operator, type Scalar } from './evaluate.js';
import { BUILTIN_FACTS, validateCondition, type FactType } from './validate.js';

/** Facts a policy file might declare, one of each declarable type. */
export const DECLARED_FACTS: Readonly<Record<string, FactType>> = {
  exportShare: 'number',
  hasOverseasBranch: 'boolean',
  lastInspectionOn: 'date',
  certifications: 'list',
  zoneType: { oneOf: ['free', 'bonded', 'none'] },
};

export const ALL_FACTS: Readonly<Record<string, FactType>> = { ...BUILTIN_FACTS, ...DECLARED_FACTS };

const OPERATORS_FOR: Record<string, Operator[]> = {
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'notIn', 'exists'],
  date: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'exists'],
  boolean: ['eq', 'ne', 'exists'],
  region: ['eq', 'ne', 'in', 'notIn', 'within', 'exists'],
  industry: ['eq', 'ne', 'in', 'notIn', 'prefix', 'exists'],
  section: ['eq', 'ne', 'in', 'notIn', 'exists'],
  list: ['has', 'exists'],
  oneOf: ['eq', 'ne', 'in', 'notIn', 'exists'],
};

// Regions: provinces with municipal groupings (Beijing, Shanghai, Chongqing) and with counties the
// province governs directly (Hubei, Hainan, Xinjiang), a few ordinary ones, and the nation.
const PROVINCES = ['110000', '310000', '500000', '420000', '460000', '650000', '330000', '440000'];

function regionPool(): { rules: string[]; profiles: string[] } {
  const profiles = new Set<string>([NATIONWIDE_REGION_CODE]);
  const rules = new Set<string>([NATIONWIDE_REGION_CODE]);
  for (const province of PROVINCES) {
    rules.add(province);
    profiles.add(province);
    const groupings = ['0100', '0200', '9000'].map((suffix) => province.slice(0, 2) + suffix).filter((code) => getRegion(code)?.administrative === false);
    const below = children(province).slice(0, 4);
    for (const code of [...groupings, ...below.map((r) => r.code)]) {
      rules.add(code);
      profiles.add(code);
      for (const county of children(code).slice(0, 3)) {
        profiles.add(county.code);
        if (county.code.endsWith('1') || county.code.endsWith('5')) rules.add(county.code);
      }
    }
  }
  return { rules: [...rules], profiles: [...profiles] };
}

const REGIONS = regionPool();

const DIVISIONS = ['13', '47', '51', '52', '61', '62', '65', '72', '84'];
const CLASSES = allIndustries('class').filter((i) => DIVISIONS.includes(i.code.slice(0, 2))).map((i) => i.code);
const SECTIONS = allIndustries('section').map((i) => i.code);
// The sections of the classes above (C, E, F, H, I, L, Q) and two others.
const RULE_SECTIONS = [...new Set(allIndustries('class').filter((i) => DIVISIONS.includes(i.code.slice(0, 2))).map((i) => i.section)), 'A', 'P'];
const GROUPS = allIndustries('group').filter((i) => DIVISIONS.includes(i.code.slice(0, 2))).map((i) => i.code);
const INDUSTRY_CODES = [...RULE_SECTIONS, ...DIVISIONS, ...GROUPS.slice(0, 20), ...CLASSES.filter((_, index) => index % 4 === 0)];

const COUNTS = [0, 1, 5, 9, 10, 20, 99, 100, 300, 1000];
const AMOUNTS = [-1000, 0, 100_000, 999_999.99, 1_000_000, 3_000_000, 50_000_000, 150_000_000];
const PERCENTS = [0, 3, 3.5, 5.5, 20];
const MONTHS = [0, 1, 3, 6, 11, 12, 12.5, 13, 23, 24, 36, 120, -1];
const NUMBER_POOL: Readonly<Record<string, number[]>> = {
  employees: COUNTS,
  insuredEmployees: COUNTS,
  operatingRevenue: AMOUNTS,
  totalAssets: AMOUNTS,
  taxableIncome: AMOUNTS,
  layoffRate: PERCENTS,
  unemploymentInsurancePaid: AMOUNTS,
  ageMonths: MONTHS,
  exportShare: PERCENTS,
};

/** Dates the rules are evaluated on: month ends (28, 29, 30, 31) and ordinary days. */
export const ON_DATES = ['2024-02-29', '2024-03-31', '2024-04-30', '2025-01-31', '2025-02-28', '2023-12-31', '2024-06-15', '2025-03-01'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date `monthsBack` months before `on` (negative: after), on `day` (clamped to the month's end). */
function shiftedDate(on: string, monthsBack: number, day: number): string {
  const [year, month] = on.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - monthsBack;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(Math.min(day, daysInMonth(y, m)))}`;
}

function dateArbitrary(on: string): fc.Arbitrary<string> {
  const onDay = Number(on.slice(8));
  return fc
    .tuple(fc.integer({ min: -3, max: 40 }), fc.constantFrom(1, 15, 28, 29, 30, 31, onDay, onDay - 1, onDay + 1))
    .map(([back, day]) => shiftedDate(on, back, Math.max(1, day)));
}

const labelArbitrary: fc.Arbitrary<LocalizedLabel> = fc.record({ 'zh-CN': fc.constantFrom('条件', '规模'), en: fc.constantFrom('Condition', 'Size') });

function scalarFor(fact: string, type: FactType, on: string): fc.Arbitrary<Scalar> {
  if (typeof type !== 'string') return fc.constantFrom(...type.oneOf);
  switch (type) {
    case 'number':
      return fc.oneof(fc.constantFrom(...(NUMBER_POOL[fact] ?? COUNTS)), fc.integer({ min: -5, max: 400 }));
    case 'date':
      return dateArbitrary(on);
    case 'boolean':
      return fc.boolean();
    case 'region':
      return fc.constantFrom(...REGIONS.rules);
    case 'industry':
      // Each level of the hierarchy equally often: section, division, group, class.
      return fc.oneof(fc.constantFrom(...RULE_SECTIONS), fc.constantFrom(...DIVISIONS), fc.constantFrom(...GROUPS), fc.constantFrom(...CLASSES));
    case 'section':
      return fc.constantFrom(...SECTIONS);
    case 'list':
      return fc.constantFrom('高新技术企业', '专精特新中小企业', '科技型中小企业', 'ISO9001');
  }
}

function leafArbitrary(on: string): fc.Arbitrary<Leaf> {
  // Operator first, then a fact that takes it: otherwise the many numeric facts crowd out `prefix`,
  // `within` and `has`, whose SQL differs most from the interpreter's code.
  const kindOf = (type: FactType) => (typeof type === 'string' ? type : 'oneOf');
  const factsFor = (op: Operator) => Object.keys(ALL_FACTS).filter((fact) => OPERATORS_FOR[kindOf(ALL_FACTS[fact]!)]!.includes(op));
  return fc
    .constantFrom(...OPERATORS)
    .chain((op) => fc.tuple(fc.constantFrom(...factsFor(op)), fc.constant(op)))
    .map(([fact, op]) => [fact, op, ALL_FACTS[fact]!] as const)
    .chain(([fact, op, type]) => {
      const scalar = scalarFor(fact, type, on);
      let value: fc.Arbitrary<Scalar | Scalar[]>;
      if (op === 'exists') value = fc.boolean();
      else if (op === 'in' || op === 'notIn') value = fc.array(scalar, { minLength: 1, maxLength: 4 });
      else if (op === 'between') value = fc.tuple(scalar, scalar).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
      else if (op === 'prefix' || op === 'within' || op === 'has') value = fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }));
      else value = scalar;
      return fc.record({ fact: fc.constant(fact), op: fc.constant(op), value, label: fc.option(labelArbitrary, { nil: undefined }) }, { requiredKeys: ['fact', 'op', 'value'] });
    }) as fc.Arbitrary<Leaf>;
}

/** Valid rules (validateCondition against built-in and declared facts) of up to four levels. */
export function ruleArbitrary(on: string): fc.Arbitrary<Condition> {
  const { rule } = fc.letrec<{ rule: Condition }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArbitrary(on),
      fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 4 }) }),
      fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 4 }) }),
      fc.record({ not: tie('rule') }),
    ),
  }));
  return rule.filter((condition) => validateCondition(condition, '', ALL_FACTS).problems.length === 0);
}

/** Any leaf at all, valid or not (wrong types, lists where scalars belong): for the in-memory comparison. */
export function uncheckedRuleArbitrary(): fc.Arbitrary<Condition> {
  const value = fc.oneof(wildScalar(), fc.array(wildScalar(), { maxLength: 3 }));
  const leaf = fc.record({ fact: fc.constantFrom(...Object.keys(ALL_FACTS)), op: fc.constantFrom(...OPERATORS), value }) as fc.Arbitrary<Leaf>;
  const { rule } = fc.letrec<{ rule: Condition }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('rule') }),
    ),
  }));
  return rule;
}

function wildScalar(): fc.Arbitrary<Scalar> {
  return fc.oneof(
    fc.constantFrom(...REGIONS.rules, ...INDUSTRY_CODES, 'small', 'A', '2024-02-29', '高新技术企业', '', '62x', '3101'),
    fc.constantFrom(0, -0, 1, 12, 12.5, Number.NaN, 1e300),
    fc.boolean(),
  );
}

/** Facts of any shape (unknown codes, lists for scalars, NaN): the compiled evaluator must still agree. */
export function wildFactsArbitrary(): fc.Arbitrary<Facts> {
  const value: fc.Arbitrary<FactValue> = fc.oneof(wildScalar(), fc.array(fc.constantFrom('高新技术企业', 'ISO9001', '62', ''), { maxLength: 3 }));
  return fc.dictionary(fc.constantFrom(...Object.keys(ALL_FACTS)), value, { maxKeys: 12 });
}

function declaredValue(type: FactType, on: string): fc.Arbitrary<FactValue> {
  const fitting: fc.Arbitrary<FactValue> =
    type === 'list' ? fc.uniqueArray(scalarFor('certifications', 'list', on) as fc.Arbitrary<string>, { maxLength: 3 }) : scalarFor('exportShare', type, on);
  // Now and then a value of another kind than declared: the evaluators must treat it alike.
  const other: fc.Arbitrary<FactValue> = fc.oneof(fc.constantFrom(3.5, 0), fc.constantFrom('free', '2024-01-31', '3.5'), fc.boolean(), fc.constant<FactValue>(['ISO9001']));
  return fc.oneof({ arbitrary: fitting, weight: 5 }, { arbitrary: other, weight: 1 });
}

/** Profiles the store accepts, each fact missing now and then; `index` makes the USCC unique. */
export function profileArbitrary(on: string, index: number): fc.Arbitrary<ProfileInput> {
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 4 });
  const number = (fact: string) => optional(fc.oneof(fc.constantFrom(...NUMBER_POOL[fact]!), fc.integer({ min: 0, max: 500 })));
  const choice = (fact: string) => optional(fc.constantFrom(...(BUILTIN_FACTS[fact] as { oneOf: readonly string[] }).oneOf));
  const industry = optional(fc.constantFrom(...CLASSES));
  return fc
    .record({
      region: fc.constantFrom(...REGIONS.profiles),
      industry,
      // Only when the class is unknown: given with a class it must be the class's section.
      section: optional(fc.constantFrom(...SECTIONS)),
      entityType: choice('entityType'),
      // Mostly derived from the statistical standard, sometimes given.
      sizeClass: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom('large', 'medium', 'small', 'micro'), weight: 1 }),
      establishedOn: optional(dateArbitrary(on)),
      employees: number('employees'),
      insuredEmployees: number('insuredEmployees'),
      operatingRevenue: number('operatingRevenue'),
      totalAssets: number('totalAssets'),
      taxableIncome: number('taxableIncome'),
      taxpayerType: choice('taxpayerType'),
      taxCreditRating: choice('taxCreditRating'),
      qualifications: optional(fc.uniqueArray(scalarFor('qualifications', 'list', on) as fc.Arbitrary<string>, { maxLength: 3 })),
      layoffRate: number('layoffRate'),
      unemploymentInsurancePaid: number('unemploymentInsurancePaid'),
      untrustworthy: optional(fc.boolean()),
      declared: fc.record(Object.fromEntries(Object.entries(DECLARED_FACTS).map(([name, type]) => [name, declaredValue(type, on)])), { requiredKeys: [] }),
    })
    .map(({ section, sizeClass, declared, industry, ...facts }) => ({
      uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(index) }),
      name: `企业${index}`,
      facts: {
        ...facts,
        industry,
        industrySection: industry ? undefined : section,
        sizeClass: sizeClass as ProfileInput['facts']['sizeClass'],
      } as ProfileInput['facts'],
      declared: declared as Record<string, FactValue>,
    }));
}
