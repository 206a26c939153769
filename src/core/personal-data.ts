import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * ID numbers and phone numbers are stored encrypted (AES-256-GCM, a fresh nonce per value) with a
 * keyed hash beside them: the hash finds a row by exact value without decrypting anything, and
 * without the key it cannot be reversed by enumerating the small space of phone numbers.
 */
export class PersonalDataVault {
  constructor(
    private readonly encryptionKey: Buffer,
    private readonly lookupKey: Buffer,
  ) {}

  encrypt(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown personal data envelope');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Domain-separated, so an ID-number hash never equals a phone-number hash. */
  lookupHash(kind: 'resident-id' | 'phone' | 'email', value: string): string {
    return createHmac('sha256', this.lookupKey).update(`${kind}\u0000${value}`).digest('base64url');
  }
}

/** For display to staff: keeps the region and the check character, hides the birth date and sequence. */
export function maskIdNumber(id: string): string {
  return id.length > 8 ? `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}` : '*'.repeat(id.length);
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '*'.repeat(phone.length);
}
