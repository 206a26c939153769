import { isIsoDate } from '../../reference/dates.js';
import { getIndustry } from '../../reference/industries.js';
import { isKnownRegion, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { OPERATORS, type Condition, type Operator, type Scalar } from './evaluate.js';

/**
 * Checks an eligibility condition as it arrives in an interchange file, before anything is
 * imported: every problem is reported with its JSON path, so one file can be fixed in one pass.
 */
export type FactType = 'number' | 'date' | 'boolean' | 'region' | 'industry' | 'section' | 'list' | { oneOf: readonly string[] };

/** The facts every enterprise profile offers (issue 4's list), with the type of their values. */
export const BUILTIN_FACTS: Readonly<Record<string, FactType>> = {
  region: 'region',
  industry: 'industry',
  industrySection: 'section',
  entityType: { oneOf: ['enterprise', 'individualBusiness', 'publicInstitution', 'socialOrganization', 'farmerCooperative'] },
  sizeClass: { oneOf: ['large', 'medium', 'small', 'micro'] },
  establishedOn: 'date',
  ageMonths: 'number',
  employees: 'number',
  insuredEmployees: 'number',
  operatingRevenue: 'number',
  totalAssets: 'number',
  taxableIncome: 'number',
  taxpayerType: { oneOf: ['general', 'smallScale'] },
  taxCreditRating: { oneOf: ['A', 'B', 'M', 'C', 'D'] },
  qualifications: 'list',
  layoffRate: 'number',
  unemploymentInsurancePaid: 'number',
  untrustworthy: 'boolean',
};

/**
 * Where each built-in fact comes from. A policy granted without application (免申即享) may only
 * read facts from an authoritative source, never from the enterprise's own declaration.
 */
export const FACT_SOURCE_KINDS = ['declared', 'registry', 'tax', 'socialInsurance', 'credit'] as const;
export type FactSource = (typeof FACT_SOURCE_KINDS)[number];

export const FACT_SOURCES: Readonly<Record<string, FactSource>> = {
  region: 'registry',
  industry: 'registry',
  industrySection: 'registry',
  entityType: 'registry',
  establishedOn: 'registry',
  ageMonths: 'registry',
  operatingRevenue: 'tax',
  taxableIncome: 'tax',
  taxpayerType: 'tax',
  taxCreditRating: 'tax',
  insuredEmployees: 'socialInsurance',
  layoffRate: 'socialInsurance',
  unemploymentInsurancePaid: 'socialInsurance',
  untrustworthy: 'credit',
  employees: 'declared',
  totalAssets: 'declared',
  qualifications: 'declared',
  // Derived partly from declared figures (employees, total assets), so no better than they are.
  sizeClass: 'declared',
};

/** The facts a rule reads, each once, in rule order. */
export function factsUsed(condition: Condition): string[] {
  const seen = new Set<string>();
  const visit = (node: Condition): void => {
    if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
    else if ('not' in node) visit(node.not);
    else seen.add(node.fact);
  };
  visit(condition);
  return [...seen];
}

export interface RuleProblem {
  path: string;
  code:
    | 'shape'
    | 'emptyGroup'
    | 'unknownFact'
    | 'unknownOperator'
    | 'operatorNotForFact'
    | 'wrongValueType'
    | 'unknownRegion'
    | 'unknownIndustry'
    | 'badRange'
    | 'badLabel'
    | 'ruleTooDeep'
    | 'ruleTooLarge'
    | 'tooManyValues';
  detail?: { limit: number };
}

/**
 * Bounds on a rule's size. Real eligibility rules nest a few levels and name a few dozen
 * conditions; the bounds keep every evaluator (recursive closures, SQL expressions, whose depth
 * SQLite caps at 1,000) well inside what it can run.
 */
export const RULE_LIMITS = { depth: 12, conditions: 200, values: 300 } as const;

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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function validateCondition(input: unknown, path = '', facts: Readonly<Record<string, FactType>> = BUILTIN_FACTS): { condition?: Condition; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const size = { conditions: 0, reported: false };
  check(input, path, facts, problems, 1, size);
  return problems.length ? { problems } : { condition: input as Condition, problems };
}

function check(node: unknown, path: string, facts: Readonly<Record<string, FactType>>, problems: RuleProblem[], depth: number, size: { conditions: number; reported: boolean }): void {
  if (depth > RULE_LIMITS.depth) return void problems.push({ path, code: 'ruleTooDeep', detail: { limit: RULE_LIMITS.depth } });
  if (++size.conditions > RULE_LIMITS.conditions) {
    if (!size.reported) problems.push({ path, code: 'ruleTooLarge', detail: { limit: RULE_LIMITS.conditions } });
    size.reported = true;
    return;
  }
  if (!isObject(node)) return void problems.push({ path, code: 'shape' });
  const keys = Object.keys(node);
  for (const group of ['all', 'any'] as const) {
    if (group in node) {
      if (keys.length !== 1 || !Array.isArray(node[group])) return void problems.push({ path, code: 'shape' });
      const children = node[group] as unknown[];
      if (children.length === 0) return void problems.push({ path: `${path}/${group}`, code: 'emptyGroup' });
      for (const [index, child] of children.entries()) {
        check(child, `${path}/${group}/${index}`, facts, problems, depth + 1, size);
        if (size.reported) return;
      }
      return;
    }
  }
  if ('not' in node) {
    if (keys.length !== 1) return void problems.push({ path, code: 'shape' });
    return check(node.not, `${path}/not`, facts, problems, depth + 1, size);
  }
  if (keys.some((key) => !['fact', 'op', 'value', 'label'].includes(key)) || !('fact' in node) || !('op' in node)) return void problems.push({ path, code: 'shape' });
  // Own keys only: a fact named "constructor" or "toString" must not find Object.prototype.
  const type = typeof node.fact === 'string' && Object.hasOwn(facts, node.fact) ? facts[node.fact] : undefined;
  if (!type) return void problems.push({ path: `${path}/fact`, code: 'unknownFact' });
  if (typeof node.op !== 'string' || !(OPERATORS as readonly string[]).includes(node.op)) return void problems.push({ path: `${path}/op`, code: 'unknownOperator' });
  const op = node.op as Operator;
  const kind = typeof type === 'string' ? type : 'oneOf';
  if (!OPERATORS_FOR[kind]!.includes(op)) return void problems.push({ path: `${path}/op`, code: 'operatorNotForFact' });
  if (node.label !== undefined && !(isObject(node.label) && typeof node.label['zh-CN'] === 'string' && typeof node.label.en === 'string')) problems.push({ path: `${path}/label`, code: 'badLabel' });
  checkValue(node.value, op, type, `${path}/value`, problems);
}

function checkValue(value: unknown, op: Operator, type: FactType, path: string, problems: RuleProblem[]): void {
  if (op === 'exists') {
    if (typeof value !== 'boolean') problems.push({ path, code: 'wrongValueType' });
    return;
  }
  const many = op === 'in' || op === 'notIn' || op === 'between' || ((op === 'prefix' || op === 'within' || op === 'has') && Array.isArray(value));
  const values: unknown[] = many ? (Array.isArray(value) ? value : []) : [value];
  if (many && values.length === 0) return void problems.push({ path, code: 'wrongValueType' });
  if (values.length > RULE_LIMITS.values) return void problems.push({ path, code: 'tooManyValues', detail: { limit: RULE_LIMITS.values } });
  if (op === 'between') {
    if (values.length !== 2) return void problems.push({ path, code: 'badRange' });
    values.forEach((v, index) => checkScalar(v, type, `${path}/${index}`, problems));
    if (typeof values[0] === typeof values[1] && (values[0] as Scalar) > (values[1] as Scalar)) problems.push({ path, code: 'badRange' });
    return;
  }
  values.forEach((v, index) => checkScalar(v, type, many ? `${path}/${index}` : path, problems));
}

/**
 * Checks the value an enterprise (or a policy example) gives for a fact of the given type; a list
 * fact takes an array of non-empty strings.
 */
export function validateFactValue(value: unknown, type: FactType, path = ''): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (type === 'list') {
    if (!Array.isArray(value)) problems.push({ path, code: 'wrongValueType' });
    else value.forEach((item, index) => checkScalar(item, 'list', `${path}/${index}`, problems));
  } else {
    checkScalar(value, type, path, problems);
  }
  return problems;
}

function checkScalar(value: unknown, type: FactType, path: string, problems: RuleProblem[]): void {
  if (typeof type !== 'string') {
    if (typeof value !== 'string' || !type.oneOf.includes(value)) problems.push({ path, code: 'wrongValueType' });
    return;
  }
  switch (type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ path, code: 'wrongValueType' });
      return;
    case 'date':
      if (!isIsoDate(value)) problems.push({ path, code: 'wrongValueType' });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push({ path, code: 'wrongValueType' });
      return;
    case 'region':
      if (typeof value !== 'string') problems.push({ path, code: 'wrongValueType' });
      else if (value !== NATIONWIDE_REGION_CODE && !isKnownRegion(value)) problems.push({ path, code: 'unknownRegion' });
      return;
    case 'industry':
    case 'section':
      if (typeof value !== 'string') problems.push({ path, code: 'wrongValueType' });
      else if (!getIndustry(value) || (type === 'section' && getIndustry(value)?.level !== 'section')) problems.push({ path, code: 'unknownIndustry' });
      return;
    case 'list':
      if (typeof value !== 'string' || value.length === 0) problems.push({ path, code: 'wrongValueType' });
      return;
  }
}
