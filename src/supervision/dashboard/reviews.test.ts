import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { staffSession } from '../../identity/testing.js';
import { createServices } from '../../services.js';
import type { DashboardView } from './schema.js';
import { dashboardFixture, storeReview } from './testing.js';

/**
 * The review rollup: ratings are counted by month at the refresh (supervision_review_monthly and
 * its per-region rows), their rectification cases live. Today is 2026-10-20 in Shanghai; the
 * fixture's three October reviews (a1 good; a2 bad, case answered on time; b2 bad, case open and
 * overdue since 19 Oct) are in the rollup from the first refresh.
 */
let t: Awaited<ReturnType<typeof createTestApp>>;
let fixture: Awaited<ReturnType<typeof dashboardFixture>>;
let shanghai: { cookie: string };
let reviewerPersonId: string;
const clock = new ManualClock(new Date('2026-10-20T02:00:00Z'));

const dashboard = async (url = '/api/v1/supervision/dashboard'): Promise<DashboardView> => {
  const response = await t.app.inject({ method: 'GET', url, headers: { cookie: shanghai.cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as DashboardView;
};
const reviewFigures = (view: Pick<DashboardView, 'totals'>) => {
  const { reviews, good, bad, rectificationCases, rectified, rectifiedOnTime, rectificationOverdue } = view.totals;
  return { reviews, good, bad, rectificationCases, rectified, rectifiedOnTime, rectificationOverdue };
};
const refresh = (options: { full?: boolean } = {}) => createServices(t.platform).supervisionDashboards.refresh(options);
const reviewRollup = async () => ({
  monthly: (await t.platform.db.selectFrom('supervisionReviewMonthly').selectAll().orderBy('month').orderBy('departmentId').orderBy('itemId').execute()).map((row) => ({ ...row, reviews: Number(row.reviews), good: Number(row.good), bad: Number(row.bad) })),
  regions: (await t.platform.db.selectFrom('supervisionReviewRegionMonthly').selectAll().orderBy('regionCode').orderBy('month').execute()).map((row) => ({ ...row, reviews: Number(row.reviews), good: Number(row.good), bad: Number(row.bad) })),
});
const caseOf = async (applicationId: string) => {
  const review = await t.platform.db.selectFrom('reviews').select('id').where('applicationId', '=', applicationId).executeTakeFirstOrThrow();
  return t.platform.db.selectFrom('rectifications').select('id').where('reviewId', '=', review.id).executeTakeFirstOrThrow();
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  fixture = await dashboardFixture(t);
  shanghai = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
  const { verifiedPerson } = await import('../../applications/testing.js');
  reviewerPersonId = (await verifiedPerson(t, '后来的评价人')).personId;
  await refresh();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('reviews in the supervision rollup', () => {
  it('rolls the ratings up by month, department and region', async () => {
    const { monthly, regions } = await reviewRollup();
    expect(monthly.map((row) => [row.month, row.departmentId, row.regionCode, row.reviews, row.good, row.bad])).toEqual(
      [
        ['2026-10', fixture.pudong.department.id, '310115', 2, 1, 1],
        ['2026-10', fixture.xuhui.department.id, '310104', 1, 0, 1],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    // Each district, the city, its 市辖区 grouping and the nation.
    expect(regions.filter((row) => ['100000', '310000', '310115', '310104'].includes(row.regionCode)).map((row) => [row.regionCode, row.month, row.reviews, row.bad])).toEqual([
      ['100000', '2026-10', 3, 2],
      ['310000', '2026-10', 3, 2],
      ['310104', '2026-10', 1, 1],
      ['310115', '2026-10', 2, 1],
    ]);
  });

  it('counts a review made after the refresh, and its case, from the next refresh on', async () => {
    expect(reviewFigures(await dashboard())).toEqual({ reviews: 3, good: 1, bad: 2, rectificationCases: 2, rectified: 1, rectifiedOnTime: 1, rectificationOverdue: 1 });
    clock.set('2026-10-20T02:15:00Z');
    await storeReview(t, fixture.apps.a3, { reviewerPersonId, rating: 1, createdAt: '2026-10-20T02:15:00.000Z', departmentRegionCode: '310115', case: { status: 'open', dueOn: '2026-10-27' } });
    // Neither the review nor its case before the refresh: the figures stay consistent.
    expect(reviewFigures(await dashboard())).toEqual({ reviews: 3, good: 1, bad: 2, rectificationCases: 2, rectified: 1, rectifiedOnTime: 1, rectificationOverdue: 1 });
    const result = await refresh();
    expect(result.reviewMonths).toEqual(['2026-10']);
    const view = await dashboard();
    expect(reviewFigures(view)).toEqual({ reviews: 4, good: 1, bad: 3, rectificationCases: 3, rectified: 1, rectifiedOnTime: 1, rectificationOverdue: 1 });
    expect(view.rows.find((row) => row.id === '310115')!.figures).toMatchObject({ reviews: 3, bad: 2, rectificationCases: 2 });
  });

  it('shows a case answered later at once, late or on time, without a refresh', async () => {
    // b2's case was due 19 Oct; answered on the 20th it is rectified, late, and no longer overdue.
    await t.platform.db.updateTable('rectifications').set({ status: 'responded', outcome: 'explained', response: '已致电说明', respondedAt: '2026-10-20T03:30:00.000Z', respondedOn: '2026-10-20' }).where('id', '=', (await caseOf(fixture.apps.b2.id)).id).execute();
    const view = await dashboard();
    expect(reviewFigures(view)).toEqual({ reviews: 4, good: 1, bad: 3, rectificationCases: 3, rectified: 2, rectifiedOnTime: 1, rectificationOverdue: 0 });
    expect(view.totals.rectificationTimelyRate).toBe(0.5);
    expect(view.rows.find((row) => row.id === '310104')!.figures).toMatchObject({ rectified: 1, rectifiedOnTime: 0, rectificationOverdue: 0 });
  });

  it('leaves a review out at once when an appeal against it is upheld', async () => {
    await t.platform.db.updateTable('rectifications').set({ status: 'upheld', appealDecision: 'upheld' }).where('id', '=', (await caseOf(fixture.apps.a3.id)).id).execute();
    const view = await dashboard();
    expect(reviewFigures(view)).toEqual({ reviews: 3, good: 1, bad: 2, rectificationCases: 2, rectified: 2, rectifiedOnTime: 1, rectificationOverdue: 0 });
    expect(view.rows.find((row) => row.id === '310115')!.figures).toMatchObject({ reviews: 2, bad: 1, rectificationCases: 1 });
    // At department level, by item, the same.
    const department = await dashboard(`/api/v1/supervision/departments/${fixture.pudong.department.id}`);
    expect(department.rows.find((row) => row.id === fixture.pudong.item.itemId)!.figures).toMatchObject({ reviews: 2, good: 1, bad: 1, rectificationCases: 1 });
  });

  it('takes the period before from the rollup too', async () => {
    const november = await dashboard('/api/v1/supervision/dashboard?from=2026-11&to=2026-11');
    expect(november.previousPeriod).toEqual({ from: '2026-10', to: '2026-10' });
    expect(reviewFigures(november)).toEqual({ reviews: 0, good: 0, bad: 0, rectificationCases: 0, rectified: 0, rectifiedOnTime: 0, rectificationOverdue: 0 });
    expect(november.previous).toMatchObject({ reviews: 3, good: 1, bad: 2, rectificationCases: 2, rectified: 2, rectifiedOnTime: 1 });
    // An item's period before counts that item's cases alone (Xuhui's late one is not Pudong's).
    const item = await dashboard(`/api/v1/supervision/items/${fixture.pudong.item.itemId}?from=2026-11&to=2026-11`);
    expect(item.previous).toMatchObject({ reviews: 2, good: 1, bad: 1, rectificationCases: 1, rectified: 1, rectifiedOnTime: 1 });
  });

  it('gives the same rows on a full rebuild as the refreshes did', async () => {
    const before = await reviewRollup();
    await refresh({ full: true });
    expect(await reviewRollup()).toEqual(before);
    // The rollup holds every rating made (the upheld one too); the dashboards take it off live.
    expect(before.regions.find((row) => row.regionCode === '310000' && row.month === '2026-10')).toMatchObject({ reviews: 4, bad: 3 });
  });
});
