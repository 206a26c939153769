import type { MessageKey, MessageParams } from '../../core/i18n.js';
import { isIsoDate } from '../../reference/dates.js';
import { getIndustry, isKnownIndustryClass } from '../../reference/industries.js';
import { isKnownRegion, isWithin } from '../../reference/regions.js';
import type { CompiledPolicy } from '../library/compiled.js';
import type { Condition, FactValue } from '../rules/evaluate.js';
import type { FactType } from '../rules/validate.js';

/**
 * Answers typed into the screener's and an enterprise's question forms, read by the fact's type.
 * A problem names the input; nothing typed is guessed at (a blank stays missing, never zero).
 */

/** A raw form or query value: one string, or several (checkboxes). */
export type RawValue = string | string[] | undefined;

export interface AnswerProblem {
  field: string;
  message: MessageKey;
  params?: MessageParams;
}

/** The list answer "none of these": an empty list is an answer, an untouched box is not. */
export const NONE_OF_THESE = '__none__';

const first = (raw: RawValue) => (Array.isArray(raw) ? raw[0] : raw);

/** Reads one answer; undefined when left blank. */
export function parseAnswer(raw: RawValue, type: FactType): { value?: FactValue; problem?: MessageKey } {
  if (type === 'list') {
    const items = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((item) => item.trim()).filter(Boolean);
    if (items.length === 0) return {};
    return { value: items.filter((item) => item !== NONE_OF_THESE) };
  }
  const text = first(raw)?.trim() ?? '';
  if (!text) return {};
  if (typeof type === 'object') return type.oneOf.includes(text) ? { value: text } : { problem: 'policies.pages.input.choice' };
  switch (type) {
    case 'number': {
      // People write "1,200,000" or "1 200 000"; both mean the same number.
      const plain = text.replace(/[,，\s]/g, '');
      return /^-?\d+(\.\d+)?$/.test(plain) && Number.isFinite(Number(plain)) ? { value: Number(plain) } : { problem: 'policies.pages.input.number' };
    }
    case 'date':
      return isIsoDate(text) ? { value: text } : { problem: 'policies.pages.input.date' };
    case 'boolean':
      return text === 'true' ? { value: true } : text === 'false' ? { value: false } : { problem: 'policies.pages.input.choice' };
    case 'region':
      return isKnownRegion(text) ? { value: text } : { problem: 'policies.pages.input.region' };
    case 'industry':
      return isKnownIndustryClass(text) ? { value: text } : { problem: 'policies.pages.input.industry' };
    case 'section':
      return getIndustry(text)?.level === 'section' ? { value: text } : { problem: 'policies.pages.input.choice' };
    default:
      return { problem: 'policies.pages.input.choice' };
  }
}

/**
 * Reads the answers to the given facts from form or query values, with every problem at once.
 * `inputOf` names the input a fact is typed into (problems point at it).
 */
export function parseAnswers(raw: Readonly<Record<string, RawValue>>, types: Readonly<Record<string, FactType>>, inputOf: (fact: string) => string = (fact) => fact) {
  const answers: Record<string, FactValue> = {};
  const problems: AnswerProblem[] = [];
  for (const [fact, type] of Object.entries(types)) {
    const { value, problem } = parseAnswer(raw[inputOf(fact)], type);
    if (problem) problems.push({ field: inputOf(fact), message: problem });
    else if (value !== undefined) answers[fact] = value;
  }
  return { answers, problems };
}

/**
 * The region from the two-step choice: a county (or city) within the chosen province, or the
 * province itself while no county is chosen, or a county chosen before the province changed.
 */
export function regionFromChoice(province: string | undefined, region: string | undefined): string | undefined {
  const p = province && /^\d{2}0000$/.test(province) && isKnownRegion(province) ? province : undefined;
  const r = region && /^\d{6}$/.test(region) && isKnownRegion(region) ? region : undefined;
  if (r && (!p || isWithin(r, p))) return r;
  return p;
}

/** The values policies test a list fact for (`has`), so a question about it offers them as boxes. */
export function listOptions(policies: readonly CompiledPolicy[], fact: string): string[] {
  const values = new Set<string>();
  const visit = (condition: Condition): void => {
    if ('all' in condition) condition.all.forEach(visit);
    else if ('any' in condition) condition.any.forEach(visit);
    else if ('not' in condition) visit(condition.not);
    else if (condition.fact === fact && condition.op === 'has') for (const value of [condition.value].flat()) values.add(String(value));
  };
  for (const policy of policies) visit(policy.document.eligibility);
  return [...values].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** Facts the platform works out from others: to learn them, ask for what they come from. */
const DERIVED_FROM: Readonly<Record<string, string>> = { ageMonths: 'establishedOn', industrySection: 'industry' };

/** The questions to put for a report's missing facts, most useful first, each once; derived facts asked through their source. */
export function questionsToAsk<Q extends { fact: string; label: { 'zh-CN': string; en: string } | null }>(questions: readonly Q[]): { fact: string; label: Q['label'] }[] {
  const asked = new Map<string, Q['label']>();
  for (const question of questions) {
    const source = DERIVED_FROM[question.fact];
    const fact = source ?? question.fact;
    if (!asked.has(fact)) asked.set(fact, source ? null : question.label);
  }
  return [...asked].map(([fact, label]) => ({ fact, label }));
}

/** A query string's values as strings or lists of strings; anything else is dropped. */
export function rawValues(input: unknown): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (const [key, value] of Object.entries((input as Record<string, unknown> | undefined) ?? {})) {
    if (typeof value === 'string') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((item): item is string => typeof item === 'string');
  }
  return values;
}

/** An answer as a form sends it back (for prefilling and hidden carry-over). */
export function rawOf(value: FactValue): string | string[] {
  if (Array.isArray(value)) return value.length ? value : [NONE_OF_THESE];
  return String(value);
}
