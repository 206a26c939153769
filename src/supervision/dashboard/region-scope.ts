import { NATIONWIDE_REGION_CODE, ancestors, children, getRegion, isWithin, type Region } from '../../reference/regions.js';

/**
 * Every known region code within `code` (itself included), as `isWithin` counts them: what a region
 * scope's SQL filters on. Its children down to the counties, and the groupings of a province
 * (市辖区 310100, 省直辖县级行政区划 429000, ...), which `children` leaves out but where
 * departments can be seated.
 */
export function regionCodesWithin(code: string): string[] {
  const result: string[] = [code];
  const seen = new Set(result);
  for (let i = 0; i < result.length; i++) {
    for (const region of [...children(result[i]!), ...groupingsIn(result[i]!)]) {
      if (seen.has(region.code)) continue;
      seen.add(region.code);
      result.push(region.code);
    }
  }
  return result;
}

/**
 * The groupings seated directly in a province (GB/T 2260 gives them the province's city-level
 * codes, `PP0100`..`PP9900`). No government of their own: a department seated at one counts as
 * seated at the province, in its own row beside the province's departments.
 */
export function groupingsIn(code: string): Region[] {
  if (getRegion(code)?.level !== 'province') return [];
  const found: Region[] = [];
  for (let city = 1; city <= 99; city++) {
    const candidate = getRegion(`${code.slice(0, 2)}${String(city).padStart(2, '0')}00`);
    if (candidate && !candidate.administrative && candidate.parentCode === code) found.push(candidate);
  }
  return found;
}

/**
 * Every region whose dashboard counts what is seated at `code`, as `isWithin` decides: itself, its
 * ancestors, the groupings that collect it (310104 is within 310100 市辖区) and the nation.
 */
export function regionsContaining(code: string): string[] {
  const province = ancestors(code)[0]?.code;
  const groupings = province ? groupingsIn(province).filter((g) => g.code !== code && isWithin(code, g.code)).map((g) => g.code) : [];
  return [...new Set([code, ...ancestors(code).map((a) => a.code), ...groupings, NATIONWIDE_REGION_CODE])];
}
