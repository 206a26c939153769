/**
 * Citizen identity number, GB 11643-1999 (公民身份号码): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 *
 * Address code policy: the address code is the region where the number was first issued and never
 * changes, so millions of valid numbers carry codes that GB/T 2260 has since abolished (e.g.
 * 440524, the former 潮阳县 of the standard's own example). We therefore accept any code whose
 * province (first two digits) is a known province-level division and report `unknownRegion` only
 * otherwise; `regionName` is given when the full code is in the current list. The residence
 * permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) use 810000, 820000 and 830000
 * in the same format; 830000 is outside GB/T 2260 and is accepted for that reason alone.
 */
import { isRealDate, shanghaiToday, type IsoDate } from './dates.js';
import { getRegion, provinceOf } from './regions.js';

export type ResidentIdReason =
  | 'length'
  | 'invalidCharacters'
  | 'unknownRegion'
  | 'invalidBirthDate'
  | 'futureBirthDate'
  | 'checkCharacter';

export type ResidencePermitHolder = 'hongKong' | 'macao' | 'taiwan';

export interface ResidentIdInfo {
  region: string;
  regionName?: string;
  /** Present when the number is a residence permit number for residents of Hong Kong, Macao or Taiwan. */
  residencePermitFor?: ResidencePermitHolder;
  birthDate: IsoDate;
  sex: 'male' | 'female';
  upgradedFrom15?: true;
}

export type ResidentIdResult =
  | { valid: true; normalized: string; info: ResidentIdInfo }
  | { valid: false; reason: ResidentIdReason };

export interface ResidentIdOptions {
  /** Today's date in China; defaults to the real one. Birth dates after it are rejected. */
  today?: IsoDate;
}

const RESIDENCE_PERMIT_REGIONS: Record<string, ResidencePermitHolder> = {
  '810000': 'hongKong',
  '820000': 'macao',
  '830000': 'taiwan',
};

const EARLIEST_BIRTH_DATE = '1800-01-01';
// Weight of position i (1-based from the left) is 2^(18-i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** ISO 7064 MOD 11-2 check character for the first 17 digits of an 18-character number. */
export function residentIdCheckCharacter(first17Digits: string): string {
  if (!/^\d{17}$/.test(first17Digits)) throw new TypeError('Expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17Digits[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Upgrades a 15-digit number (first generation, YYMMDD in the 1900s) to its 18-character form. */
export function upgradeResidentId15(digits15: string): string {
  if (!/^\d{15}$/.test(digits15)) throw new TypeError('Expected 15 digits');
  const body = `${digits15.slice(0, 6)}19${digits15.slice(6)}`;
  return body + residentIdCheckCharacter(body);
}

/**
 * Validates and normalises a citizen identity number. Surrounding white space is trimmed and a
 * lower-case x becomes X; anything else that is not an ASCII digit (full-width digits included) is
 * `invalidCharacters`, because silently converting it would accept what the holder did not type.
 */
export function validateResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const trimmed = input.trim().replace(/x$/, 'X');
  if (!/^[0-9X]*$/.test(trimmed)) return { valid: false, reason: 'invalidCharacters' };
  if (trimmed.length !== 18 && trimmed.length !== 15) return { valid: false, reason: 'length' };
  const pattern = trimmed.length === 18 ? /^\d{17}[\dX]$/ : /^\d{15}$/;
  if (!pattern.test(trimmed)) return { valid: false, reason: 'invalidCharacters' };

  const upgradedFrom15 = trimmed.length === 15;
  const body = upgradedFrom15 ? `${trimmed.slice(0, 6)}19${trimmed.slice(6)}` : trimmed.slice(0, 17);

  const region = body.slice(0, 6);
  const residencePermitFor = RESIDENCE_PERMIT_REGIONS[region];
  if (!residencePermitFor && !provinceOf(region)) return { valid: false, reason: 'unknownRegion' };

  const year = Number(body.slice(6, 10));
  const month = Number(body.slice(10, 12));
  const day = Number(body.slice(12, 14));
  const birthDate = `${body.slice(6, 10)}-${body.slice(10, 12)}-${body.slice(12, 14)}`;
  if (!isRealDate(year, month, day) || birthDate < EARLIEST_BIRTH_DATE) return { valid: false, reason: 'invalidBirthDate' };
  if (birthDate > (options.today ?? shanghaiToday())) return { valid: false, reason: 'futureBirthDate' };

  const check = residentIdCheckCharacter(body);
  if (!upgradedFrom15 && trimmed[17] !== check) return { valid: false, reason: 'checkCharacter' };

  const info: ResidentIdInfo = {
    region,
    birthDate,
    sex: Number(body[16]) % 2 === 1 ? 'male' : 'female',
  };
  const regionName = getRegion(region)?.name;
  if (regionName) info.regionName = regionName;
  if (residencePermitFor) info.residencePermitFor = residencePermitFor;
  if (upgradedFrom15) info.upgradedFrom15 = true;
  return { valid: true, normalized: body + check, info };
}
