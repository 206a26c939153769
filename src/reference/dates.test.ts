import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, fromDayNumber, isIsoDate, monthsBetween, toDayNumber, weekdayOfDayNumber } from './dates.js';

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

describe('adding months', () => {
  it('keeps the day, or takes the last day of a shorter month, forwards and backwards', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2026-03-15', 36)).toBe('2029-03-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-10', -13)).toBe('2024-12-10');
    expect(() => addMonths('2026-02-30', 1)).toThrow();
  });

  it('always gives a real date exactly that many whole months later', () => {
    const dates = fc.integer({ min: toDayNumber('1950-01-01'), max: toDayNumber('2100-12-31') }).map(fromDayNumber);
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 600 }), (date, months) => {
        const later = addMonths(date, months);
        expect(isIsoDate(later)).toBe(true);
        expect(monthsBetween(date, later)).toBe(Number(later.slice(8)) < Number(date.slice(8)) ? months - 1 : months);
        expect(addMonths(date, 0)).toBe(date);
      }),
    );
  });
});

describe('early years', () => {
  it('does not read years below 100 as 19xx', () => {
    expect(fromDayNumber(toDayNumber('0050-03-01'))).toBe('0050-03-01');
  });
});
