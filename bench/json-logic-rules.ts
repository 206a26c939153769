import jsonLogic, { type RulesLogic } from 'json-logic-js';
import { isIndustryWithin } from '../src/reference/industries.js';
import { isWithin, NATIONWIDE_REGION_CODE } from '../src/reference/regions.js';
import type { Condition, Scalar } from '../src/policies/rules/evaluate.js';

/**
 * The benchmark's baseline: eligibility rules written as JSON-Logic and run by json-logic-js, the
 * usual way to keep business rules as data. JSON-Logic has no hierarchy operators, so `prefix`,
 * `within` and `has` are added as operations on the same reference functions; it answers only
 * true/false (no explanation, no "unknown"), which makes the comparison generous to it.
 */
jsonLogic.add_operation('industryPrefix', (actual: unknown, codes: string[]) =>
  typeof actual === 'string' && codes.some((code) => actual.startsWith(code) || isIndustryWithin(actual, code)),
);
jsonLogic.add_operation('regionWithin', (actual: unknown, codes: string[]) =>
  typeof actual === 'string' && codes.some((code) => code === NATIONWIDE_REGION_CODE || code === actual || isWithin(actual, code)),
);
jsonLogic.add_operation('hasAll', (actual: unknown, wanted: string[]) => Array.isArray(actual) && wanted.every((w) => actual.includes(w)));

const list = (value: Scalar | Scalar[]): Scalar[] => (Array.isArray(value) ? value : [value]);

export function toJsonLogic(condition: Condition): RulesLogic {
  if ('all' in condition) return { and: condition.all.map(toJsonLogic) } as RulesLogic;
  if ('any' in condition) return { or: condition.any.map(toJsonLogic) } as RulesLogic;
  if ('not' in condition) return { '!': [toJsonLogic(condition.not)] } as RulesLogic;
  const fact = { var: condition.fact };
  const value = condition.value;
  switch (condition.op) {
    case 'eq':
      return { '===': [fact, value] } as RulesLogic;
    case 'ne':
      return { '!==': [fact, value] } as RulesLogic;
    case 'lt':
      return { '<': [fact, value] } as RulesLogic;
    case 'lte':
      return { '<=': [fact, value] } as RulesLogic;
    case 'gt':
      return { '>': [fact, value] } as RulesLogic;
    case 'gte':
      return { '>=': [fact, value] } as RulesLogic;
    case 'in':
      return { in: [fact, list(value)] } as RulesLogic;
    case 'notIn':
      return { '!': [{ in: [fact, list(value)] }] } as RulesLogic;
    case 'between': {
      const [low, high] = list(value);
      return { '<=': [low, fact, high] } as RulesLogic;
    }
    case 'prefix':
      return { industryPrefix: [fact, list(value)] } as unknown as RulesLogic;
    case 'within':
      return { regionWithin: [fact, list(value)] } as unknown as RulesLogic;
    case 'has':
      return { hasAll: [fact, list(value)] } as unknown as RulesLogic;
    case 'exists':
      return (value === true ? { '!==': [fact, null] } : { '===': [fact, null] }) as RulesLogic;
  }
}

export const applyJsonLogic = (rule: RulesLogic, data: object): unknown => jsonLogic.apply(rule, data);
