import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CalendarYearNotLoadedError,
  InvalidCalendarDataError,
  WorkingCalendar,
  chineseDaysYears,
  defaultWorkingCalendar,
  shanghaiDate,
  shanghaiToday,
  validateCalendarYear,
} from './calendar.js';
import { fromDayNumber, toDayNumber } from './dates.js';

const calendar = defaultWorkingCalendar();

describe('the packaged calendar', () => {
  it('covers 2004 to 2026 and nothing else', () => {
    expect(calendar.coveredYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2003)).toBe(false);
    expect(calendar.covers(2027)).toBe(false);
  });

  it('Spring Festival 2024: Feb 10-17 off, and Sundays Feb 4 and Feb 18 worked', () => {
    for (let day = 10; day <= 17; day++) expect(calendar.isWorkingDay(`2024-02-${day}`)).toBe(false);
    expect(calendar.holidayName('2024-02-12')).toBe('春节');
    expect(calendar.isWorkingDay('2024-02-04')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-18')).toBe(true);
    expect(calendar.holidayName('2024-02-18')).toBeUndefined();
    // 除夕 (Feb 9, a Friday) was not an official holiday in 2024.
    expect(calendar.isWorkingDay('2024-02-09')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-03')).toBe(false);
  });

  it('an application received on the eve of the 2024 break has its first working day on Sunday Feb 18', () => {
    expect(calendar.addWorkingDays('2024-02-09', 1)).toBe('2024-02-18');
    expect(calendar.addWorkingDays('2024-02-09', 2)).toBe('2024-02-19');
    expect(calendar.workingDaysBetween('2024-02-09', '2024-02-18')).toBe(1);
  });

  it('National Day 2025: Oct 1-8 off, Sunday Sep 28 and Saturday Oct 11 worked', () => {
    for (let day = 1; day <= 8; day++) expect(calendar.isWorkingDay(`2025-10-0${day}`)).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
  });

  it('a 20-working-day limit for an application received Friday 2025-09-26 ends on 2025-10-30', () => {
    // Counted by hand: Sep 28, 29, 30 (1-3); Oct 9, 10, 11 (4-6); Oct 13-17 (7-11); Oct 20-24 (12-16); Oct 27-30 (17-20).
    expect(calendar.addWorkingDays('2025-09-26', 20)).toBe('2025-10-30');
    expect(calendar.workingDaysBetween('2025-09-26', '2025-10-30')).toBe(20);
    expect(calendar.workingDaysBetween('2025-09-26', '2025-10-29')).toBe(19);
  });

  it('counting starts the day after, whatever kind of day the start is', () => {
    expect(calendar.addWorkingDays('2025-10-03', 1)).toBe('2025-10-09'); // received during the holiday
    expect(calendar.addWorkingDays('2025-10-10', 1)).toBe('2025-10-11'); // Friday, then a worked Saturday
    expect(calendar.addWorkingDays('2025-10-03', 0)).toBe('2025-10-03');
  });

  it('counts back for negative n', () => {
    expect(calendar.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(calendar.addWorkingDays('2025-10-09', -3)).toBe('2025-09-28');
    expect(calendar.addWorkingDays('2025-10-09', -4)).toBe('2025-09-26');
    expect(calendar.workingDaysBetween('2025-10-09', '2025-09-26')).toBe(-4);
  });

  it('refuses to guess about a year that is not loaded', () => {
    expect(() => calendar.isWorkingDay('2027-01-04')).toThrow(CalendarYearNotLoadedError);
    try {
      calendar.addWorkingDays('2026-12-28', 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarYearNotLoadedError);
      expect(error).toMatchObject({ code: 'calendarYearNotLoaded', year: 2027 });
    }
    expect(() => calendar.workingDaysBetween('2003-12-30', '2004-01-05')).toThrow(CalendarYearNotLoadedError);
    expect(() => WorkingCalendar.empty().isWorkingDay('2025-01-02')).toThrow(CalendarYearNotLoadedError);
  });

  it('refuses malformed dates and counts', () => {
    expect(() => calendar.isWorkingDay('2025-02-29')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2025-1-2')).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2025-01-02', 1.5)).toThrow(RangeError);
  });

  it('keeps the Chinese holiday names of the package', () => {
    const y2025 = chineseDaysYears().find((y) => y.year === 2025)!;
    expect(y2025.holidays).toContainEqual({ date: '2025-10-06', name: '中秋' });
    expect(calendar.yearData(2025).workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });
});

describe('a year loaded by an administrator', () => {
  // Test data only: 2027's arrangement was not published when this was written.
  const year2027 = {
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-01-04', name: '元旦' },
    ],
    workdays: ['2027-01-09'],
  };

  it('extends a copy of the calendar and leaves the original unchanged', () => {
    const extended = calendar.withYear(2027, year2027);
    expect(extended.covers(2027)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    expect(extended.addWorkingDays('2026-12-31', 1)).toBe('2027-01-05');
    expect(extended.isWorkingDay('2027-01-09')).toBe(true);
    expect(extended.holidayName('2027-01-04')).toBe('元旦');
  });

  it('replaces a year that was already loaded', () => {
    const corrected = calendar.withYear(2025, { holidays: [], workdays: [] });
    expect(corrected.isWorkingDay('2025-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-08')).toBe(false);
  });

  it('rejects dates outside the year, a day that is both holiday and workday, and invalid dates', () => {
    expect(() => calendar.withYear(2027, { holidays: [{ date: '2026-12-31', name: 'x' }], workdays: [] })).toThrow(InvalidCalendarDataError);
    expect(() =>
      calendar.withYear(2027, { holidays: [{ date: '2027-01-09', name: '元旦' }], workdays: ['2027-01-09'] }),
    ).toThrow(InvalidCalendarDataError);
    expect(() => calendar.withYear(2027, { holidays: [{ date: '2027-02-30', name: '春节' }], workdays: [] })).toThrow(/holidays\/0\/date/);
  });
});

describe('validating an upload', () => {
  it('accepts a well-formed year and returns only the known fields, names trimmed', () => {
    expect(
      validateCalendarYear({ year: 2027, holidays: [{ date: '2027-01-01', name: ' 元旦 ', extra: 1 }], workdays: [], note: 'x' }),
    ).toEqual({ ok: true, value: { year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] } });
  });

  it('reports every problem with its path', () => {
    const result = validateCalendarYear({
      year: 2027,
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-01-01', name: '元旦' },
        { date: '2026-10-01', name: '国庆节' },
        { date: '2027-13-01', name: '' },
        'not an object',
      ],
      workdays: ['2027-01-05', '2027-01-01', '2027/01/09', '2027-01-09', '2027-01-09'],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['/holidays/1/date', 'duplicateDate'],
      ['/holidays/2/date', 'dateOutsideYear'],
      ['/holidays/3/date', 'invalidDate'],
      ['/holidays/3/name', 'invalidName'],
      ['/holidays/4', 'notAnObject'],
      ['/workdays/0', 'workdayNotWeekend'],
      ['/workdays/1', 'workdayNotWeekend'],
      ['/workdays/2', 'invalidDate'],
      ['/workdays/4', 'duplicateDate'],
    ]);
  });

  it('a weekend day listed as both holiday and workday is flagged', () => {
    const result = validateCalendarYear({ year: 2027, holidays: [{ date: '2027-01-02', name: '元旦' }], workdays: ['2027-01-02'] });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '/workdays/0', code: 'holidayAndWorkday', message: expect.any(String) }],
    });
  });

  it('reports a missing year, missing lists and a non-object', () => {
    expect(validateCalendarYear(null)).toMatchObject({ ok: false, errors: [{ path: '', code: 'notAnObject' }] });
    const result = validateCalendarYear({ year: '2027' });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['/year', '/holidays', '/workdays']);
    expect(validateCalendarYear({ year: 2027.5, holidays: [], workdays: [] })).toMatchObject({ ok: false });
  });
});

