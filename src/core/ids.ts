import { randomBytes, randomFillSync } from 'node:crypto';

// Ids are made on every request; asking the CSPRNG for 4 KiB at a time instead of 16 bytes each
// time takes a measurable share off the busiest paths. The bytes are the same kind either way.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function random16(): Buffer {
  if (poolOffset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

// Rows written in one millisecond (an application's events in one transaction) are ordered by id
// after their timestamp, so ids made in the same millisecond must ascend: the 12 bits of rand_a
// hold a counter seeded at random below half its range (RFC 9562, 6.2 method 1), and a counter
// that runs out moves on to the next millisecond. An id made for an earlier, explicit time (a
// backdated row) takes a random counter and leaves the sequence alone.
let lastRequested = -1;
let lastMs = -1;
let counter = 0;

/** UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of B-tree indexes. */
export function newId(now: number = Date.now()): string {
  const bytes = random16();
  let ms: number;
  let sequence: number;
  if (now > lastMs) {
    lastRequested = lastMs = ms = now;
    counter = sequence = ((bytes[6]! & 0x07) << 8) | bytes[7]!;
  } else if (now >= lastRequested) {
    lastRequested = now;
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = bytes[7]! & 0x7f;
    }
    ms = lastMs;
    sequence = counter;
  } else {
    ms = now;
    sequence = ((bytes[6]! & 0x0f) << 8) | bytes[7]!;
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An opaque random token for cookies, codes and links. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
