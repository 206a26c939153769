import type { AuditActor, AuditTrail } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db.js';
import { AppError, invalid, type FieldProblem } from '../core/errors.js';
import type { MessageKey } from '../core/i18n.js';
import {
  CalendarYearNotLoadedError,
  WorkingCalendar,
  chineseDaysYears,
  validateCalendarYear,
  type CalendarYearData,
  type IsoDate,
} from './calendar.js';
import { shanghaiDate } from './dates.js';
import { CalendarStore, type CalendarYearsTable } from './store.js';
import './messages.js';

export type CalendarSource = 'chinese-days' | 'administrator';

/** Years past the current one that deadlines may reach before their holidays are published. */
export const PROVISIONAL_YEARS_AHEAD = 3;

/**
 * The public holidays whose dates the law itself fixes (全国年节及纪念日放假办法): New Year's Day,
 * 1-2 May and 1-3 October. The lunar holidays and the adjusted weekends come only with the
 * State Council's yearly arrangement.
 */
export function fixedHolidays(year: number): { date: string; name: string }[] {
  return [
    { date: `${year}-01-01`, name: '元旦' },
    { date: `${year}-05-01`, name: '劳动节' },
    { date: `${year}-05-02`, name: '劳动节' },
    { date: `${year}-10-01`, name: '国庆节' },
    { date: `${year}-10-02`, name: '国庆节' },
    { date: `${year}-10-03`, name: '国庆节' },
  ];
}

export interface DeadlineCalendar {
  calendar: WorkingCalendar;
  /** Years counted on weekends only because their arrangement is not loaded yet. */
  provisionalYears: ReadonlySet<number>;
}

export interface CalendarYearView extends CalendarYearData {
  source: CalendarSource;
  /** When an administrator loaded the year; absent for the packaged years. */
  loadedAt?: string;
}

export function calendarYearNotLoaded(year: number): AppError {
  return new AppError(400, 'calendarYearNotLoaded', 'error.badRequest.title', 'reference.calendar.yearNotLoaded', { year });
}

/** Runs a calendar computation, turning "year not loaded" into the problem the API answers with. */
function counting<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof CalendarYearNotLoadedError) throw calendarYearNotLoaded(error.year);
    throw error;
  }
}

// The package's years never change while the process runs; parsing them once is enough.
let packagedYears: CalendarYearData[] | undefined;

/**
 * The official working-day calendar: the years packaged with `chinese-days`, overlaid by the years
 * administrators have loaded into the database (an administrator's year replaces the packaged one).
 *
 * Caching: every server copy must see a newly loaded year at once, so `current()` reads the small
 * `calendar_years` table on every call (one indexed scan of a handful of rows) and rebuilds the
 * calendar only when the rows differ from those it was last built from. There is no time-based
 * cache that another copy's load could leave stale.
 */
export class CalendarService {
  readonly store: CalendarStore;
  #built: { fingerprint: string; calendar: WorkingCalendar } | undefined;
  #forDeadlines: { from: WorkingCalendar; thisYear: number; value: DeadlineCalendar } | undefined;

  constructor(
    db: Db,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    this.store = new CalendarStore(db);
  }

  /** The calendar as it stands now, for counting legal time limits in working days. */
  async current(): Promise<WorkingCalendar> {
    const rows = await this.store.allYears();
    const fingerprint = JSON.stringify(rows.map((row) => [row.year, row.loadedAt, row.data]));
    if (this.#built?.fingerprint === fingerprint) return this.#built.calendar;
    const calendar = buildCalendar(rows);
    this.#built = { fingerprint, calendar };
    return calendar;
  }

  /** One year's holidays and adjusted working days, and where they came from. */
  async year(year: number): Promise<CalendarYearView> {
    const row = await this.store.year(year);
    if (row) return { ...(JSON.parse(row.data) as CalendarYearData), source: 'administrator', loadedAt: row.loadedAt };
    const packaged = defaultYears().find((data) => data.year === year);
    if (!packaged) throw new AppError(404, 'calendarYearNotLoaded', 'error.notFound.title', 'reference.calendar.yearNotLoaded', { year });
    return { ...packaged, source: 'chinese-days' };
  }

  /**
   * The calendar legal time limits are counted on. The State Council publishes a year's holidays
   * late in the year before, but a deadline may already fall in it: such a year counts weekends
   * only, provisionally, until an administrator loads the published arrangement, and a deadline
   * that falls in it says it is provisional. Covers every year up to three years ahead.
   */
  async deadlineCalendar(): Promise<DeadlineCalendar> {
    const from = await this.current();
    const thisYear = Number(shanghaiDate(this.clock.now()).slice(0, 4));
    if (this.#forDeadlines?.from === from && this.#forDeadlines.thisYear === thisYear) return this.#forDeadlines.value;
    let calendar = from;
    const provisionalYears = new Set<number>();
    const first = Math.min(thisYear - 1, ...from.coveredYears());
    for (let year = first; year <= thisYear + PROVISIONAL_YEARS_AHEAD; year++) {
      if (calendar.covers(year)) continue;
      calendar = calendar.withYear(year, { holidays: fixedHolidays(year), workdays: [] });
      provisionalYears.add(year);
    }
    const value = { calendar, provisionalYears };
    this.#forDeadlines = { from, thisYear, value };
    return value;
  }

  async addWorkingDays(from: IsoDate, days: number): Promise<IsoDate> {
    const calendar = await this.current();
    return counting(() => calendar.addWorkingDays(from, days));
  }

  async workingDaysBetween(from: IsoDate, to: IsoDate): Promise<number> {
    const calendar = await this.current();
    return counting(() => calendar.workingDaysBetween(from, to));
  }

  /**
   * An administrator loads (or corrects) a year's arrangement as the State Council published it.
   * Every problem in the upload is reported at once, each with its JSON path.
   */
  async loadYear(year: number, upload: unknown, actor: AuditActor): Promise<CalendarYearView> {
    const checked = validateCalendarYear(upload);
    if (!checked.ok) {
      const fields: FieldProblem[] = checked.errors.map((error) => ({
        field: error.path || '/',
        message: `reference.calendar.${error.code}` as MessageKey,
      }));
      throw invalid('invalidCalendarData', fields, 'reference.calendar.invalid');
    }
    if (checked.value.year !== year) {
      throw invalid('invalidCalendarData', [{ field: '/year', message: 'reference.calendar.yearMismatch', params: { year } }], 'reference.calendar.invalid');
    }
    const row: CalendarYearsTable = {
      year,
      data: JSON.stringify(checked.value),
      loadedBy: actor.id ?? actor.type,
      loadedAt: this.clock.now().toISOString(),
    };
    await this.store.transaction(async (tx) => {
      const replaced = await this.store.saveYear(tx, row);
      await this.audit.record(
        {
          action: 'admin.calendarLoaded',
          actor,
          detail: { year, holidays: checked.value.holidays.length, workdays: checked.value.workdays.length, replaced },
        },
        tx,
      );
    });
    return { ...checked.value, source: 'administrator', loadedAt: row.loadedAt };
  }
}

function defaultYears(): CalendarYearData[] {
  packagedYears ??= chineseDaysYears();
  return packagedYears;
}

function buildCalendar(rows: CalendarYearsTable[]): WorkingCalendar {
  const years = new Map(defaultYears().map((data) => [data.year, data]));
  for (const row of rows) years.set(row.year, JSON.parse(row.data) as CalendarYearData);
  return WorkingCalendar.fromYears([...years.values()]);
}
