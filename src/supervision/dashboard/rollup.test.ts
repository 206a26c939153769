import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { createServices } from '../../services.js';
import { supervisionCommand } from './cli-command.js';
import type { DashboardView } from './schema.js';
import { regionCodesWithin } from './service.js';
import { storeApplication, storeEvent } from './testing.js';

/**
 * The rollup's edges, today being Tuesday 2026-10-20 in Shanghai. A department seated at 310100
 * (上海市 市辖区, a grouping with no government of its own) handles an item whose limits are in
 * calendar days. National Day 2026: 1-7 Oct off, Saturday 10 Oct worked.
 */
let t: Awaited<ReturnType<typeof createTestApp>>;
let shanghai: { cookie: string };
let grouping: { cookie: string };
let national: { cookie: string };
let departmentId: string;
let apps: Record<'c1' | 'c2' | 'w1' | 'd1', Awaited<ReturnType<typeof storeApplication>>>;

const get = async (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const dashboard = async (cookie: string, url: string): Promise<DashboardView> => {
  const response = await get(cookie, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as DashboardView;
};
const readModel = async () => ({
  facts: await t.platform.db.selectFrom('supervisionApplicationFacts').selectAll().orderBy('applicationId').execute(),
  monthly: (await t.platform.db.selectFrom('supervisionMonthly').selectAll().orderBy('month').orderBy('itemId').execute()).map((row) => ({ ...row })),
});

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-10-20T02:00:00Z')) });
  const { departmentWithItem } = await import('../../applications/testing.js');
  const city = await departmentWithItem(t, { regionCode: '310100', code: 'SUP-SH-CITY', item: { promisedLimitDays: 30, legalLimitDays: 60 } });
  departmentId = city.department.id;
  const pudong = await departmentWithItem(t, { regionCode: '310115', code: 'SUP-SH-PD' });
  const C = { itemId: city.item.itemId, departmentId, regionCode: '310100', promisedDays: 30, legalDays: 60, timeUnit: 'calendarDays' as const };
  apps = {
    // Accepted Mon 28 Sep, supplement asked Wed 30 Sep, supplied Fri 9 Oct (9 calendar days paused:
    // working days 8 and 9 Oct), concluded Fri 16 Oct. Working days 29 Sep-16 Oct: 29, 30 Sep,
    // 8, 9, 10 (make-up Saturday), 12-16 Oct = 10; handling 10 - 2 = 8 working days.
    c1: await storeApplication(t, { ...C, status: 'concluded', submittedOn: '2026-09-28', startedOn: '2026-09-28', pausedDays: 9, stoppedOn: '2026-10-16' }),
    // Accepted Thu 8 Oct, a special procedure from Mon 12 Oct still running when concluded Fri
    // 16 Oct: 9, 10, 12 Oct worked (3), 13-16 Oct paused (4 working days); handling 3.
    c2: await storeApplication(t, { ...C, status: 'concluded', submittedOn: '2026-10-08', startedOn: '2026-10-08', pausedSince: '2026-10-12', stoppedOn: '2026-10-16' }),
    // Withdrawn on 15 Sep before acceptance (no clock); the row was written again on 18 Oct.
    w1: await storeApplication(t, { ...C, status: 'withdrawn', submittedOn: '2026-09-10', updatedAt: '2026-10-18T02:00:00.000Z' }),
    // In Pudong (within 310000, and within the grouping 310100 too), submitted 19 Oct, not yet accepted.
    d1: await storeApplication(t, { itemId: pudong.item.itemId, departmentId: pudong.department.id, regionCode: '310115', promisedDays: 3, legalDays: 15, status: 'submitted', submittedOn: '2026-10-19' }),
  };
  await storeEvent(t, apps.c1, 'requestSupplement', '2026-09-30');
  await storeEvent(t, apps.c1, 'supplement', '2026-10-09');
  await storeEvent(t, apps.c2, 'startSpecialProcedure', '2026-10-12');
  await storeEvent(t, apps.w1, 'withdraw', '2026-09-15');
  shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
  grouping = await staffSession(t, { roles: ['supervisor'], regionCode: '310100' });
  national = await staffSession(t, { roles: ['supervisor'], regionCode: '100000' });
  await createServices(t.platform).supervisionDashboards.refresh();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('handling time of an item counted in calendar days', () => {
  it('is in working days with every pause excluded, one still running at conclusion too', async () => {
    const view = await dashboard(shanghai.cookie, `/api/v1/supervision/departments/${departmentId}`);
    expect(view.totals).toMatchObject({ concluded: 2, timed: 2, averageHandlingDays: 5.5 });
    const facts = await t.platform.db.selectFrom('supervisionApplicationFacts').select(['applicationId', 'handlingDays']).where('applicationId', 'in', [apps.c1.id, apps.c2.id]).execute();
    expect(Object.fromEntries(facts.map((f) => [f.applicationId, f.handlingDays]))).toEqual({ [apps.c1.id]: 8, [apps.c2.id]: 3 });
  });
});

describe('a withdrawal before any clock ran', () => {
  it('counts in the month of the withdrawal, not of a later write to the application', async () => {
    const september = await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-09&to=2026-09');
    expect(september.totals).toMatchObject({ received: 2, withdrawn: 1 });
    const october = await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-10&to=2026-10');
    expect(october.totals).toMatchObject({ received: 2, withdrawn: 0, concluded: 2 });
  });
});

describe('a department seated at a grouping (310100 上海市市辖区)', () => {
  it('is within the city: its region code is filtered on, and it has a row so that rows add up', async () => {
    expect(regionCodesWithin('310000')).toContain('310100');
    expect(regionCodesWithin('420000')).toContain('429000');
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/regions/310000');
    expect(view.totals).toMatchObject({ received: 4, concluded: 2, withdrawn: 1, inProgress: 1, items: 2 });
    const row = view.rows.find((r) => r.id === departmentId);
    expect(row).toMatchObject({ kind: 'department' });
    expect(row!.figures).toMatchObject({ received: 3, concluded: 2, items: 1 });
    for (const key of ['received', 'concluded', 'withdrawn', 'timed', 'items', 'inProgress'] as const) {
      expect(view.rows.reduce((sum, r) => sum + r.figures[key], 0), key).toBe(view.totals[key]);
    }
    const nation = await dashboard(national.cookie, '/api/v1/supervision/dashboard?from=2026-09&to=2026-10');
    expect(nation.rows.find((r) => r.id === '310000')!.figures.received).toBe(4);
  });

  it('gives a supervisor seated at the grouping breadcrumbs that start at the grouping, every link open to them', async () => {
    const home = await dashboard(grouping.cookie, '/api/v1/supervision/dashboard');
    expect(home.scope.id).toBe('310100');
    // 310100 collects every district of Shanghai (isWithin), so Pudong counts too.
    expect(home.totals).toMatchObject({ received: 4, inProgress: 1 });
    expect(home.rows.find((r) => r.id === departmentId)!.figures.received).toBe(3);
    expect(home.rows.find((r) => r.id === '310115')!.figures).toMatchObject({ received: 1, inProgress: 1 });
    for (const key of ['received', 'concluded', 'withdrawn', 'inProgress', 'items'] as const) {
      expect(home.rows.reduce((sum, r) => sum + r.figures[key], 0), key).toBe(home.totals[key]);
    }
    const district = await dashboard(grouping.cookie, '/api/v1/supervision/regions/310115');
    expect(district.path.map((ref) => ref.id)).toEqual(['310100']);
    const department = await dashboard(grouping.cookie, `/api/v1/supervision/departments/${departmentId}`);
    expect(department.path.map((ref) => ref.id)).toEqual(['310100']);
    for (const ref of [...district.path, ...department.path]) {
      expect((await get(grouping.cookie, `/supervision/regions/${ref.id}`)).statusCode, ref.id).toBe(200);
    }
    expect((await get(grouping.cookie, '/supervision/regions/310000')).statusCode).toBe(403);
    const fromCity = await dashboard(shanghai.cookie, `/api/v1/supervision/departments/${departmentId}`);
    expect(fromCity.path.map((ref) => ref.id)).toEqual(['310000', '310100']);
  });
});

describe('the period before', () => {
  it('has no value for current figures, and the page and CSV show "—"', async () => {
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-10&to=2026-10');
    expect(view.previous).toMatchObject({ received: 2, withdrawn: 1, inProgress: null, overdue: null, dueSoon: null, items: null, oneVisitRate: null, policyEligible: null, openInquiries: null, overdueInquiries: null });
    expect(view.totals.items).toBe(2);
    const csv = await get(shanghai.cookie, '/supervision/regions/310000/summary.csv?from=2026-10&to=2026-10&lang=en');
    expect(csv.body).toContain('In progress,1,—');
    expect(csv.body).toContain('Withdrawn,0,1');
  });
});

describe('the dashboard page', () => {
  it('names each table row by its first cell and each chart by its title, described by its description', async () => {
    const page = await get(shanghai.cookie, '/supervision?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<th scope="row">Received</th>');
    expect(page.body).toMatch(/<th scope="row"><a href="\/supervision\/departments\/[^"]+\?from=2026-01&amp;to=2026-10">/);
    const svg = page.body.match(/<svg[^>]*>/g)!;
    expect(svg.length).toBe(2);
    for (const tag of svg) {
      const [, title] = tag.match(/aria-labelledby="([^"]+)"/)!;
      const [, desc] = tag.match(/aria-describedby="([^"]+)"/)!;
      expect(title).not.toContain(' ');
      expect(page.body).toContain(`<title id="${title}">`);
      expect(page.body).toContain(`<desc id="${desc}">`);
    }
    expect(page.body).toContain('class="bar-chart__bar"');
    expect(page.body).not.toContain('aria-label="Open ');
    const css = await t.app.inject({ method: 'GET', url: '/static/site.css' });
    expect(css.statusCode).toBe(200);
    const forced = css.body.slice(css.body.indexOf('@media (forced-colors: active)'));
    expect(forced).toMatch(/^@media \(forced-colors: active\) \{\s*\.bar-chart__track \{[^}]*\}\s*\.bar-chart__bar \{ fill: CanvasText; \}/);
  });
});

