/**
 * Working-day calendar of the State Council (Asia/Shanghai): weekdays are working days except the
 * official holidays, and weekends are days off except the adjusted working days (调休).
 *
 * Legal deadlines counted in working days (e.g. 行政许可法 第八十二条) depend on each year's
 * arrangement, which the State Council publishes late in the previous year. A year that has not
 * been loaded is therefore an error (`calendarYearNotLoaded`), never a guess from weekends alone.
 *
 * Default data: the `chinese-days` package (2004-2026). Later years are loaded by an administrator
 * through `validateCalendarYear` and `WorkingCalendar.withYear`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fromDayNumber, isIsoDate, toDayNumber, weekdayOfDayNumber, type IsoDate } from './dates.js';

export { shanghaiDate, shanghaiToday, type IsoDate } from './dates.js';

export interface HolidayEntry {
  date: IsoDate;
  name: string;
}

/** One year's arrangement, also the administrator's upload format. */
export interface CalendarYearData {
  year: number;
  /** Days off, including the weekend days inside a holiday period. */
  holidays: HolidayEntry[];
  /** Adjusted working days: Saturdays or Sundays that are worked. */
  workdays: IsoDate[];
}

export class CalendarYearNotLoadedError extends Error {
  readonly code = 'calendarYearNotLoaded';
  constructor(readonly year: number) {
    super(`The working-day calendar for ${year} has not been loaded`);
    this.name = 'CalendarYearNotLoadedError';
  }
}

export interface CalendarValidationError {
  /** JSON Pointer into the uploaded document, e.g. '/holidays/3/date'. */
  path: string;
  code:
    | 'notAnObject'
    | 'invalidYear'
    | 'notAnArray'
    | 'invalidDate'
    | 'dateOutsideYear'
    | 'duplicateDate'
    | 'invalidName'
    | 'workdayNotWeekend'
    | 'holidayAndWorkday';
  message: string;
}

