/**
 * Calendar dates as 'YYYY-MM-DD' strings. Dates here are civil dates with no time zone; only
 * `shanghaiDate` touches instants, so that "today" means today in China wherever the server runs.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991; instants before that are not
// "today" for any live request.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Whether `value` is a 'YYYY-MM-DD' string naming a real Gregorian date (so 2023-02-29 is not). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  return isRealDate(Number(y), Number(m), Number(d));
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 1970-01-01; the caller guarantees a valid date. */
export function toDayNumber(date: IsoDate): number {
  // setUTCFullYear rather than Date.UTC, which reads years 0-99 as 1900-1999.
  const instant = new Date(0);
  instant.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return instant.getTime() / MS_PER_DAY;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The calendar date in China (Asia/Shanghai) at the given instant. */
export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today in China, with the clock injectable for tests. */
export function shanghaiToday(now: () => Date = () => new Date()): IsoDate {
  return shanghaiDate(now());
}

/**
 * The same day `months` later (earlier when negative), or the last day of that month when it is
 * shorter, as people count months: 31 January + 1 month is 28 or 29 February.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!isIsoDate(date)) throw new Error(`addMonths: not a date ${date}`);
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole months from one date to a later one: 2020-01-31 → 2020-02-29 is 0, → 2020-03-31 is 2. */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}
