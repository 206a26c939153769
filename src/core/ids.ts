import { randomBytes } from 'node:crypto';

/** UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of B-tree indexes. */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An opaque random token for cookies, codes and links. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
