import type { Locale, MessageKey, Translator } from '../../core/i18n.js';
import { getIndustry } from '../../reference/industries.js';
import { NATIONWIDE_REGION_CODE, regionPath } from '../../reference/regions.js';
import type { DeclaredFact, PolicyDocument } from '../format/schema.js';
import type { FactValue, Leaf, LeafResult, Scalar } from '../rules/evaluate.js';
import { BUILTIN_FACTS, type FactType } from '../rules/validate.js';
import '../../identity/enterprises/messages.js';
import '../messages.js';
import './messages.js';

/**
 * Rules, facts and values in the reader's words: region and industry names instead of codes,
 * yuan with thousands separators, the labels of enumerated values, and a sentence for every
 * condition that has no label of its own (docs/policy-format.md promises a readable one).
 */

type Localized = { 'zh-CN': string; en: string };

/** What the pages know about the facts in play: the built-ins and those the published policies declare. */
export interface FactVocabulary {
  locale: Locale;
  t: Translator;
  declared: ReadonlyMap<string, DeclaredFact>;
}

export function vocabulary(locale: Locale, t: Translator, declaredFacts: Iterable<DeclaredFact>): FactVocabulary {
  const declared = new Map<string, DeclaredFact>();
  for (const fact of declaredFacts) declared.set(fact.name, fact);
  return { locale, t, declared };
}

/** Every declared fact of a set of policy documents' versions, by name. */
export function declaredFactsOf(policies: Iterable<{ declaredFacts: readonly DeclaredFact[] }>): DeclaredFact[] {
  const byName = new Map<string, DeclaredFact>();
  for (const policy of policies) for (const fact of policy.declaredFacts) byName.set(fact.name, fact);
  return [...byName.values()];
}

export function factType(words: FactVocabulary, fact: string): FactType | undefined {
  return (Object.hasOwn(BUILTIN_FACTS, fact) ? BUILTIN_FACTS[fact] : undefined) ?? (words.declared.get(fact)?.type as FactType | undefined);
}

/** The fact as a question or column heading, unit included ("营业收入（元）"). */
export function factLabel(words: FactVocabulary, fact: string): string {
  if (Object.hasOwn(BUILTIN_FACTS, fact)) return words.t(`policies.fact.${fact}` as MessageKey);
  return words.declared.get(fact)?.label[words.locale] ?? fact;
}

/** The fact inside a sentence, without the unit its label carries ("营业收入"); the value says the unit. */
export function factNoun(words: FactVocabulary, fact: string): string {
  return factLabel(words, fact).replace(/\s*[（(][^（()）]*[)）]\s*$/, '');
}

const MONEY_FACTS = new Set(['operatingRevenue', 'totalAssets', 'taxableIncome', 'unemploymentInsurancePaid']);
const PEOPLE_FACTS = new Set(['employees', 'insuredEmployees']);

/** Amounts in yuan: declared facts say so in their label, as built-in ones do. */
function isMoney(words: FactVocabulary, fact: string): boolean {
  if (MONEY_FACTS.has(fact)) return true;
  const label = words.declared.get(fact)?.label;
  return Boolean(label && /[（(]元[)）]|\(yuan\)/.test(`${label['zh-CN']} ${label.en}`));
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }).format(value);
}

/** An amount of money in the reader's words: "1,200,000 元" / "1,200,000 yuan". */
export function formatYuan(words: Pick<FactVocabulary, 't' | 'locale'>, amount: number): string {
  return words.t('policies.pages.unit.yuan', { amount: formatNumber(words.locale, amount) });
}

export function regionName(t: Translator, code: string): string {
  if (code === NATIONWIDE_REGION_CODE) return t('policies.pages.region.national');
  return regionPath(code).join(' ') || code;
}

/** An industry code of any level (section letter, division, group, class) with its name. */
export function industryName(t: Translator, code: string): string {
  const industry = getIndustry(code);
  return industry ? t('policies.pages.codeName', { name: industry.name, code }) : code;
}

const ENUM_KEYS: Record<string, string> = {
  entityType: 'enterprise.entityType',
  sizeClass: 'enterprise.sizeClass',
  taxpayerType: 'enterprise.taxpayerType',
};

/** The label of one of an enumerated fact's values (built-in enumerations have words; declared ones are their own). */
export function enumLabel(words: FactVocabulary, fact: string, value: string): string {
  const prefix = ENUM_KEYS[fact];
  if (prefix) return words.t(`${prefix}.${value}` as MessageKey);
  if (fact === 'taxCreditRating') return words.t('policies.pages.creditRating', { rating: value });
  return value;
}

/** One value of a fact as a person reads it. */
export function formatValue(words: FactVocabulary, fact: string, value: FactValue | Scalar): string {
  const { t } = words;
  if (Array.isArray(value)) return value.length ? value.map((item) => formatValue(words, fact, item)).join(t('policies.pages.list.separator')) : t('policies.pages.value.emptyList');
  if (typeof value === 'boolean') return t(value ? 'policies.pages.value.yes' : 'policies.pages.value.no');
  const type = factType(words, fact);
  if (typeof value === 'number') {
    if (isMoney(words, fact)) return formatYuan(words, value);
    if (fact === 'layoffRate') return t('policies.pages.unit.percent', { value: formatNumber(words.locale, value) });
    if (fact === 'ageMonths') return t('policies.pages.unit.months', { value: formatNumber(words.locale, value) });
    if (PEOPLE_FACTS.has(fact)) return t('policies.pages.unit.people', { value: formatNumber(words.locale, value) });
    return formatNumber(words.locale, value);
  }
  if (type === 'region') return regionName(t, value);
  if (type === 'industry' || type === 'section') return industryName(t, value);
  if (type && typeof type === 'object') return enumLabel(words, fact, value);
  return value;
}

