import { addMonths, toDayNumber, fromDayNumber } from '../reference/dates.js';
import type { Category, Severity } from './schema.js';

/**
 * How long each kind of record stays public, and when its subject may apply for repair. Modelled
 * on the NDRC's rules for repairing credit information (国家发展改革委《失信行为纠正后的信用信息
 * 修复管理办法（试行）》 and the 2021 notice on repairing administrative-penalty information on
 * "Credit China"): a penalty for general untrustworthy conduct is public for at most one year and
 * may be repaired after three months; for serious conduct, at most three years and repairable
 * after one year; a listing on the seriously-untrustworthy list is public while it lasts (its
 * `effectiveTo`, three years when not given) and repairable after one year. Positive information
 * (licences, honours, kept commitments) cannot be "repaired" and is simply public for its period.
 * docs/credit.md carries the same table.
 */
export interface PublicityRule {
  /** Months the record is public from its decision date; null: while it is in effect (effectiveTo). */
  publicMonths: number | null;
  /** Months after the decision before a repair may be applied for; null: not repairable. */
  repairAfterMonths: number | null;
}

export const PUBLICITY_RULES: Record<Exclude<Category, 'penalty'> | 'penalty.general' | 'penalty.serious', PublicityRule> = {
  licence: { publicMonths: null, repairAfterMonths: null },
  honour: { publicMonths: 36, repairAfterMonths: null },
  commitmentKept: { publicMonths: 12, repairAfterMonths: null },
  commitmentBroken: { publicMonths: 12, repairAfterMonths: 3 },
  'penalty.general': { publicMonths: 12, repairAfterMonths: 3 },
  'penalty.serious': { publicMonths: 36, repairAfterMonths: 12 },
  listing: { publicMonths: null, repairAfterMonths: 12 },
};

/** A licence without an end date, and a listing without one, are public/listed this long. */
export const DEFAULT_PERIOD_MONTHS = 36;

export function ruleFor(category: Category, severity: Severity | null): PublicityRule {
  return category === 'penalty' ? PUBLICITY_RULES[`penalty.${severity ?? 'general'}`] : PUBLICITY_RULES[category];
}

export const nextDay = (date: string) => fromDayNumber(toDayNumber(date) + 1);

/**
 * The first day a record is no longer public (exclusive end), from its rule: a fixed number of
 * months after the decision, or the day after it stops being in effect. Null: no end (never for
 * the categories above, since open-ended periods default to DEFAULT_PERIOD_MONTHS).
 */
export function publicEnd(category: Category, severity: Severity | null, decidedOn: string, effectiveFrom: string, effectiveTo: string | null): string {
  const rule = ruleFor(category, severity);
  if (rule.publicMonths !== null) return addMonths(decidedOn, rule.publicMonths);
  return effectiveTo ? nextDay(effectiveTo) : addMonths(effectiveFrom, DEFAULT_PERIOD_MONTHS);
}

/** Categories public from the day they take effect rather than the day they were decided. */
export const PUBLIC_FROM_EFFECTIVE: readonly Category[] = ['licence', 'listing'];

/** The first day a record is public: a licence or a listing when it takes effect, anything else when decided. */
export function publicStart(category: Category, decidedOn: string, effectiveFrom: string): string {
  return PUBLIC_FROM_EFFECTIVE.includes(category) ? effectiveFrom : decidedOn;
}

/**
 * The earliest day a repair may be applied for, or null when the record cannot be repaired. The
 * minimum period of a listing runs from the day it took effect (time on the list), of anything
 * else from the decision.
 */
export function repairableFrom(category: Category, severity: Severity | null, decidedOn: string, effectiveFrom: string): string | null {
  const rule = ruleFor(category, severity);
  return rule.repairAfterMonths === null ? null : addMonths(category === 'listing' ? effectiveFrom : decidedOn, rule.repairAfterMonths);
}
