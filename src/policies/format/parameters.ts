import { ancestors, isWithin, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';

/**
 * Policy parameters: numbers a benefit formula reads (a refund ratio, a cap) that provinces and
 * cities may set differently from the national default, e.g.
 * `{"refundRatio": {"default": 0.6, "byRegion": {"330000": 0.9}}}`.
 */
export interface ParameterDefinition {
  default: number;
  /** GB/T 2260 code → value for enterprises in that region; "100000" is the whole country. */
  byRegion?: Readonly<Record<string, number>>;
}
export type ParameterDefinitions = Readonly<Record<string, ParameterDefinition>>;
export type ParameterValues = Readonly<Record<string, number>>;

/** The nation 0, a province 1, a city 2, a county 3; deeper codes are more specific. */
function specificity(regionCode: string): number {
  return regionCode === NATIONWIDE_REGION_CODE ? 0 : ancestors(regionCode).length + 1;
}

function covers(overrideRegion: string, enterpriseRegion: string): boolean {
  return overrideRegion === NATIONWIDE_REGION_CODE || overrideRegion === enterpriseRegion || isWithin(enterpriseRegion, overrideRegion);
}

/**
 * Each parameter's value for an enterprise in `regionCode`: the override of the most specific
 * region that contains it, else the default. Without a region (an anonymous screener who has not
 * said where) only a nationwide override applies.
 */
export function resolveParameters(parameters: ParameterDefinitions, regionCode: string | null | undefined): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, definition] of Object.entries(parameters)) {
    let value = definition.default;
    let best = -1;
    for (const [overrideRegion, overrideValue] of Object.entries(definition.byRegion ?? {})) {
      const applies = regionCode ? covers(overrideRegion, regionCode) : overrideRegion === NATIONWIDE_REGION_CODE;
      if (!applies) continue;
      const rank = specificity(overrideRegion);
      if (rank > best) {
        best = rank;
        value = overrideValue;
      }
    }
    values[name] = value;
  }
  return values;
}

/**
 * Every combination of values an enterprise anywhere can get: the defaults, and the resolution at
 * each overriding region. That is exhaustive because the overrides containing a given region form
 * a chain, so any enterprise resolves exactly as the most specific override region containing it
 * (or as the defaults when none does).
 */
export function parameterScenarios(parameters: ParameterDefinitions): { region: string | null; values: Record<string, number> }[] {
  const defaults: Record<string, number> = {};
  for (const [name, definition] of Object.entries(parameters)) defaults[name] = definition.default;
  const regions = [...new Set(Object.values(parameters).flatMap((definition) => Object.keys(definition.byRegion ?? {})))].sort();
  return [{ region: null, values: defaults }, ...regions.map((region) => ({ region, values: resolveParameters(parameters, region) }))];
}
