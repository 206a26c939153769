import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('UUIDv7 ids', () => {
  it('are well-formed version 7, variant 10, and ordered by time', () => {
    const a = newId(1_700_000_000_000);
    const b = newId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });

  it('never repeat, also across refills of the random pool', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId(1_700_000_000_000)));
    expect(ids.size).toBe(5000);
  });
});