export class InvalidCalendarDataError extends Error {
  readonly code = 'invalidCalendarData';
  constructor(readonly errors: CalendarValidationError[]) {
    super(`Invalid calendar data: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    this.name = 'InvalidCalendarDataError';
  }
}

const MIN_YEAR = 1949;
const MAX_YEAR = 2999;
const MAX_NAME_LENGTH = 100;

/** Checks an administrator's upload; on success returns it reduced to the fields we keep. */
export function validateCalendarYear(
  upload: unknown,
): { ok: true; value: CalendarYearData } | { ok: false; errors: CalendarValidationError[] } {
  const errors: CalendarValidationError[] = [];
  if (typeof upload !== 'object' || upload === null || Array.isArray(upload)) {
    return { ok: false, errors: [{ path: '', code: 'notAnObject', message: 'must be an object' }] };
  }
  const { year, holidays, workdays } = upload as Record<string, unknown>;
  const yearIsValid = typeof year === 'number' && Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
  if (!yearIsValid) {
    errors.push({ path: '/year', code: 'invalidYear', message: `must be an integer from ${MIN_YEAR} to ${MAX_YEAR}` });
  }

  const checkDate = (value: unknown, path: string, seen: Set<string>): value is IsoDate => {
    if (!isIsoDate(value)) {
      errors.push({ path, code: 'invalidDate', message: 'must be a real date written YYYY-MM-DD' });
      return false;
    }
    if (yearIsValid && Number(value.slice(0, 4)) !== year) {
      errors.push({ path, code: 'dateOutsideYear', message: `${value} is not in ${year}` });
      return false;
    }
    if (seen.has(value)) {
      errors.push({ path, code: 'duplicateDate', message: `${value} is listed twice` });
      return false;
    }
    seen.add(value);
    return true;
  };

  const holidayEntries: HolidayEntry[] = [];
  const holidayDates = new Set<string>();
  if (!Array.isArray(holidays)) {
    errors.push({ path: '/holidays', code: 'notAnArray', message: 'must be an array of {date, name}' });
  } else {
    holidays.forEach((entry: unknown, i) => {
      const path = `/holidays/${i}`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        errors.push({ path, code: 'notAnObject', message: 'must be an object {date, name}' });
        return;
      }
      const { date, name } = entry as Record<string, unknown>;
      const dateOk = checkDate(date, `${path}/date`, holidayDates);
      const nameOk = typeof name === 'string' && name.trim() !== '' && name.length <= MAX_NAME_LENGTH;
      if (!nameOk) errors.push({ path: `${path}/name`, code: 'invalidName', message: `must be a non-empty text of at most ${MAX_NAME_LENGTH} characters` });
      if (dateOk && nameOk) holidayEntries.push({ date, name: name.trim() });
    });
  }

  const workdayDates: IsoDate[] = [];
  if (!Array.isArray(workdays)) {
    errors.push({ path: '/workdays', code: 'notAnArray', message: 'must be an array of dates' });
  } else {
    const seen = new Set<string>();
    workdays.forEach((date: unknown, i) => {
      const path = `/workdays/${i}`;
      if (!checkDate(date, path, seen)) return;
      const weekday = weekdayOfDayNumber(toDayNumber(date));
      if (weekday !== 0 && weekday !== 6) {
        // A weekday is a working day anyway; listing one is almost certainly a typo for another date.
        errors.push({ path, code: 'workdayNotWeekend', message: `${date} is not a Saturday or Sunday` });
      } else if (holidayDates.has(date)) {
        errors.push({ path, code: 'holidayAndWorkday', message: `${date} is also listed as a holiday` });
      } else {
        workdayDates.push(date);
      }
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { year: year as number, holidays: holidayEntries, workdays: workdayDates } };
}

interface YearArrangement {
  firstDay: number;
  lastDay: number;
  holidays: Map<number, string>;
  workdays: Set<number>;
  /** `workingBefore[i]`: working days among the year's first i days; built on first use. */
  workingBefore?: Int32Array;
}

function isWorkingIn(arrangement: YearArrangement, day: number): boolean {
  if (arrangement.holidays.has(day)) return false;
  if (arrangement.workdays.has(day)) return true;
  const weekday = weekdayOfDayNumber(day);
  return weekday !== 0 && weekday !== 6;
}

/**
 * Counting working days is done on every deadline a page shows (a queue shows fifty), so each year
 * keeps a running count and a span is counted per year touched rather than per day.
 */
function workingBefore(arrangement: YearArrangement): Int32Array {
  if (arrangement.workingBefore) return arrangement.workingBefore;
  const days = arrangement.lastDay - arrangement.firstDay + 1;
  const counts = new Int32Array(days + 1);
  for (let i = 0; i < days; i++) counts[i + 1] = counts[i]! + (isWorkingIn(arrangement, arrangement.firstDay + i) ? 1 : 0);
  arrangement.workingBefore = counts;
  return counts;
}

export class WorkingCalendar {
  readonly #years: ReadonlyMap<number, YearArrangement>;
  // Day-by-day loops stay in one year for hundreds of steps; remembering it avoids a Date per day.
  #lastArrangement: YearArrangement | undefined;

  private constructor(years: ReadonlyMap<number, YearArrangement>) {
    this.#years = years;
  }

  /** Builds a calendar from validated years; throws InvalidCalendarDataError otherwise. */
  static fromYears(years: readonly CalendarYearData[]): WorkingCalendar {
    const map = new Map<number, YearArrangement>();
    for (const data of years) map.set(data.year, toArrangement(data));
    return new WorkingCalendar(map);
  }

  /** A calendar with no year loaded; every query fails until years are added. */
  static empty(): WorkingCalendar {
    return new WorkingCalendar(new Map());
  }

  /**
   * A new calendar with `year` loaded (replacing any arrangement it had, so that an administrator
   * can correct a year). This calendar is left unchanged.
   */
  withYear(year: number, data: Omit<CalendarYearData, 'year'>): WorkingCalendar {
    const map = new Map(this.#years);
    map.set(year, toArrangement({ year, ...data }));
    return new WorkingCalendar(map);
  }

  covers(year: number): boolean {
    return this.#years.has(year);
  }

  coveredYears(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** The year's arrangement as loaded, e.g. for display or export. */
  yearData(year: number): CalendarYearData {
    const arrangement = this.#arrangement(year);
    return {
      year,
      holidays: [...arrangement.holidays].sort(([a], [b]) => a - b).map(([day, name]) => ({ date: fromDayNumber(day), name })),
      workdays: [...arrangement.workdays].sort((a, b) => a - b).map(fromDayNumber),
    };
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.#isWorkingDayNumber(parseDate(date));
  }

  /** Name of the official holiday on `date`, if it is one. */
  holidayName(date: IsoDate): string | undefined {
    const day = parseDate(date);
    return this.#arrangement(yearOfDayNumber(day)).holidays.get(day);
  }

  /**
   * The n-th working day after `date`, counting from the day after: a time limit of n working days
   * for an application received on `date` ends on `addWorkingDays(date, n)`, whatever kind of day
   * `date` itself is. n = 0 returns `date`; a negative n counts back (the |n|-th working day before
   * `date`).
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isSafeInteger(n)) throw new RangeError(`Working days must be an integer, got ${n}`);
    if (n > 0) return fromDayNumber(this.#nthWorkingDayAfter(parseDate(date), n));
    let day = parseDate(date);
    const step = n < 0 ? -1 : 1;
    for (let remaining = Math.abs(n); remaining > 0; ) {
      day += step;
      if (this.#isWorkingDayNumber(day)) remaining--;
    }
    return fromDayNumber(day);
  }

  /**
   * Working days in the half-open interval (from, to]: the days after `from` up to and including
   * `to`, so that `workingDaysBetween(d, addWorkingDays(d, n)) === n` for n >= 0. Negative when `to`
   * is before `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = parseDate(from);
    const end = parseDate(to);
    // `|| 0` keeps an empty backwards interval at 0 rather than -0.
    if (end < start) return -this.workingDaysBetween(to, from) || 0;
    let count = 0;
    for (let year = yearOfDayNumber(start + 1); start < end && year <= yearOfDayNumber(end); year++) {
      const arrangement = this.#arrangement(year);
      const counts = workingBefore(arrangement);
      const from = Math.max(start + 1, arrangement.firstDay) - arrangement.firstDay;
      const to = Math.min(end, arrangement.lastDay) - arrangement.firstDay;
      count += counts[to + 1]! - counts[from]!;
    }
    return count;
  }

  /** The n-th working day after `start` (n > 0), a year at a time, then by halving within the year. */
  #nthWorkingDayAfter(start: number, n: number): number {
    let remaining = n;
    let from = start + 1;
    for (;;) {
      const arrangement = this.#arrangement(yearOfDayNumber(from));
      const counts = workingBefore(arrangement);
      const base = from - arrangement.firstDay;
      const available = counts[counts.length - 1]! - counts[base]!;
      if (available < remaining) {
        remaining -= available;
        from = arrangement.lastDay + 1;
        continue;
      }
      // The first index i with counts[i + 1] - counts[base] >= remaining.
      let low = base;
      let high = counts.length - 2;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (counts[middle + 1]! - counts[base]! >= remaining) high = middle;
        else low = middle + 1;
      }
      return arrangement.firstDay + low;
    }
  }

  #arrangement(year: number): YearArrangement {
    const arrangement = this.#years.get(year);
    if (!arrangement) throw new CalendarYearNotLoadedError(year);
    return arrangement;
  }

  #isWorkingDayNumber(day: number): boolean {
    let arrangement = this.#lastArrangement;
    if (!arrangement || day < arrangement.firstDay || day > arrangement.lastDay) {
      arrangement = this.#lastArrangement = this.#arrangement(yearOfDayNumber(day));
    }
    return isWorkingIn(arrangement, day);
  }
}

