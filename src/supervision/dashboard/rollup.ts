import type { Clock } from '../../core/clock.js';
import type { Tx } from '../../core/db.js';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { clockOf } from '../../applications/service.js';
import { deadlines } from '../../applications/time-limits.js';
import type { DeadlineCalendar } from '../../reference/calendar-service.js';
import { addMonths, shanghaiDate, toDayNumber } from '../../reference/dates.js';
import type { SupervisionSource } from './port.js';
import type { ApplicationFact, DashboardStore, SupervisionItemsTable, SupervisionReviewMonthlyTable } from './store.js';

/** The recurring job that keeps the read-model current. */
export const ROLLUP_JOB = 'supervision.rollup';
export const ROLLUP_INTERVAL_MS = 5 * 60_000;
const STATE = 'applications';
/** The refresh state of the review rollup: `afterUpdatedAt` is the cutoff its counts stand at. */
export const REVIEW_STATE = 'reviews';
const PAGE = 5000;
/**
 * The feed is re-read from this long before the last change seen: a transaction that committed
 * late with an earlier `updated_at` is still picked up. Re-reading is harmless (facts are upserts).
 */
export const FEED_OVERLAP_MS = 10 * 60_000;

type ChangeRow = Awaited<ReturnType<SupervisionSource['applicationChanges']>>[number];

export const shanghaiMonth = (iso: string) => shanghaiDate(new Date(iso)).slice(0, 7);

/** The month `delta` months after (before, when negative) a 'YYYY-MM' month. */
export function shiftMonth(month: string, delta: number): string {
  return addMonths(`${month}-01`, delta).slice(0, 7);
}

/** The first instant of an Asia/Shanghai month, as ISO UTC. */
export const monthStartIso = (month: string) => new Date(`${month}-01T00:00:00+08:00`).toISOString();

