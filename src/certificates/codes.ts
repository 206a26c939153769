import { randomBytes } from 'node:crypto';

/**
 * Verification codes are read off paper and typed by hand, so the alphabet leaves out the
 * characters people confuse (0/O, 1/I). 32 symbols make each one exactly five random bits, and
 * twenty of them (100 bits) cannot be guessed or enumerated.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 20;
const GROUP = 4;

export function newVerificationCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += CODE_ALPHABET[byte & 31];
  return code;
}

/** ABCD-EFGH-JKLM-NPQR-STUV: groups of four, as printed on the certificate. */
export function groupCode(code: string): string {
  return code.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? code;
}

/**
 * What a person typed, reduced to the stored form: spaces and dashes dropped, upper case,
 * full-width characters (typed with a Chinese input method) made half-width. Anything else is
 * left in, so a wrong code simply matches nothing.
 */
export function normalizeCode(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\-_‐‑–—]/g, '')
    .toUpperCase()
    .slice(0, 64);
}

/**
 * A person's name as the public may see it: the first character, then one star per further
 * character (王芳 → 王*, 欧阳娜娜 → 欧***). Enterprise names are public registration data and are
 * shown whole.
 */
export function maskPersonName(name: string): string {
  const characters = Array.from(name.trim());
  if (characters.length <= 1) return '*';
  return characters[0] + '*'.repeat(characters.length - 1);
}
