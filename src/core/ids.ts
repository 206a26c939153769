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
// after their timestamp, so ids made for the same millisecond must ascend: the 12 bits of rand_a
// hold a counter per millisecond, seeded at random below half its range (RFC 9562, 6.2 method 1);
// a counter that runs out moves on to the next millisecond. The counters of the
// RECENT_MILLISECONDS milliseconds used last are kept (the map in order of last use), so that ids
// for a time captured earlier (a service's `now` used for several rows, a backdated row, a test's
// clock) ascend too.
const RECENT_MILLISECONDS = 4096;
const counters = new Map<number, number>();

function use(ms: number, counter: number): void {
  counters.delete(ms);
  counters.set(ms, counter);
}

function nextInMillisecond(ms: number, seed: number): [number, number] {
  for (let at = ms; ; at += 1) {
    const last = counters.get(at);
    if (last !== undefined && last >= 0xfff) {
      use(at, last);
      continue;
    }
    const sequence = last === undefined ? seed : last + 1;
    use(at, sequence);
    if (counters.size > RECENT_MILLISECONDS) counters.delete(counters.keys().next().value!);
    return [at, sequence];
  }
}

/** UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of B-tree indexes. */
export function newId(now: number = Date.now()): string {
  const bytes = random16();
  const [ms, sequence] = nextInMillisecond(now, ((bytes[6]! & 0x07) << 8) | bytes[7]!);
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