describe('refreshing', () => {
  it('never replaces a fact by one computed from an older version of the application', async () => {
    const { store } = createServices(t.platform).supervisionDashboards;
    const before = await t.platform.db.selectFrom('supervisionApplicationFacts').selectAll().where('applicationId', '=', apps.c1.id).executeTakeFirstOrThrow();
    await store.upsertFacts([{ ...before, outcome: 'open', closedMonth: null, timed: 0, handlingDays: 0, sourceUpdatedAt: '2026-09-28T02:00:00.000Z' }]);
    const after = await t.platform.db.selectFrom('supervisionApplicationFacts').selectAll().where('applicationId', '=', apps.c1.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('twice at once (the job and an administrator) both succeed with the rows of one refresh', async () => {
    const { supervisionDashboards } = createServices(t.platform);
    const expected = await readModel();
    // A change for the incremental refreshes to pick up: c2's row is written again.
    await t.platform.db.updateTable('applications').set({ updatedAt: '2026-10-20T01:00:00.000Z' }).where('id', '=', apps.c2.id).execute();
    const incremental = await Promise.all([supervisionDashboards.refresh(), supervisionDashboards.refresh()]);
    expect(incremental.map((r) => r.refreshedAt)).toEqual(['2026-10-20T02:00:00.000Z', '2026-10-20T02:00:00.000Z']);
    const afterIncremental = await readModel();
    expect(afterIncremental.monthly).toEqual(expected.monthly);
    expect(afterIncremental.facts.map((f) => ({ ...f, sourceUpdatedAt: '' }))).toEqual(expected.facts.map((f) => ({ ...f, sourceUpdatedAt: '' })));
    const full = await Promise.all([supervisionDashboards.refresh({ full: true }), supervisionDashboards.refresh({ full: true }), supervisionDashboards.refresh()]);
    expect(full[0].months).toEqual(['2026-09', '2026-10']);
    expect(await readModel()).toEqual(afterIncremental);
    // Nobody holds the lease afterwards.
    expect(await t.platform.db.selectFrom('supervisionRefreshLeases').selectAll().execute()).toEqual([]);
  });

  it('follows the catalogue into the item counts of every region above an item, and only then rewrites its copy', async () => {
    const { supervisionDashboards } = createServices(t.platform);
    const regionItems = () => t.platform.db.selectFrom('supervisionRegionItems').selectAll().orderBy('regionCode').execute();
    const counted = await regionItems();
    expect(counted.find((row) => row.regionCode === '310000')).toMatchObject({ items: 2 });
    // A refresh with nothing changed in the catalogue leaves the counts as they were.
    await supervisionDashboards.refresh();
    expect(await regionItems()).toEqual(counted);
    const { departmentWithItem } = await import('../../applications/testing.js');
    await departmentWithItem(t, { regionCode: '310104', code: 'SUP-SH-XH' });
    await supervisionDashboards.refresh();
    const after = await regionItems();
    for (const code of ['100000', '310000', '310100', '310104']) {
      expect(Number(after.find((row) => row.regionCode === code)?.items), code).toBe(Number(counted.find((row) => row.regionCode === code)?.items ?? 0) + 1);
    }
    expect((await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard')).totals.items).toBe(3);
    expect(await t.platform.db.selectFrom('supervisionItems').select('itemId').execute()).toHaveLength(3);
  });
});

describe('tongban supervision rebuild', () => {
  it('clears and rebuilds the monthly rows, dropping a month that no longer holds any fact', async () => {
    const before = await readModel();
    await t.platform.db
      .insertInto('supervisionMonthly')
      .values({ month: '2019-01', itemId: 'gone', departmentId, regionCode: '310100', received: 5, concluded: 0, withdrawn: 0, timed: 0, onTimePromised: 0, onTimeLegal: 0, handlingDaysSum: 0 })
      .execute();
    await t.platform.db.updateTable('supervisionMonthly').set({ received: 99 }).where('month', '=', '2026-09').execute();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await supervisionCommand('rebuild', (work) => work(t.platform), 'help')).toBe(0);
      expect(log.mock.calls[0]![0]).toMatch(/^Rebuilt the supervision rollup in [\d.]+ s: 4 applications, 2 months \(2026-09\.\.2026-10\), \d+ items; figures as of 2026-10-20T02:00:00\.000Z\.$/);
    } finally {
      log.mockRestore();
    }
    expect(await readModel()).toEqual(before);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await supervisionCommand('rebuilt', (work) => work(t.platform), 'help')).toBe(2);
    } finally {
      error.mockRestore();
    }
  });
});
