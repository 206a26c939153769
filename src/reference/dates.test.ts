import { describe, expect, it } from 'vitest';
import { fromDayNumber, isIsoDate, toDayNumber, weekdayOfDayNumber } from './dates.js';

describe('ISO dates', () => {
  it('accepts real dates only, with the Gregorian leap-year rule', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-04-31')).toBe(false);
    expect(isIsoDate('2023-12-31')).toBe(true);
    for (const bad of ['2023-1-01', '2023-01-1', '20230101', '2023-01-01T00:00', ' 2023-01-01', '2023-00-10', '2023-01-00', 20230101, null]) {
      expect(isIsoDate(bad)).toBe(false);
    }
  });

  it('day numbers count from 1970-01-01, a Thursday, and go back before it', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(weekdayOfDayNumber(0)).toBe(4);
    expect(fromDayNumber(toDayNumber('1949-10-01'))).toBe('1949-10-01');
    expect(weekdayOfDayNumber(toDayNumber('1949-10-01'))).toBe(6); // a Saturday
    expect(weekdayOfDayNumber(toDayNumber('2024-02-18'))).toBe(0); // a Sunday
  });
});

describe('early years', () => {
  it('does not read years below 100 as 19xx', () => {
    expect(fromDayNumber(toDayNumber('0050-03-01'))).toBe('0050-03-01');
  });
});
