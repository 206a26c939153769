/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * set (digits and capitals without I, O, Z, S, V).
 *   1      registration authority (登记管理部门代码)
 *   2      category within that authority (机构类别代码)
 *   3-8    region of the registering office (GB/T 2260; 100000 for national registration)
 *   9-17   organisation code (主体标识码, GB 11714: 8 characters and a MOD 11 check)
 *   18     check character, ISO 7064 style MOD 31 with weights 3^i mod 31
 *
 * Region policy: a code is assigned for life, so it keeps the registering office's region code after
 * that region is abolished or renumbered. Like the identity number, we accept any code whose province
 * prefix is known (or 100000) and name the region only when the full code is current.
 */
import { getRegion, NATIONWIDE_REGION_CODE, provinceOf } from './regions.js';

export const USCC_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export type UsccReason =
  | 'length'
  | 'invalidCharacters'
  | 'unknownAuthority'
  | 'unknownCategory'
  | 'unknownRegion'
  | 'organizationCodeCheck'
  | 'checkCharacter';

export interface CodeAndName {
  code: string;
  name: string;
}

export interface UsccInfo {
  registrationAuthority: CodeAndName;
  category: CodeAndName;
  region: string;
  regionName?: string;
  organizationCode: string;
}

export type UsccResult = { valid: true; normalized: string; info: UsccInfo } | { valid: false; reason: UsccReason };

export interface RegistrationAuthority {
  name: string;
  categories: Readonly<Record<string, string>>;
}

/**
 * Registration authorities and their categories: the table published with GB 32100-2015 and the
 * authorities allocated since (A, N). Codes allocated later still (G, J, Q and the extra civil
 * affairs and trade union categories) are listed as commonly published but were not checked against
 * an official text; the lead keeps this table current.
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, RegistrationAuthority>> = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': {
    name: '民政',
    categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '4': '村民委员会', '5': '居民委员会', '9': '其他' },
  },
  '6': { name: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  G: { name: '公安', categories: { '1': '境外非政府组织代表机构', '9': '其他' } },
  J: { name: '住房和城乡建设', categories: { '1': '业主大会', '9': '其他' } },
  N: { name: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Q: { name: '侨联', categories: { '1': '区县级侨联组织', '2': '乡镇级侨联组织', '3': '村级侨联组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
};

const USCC_VALUES = new Map([...USCC_CHARACTERS].map((ch, i) => [ch, i]));
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check character (position 18) for the first 17 characters. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new TypeError('Expected 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_VALUES.get(first17[i]!);
    if (value === undefined) throw new TypeError(`Not a USCC character: ${first17[i]}`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARACTERS[(31 - (sum % 31)) % 31]!;
}

/** GB 11714 value of a character: digits as such, letters A=10 ... Z=35 (the full alphabet). */
function organizationCodeValue(ch: string): number | undefined {
  if (/^[0-9]$/.test(ch)) return Number(ch);
  if (/^[A-Z]$/.test(ch)) return ch.charCodeAt(0) - 55;
  return undefined;
}

/** GB 11714 check character (ninth) for the first eight characters of an organisation code. */
export function organizationCodeCheckCharacter(first8: string): string {
  if (first8.length !== 8) throw new TypeError('Expected 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = organizationCodeValue(first8[i]!);
    if (value === undefined) throw new TypeError(`Not an organisation code character: ${first8[i]}`);
    sum += value * ORGANIZATION_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Validates and normalises a USCC: white space around it is trimmed and letters are upper-cased. */
export function validateUscc(input: string): UsccResult {
  const code = input.trim().toUpperCase();
  if (![...code].every((ch) => USCC_VALUES.has(ch))) return { valid: false, reason: 'invalidCharacters' };
  if (code.length !== 18) return { valid: false, reason: 'length' };

  const authorityCode = code[0]!;
  const authority = REGISTRATION_AUTHORITIES[authorityCode];
  if (!authority) return { valid: false, reason: 'unknownAuthority' };
  const categoryCode = code[1]!;
  const categoryName = authority.categories[categoryCode];
  if (categoryName === undefined) return { valid: false, reason: 'unknownCategory' };

  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || (region !== NATIONWIDE_REGION_CODE && !provinceOf(region))) {
    return { valid: false, reason: 'unknownRegion' };
  }

  const organizationCode = code.slice(8, 17);
  if (organizationCodeCheckCharacter(organizationCode.slice(0, 8)) !== organizationCode[8]) {
    return { valid: false, reason: 'organizationCodeCheck' };
  }
  if (usccCheckCharacter(code.slice(0, 17)) !== code[17]) return { valid: false, reason: 'checkCharacter' };

  const info: UsccInfo = {
    registrationAuthority: { code: authorityCode, name: authority.name },
    category: { code: categoryCode, name: categoryName },
    region,
    organizationCode,
  };
  const regionName = region === NATIONWIDE_REGION_CODE ? '全国' : getRegion(region)?.name;
  if (regionName) info.regionName = regionName;
  return { valid: true, normalized: code, info };
}

export type EntityType = 'enterprise' | 'individualBusiness' | 'publicInstitution' | 'socialOrganization' | 'farmerCooperative';

const ENTITY_TYPES_BY_AUTHORITY_AND_CATEGORY: Readonly<Record<string, EntityType>> = {
  '91': 'enterprise',
  '92': 'individualBusiness',
  '93': 'farmerCooperative',
  '12': 'publicInstitution',
  A1: 'publicInstitution',
  // 社会团体, 民办非企业单位 (now 社会服务机构) and 基金会 are the three kinds of 社会组织.
  '51': 'socialOrganization',
  '52': 'socialOrganization',
  '53': 'socialOrganization',
};

/**
 * The platform's entity type for a valid USCC, from its first two characters. Undefined for an
 * invalid code and for bodies the platform has no type for (government organs, religious venues, ...).
 */
export function entityTypeFromUscc(uscc: string): EntityType | undefined {
  const result = validateUscc(uscc);
  if (!result.valid) return undefined;
  return ENTITY_TYPES_BY_AUTHORITY_AND_CATEGORY[result.normalized.slice(0, 2)];
}
