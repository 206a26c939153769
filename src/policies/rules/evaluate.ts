import { isIndustryWithin } from '../../reference/industries.js';
import { isWithin, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';

/**
 * The reference interpreter of eligibility rules (docs/policy-format.md, to come with the policy
 * library). It is written for clarity, not speed: faster evaluators (compiled closures, SQL) are
 * to be checked against it. Logic is three-valued: a condition on a fact the enterprise has not
 * given is `unknown`, never false and never zero, so a missing revenue cannot make a small
 * enterprise ineligible; it becomes a question to ask.
 */
export const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'between', 'prefix', 'within', 'has', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number | boolean;
export type FactValue = Scalar | string[];
export type Facts = Readonly<Record<string, FactValue | undefined>>;

export interface LocalizedLabel {
  'zh-CN': string;
  en: string;
}

export interface Leaf {
  fact: string;
  op: Operator;
  value: Scalar | Scalar[];
  label?: LocalizedLabel;
}

export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Leaf;

export type Truth = 'pass' | 'fail' | 'unknown';

export interface LeafResult {
  fact: string;
  op: Operator;
  expected: Scalar | Scalar[];
  actual: FactValue | null;
  result: Truth;
  label: LocalizedLabel | null;
}

export interface Evaluation {
  result: Truth;
  /** Every leaf in rule order, with what it expected, what it found and its verdict. */
  leaves: LeafResult[];
}

export function isLeaf(condition: Condition): condition is Leaf {
  return 'fact' in condition;
}

/** Kleene's strong three-valued logic: a known failure decides `all`, a known pass decides `any`. */
export function evaluate(condition: Condition, facts: Facts): Evaluation {
  const leaves: LeafResult[] = [];
  const result = walk(condition, facts, leaves);
  return { result, leaves };
}

function walk(condition: Condition, facts: Facts, leaves: LeafResult[]): Truth {
  if ('all' in condition) {
    const results = condition.all.map((c) => walk(c, facts, leaves));
    if (results.includes('fail')) return 'fail';
    return results.includes('unknown') ? 'unknown' : 'pass';
  }
  if ('any' in condition) {
    const results = condition.any.map((c) => walk(c, facts, leaves));
    if (results.includes('pass')) return 'pass';
    return results.includes('unknown') ? 'unknown' : 'fail';
  }
  if ('not' in condition) {
    const inner = walk(condition.not, facts, leaves);
    return inner === 'pass' ? 'fail' : inner === 'fail' ? 'pass' : 'unknown';
  }
  const actual = facts[condition.fact];
  const result = evaluateLeaf(condition, actual);
  leaves.push({ fact: condition.fact, op: condition.op, expected: condition.value, actual: actual ?? null, result, label: condition.label ?? null });
  return result;
}

const truth = (value: boolean): Truth => (value ? 'pass' : 'fail');
const asList = (value: Scalar | Scalar[]): Scalar[] => (Array.isArray(value) ? value : [value]);

/** Numbers compare as numbers, dates (ISO strings) as strings; anything else cannot be ordered. */
function ordered(actual: FactValue, expected: Scalar): [number | string, number | string] | null {
  if (typeof actual === 'number' && typeof expected === 'number') return [actual, expected];
  if (typeof actual === 'string' && typeof expected === 'string') return [actual, expected];
  return null;
}

export function evaluateLeaf(leaf: Leaf, actual: FactValue | undefined): Truth {
  if (leaf.op === 'exists') return truth((actual !== undefined) === (leaf.value === true));
  if (actual === undefined) return 'unknown';
  switch (leaf.op) {
    case 'eq':
      return truth(!Array.isArray(actual) && actual === leaf.value);
    case 'ne':
      return truth(Array.isArray(actual) || actual !== leaf.value);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (Array.isArray(actual) || Array.isArray(leaf.value)) return 'fail';
      const pair = ordered(actual, leaf.value);
      if (!pair) return 'fail';
      const [a, e] = pair;
      return truth(leaf.op === 'lt' ? a < e : leaf.op === 'lte' ? a <= e : leaf.op === 'gt' ? a > e : a >= e);
    }
    case 'in':
      return truth(!Array.isArray(actual) && asList(leaf.value).includes(actual));
    case 'notIn':
      return truth(Array.isArray(actual) || !asList(leaf.value).includes(actual));
    case 'between': {
      const [low, high] = asList(leaf.value);
      if (Array.isArray(actual) || low === undefined || high === undefined) return 'fail';
      const lower = ordered(actual, low);
      const upper = ordered(actual, high);
      return truth(Boolean(lower && upper && lower[0] >= lower[1] && upper[0] <= upper[1]));
    }
    case 'prefix':
      return truth(typeof actual === 'string' && asList(leaf.value).some((code) => typeof code === 'string' && (actual.startsWith(code) || isIndustryWithin(actual, code))));
    case 'within':
      return truth(
        typeof actual === 'string' &&
          asList(leaf.value).some((code) => typeof code === 'string' && (code === NATIONWIDE_REGION_CODE || code === actual || isWithin(actual, code))),
      );
    case 'has':
      return truth(Array.isArray(actual) && asList(leaf.value).every((wanted) => typeof wanted === 'string' && actual.includes(wanted)));
  }
}

export type Outcome = 'eligible' | 'ineligible' | 'undetermined';

export interface Explained {
  outcome: Outcome;
  /** Failing conditions first for an ineligible enterprise, then the rest in rule order. */
  conditions: LeafResult[];
  /** Facts the enterprise has not given that the rule asked about: the questions to ask. */
  missingFacts: string[];
  /** Ineligible because of exactly one condition. */
  nearMiss: boolean;
}

/** The outcome of a rule for one enterprise, with every condition explained. */
export function explain(condition: Condition, facts: Facts): Explained {
  const { result, leaves } = evaluate(condition, facts);
  const outcome: Outcome = result === 'pass' ? 'eligible' : result === 'fail' ? 'ineligible' : 'undetermined';
  const conditions = outcome === 'ineligible' ? [...leaves.filter((l) => l.result === 'fail'), ...leaves.filter((l) => l.result !== 'fail')] : leaves;
  const missingFacts = [...new Set(leaves.filter((l) => l.result === 'unknown').map((l) => l.fact))];
  const nearMiss = outcome === 'ineligible' && leaves.filter((l) => l.result === 'fail').length === 1;
  return { outcome, conditions, missingFacts, nearMiss };
}
