/**
 * fast-check arbitraries for property tests of code that handles identity numbers and credit
 * codes. Test-only (fast-check is a development dependency): not re-exported from index.ts.
 */
import fc from 'fast-check';
import { fromDayNumber, toDayNumber, type IsoDate } from './dates.js';
import { NATIONWIDE_REGION_CODE, children } from './regions.js';
import { makeResidentId, makeUscc, type ResidentIdParts, type UsccParts } from './testing.js';
import { REGISTRATION_AUTHORITIES, USCC_CHARACTERS } from './uscc.js';

/** A fixed "today" so that generated birth dates never become future dates as time passes. */
export const ARBITRARY_TODAY: IsoDate = '2025-06-30';

let countyCodes: string[] | undefined;

/** Every county-level code of the current list, collected once. */
function allCountyCodes(): string[] {
  if (!countyCodes) {
    const codes: string[] = [];
    const queue = children(NATIONWIDE_REGION_CODE);
    while (queue.length > 0) {
      const region = queue.pop()!;
      if (region.level === 'county') codes.push(region.code);
      queue.push(...children(region.code));
    }
    countyCodes = codes.sort();
  }
  return countyCodes;
}

export function countyCodeArbitrary(): fc.Arbitrary<string> {
  return fc.constantFrom(...allCountyCodes());
}

export function birthDateArbitrary(from: IsoDate = '1800-01-01', to: IsoDate = ARBITRARY_TODAY): fc.Arbitrary<IsoDate> {
  return fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map(fromDayNumber);
}

export function residentIdPartsArbitrary(): fc.Arbitrary<ResidentIdParts> {
  return fc.record({
    region: countyCodeArbitrary(),
    birthDate: birthDateArbitrary(),
    sequence: fc.integer({ min: 0, max: 999 }),
  });
}

export function residentIdArbitrary(): fc.Arbitrary<string> {
  return residentIdPartsArbitrary().map(makeResidentId);
}

const AUTHORITY_CATEGORY_PAIRS = Object.entries(REGISTRATION_AUTHORITIES).flatMap(([authority, { categories }]) =>
  Object.keys(categories).map((category) => ({ authority, category })),
);

export function usccPartsArbitrary(): fc.Arbitrary<Required<UsccParts>> {
  return fc
    .record({
      pair: fc.constantFrom(...AUTHORITY_CATEGORY_PAIRS),
      region: fc.oneof(countyCodeArbitrary(), fc.constant(NATIONWIDE_REGION_CODE)),
      organizationCodeBody: fc.string({ unit: fc.constantFrom(...USCC_CHARACTERS), minLength: 8, maxLength: 8 }),
    })
    .map(({ pair, region, organizationCodeBody }) => ({ ...pair, region, organizationCodeBody }));
}

export function usccArbitrary(): fc.Arbitrary<string> {
  return usccPartsArbitrary().map(makeUscc);
}