/** Every month from `from` to `to`, both included. */
function monthsFromTo(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/**
 * The fact of one application. Received: the month it was submitted. Closed: the month its clock
 * stopped (conclusion or withdrawal); when no clock ran, the month it was concluded or withdrawn
 * (the withdrawal event), so that later writes to the row never move it. On time and handling
 * time only for applications concluded with a running clock: the same deadlines the officer's
 * workbench shows (time-limits.ts), as of the day the clock stopped, pauses for supplements and
 * special procedures excluded, in working days of the official calendar. `events`: the
 * application's clock events when `needsClockEvents(row)`, oldest first.
 */
export function factOf(row: ChangeRow, calendar: DeadlineCalendar, memo?: TimingMemo, events: readonly ClockEvent[] = []): ApplicationFact {
  const outcome = row.isOpen ? 'open' : row.status === 'withdrawn' ? 'withdrawn' : 'concluded';
  const withdrawal = outcome === 'withdrawn' ? events.findLast((event) => event.action === 'withdraw') : undefined;
  const closedMonth = outcome === 'open' ? null : row.clockStoppedOn ? row.clockStoppedOn.slice(0, 7) : shanghaiMonth(row.concludedAt ?? withdrawal?.at ?? row.updatedAt);
  const fact: ApplicationFact = {
    applicationId: row.id,
    trackingNumber: row.trackingNumber,
    itemId: row.itemId,
    departmentId: row.departmentId,
    regionCode: row.regionCode,
    outcome,
    receivedMonth: shanghaiMonth(row.submittedAt ?? row.updatedAt),
    closedMonth,
    timed: 0,
    onTimePromised: 0,
    onTimeLegal: 0,
    handlingDays: 0,
    sourceUpdatedAt: row.updatedAt,
  };
  if (outcome !== 'concluded' || !row.clockStartedOn || !row.clockStoppedOn) return fact;
  // The timing figures depend on the clock's columns only; a refresh meets the same few thousand
  // combinations again and again, so it computes each once (same function, same results).
  // (Not when the pauses come from the events: those are the application's own.)
  const key = memo && events.length === 0 && `${row.timeUnit}|${row.promisedDays}|${row.legalDays}|${row.clockStartedOn}|${row.clockPausedDays}|${row.clockPausedSince ?? ''}|${row.clockStoppedOn}`;
  const known = key ? memo!.get(key) : undefined;
  if (known) return Object.assign(fact, known);
  const timing = timingOf(row, calendar, events);
  if (key) memo!.set(key, timing);
  return Object.assign(fact, timing);
}

type Timing = Pick<ApplicationFact, 'timed' | 'onTimePromised' | 'onTimeLegal' | 'handlingDays'>;
/** Timing figures by clock columns, for one refresh (the calendar does not change during it). */
export type TimingMemo = Map<string, Timing>;

function timingOf(row: ChangeRow, calendar: DeadlineCalendar, events: readonly ClockEvent[]): Timing {
  const state = clockOf(row);
  const due = deadlines(calendar, state, row.clockStoppedOn!);
  return {
    timed: 1,
    onTimePromised: due.daysLeft !== null && due.daysLeft >= 0 ? 1 : 0,
    onTimeLegal: due.daysLeftLegal !== null && due.daysLeftLegal >= 0 ? 1 : 0,
    // Handling time in working days: the item's own count for working-day items (pauses, one
    // still running at conclusion included, are in working days already); for calendar-day items
    // the working days from acceptance to conclusion less the working days the clock stood still.
    handlingDays:
      state.unit === 'workingDays'
        ? (due.daysUsed ?? 0)
        : Math.max(0, calendar.calendar.workingDaysBetween(state.startedOn!, row.clockStoppedOn!) - pausedWorkingDays(row, events, calendar)),
  };
}

/** An application event that pauses, resumes or stops its clock (ApplicationStore.supervisionClockEvents). */
export type ClockEvent = { applicationId: string; at: string; action: string };

/**
 * Whether the fact of this row needs its clock events: a calendar-day item concluded after a
 * pause (to count the pauses in working days), or a withdrawal before any clock ran (its month).
 * Other rows (the great majority) are complete without them.
 */
export function needsClockEvents(row: ChangeRow): boolean {
  if (row.isOpen) return false;
  if (row.status === 'withdrawn') return !row.clockStoppedOn && !row.concludedAt;
  return row.timeUnit === 'calendarDays' && Boolean(row.clockStartedOn && row.clockStoppedOn) && (row.clockPausedDays > 0 || row.clockPausedSince !== null);
}

/**
 * The working days a calendar-day item's clock stood still between acceptance and conclusion.
 * Each pause runs from the day a supplement was requested or a special procedure started to the
 * day it was answered or ended (as the workflow counts it: time-limits.ts pauseLength), read from
 * the events; a pause still running at conclusion runs to the conclusion day. Where the events do
 * not account for the paused calendar days the row holds (an application imported without its
 * history), those days are converted at the ratio of working to calendar days over the clock's span.
 */
export function pausedWorkingDays(row: ChangeRow, events: readonly ClockEvent[], calendar: DeadlineCalendar): number {
  const start = row.clockStartedOn!;
  const stop = row.clockStoppedOn!;
  const working = (from: string, to: string) => calendar.calendar.workingDaysBetween(from, to);
  let since: string | null = null;
  let closedWorking = 0;
  let closedCalendar = 0;
  for (const event of events) {
    const day = shanghaiDate(new Date(event.at));
    if (day < start || day > stop) continue;
    if (event.action === 'requestSupplement') since ??= day;
    else if (event.action === 'startSpecialProcedure') since = day;
    else if (since !== null) {
      closedWorking += working(since, day);
      closedCalendar += toDayNumber(day) - toDayNumber(since);
      since = null;
    }
  }
  if (closedCalendar !== row.clockPausedDays) {
    const span = toDayNumber(stop) - toDayNumber(start);
    closedWorking = span > 0 ? Math.round((row.clockPausedDays * working(start, stop)) / span) : 0;
  }
  const running = row.clockPausedSince ? working(row.clockPausedSince > start ? row.clockPausedSince : start, stop) : 0;
  return closedWorking + running;
}

export interface RefreshResult {
  applications: number;
  months: string[];
  /** The months whose reviews were recounted. */
  reviewMonths: string[];
  items: number;
  refreshedAt: string;
}

/** A refresh holds its lease this long; every page it commits extends it. */
export const LEASE_MS = 10 * 60_000;
const LEASE_POLL_MS = 50;

/**
 * Brings the read-model up to date: reads the applications changed since the last refresh through
 * the port, upserts their facts, rebuilds the monthly rows of every month a fact entered or left,
 * and replaces the copy of the catalogue when it changed (always on a full refresh). `full` (and
 * the very first refresh) re-reads every application, then clears and rebuilds every monthly row.
 *
 * Refreshes are serialised across server copies, the recurring job, the API and the CLI by a lease
 * (supervision_refresh_leases): a second refresh waits for the first and then finds little to do,
 * so two at once give the same rows as one. Each page of changes commits in one transaction
 * with the lease renewed, its facts, the months it touched rebuilt and the cursor after it: a
 * refresh that dies halfway leaves consistent rows and the next one resumes after its last page.
 * (A full refresh keeps the old cursor until it has rebuilt every month; one that fails is simply
 * run again.) Waiting is measured in real time, not the platform's clock: it is not a legal period.
 */
export async function refreshRollup(store: DashboardStore, source: SupervisionSource, clock: Clock, options: { full?: boolean } = {}): Promise<RefreshResult> {
  const holder = newId();
  const until = () => new Date(clock.now().getTime() + LEASE_MS).toISOString();
  const giveUpAt = Date.now() + LEASE_MS + 60_000;
  while (!(await store.acquireLease(STATE, holder, clock.now().toISOString(), until()))) {
    if (Date.now() > giveUpAt) throw conflict('rollupRefreshBusy', 'supervision.refresh.busy');
    await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
  }
  try {
    return await refreshHoldingLease(store, source, clock, options, async (tx) => {
      if (!(await store.renewLease(tx, STATE, holder, until()))) throw conflict('rollupRefreshLeaseLost', 'supervision.refresh.leaseLost');
    });
  } finally {
    await store.releaseLease(STATE, holder);
  }
}

async function refreshHoldingLease(store: DashboardStore, source: SupervisionSource, clock: Clock, options: { full?: boolean }, renew: (tx: Tx) => Promise<void>): Promise<RefreshResult> {
  const startedAt = clock.now();
  const calendar = await source.calendar();
  const state = await store.refreshState(STATE);
  // Nothing built yet: the first refresh is a full one.
  const full = Boolean(options.full) || !state;
  let after = !full && state ? { updatedAt: new Date(new Date(state.afterUpdatedAt).getTime() - FEED_OVERLAP_MS).toISOString(), id: '' } : { updatedAt: '', id: '' };
  let last = !full && state ? { updatedAt: state.afterUpdatedAt, id: state.afterId } : { updatedAt: '', id: '' };
  const months = new Set<string>();
  const memo: TimingMemo = new Map();
  let count = 0;
  // The next page is read while this one is computed and written: the database and this process
  // work at the same time.
  let next = source.applicationChanges(after, PAGE);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    const tail = rows[rows.length - 1]!;
    after = { updatedAt: tail.updatedAt, id: tail.id };
    next = rows.length < PAGE ? Promise.resolve([]) : source.applicationChanges(after, PAGE);
    // Should this page fail, the read ahead must not become an unhandled rejection.
    next.catch(() => undefined);
    const events = await clockEventsOf(source, rows);
    const facts = rows.map((row) => factOf(row, calendar, memo, events.get(row.id)));
    if (tail.updatedAt > last.updatedAt || (tail.updatedAt === last.updatedAt && tail.id > last.id)) last = after;
    await store.transaction(async (tx) => {
      await renew(tx);
      const touched = new Set<string>();
      if (!full) for (const month of await store.monthsOf(facts.map((f) => f.applicationId), tx)) touched.add(month);
      for (const fact of facts) {
        touched.add(fact.receivedMonth);
        if (fact.closedMonth) touched.add(fact.closedMonth);
      }
      await store.upsertFacts(facts, tx);
      if (!full) {
        await store.rebuildMonths([...touched].sort(), tx);
        await store.saveRefreshState(tx, { name: STATE, afterUpdatedAt: last.updatedAt, afterId: last.id, refreshedAt: state!.refreshedAt });
      }
      for (const month of touched) months.add(month);
    });
    count += rows.length;
  }
  const items = await source.catalogItems();
  const refreshedAt = startedAt.toISOString();
  const reviews = await reviewMonthsToRecount(store, source, refreshedAt, full);
  const copy = items.map((item) => ({
    itemId: item.itemId,
    departmentId: item.departmentId,
    regionCode: item.regionCode,
    status: item.status,
    nameZh: item.name['zh-CN'],
    nameEn: item.name.en,
    departmentNameZh: item.departmentName['zh-CN'],
    departmentNameEn: item.departmentName.en,
    visits: item.visits,
    fullyOnline: item.fullyOnline ? 1 : 0,
  }));
  // The catalogue seldom changes between two refreshes: its copy is rewritten only when it did (or
  // on a full refresh, which also maps every region code again).
  const copyChanged = full || !sameItems(copy, await store.copiedItems());
  await store.transaction(async (tx) => {
    await renew(tx);
    if (full) await store.rebuildMonths('all', tx);
    if (copyChanged) await store.replaceItems(copy, tx);
    await store.replaceReviewMonths(reviews.full ? 'all' : reviews.months, reviews.rows, tx);
    await store.saveRefreshState(tx, { name: REVIEW_STATE, afterUpdatedAt: refreshedAt, afterId: '', refreshedAt });
    await store.saveRefreshState(tx, { name: STATE, afterUpdatedAt: last.updatedAt, afterId: last.id, refreshedAt });
  });
  const rebuild = full ? await store.allFactMonths() : [...months].sort();
  return { applications: count, months: rebuild, reviewMonths: reviews.months, items: items.length, refreshedAt };
}

