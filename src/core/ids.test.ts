import fc from 'fast-check';
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

  it('ascend when made one after another in the same millisecond, also past 4,096 of them', () => {
    const ids = Array.from({ length: 10_000 }, () => newId(1_700_000_000_500));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.startsWith(newId(1_700_000_000_500).slice(0, 8))).toBe(true);
  });

  it('ascend for any run of non-decreasing times, and an earlier time still sorts by its own time', () => {
    let clock = 1_800_000_000_000;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 300 }), fc.integer({ min: 0, max: 1_000_000 }), (steps, gap) => {
        const start = (clock += gap + 2000);
        let t = start;
        const ids = steps.map((step) => newId((t += step)));
        clock = t;
        expect([...ids].sort()).toEqual(ids);
        const backdated = newId(start - 1000);
        expect(backdated < ids[0]!).toBe(true);
        expect(backdated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });

  it('ascend for a time captured earlier and used again after ids for other times, as a service reusing its `now` does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_020 }), { minLength: 1, maxLength: 100 }), (others) => {
        const captured = 1_700_000_000_010;
        const ids = others.map((other) => {
          newId(other);
          return newId(captured);
        });
        expect([...ids].sort()).toEqual(ids);
      }),
    );
  });

  it('ascend for a time still in use while ids for thousands of other milliseconds are made, also once its counter is full', () => {
    const captured = 1_650_000_000_000;
    const reused: string[] = [];
    for (let i = 1; i <= 6000; i++) {
      newId(captured + i * 10);
      if (i % 1000 === 0) reused.push(newId(captured));
    }
    expect([...reused].sort()).toEqual(reused);

    const full = 1_660_000_000_000;
    const ids = Array.from({ length: 4096 }, () => newId(full));
    for (let i = 1; i <= 6000; i++) {
      newId(full + 10_000 + i);
      if (i % 1000 === 0) ids.push(newId(full));
    }
    expect([...ids].sort()).toEqual(ids);
  });
});
