import { allIndustries } from '../../reference/industries.js';
import { ancestors, getRegion, isWithin } from '../../reference/regions.js';

/**
 * The region and industry hierarchies in the shapes the fast evaluators need: each region's chain of
 * containing regions (so `within` is a set lookup in memory and a prefix match in SQL), and each
 * industry section's divisions (a section is not derivable from a numeric code).
 */

const LEVEL_RANK = { province: 0, city: 1, county: 2 } as const;
const chains = new Map<string, readonly string[]>();
let lastCode: string | undefined;
let lastChain: readonly string[] = [];

/**
 * The regions `code` lies within, from the province down, ending with `code` itself; groupings
 * (310100 市辖区, 429000 省直辖县级行政区划) are included, because `isWithin` treats them as
 * containing their counties. For an unknown code just `[code]`: an unknown code is within nothing.
 */
export function regionChain(code: string): readonly string[] {
  // Matching one enterprise asks about the same region once per policy: remember the last answer.
  if (code === lastCode) return lastChain;
  const cached = chains.get(code);
  if (cached) {
    lastCode = code;
    lastChain = cached;
    return cached;
  }
  const region = getRegion(code);
  if (!region) return [code];
  // A grouping can only be the code sharing the first four digits (its members are the counties so
  // prefixed), which isWithin then confirms; every other container is a governing ancestor.
  const candidates = new Set([...ancestors(code).map((a) => a.code), `${code.slice(0, 4)}00`]);
  const containers = [...candidates]
    .filter((candidate) => candidate !== code && isWithin(code, candidate))
    .map((candidate) => getRegion(candidate)!)
    .sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level]);
  const chain = Object.freeze([...containers.map((r) => r.code), code]);
  chains.set(code, chain);
  return chain;
}

/**
 * '/310000/310100/310115/': a region's chain as text. A region lies within another exactly when its
 * path starts with the other's path, which SQL answers with `LIKE '/310000/%'`.
 */
export function regionPath(code: string): string {
  return `/${regionChain(code).join('/')}/`;
}

let divisionsBySection: Map<string, string[]> | undefined;

/** The two-digit divisions of a GB/T 4754 section letter ('H' → ['61', '62']); [] for anything else. */
export function divisionsOfSection(section: string): readonly string[] {
  if (!divisionsBySection) {
    divisionsBySection = new Map();
    for (const division of allIndustries('division')) {
      const list = divisionsBySection.get(division.section) ?? [];
      list.push(division.code);
      divisionsBySection.set(division.section, list);
    }
  }
  return divisionsBySection.get(section) ?? [];
}