describe('Shanghai dates', () => {
  it('midnight in Shanghai is 16:00 UTC the day before', () => {
    expect(shanghaiDate(new Date('2024-02-09T15:59:59.999Z'))).toBe('2024-02-09');
    expect(shanghaiDate(new Date('2024-02-09T16:00:00.000Z'))).toBe('2024-02-10');
    expect(shanghaiToday(() => new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });
});

describe('properties', () => {
  const first = toDayNumber('2004-01-01');
  const last = toDayNumber('2025-06-30');
  const dateArbitrary = fc.integer({ min: first, max: last }).map(fromDayNumber);
  const countArbitrary = fc.integer({ min: 0, max: 300 });

  it('workingDaysBetween(d, addWorkingDays(d, n)) is n, and the result is a working day', () => {
    fc.assert(
      fc.property(dateArbitrary, countArbitrary, (date, n) => {
        const end = calendar.addWorkingDays(date, n);
        expect(calendar.workingDaysBetween(date, end)).toBe(n);
        if (n > 0) expect(calendar.isWorkingDay(end)).toBe(true);
        expect(calendar.addWorkingDays(date, n + 1) > end).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('counting back n working days from a working day and forward again returns to it', () => {
    fc.assert(
      // Starts late enough that 300 working days back stay within the packaged years.
      fc.property(fc.integer({ min: toDayNumber('2005-06-01'), max: last }).map(fromDayNumber), countArbitrary, (date, n) => {
        const workingDay = calendar.addWorkingDays(date, 1);
        expect(calendar.addWorkingDays(calendar.addWorkingDays(workingDay, -n), n)).toBe(workingDay);
      }),
      { numRuns: 300 },
    );
  });

  it('counts exactly as walking day by day would, across years', () => {
    const walkBetween = (from: string, to: string) => {
      let count = 0;
      for (let day = toDayNumber(from) + 1; day <= toDayNumber(to); day++) if (calendar.isWorkingDay(fromDayNumber(day))) count++;
      return count;
    };
    const walkAdd = (from: string, n: number) => {
      let day = toDayNumber(from);
      for (let left = n; left > 0; ) if (calendar.isWorkingDay(fromDayNumber(++day))) left--;
      return fromDayNumber(day);
    };
    fc.assert(
      fc.property(dateArbitrary, fc.integer({ min: 0, max: 400 }), countArbitrary, (date, span, n) => {
        const to = fromDayNumber(Math.min(last, toDayNumber(date) + span));
        expect(calendar.workingDaysBetween(date, to)).toBe(walkBetween(date, to));
        expect(calendar.addWorkingDays(date, n)).toBe(walkAdd(date, n));
      }),
      { numRuns: 300 },
    );
  });

  it('workingDaysBetween adds up over consecutive intervals', () => {
    fc.assert(
      fc.property(dateArbitrary, dateArbitrary, dateArbitrary, (a, b, c) => {
        expect(calendar.workingDaysBetween(a, b) + calendar.workingDaysBetween(b, c)).toBe(calendar.workingDaysBetween(a, c));
      }),
      { numRuns: 50 },
    );
  });
});