/** Several alternatives joined with "或" / "or". */
function alternatives(words: FactVocabulary, fact: string, values: Scalar[]): string {
  return values.map((value) => formatValue(words, fact, value)).join(words.t('policies.pages.list.or'));
}

const ORDER_KEYS = {
  number: { lt: 'policies.pages.op.lt', lte: 'policies.pages.op.lte', gt: 'policies.pages.op.gt', gte: 'policies.pages.op.gte' },
  date: { lt: 'policies.pages.op.before', lte: 'policies.pages.op.onOrBefore', gt: 'policies.pages.op.after', gte: 'policies.pages.op.onOrAfter' },
} as const;

/**
 * A condition as a sentence: "应纳税所得额不超过 3,000,000 元", "Region in 上海市". Used where the
 * policy gives no label, and beside a label to say precisely what is checked.
 */
export function conditionSentence(words: FactVocabulary, leaf: Pick<Leaf, 'fact' | 'op' | 'value'>): string {
  const { t } = words;
  const fact = factNoun(words, leaf.fact);
  const list = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  const one = (value: Scalar) => formatValue(words, leaf.fact, value);
  switch (leaf.op) {
    case 'eq':
    case 'ne': {
      const value = list[0]!;
      if (typeof value === 'boolean') return t(value === (leaf.op === 'eq') ? 'policies.pages.op.isTrue' : 'policies.pages.op.isFalse', { fact });
      return t(leaf.op === 'eq' ? 'policies.pages.op.eq' : 'policies.pages.op.ne', { fact, value: one(value) });
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const keys = factType(words, leaf.fact) === 'date' ? ORDER_KEYS.date : ORDER_KEYS.number;
      return t(keys[leaf.op], { fact, value: one(list[0]!) });
    }
    case 'between':
      return t(factType(words, leaf.fact) === 'date' ? 'policies.pages.op.betweenDates' : 'policies.pages.op.between', { fact, low: one(list[0]!), high: one(list[1]!) });
    case 'in':
      return list.length === 1 ? t('policies.pages.op.eq', { fact, value: one(list[0]!) }) : t('policies.pages.op.in', { fact, values: alternatives(words, leaf.fact, list) });
    case 'notIn':
      return list.length === 1 ? t('policies.pages.op.ne', { fact, value: one(list[0]!) }) : t('policies.pages.op.notIn', { fact, values: alternatives(words, leaf.fact, list) });
    case 'prefix':
      return t('policies.pages.op.prefix', { fact, values: list.map((code) => industryName(t, String(code))).join(t('policies.pages.list.or')) });
    case 'within':
      return t('policies.pages.op.within', { fact, values: list.map((code) => regionName(t, String(code))).join(t('policies.pages.list.or')) });
    case 'has':
      return t('policies.pages.op.has', { fact, values: list.map(String).join(t('policies.pages.list.separator')) });
    case 'exists':
      return t(leaf.value === true ? 'policies.pages.op.exists' : 'policies.pages.op.missing', { fact });
  }
}

/** The label the policy gives the condition, or the generated sentence. */
export function conditionLabel(words: FactVocabulary, leaf: Pick<Leaf, 'fact' | 'op' | 'value'> & { label?: Localized | null | undefined }): string {
  return leaf.label ? leaf.label[words.locale] : conditionSentence(words, leaf);
}

/** A condition's explanation as the condition it explains (the explanation calls the value `expected`). */
export function leafOf(result: LeafResult): Leaf {
  return { fact: result.fact, op: result.op, value: result.expected, ...(result.label ? { label: result.label } : {}) };
}

/** What the enterprise's own value is, or that it was not given. */
export function actualText(words: FactVocabulary, fact: string, actual: FactValue | null | undefined): string {
  return actual === null || actual === undefined ? words.t('policies.pages.value.notGiven') : formatValue(words, fact, actual);
}

/** "2023-01-01 至 2027-12-31", or open-ended. */
export function periodText(t: Translator, period: { from: string; to: string | null }): string {
  return period.to ? t('policies.pages.period', { from: period.from, to: period.to }) : t('policies.pages.period.open', { from: period.from });
}

export function regionsText(t: Translator, regions: readonly string[]): string {
  return regions.map((code) => regionName(t, code)).join(t('policies.pages.list.separator'));
}

/** A policy's parameters, each with its default and the regions that set it differently. */
export function parameterLines(t: Translator, locale: Locale, parameters: PolicyDocument['parameters']): string[] {
  return Object.entries(parameters ?? {}).map(([name, definition]) => {
    const byRegion = Object.entries(definition.byRegion ?? {}).map(([code, value]) => t('policies.pages.parameter.region', { region: regionName(t, code), value: formatNumber(locale, value) }));
    const base = t('policies.pages.parameter.default', { name, value: formatNumber(locale, definition.default) });
    return byRegion.length ? `${base}${t('policies.pages.list.separator')}${byRegion.join(t('policies.pages.list.separator'))}` : base;
  });
}
