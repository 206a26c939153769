import { fromDayNumber, toDayNumber, type IsoDate } from '../reference/dates.js';
import type { DeadlineCalendar } from '../reference/calendar-service.js';

/**
 * Legal and promised time limits. The clock starts on the day an application is accepted and, as
 * the law counts periods, that day itself is not counted. It stops while the applicant is asked for
 * a supplement or a special procedure (hearing, expert review, inspection) runs, and every paused
 * day moves both deadlines back by one. Limits are in working days of the official calendar (so
 * the Spring Festival and adjusted working weekends count as the State Council set them), or in
 * calendar days where the item says so.
 */
export type TimeLimitUnit = 'workingDays' | 'calendarDays';

export interface ClockState {
  unit: TimeLimitUnit;
  promisedDays: number;
  legalDays: number;
  /** Acceptance day; null until accepted. */
  startedOn: IsoDate | null;
  /** Days already paused and resumed, in the item's unit. */
  pausedDays: number;
  /** Start of the current pause, or null when running. */
  pausedSince: IsoDate | null;
  /** Conclusion day; the clock reads as of this day from then on. */
  stoppedOn: IsoDate | null;
}

export type DeadlineFlag = 'notStarted' | 'onTrack' | 'dueSoon' | 'overdue' | 'paused' | 'stopped';

export interface Deadlines {
  promisedDue: IsoDate | null;
  legalDue: IsoDate | null;
  /** Days left to the promised deadline as of today (negative when overdue), in the item's unit. */
  daysLeft: number | null;
  daysLeftLegal: number | null;
  /** Days the clock has run so far, excluding pauses. */
  daysUsed: number | null;
  flag: DeadlineFlag;
  /** A due date falls in a year whose holidays are not published yet: counted on weekends only for now. */
  provisional: boolean;
}

/** Within this many days of the promised deadline an application is flagged as due soon. */
export const DUE_SOON_DAYS = 2;

export function daysBetween(calendar: DeadlineCalendar, unit: TimeLimitUnit, from: IsoDate, to: IsoDate): number {
  return unit === 'workingDays' ? calendar.calendar.workingDaysBetween(from, to) : toDayNumber(to) - toDayNumber(from);
}

export function addDays(calendar: DeadlineCalendar, unit: TimeLimitUnit, from: IsoDate, days: number): IsoDate {
  if (unit === 'workingDays') return calendar.calendar.addWorkingDays(from, days);
  // A period in calendar days whose last day is a rest day ends on the next working day
  // (Civil Code art. 203; the procedural laws count periods the same way).
  let day = toDayNumber(from) + days;
  while (!calendar.calendar.isWorkingDay(fromDayNumber(day))) day++;
  return fromDayNumber(day);
}

/** The pause that ends today, in the item's unit: to be added to `pausedDays` when the clock resumes. */
export function pauseLength(calendar: DeadlineCalendar, state: ClockState, today: IsoDate): number {
  if (!state.pausedSince) return 0;
  return Math.max(0, daysBetween(calendar, state.unit, state.pausedSince, today));
}

export function deadlines(calendar: DeadlineCalendar, state: ClockState, today: IsoDate): Deadlines {
  if (!state.startedOn) return { promisedDue: null, legalDue: null, daysLeft: null, daysLeftLegal: null, daysUsed: null, flag: 'notStarted', provisional: false };
  const asOf = state.stoppedOn ?? today;
  const paused = state.pausedDays + pauseLength(calendar, state, asOf);
  const promisedDue = addDays(calendar, state.unit, state.startedOn, state.promisedDays + paused);
  const legalDue = addDays(calendar, state.unit, state.startedOn, state.legalDays + paused);
  const daysLeft = daysBetween(calendar, state.unit, asOf, promisedDue);
  const daysLeftLegal = daysBetween(calendar, state.unit, asOf, legalDue);
  const daysUsed = Math.max(0, daysBetween(calendar, state.unit, state.startedOn, asOf) - paused);
  let flag: DeadlineFlag;
  if (state.stoppedOn) flag = 'stopped';
  else if (state.pausedSince) flag = 'paused';
  else if (daysLeft < 0) flag = 'overdue';
  else if (daysLeft <= DUE_SOON_DAYS) flag = 'dueSoon';
  else flag = 'onTrack';
  const provisional = unitCountsWorkingDays(state) && [promisedDue, legalDue].some((date) => calendar.provisionalYears.has(Number(date.slice(0, 4))));
  return { promisedDue, legalDue, daysLeft, daysLeftLegal, daysUsed, flag, provisional };
}

function unitCountsWorkingDays(state: ClockState): boolean {
  return state.unit === 'workingDays';
}
