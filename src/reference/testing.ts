/**
 * Makers of valid identifiers for tests, demo data and benchmarks. They compute the check
 * characters with the same functions the validators use, and refuse inputs that could not yield a
 * valid identifier, so a made number always validates (given a `today` on or after its birth date).
 */
import { isIsoDate, type IsoDate } from './dates.js';
import { residentIdCheckCharacter } from './resident-id.js';
import { organizationCodeCheckCharacter, REGISTRATION_AUTHORITIES, USCC_CHARACTERS, usccCheckCharacter } from './uscc.js';

export interface ResidentIdParts {
  /** Six-digit address code, e.g. '110105'. */
  region: string;
  birthDate: IsoDate;
  /** 0-999; odd for a man, even for a woman. */
  sequence: number;
}

/** An 18-character citizen identity number with its MOD 11-2 check character. */
export function makeResidentId({ region, birthDate, sequence }: ResidentIdParts): string {
  if (!/^\d{6}$/.test(region)) throw new TypeError(`Region must be six digits: ${region}`);
  if (!isIsoDate(birthDate)) throw new TypeError(`Birth date must be YYYY-MM-DD: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new RangeError(`Sequence must be 0-999: ${sequence}`);
  const body = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + residentIdCheckCharacter(body);
}

/** A sequence number of the given sex: the n-th odd (male) or even (female) number, n in 0-499. */
export function sequenceForSex(sex: 'male' | 'female', n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 499) throw new RangeError(`n must be 0-499: ${n}`);
  return 2 * n + (sex === 'male' ? 1 : 0);
}

/** A nine-character organisation code (GB 11714) from its first eight characters. */
export function makeOrganizationCode(body8: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{8}$/.test(body8)) throw new TypeError(`Body must be 8 USCC characters: ${body8}`);
  return body8 + organizationCodeCheckCharacter(body8);
}

export interface UsccParts {
  /** Registration authority, default '9' (market regulation). */
  authority?: string;
  /** Category within the authority, default '1' (enterprise for authority 9). */
  category?: string;
  /** Six-digit region of the registering office, default '110105'. */
  region?: string;
  /** First eight characters of the organisation code; the ninth is computed. */
  organizationCodeBody: string;
}

/** An 18-character unified social credit code with both check characters computed. */
export function makeUscc({ authority = '9', category = '1', region = '110105', organizationCodeBody }: UsccParts): string {
  const categories = REGISTRATION_AUTHORITIES[authority]?.categories;
  if (!categories) throw new TypeError(`Unknown registration authority: ${authority}`);
  if (categories[category] === undefined) throw new TypeError(`Unknown category ${category} for authority ${authority}`);
  if (!/^\d{6}$/.test(region)) throw new TypeError(`Region must be six digits: ${region}`);
  const body = `${authority}${category}${region}${makeOrganizationCode(organizationCodeBody)}`;
  return body + usccCheckCharacter(body);
}

/**
 * The organisation code body for a counter, so that demo data and benchmarks can make many
 * distinct codes deterministically: 0 → '00000000', 1 → '00000001', ... in base 31 over the USCC
 * characters.
 */
export function organizationCodeBodyFromNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 31 ** 8) throw new RangeError(`n must be 0 to 31^8-1: ${n}`);
  let body = '';
  for (let rest = n, i = 0; i < 8; i++, rest = Math.floor(rest / 31)) body = USCC_CHARACTERS[rest % 31]! + body;
  return body;
}