/** Whether the catalogue's items equal their copy (both in any order). */
function sameItems(items: SupervisionItemsTable[], copy: SupervisionItemsTable[]): boolean {
  if (items.length !== copy.length) return false;
  const line = (item: SupervisionItemsTable) =>
    [item.itemId, item.departmentId, item.regionCode, item.status, item.nameZh, item.nameEn, item.departmentNameZh, item.departmentNameEn, Number(item.visits), Number(item.fullyOnline)].join('\u0000');
  const lines = new Set(copy.map(line));
  return items.every((item) => lines.has(line(item)));
}

/**
 * The review counts to write: a rating never changes, so only the months in which reviews can have
 * been made since the last cutoff are recounted (from the feed overlap before it, so that a review
 * committed late is still counted, up to the new cutoff); every month from the first review on a
 * full refresh or the first one. Each review counts in the region of its department.
 */
async function reviewMonthsToRecount(store: DashboardStore, source: SupervisionSource, cutoff: string, full: boolean) {
  const state = await store.refreshState(REVIEW_STATE);
  let months: string[];
  if (full || !state) {
    const first = await source.firstReviewAt();
    months = first && first <= cutoff ? monthsFromTo(shanghaiMonth(first), shanghaiMonth(cutoff)) : [];
    full = true;
  } else {
    const from = new Date(new Date(state.afterUpdatedAt).getTime() - FEED_OVERLAP_MS).toISOString();
    // A clock set back (a test, a restore) recounts what the last refresh counted after it.
    months = monthsFromTo(shanghaiMonth(from < cutoff ? from : cutoff), shanghaiMonth(state.afterUpdatedAt > cutoff ? state.afterUpdatedAt : cutoff));
  }
  const regionOf = new Map((await source.departments()).map((d) => [d.id, d.regionCode]));
  const rows: SupervisionReviewMonthlyTable[] = [];
  for (const month of months) {
    for (const count of await source.reviewCounts({ fromIso: monthStartIso(month), toIso: monthStartIso(shiftMonth(month, 1)), until: cutoff })) {
      rows.push({ month, ...count, regionCode: regionOf.get(count.departmentId) ?? '' });
    }
  }
  return { full, months, rows };
}

/** The clock events of the rows that need them (few: see needsClockEvents), by application. */
async function clockEventsOf(source: SupervisionSource, rows: ChangeRow[]): Promise<Map<string, ClockEvent[]>> {
  const ids = rows.filter(needsClockEvents).map((row) => row.id);
  const byApplication = new Map<string, ClockEvent[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    for (const event of await source.clockEvents(ids.slice(i, i + 1000))) {
      let list = byApplication.get(event.applicationId);
      if (!list) byApplication.set(event.applicationId, (list = []));
      list.push(event);
    }
  }
  return byApplication;
}