function toArrangement(data: CalendarYearData): YearArrangement {
  const result = validateCalendarYear(data);
  if (!result.ok) throw new InvalidCalendarDataError(result.errors);
  return {
    firstDay: toDayNumber(`${data.year}-01-01`),
    lastDay: toDayNumber(`${data.year}-12-31`),
    holidays: new Map(result.value.holidays.map((h) => [toDayNumber(h.date), h.name])),
    workdays: new Set(result.value.workdays.map(toDayNumber)),
  };
}

function parseDate(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${String(date)}`);
  return toDayNumber(date);
}

function yearOfDayNumber(day: number): number {
  return new Date(day * 86_400_000).getUTCFullYear();
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The years published in the `chinese-days` package. Its entries read "English name,中文名,days";
 * we keep the Chinese name.
 */
export function chineseDaysYears(): CalendarYearData[] {
  const require = createRequire(import.meta.url);
  const path = require.resolve('chinese-days/dist/chinese-days.json');
  const data = JSON.parse(readFileSync(path, 'utf8')) as ChineseDaysData;
  const years = new Map<number, CalendarYearData>();
  const yearData = (date: string): CalendarYearData => {
    const year = Number(date.slice(0, 4));
    let entry = years.get(year);
    if (!entry) years.set(year, (entry = { year, holidays: [], workdays: [] }));
    return entry;
  };
  for (const [date, label] of Object.entries(data.holidays)) {
    yearData(date).holidays.push({ date, name: label.split(',')[1] ?? label });
  }
  for (const date of Object.keys(data.workdays)) yearData(date).workdays.push(date);
  return [...years.values()].sort((a, b) => a.year - b.year);
}

let defaultCalendar: WorkingCalendar | undefined;

/** The calendar of the packaged years, built on first use. */
export function defaultWorkingCalendar(): WorkingCalendar {
  defaultCalendar ??= WorkingCalendar.fromYears(chineseDaysYears());
  return defaultCalendar;
}
