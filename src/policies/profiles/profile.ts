import { invalid, type FieldProblem } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n.js';
import { isIsoDate, monthsBetween } from '../../reference/dates.js';
import { getIndustry, isKnownIndustryClass } from '../../reference/industries.js';
import { isKnownRegion, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { classifyEnterpriseSize, type SizeClass } from '../../reference/size-class.js';
import { validateUscc, type EntityType } from '../../reference/uscc.js';
import type { FactValue, Facts } from '../rules/evaluate.js';
import { BUILTIN_FACTS } from '../rules/validate.js';
import './messages.js';

/**
 * An enterprise profile as the authorities know it, checked and completed before it joins the
 * population the policy zone matches against. Missing stays missing (never zero); derived facts
 * (industry section, size class) are filled in only from what is given.
 */
export interface BuiltinFactsInput {
  region: string;
  /** GB/T 4754-2017 class code (four digits). */
  industry?: string;
  /** Derived from `industry` when that is given; alone when only the section is known. */
  industrySection?: string;
  entityType?: EntityType;
  /** Derived from the national statistical standard when not given. */
  sizeClass?: SizeClass;
  establishedOn?: string;
  employees?: number;
  insuredEmployees?: number;
  /** Amounts in yuan. */
  operatingRevenue?: number;
  totalAssets?: number;
  taxableIncome?: number;
  taxpayerType?: 'general' | 'smallScale';
  taxCreditRating?: 'A' | 'B' | 'M' | 'C' | 'D';
  qualifications?: string[];
  /** Percent. */
  layoffRate?: number;
  /** Yuan, last year. */
  unemploymentInsurancePaid?: number;
  untrustworthy?: boolean;
}

export interface ProfileInput {
  uscc: string;
  name?: string;
  facts: BuiltinFactsInput;
  /** Facts declared by policy files (name → value), supplied by the enterprise or an authority. */
  declared?: Readonly<Record<string, FactValue>>;
}

/** A checked profile: the USCC normalised and the facts as stored (derived ones included, no age). */
export interface StoredProfile {
  uscc: string;
  name: string | null;
  facts: Facts;
}

const NUMBER_FACTS = ['employees', 'insuredEmployees', 'operatingRevenue', 'totalAssets', 'taxableIncome', 'layoffRate', 'unemploymentInsurancePaid'] as const;
const CHOICE_FACTS = ['entityType', 'sizeClass', 'taxpayerType', 'taxCreditRating'] as const;
/** Facts that follow from `on` and are never stored. */
const DATE_DEPENDENT = new Set(['ageMonths']);
// The statistical standard classifies enterprises and the businesses run like them; a public
// institution or social organisation has no size class (matching/facts.ts derives it the same way).
const SIZE_CLASSIFIED = new Set(['enterprise', 'individualBusiness', 'farmerCooperative']);
const DECLARED_NAME = /^[a-z][A-Za-z0-9]{1,40}$/;
const MAX_NAME = 200;

const choicesOf = (fact: string): readonly string[] => {
  const type = BUILTIN_FACTS[fact];
  return type && typeof type === 'object' ? type.oneOf : [];
};
const missing = (value: unknown): value is null | undefined => value === null || value === undefined;
const hasNul = (text: string) => text.includes('\u0000');
const isCleanText = (value: unknown): value is string => typeof value === 'string' && !hasNul(value);

/** A list fact: non-empty texts, each kept once in the order first given. */
function checkList(value: unknown, field: string, problems: FieldProblem[]): string[] | undefined {
  if (!Array.isArray(value)) return void problems.push({ field, message: 'field.invalid' });
  const before = problems.length;
  value.forEach((item, index) => {
    if (typeof item !== 'string' || item.length === 0) problems.push({ field: `${field}/${index}`, message: 'field.invalid' });
    else if (hasNul(item)) problems.push({ field: `${field}/${index}`, message: 'field.nulCharacter' });
  });
  return problems.length === before ? [...new Set(value as string[])] : undefined;
}

function checkDeclaredValue(value: unknown, field: string, problems: FieldProblem[]): FactValue | undefined {
  const problem = (): undefined => void problems.push({ field, message: 'policies.profile.declaredValue' });
  if (typeof value === 'number') return Number.isFinite(value) ? value : problem();
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return hasNul(value) ? problem() : value;
  if (Array.isArray(value)) return value.every(isCleanText) ? [...new Set(value)] : problem();
  return problem();
}

/** Checks a profile, reporting every problem at once; throws a domain error listing them. */
export function checkProfile(input: ProfileInput, field = ''): StoredProfile {
  const problems: FieldProblem[] = [];
  const facts: Record<string, FactValue> = {};
  const at = (name: string) => `${field}/facts/${name}`;
  const given = (input.facts ?? {}) as unknown as Record<string, unknown>;

  const uscc = typeof input.uscc === 'string' ? validateUscc(input.uscc) : undefined;
  if (!uscc) problems.push({ field: `${field}/uscc`, message: 'field.required' });
  else if (!uscc.valid) problems.push({ field: `${field}/uscc`, message: `reference.uscc.${uscc.reason}` as MessageKey });

  let name: string | null = null;
  if (!missing(input.name)) {
    if (!isCleanText(input.name) || input.name.length > MAX_NAME) problems.push({ field: `${field}/name`, message: 'field.invalid' });
    else name = input.name;
  }

  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(BUILTIN_FACTS, key) || DATE_DEPENDENT.has(key)) problems.push({ field: at(key), message: 'field.unexpected' });
  }

  const region = given.region;
  if (missing(region)) problems.push({ field: at('region'), message: 'field.required' });
  else if (typeof region !== 'string' || (region !== NATIONWIDE_REGION_CODE && !isKnownRegion(region))) {
    problems.push({ field: at('region'), message: 'reference.region.notFound', params: { code: String(region) } });
  } else facts.region = region;

  if (!missing(given.industry)) {
    if (typeof given.industry === 'string' && isKnownIndustryClass(given.industry)) facts.industry = given.industry;
    else problems.push({ field: at('industry'), message: 'reference.industry.notAClass' });
  }
  const classSection = typeof facts.industry === 'string' ? getIndustry(facts.industry)?.section : undefined;
  if (!missing(given.industrySection)) {
    const section = given.industrySection;
    if (typeof section !== 'string' || getIndustry(section)?.level !== 'section') problems.push({ field: at('industrySection'), message: 'field.invalid' });
    else if (classSection && section !== classSection) {
      problems.push({ field: at('industrySection'), message: 'policies.profile.sectionMismatch', params: { industry: String(facts.industry), section: classSection } });
    } else facts.industrySection = section;
  } else if (classSection) facts.industrySection = classSection;

  for (const fact of CHOICE_FACTS) {
    const value = given[fact];
    if (missing(value)) continue;
    if (typeof value === 'string' && choicesOf(fact).includes(value)) facts[fact] = value;
    else problems.push({ field: at(fact), message: 'field.enum' });
  }

  if (!missing(given.establishedOn)) {
    if (isIsoDate(given.establishedOn)) facts.establishedOn = given.establishedOn;
    else problems.push({ field: at('establishedOn'), message: 'field.format', params: { format: 'YYYY-MM-DD' } });
  }

  for (const fact of NUMBER_FACTS) {
    const value = given[fact];
    if (missing(value)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) facts[fact] = value;
    else problems.push({ field: at(fact), message: 'field.invalid' });
  }

  if (!missing(given.untrustworthy)) {
    if (typeof given.untrustworthy === 'boolean') facts.untrustworthy = given.untrustworthy;
    else problems.push({ field: at('untrustworthy'), message: 'field.invalid' });
  }

  if (!missing(given.qualifications)) {
    const list = checkList(given.qualifications, at('qualifications'), problems);
    if (list) facts.qualifications = list;
  }

  for (const [declaredName, value] of Object.entries(input.declared ?? {})) {
    const path = `${field}/declared/${declaredName}`;
    // Names such as `constructor` would read Object.prototype where the fact is missing.
    if (!DECLARED_NAME.test(declaredName) || Object.hasOwn(BUILTIN_FACTS, declaredName) || declaredName in Object.prototype) {
      problems.push({ field: path, message: 'policies.profile.declaredName', params: { name: declaredName } });
      continue;
    }
    if (missing(value)) continue;
    const checked = checkDeclaredValue(value, path, problems);
    if (checked !== undefined) facts[declaredName] = checked;
  }

  if (problems.length) throw invalid('invalidProfile', problems);

  if (facts.sizeClass === undefined && typeof facts.industry === 'string' && (facts.entityType === undefined || SIZE_CLASSIFIED.has(facts.entityType as string))) {
    const size = classifyEnterpriseSize({
      industry: facts.industry,
      employees: facts.employees as number | undefined,
      operatingRevenue: facts.operatingRevenue as number | undefined,
      totalAssets: facts.totalAssets as number | undefined,
    });
    if (size.status === 'classified') facts.sizeClass = size.sizeClass;
  }
  return { uscc: (uscc as { normalized: string }).normalized, name, facts };
}

/** The stored facts as of `on`: the age in whole months is known once the enterprise exists. */
export function factsOn(stored: Facts, on: string): Facts {
  const established = stored.establishedOn;
  if (typeof established !== 'string' || established > on) return stored;
  return { ...stored, ageMonths: monthsBetween(established, on) };
}
