import { describe, expect, it } from 'vitest';
import { defaultWorkingCalendar } from '../reference/calendar.js';
import { deadlines, pauseLength, type ClockState } from './time-limits.js';

const calendar = { calendar: defaultWorkingCalendar(), provisionalYears: new Set<number>() };
const running = (startedOn: string, days: number, extra: Partial<ClockState> = {}): ClockState => ({
  unit: 'workingDays',
  promisedDays: days,
  legalDays: days * 2,
  startedOn,
  pausedDays: 0,
  pausedSince: null,
  stoppedOn: null,
  ...extra,
});

describe('legal time limits on the official calendar', () => {
  it('skips the whole Spring Festival and counts the adjusted working Sunday before it', () => {
    // Accepted Friday 24 January 2025. Sunday 26 January was a working day; 28 January to 4 February were holidays.
    const limits = deadlines(calendar, running('2025-01-24', 3), '2025-01-24');
    expect(limits.promisedDue).toBe('2025-02-05');
    expect(limits.daysLeft).toBe(3);
  });

  it('counts the adjusted working Saturday before the 2026 Spring Festival and nothing during it', () => {
    // Accepted Friday 13 February 2026: Saturday 14 February worked, 15-23 February off.
    expect(deadlines(calendar, running('2026-02-13', 5), '2026-02-13').promisedDue).toBe('2026-02-27');
  });

  it('does not count the day of acceptance itself', () => {
    expect(deadlines(calendar, running('2026-03-02', 1), '2026-03-02').promisedDue).toBe('2026-03-03');
  });

  it('stops while waiting for a supplement and moves the deadline back by every paused working day', () => {
    const before = deadlines(calendar, running('2026-03-02', 10), '2026-03-04');
    expect(before.promisedDue).toBe('2026-03-16');
    // Supplement requested Wednesday 4 March, answered Monday 9 March: 5, 6 and 9 March are paused.
    const paused = running('2026-03-02', 10, { pausedSince: '2026-03-04' });
    expect(deadlines(calendar, paused, '2026-03-09').flag).toBe('paused');
    expect(pauseLength(calendar, paused, '2026-03-09')).toBe(3);
    const resumed = running('2026-03-02', 10, { pausedDays: 3 });
    expect(deadlines(calendar, resumed, '2026-03-09').promisedDue).toBe('2026-03-19');
    expect(deadlines(calendar, resumed, '2026-03-09').daysUsed).toBe(2);
  });

  it('keeps the days left frozen while paused', () => {
    const paused = running('2026-03-02', 10, { pausedSince: '2026-03-04' });
    const onPause = deadlines(calendar, paused, '2026-03-04').daysLeft;
    expect(deadlines(calendar, paused, '2026-03-10').daysLeft).toBe(onPause);
    expect(deadlines(calendar, paused, '2026-03-20').daysLeft).toBe(onPause);
  });

  it('flags due soon and overdue against the promised limit', () => {
    const state = running('2026-03-02', 5); // due Monday 9 March
    expect(deadlines(calendar, state, '2026-03-03').flag).toBe('onTrack');
    expect(deadlines(calendar, state, '2026-03-05').flag).toBe('dueSoon');
    expect(deadlines(calendar, state, '2026-03-09').flag).toBe('dueSoon');
    const late = deadlines(calendar, state, '2026-03-10');
    expect(late.flag).toBe('overdue');
    expect(late.daysLeft).toBe(-1);
  });

  it('counts calendar days where the item says so, holidays included, but never ends on a rest day', () => {
    const state: ClockState = { ...running('2026-09-30', 7), unit: 'calendarDays' };
    // 7 October 2026 is the last day of the National Day holiday: the period ends on the 8th.
    expect(deadlines(calendar, state, '2026-09-30').promisedDue).toBe('2026-10-08');
    expect(deadlines(calendar, { ...state, promisedDays: 10 }, '2026-09-30').promisedDue).toBe('2026-10-10');
  });

  it('reads a concluded application as of its conclusion day', () => {
    const state = running('2026-03-02', 5, { stoppedOn: '2026-03-06' });
    const limits = deadlines(calendar, state, '2026-12-01');
    expect(limits.flag).toBe('stopped');
    expect(limits.daysLeft).toBe(1);
  });

  it('has no deadline before acceptance', () => {
    expect(deadlines(calendar, running('2026-03-02', 5, { startedOn: null }), '2026-03-03')).toMatchObject({ flag: 'notStarted', promisedDue: null });
  });
});

describe('deadlines in a year whose holidays are not published yet', () => {
  it('count weekends only, say they are provisional, and never fail', async () => {
    const { CalendarService } = await import('../reference/calendar-service.js');
    const { createTestPlatform } = await import('../core/testing.js');
    const { ManualClock } = await import('../core/clock.js');
    const t = await createTestPlatform({ clock: new ManualClock(new Date('2026-12-21T02:00:00Z')) });
    try {
      const service = new CalendarService(t.platform.db, t.platform.audit, t.platform.clock);
      const forDeadlines = await service.deadlineCalendar();
      expect([...forDeadlines.provisionalYears]).toContain(2027);
      // Accepted Monday 21 December 2026 with 10 working days: 22-25, 28-31 December, then 4 and 5
      // January 2027. New Year's Day is fixed by law even before the year's arrangement is published.
      const state: ClockState = { unit: 'workingDays', promisedDays: 10, legalDays: 20, startedOn: '2026-12-21', pausedDays: 0, pausedSince: null, stoppedOn: null };
      expect(deadlines(forDeadlines, state, '2026-12-21')).toMatchObject({ promisedDue: '2027-01-05', provisional: true });
      expect(deadlines(forDeadlines, { ...state, promisedDays: 2, legalDays: 3 }, '2026-12-21')).toMatchObject({ provisional: false });
    } finally {
      await t.close();
    }
  });
});
