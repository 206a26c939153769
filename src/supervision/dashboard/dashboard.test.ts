import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { createServices } from '../../services.js';
import type { DashboardView } from './schema.js';
import { dashboardFixture } from './testing.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
let fixture: Awaited<ReturnType<typeof dashboardFixture>>;
let shanghai: { cookie: string };
let xuhuiSupervisor: { cookie: string };
let national: { cookie: string };

const get = async (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const dashboard = async (cookie: string, url: string): Promise<DashboardView> => {
  const response = await get(cookie, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as DashboardView;
};

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-10-20T02:00:00Z')) });
  fixture = await dashboardFixture(t);
  shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
  xuhuiSupervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310104' });
  national = await staffSession(t, { roles: ['supervisor'], regionCode: '100000' });
  await createServices(t.platform).supervisionDashboards.refresh();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('a Shanghai supervisor, January to October 2026', () => {
  it('sees every figure of the city as worked out by hand', async () => {
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard');
    expect(view.scope).toMatchObject({ kind: 'region', id: '310000' });
    expect(view.period).toEqual({ from: '2026-01', to: '2026-10' });
    expect(view.previousPeriod).toEqual({ from: '2025-03', to: '2025-12' });
    expect(view.asOf).toBe('2026-10-20T02:00:00.000Z');
    expect(view.totals).toMatchObject({
      // a1-a7 and b1, b2 were submitted; the draft a8 was not.
      received: 9,
      concluded: 5,
      withdrawn: 1,
      inProgress: 3,
      overdue: 1,
      dueSoon: 1,
      timed: 5,
      // a1 and a3 (on time only because the supplement pause moved its deadline) of five.
      onTimePromisedRate: 0.4,
      onTimeLegalRate: 1,
      // (3 + 6 + 3 + 6 + 6) / 5 working days.
      averageHandlingDays: 4.8,
      items: 3,
      oneVisitRate: 0.6667,
      fullyOnlineRate: 0.3333,
      reviews: 3,
      good: 1,
      bad: 2,
      goodRate: 0.3333,
      rectificationCases: 2,
      rectified: 1,
      rectificationRate: 0.5,
      rectifiedOnTime: 1,
      rectificationTimelyRate: 1,
      rectificationOverdue: 1,
      policyClaims: 0,
      openInquiries: 0,
    });
    expect(view.previous).toMatchObject({ received: 0, concluded: 0, onTimePromisedRate: null, averageHandlingDays: null });
    expect(view.overdue.map((row) => [row.trackingNumber, row.dueOn, row.daysLeft])).toEqual([[fixture.apps.a4.trackingNumber, '2026-10-15', -3]]);
    expect(view.dueSoon.map((row) => [row.trackingNumber, row.dueOn, row.daysLeft])).toEqual([[fixture.apps.a5.trackingNumber, '2026-10-22', 2]]);
  });

  it('compares the districts side by side, and the rows add up to the city', async () => {
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/regions/310000');
    const pudong = view.rows.find((row) => row.id === '310115')!;
    const xuhui = view.rows.find((row) => row.id === '310104')!;
    expect(pudong.figures).toMatchObject({ received: 7, concluded: 3, withdrawn: 1, inProgress: 3, overdue: 1, dueSoon: 1, onTimePromisedRate: 0.6667, onTimeLegalRate: 1, averageHandlingDays: 4, items: 1, fullyOnlineRate: 1, reviews: 2, goodRate: 0.5, rectificationRate: 1 });
    expect(xuhui.figures).toMatchObject({ received: 2, concluded: 2, inProgress: 0, onTimePromisedRate: 0, onTimeLegalRate: 1, averageHandlingDays: 6, items: 2, oneVisitRate: 0.5, fullyOnlineRate: 0, reviews: 1, bad: 1, rectificationOverdue: 1 });
    for (const key of ['received', 'concluded', 'withdrawn', 'inProgress', 'overdue', 'dueSoon', 'timed', 'items', 'reviews', 'good', 'bad', 'rectificationCases'] as const) {
      expect(view.rows.reduce((sum, row) => sum + row.figures[key], 0), key).toBe(view.totals[key]);
    }
  });

  it('counts October alone, with September as the period before', async () => {
    const view = await dashboard(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-10&to=2026-10');
    // Received in October: a4-a7 and b2; concluded in October: a1, a2, a3 and b2.
    expect(view.totals).toMatchObject({ received: 5, concluded: 4, onTimePromisedRate: 0.5, averageHandlingDays: 4.5, reviews: 3 });
    expect(view.previousPeriod).toEqual({ from: '2026-09', to: '2026-09' });
    expect(view.previous).toMatchObject({ received: 3, concluded: 0, reviews: 0 });
  });

  it('drills down to a department and its items, and to one item', async () => {
    const department = await dashboard(shanghai.cookie, `/api/v1/supervision/departments/${fixture.xuhui.department.id}`);
    expect(department.path.map((ref) => ref.id)).toEqual(['310000', '310104']);
    expect(department.rows.map((row) => [row.id, row.figures.received, row.figures.items]).sort()).toEqual(
      [
        [fixture.xuhui.item.itemId, 2, 1],
        [fixture.thirdItemId, 0, 1],
      ].sort(),
    );
    const item = await dashboard(shanghai.cookie, `/api/v1/supervision/items/${fixture.pudong.item.itemId}`);
    expect(item.totals).toMatchObject({ received: 7, concluded: 3, inProgress: 3, onTimePromisedRate: 0.6667 });
    expect(item.path.map((ref) => ref.id)).toEqual(['310000', '310115', fixture.pudong.department.id]);
  });

  it('refuses a malformed or reversed period with the field at fault', async () => {
    const bad = await get(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/from');
    const reversed = await get(shanghai.cookie, '/api/v1/supervision/dashboard?from=2026-10&to=2026-09');
    expect(reversed.json().errors[0].field).toBe('/to');
    // Years no dashboard covers are refused as such, on the API, the page and the CSV alike.
    for (const url of ['/api/v1/supervision/dashboard?from=9999-12&to=9999-12', '/api/v1/supervision/dashboard?from=0999-01&to=0999-01', '/supervision?from=9999-12&to=9999-12', '/supervision/regions/310000/summary.csv?from=0999-01&to=0999-02']) {
      expect((await get(shanghai.cookie, url)).statusCode, url).toBe(400);
    }
  });
});

describe('refreshing the rollup', () => {
  it('is idempotent and picks up a change to an application', async () => {
    const services = createServices(t.platform);
    const before = await dashboard(national.cookie, '/api/v1/supervision/regions/310000');
    await services.supervisionDashboards.refresh();
    await services.supervisionDashboards.refresh({ full: true });
    const again = await dashboard(national.cookie, '/api/v1/supervision/regions/310000');
    expect(again.totals).toEqual(before.totals);
    // a4 is concluded on 20 Oct: 6 working days after acceptance on 12 Oct (13-16, 19, 20), late.
    await t.platform.db
      .updateTable('applications')
      .set({ status: 'concluded', isOpen: 0, queueDue: '9999-12-31', clockStoppedOn: '2026-10-20', concludedAt: '2026-10-20T02:00:00.000Z', updatedAt: '2026-10-20T02:00:00.000Z' })
      .where('id', '=', fixture.apps.a4.id)
      .execute();
    await services.supervisionDashboards.refresh();
    const after = await dashboard(national.cookie, '/api/v1/supervision/regions/310000');
    expect(after.totals).toMatchObject({ received: 9, concluded: 6, inProgress: 2, overdue: 0, timed: 6, averageHandlingDays: 5 });
    expect(after.totals.onTimePromisedRate).toBe(0.3333);
  });
});

describe('who may see what', () => {
  it('keeps a county supervisor to their own county', async () => {
    const own = await dashboard(xuhuiSupervisor.cookie, '/api/v1/supervision/dashboard');
    expect(own.scope.id).toBe('310104');
    expect(own.path).toEqual([]);
    for (const url of [
      '/api/v1/supervision/regions/310115',
      '/api/v1/supervision/regions/310000',
      `/api/v1/supervision/departments/${fixture.pudong.department.id}`,
      `/api/v1/supervision/items/${fixture.pudong.item.itemId}`,
      '/supervision/regions/310115',
      `/supervision/departments/${fixture.pudong.department.id}`,
      '/supervision/regions/310115/rows.csv',
    ]) {
      expect((await get(xuhuiSupervisor.cookie, url)).statusCode, url).toBe(403);
    }
    expect((await get(xuhuiSupervisor.cookie, `/api/v1/supervision/departments/${fixture.xuhui.department.id}`)).statusCode).toBe(200);
  });

  it('refuses officers and the public', async () => {
    expect((await get(fixture.pudong.officer.cookie, '/api/v1/supervision/dashboard')).statusCode).toBe(403);
    expect((await get(fixture.pudong.officer.cookie, '/supervision')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/supervision/dashboard' })).statusCode).toBe(401);
    expect((await get(shanghai.cookie, '/api/v1/supervision/rollup/refresh')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/supervision/rollup/refresh', headers: { cookie: shanghai.cookie }, payload: {} })).statusCode).toBe(403);
  });

  it('shows a national supervisor every province, Shanghai with the city figures', async () => {
    const view = await dashboard(national.cookie, '/api/v1/supervision/dashboard');
    expect(view.scope.id).toBe('100000');
    expect(view.rows.find((row) => row.id === '310000')!.figures.received).toBe(9);
  });
});

describe('the pages', () => {
  it('render the charts, the tables and the CSV of every table', async () => {
    const page = await get(shanghai.cookie, '/supervision?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('On time (promised limit)');
    expect(page.body).toContain('href="/supervision/regions/310115?from=2026-01&amp;to=2026-10"');
    expect(page.body).toContain(fixture.apps.a5.trackingNumber!);
    const csv = await get(shanghai.cookie, '/supervision/regions/310000/rows.csv?from=2026-01&to=2026-10&lang=en');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    // After the refresh test: a4 concluded late.
    expect(csv.body).toContain('310115,浦东新区,7,4,1,2,0,1,4,50.0%');
    const summary = await get(shanghai.cookie, '/supervision/regions/310000/summary.csv?lang=en');
    expect(summary.body).toContain('Received,9,0');
    const invalid = await get(shanghai.cookie, '/supervision?from=2026-13');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('error-summary');
  });
});
