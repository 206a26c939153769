import type { FieldProblem } from '../../core/errors.js';
import { isIsoDate, monthsBetween } from '../../reference/dates.js';
import { getIndustry, industrySection, isKnownIndustryClass } from '../../reference/industries.js';
import { isKnownRegion } from '../../reference/regions.js';
import { classifyEnterpriseSize } from '../../reference/size-class.js';
import type { FactValue, Facts } from '../rules/evaluate.js';
import { BUILTIN_FACTS, FACT_SOURCES, type FactType } from '../rules/validate.js';

type MutableFacts = Record<string, FactValue | undefined>;

const SIZE_CLASSIFIED = new Set(['enterprise', 'individualBusiness', 'farmerCooperative']);
/** Facts computed from others; an enterprise never declares them directly. */
const DERIVED = new Set(['industrySection', 'ageMonths']);

/**
 * Completes a profile with the facts derived from others, as of `on`: the industry section from
 * the class, the size class from the national standard when not given, and the age in months.
 * Nothing is guessed: without the inputs a derived fact stays missing.
 */
export function deriveFacts(facts: Facts, on: string): Facts {
  const derived: MutableFacts = { ...facts };
  const industry = typeof facts.industry === 'string' ? facts.industry : undefined;
  if (industry && derived.industrySection === undefined) derived.industrySection = industrySection(industry);
  if (derived.sizeClass === undefined && industry && (facts.entityType === undefined || SIZE_CLASSIFIED.has(String(facts.entityType)))) {
    const size = classifyEnterpriseSize({
      industry,
      employees: typeof facts.employees === 'number' ? facts.employees : undefined,
      operatingRevenue: typeof facts.operatingRevenue === 'number' ? facts.operatingRevenue : undefined,
      totalAssets: typeof facts.totalAssets === 'number' ? facts.totalAssets : undefined,
    });
    if (size.status === 'classified') derived.sizeClass = size.sizeClass;
  }
  const established = facts.establishedOn;
  if (typeof established === 'string' && established <= on && derived.ageMonths === undefined) derived.ageMonths = monthsBetween(established, on);
  // A fresh object without the undefined entries: deleting keys would turn it into a slow
  // dictionary-mode object, and every rule reads it.
  const complete: MutableFacts = {};
  for (const key of Object.keys(derived)) if (derived[key] !== undefined) complete[key] = derived[key];
  return complete;
}

export type FactSource = 'registry' | 'tax' | 'socialInsurance' | 'credit' | 'declared';

/**
 * One enterprise's facts from what the authorities hold and what the enterprise itself says.
 * For a fact an authority keeps (registry, tax, social insurance, credit) the authority's value
 * wins and a declaration only fills a gap; for a self-declared fact the declaration wins.
 */
export function mergeFacts(authority: Facts, declared: Facts, sourceOf: (fact: string) => FactSource): Facts {
  const merged: MutableFacts = {};
  for (const fact of new Set([...Object.keys(authority), ...Object.keys(declared)])) {
    const first = sourceOf(fact) === 'declared' ? declared[fact] : authority[fact];
    const second = sourceOf(fact) === 'declared' ? authority[fact] : declared[fact];
    const value = first ?? second;
    if (value !== undefined) merged[fact] = value;
  }
  return merged;
}

export function builtinSource(fact: string): FactSource | undefined {
  return (FACT_SOURCES as Readonly<Record<string, FactSource>>)[fact];
}

const MAX_LIST_ITEMS = 50;
const MAX_TEXT = 60;

/** Whether a value fits a fact's type; the same checks a rule's values pass at import. */
export function fitsFactType(value: unknown, type: FactType): value is FactValue {
  if (typeof type !== 'string') return typeof value === 'string' && type.oneOf.includes(value);
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1e15;
    case 'date':
      return isIsoDate(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'region':
      return typeof value === 'string' && isKnownRegion(value);
    case 'industry':
      return typeof value === 'string' && isKnownIndustryClass(value);
    case 'section':
      return typeof value === 'string' && getIndustry(value)?.level === 'section';
    case 'list':
      return (
        Array.isArray(value) && value.length <= MAX_LIST_ITEMS && value.every((item) => typeof item === 'string' && item.trim().length > 0 && item.length <= MAX_TEXT)
      );
  }
}

/**
 * Checks facts a person typed (the anonymous screener, an enterprise answering the questions a
 * match asked): every unknown name or wrongly typed value is named at once; derived facts are
 * refused because they follow from others.
 */
export function checkAnswers(input: Record<string, unknown>, types: Readonly<Record<string, FactType>>): { facts: MutableFacts; problems: FieldProblem[] } {
  const facts: MutableFacts = {};
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (value === null || value === undefined || value === '') continue;
    // Own keys only: a name such as `toString` must not find something on Object.prototype.
    const type = Object.hasOwn(types, name) ? types[name] : undefined;
    if (!type || DERIVED.has(name)) {
      problems.push({ field: `/${name}`, message: 'policies.answer.unknownFact', params: { fact: name } });
      continue;
    }
    if (!fitsFactType(value, type)) {
      problems.push({ field: `/${name}`, message: 'policies.answer.wrongType', params: { fact: name } });
      continue;
    }
    facts[name] = Array.isArray(value) ? [...new Set(value.map((item) => String(item).trim()))] : value;
  }
  return { facts, problems };
}

export const ANSWERABLE_FACTS: Readonly<Record<string, FactType>> = Object.fromEntries(Object.entries(BUILTIN_FACTS).filter(([name]) => !DERIVED.has(name)));

/**
 * How a policy's example enterprises are completed before their expected outcome is checked:
 * derived facts as matching derives them, as of the day the policy takes effect (so an example's
 * outcome does not drift with the calendar).
 */
export const IMPORT_OPTIONS = {
  completeExampleFacts: (facts: Facts, policy: { effective: { from: string } }) => deriveFacts(facts, policy.effective.from),
};
