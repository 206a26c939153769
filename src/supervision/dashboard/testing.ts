import type { ApplicationRow } from '../../applications/store.js';
import { ApplicationStore } from '../../applications/store.js';
import { queueKeys } from '../../applications/service.js';
import type { ApplicationStatus } from '../../applications/workflow.js';
import type { createTestApp } from '../../core/testing.js';
import { newId } from '../../core/ids.js';
import { EvaluationStore } from '../../evaluation/store.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;

/**
 * Writes an application exactly as the applications capability stores it, at a given point of its
 * life (the dashboards read it only through the read port, so how it got there does not matter).
 * Dates are Asia/Shanghai days; `promisedDueOn` is what the workflow would have computed.
 */
export async function storeApplication(
  t: TestApp,
  fields: {
    itemId: string;
    departmentId: string;
    regionCode: string;
    status: ApplicationStatus;
    submittedOn: string;
    promisedDays: number;
    legalDays: number;
    startedOn?: string | null;
    pausedDays?: number;
    pausedSince?: string | null;
    stoppedOn?: string | null;
    promisedDueOn?: string | null;
    updatedAt?: string;
    timeUnit?: 'workingDays' | 'calendarDays';
  },
): Promise<ApplicationRow> {
  counter++;
  const at = (day: string) => `${day}T02:00:00.000Z`;
  const closed = ['concluded', 'delivered'].includes(fields.status);
  const base = {
    status: fields.status,
    promisedDueOn: fields.promisedDueOn ?? null,
    clockPausedSince: fields.pausedSince ?? null,
  };
  const row: ApplicationRow = {
    id: newId(),
    trackingNumber: `TB${fields.submittedOn.replaceAll('-', '')}${String(counter).padStart(6, '0')}`,
    itemId: fields.itemId,
    itemVersionId: 'version',
    itemNameZh: '测试事项',
    itemNameEn: 'Test item',
    departmentId: fields.departmentId,
    regionCode: fields.regionCode,
    collectingDepartmentId: null,
    collectedAt: null,
    bundleSubmissionId: null,
    applicantPersonId: 'person',
    applicantName: '申请人',
    applicantRegionCode: fields.regionCode,
    enterpriseId: null,
    createdByAccountId: 'account',
    idempotencyKey: null,
    formData: '',
    materials: '{}',
    supplementRequest: null,
    resumeStatus: null,
    claimedByStaffId: null,
    timeUnit: fields.timeUnit ?? 'workingDays',
    promisedDays: fields.promisedDays,
    legalDays: fields.legalDays,
    clockStartedOn: fields.startedOn ?? null,
    clockPausedDays: fields.pausedDays ?? 0,
    clockStoppedOn: fields.stoppedOn ?? null,
    legalDueOn: null,
    decision: closed ? 'approved' : null,
    decisionReason: null,
    certificateId: null,
    submittedAt: fields.status === 'draft' ? null : at(fields.submittedOn),
    concludedAt: closed && fields.stoppedOn ? `${fields.stoppedOn}T08:00:00.000Z` : null,
    createdAt: at(fields.submittedOn),
    updatedAt: fields.updatedAt ?? (fields.stoppedOn ? `${fields.stoppedOn}T08:00:00.000Z` : at(fields.submittedOn)),
    revision: 1,
    ...base,
    ...queueKeys(base),
  };
  await new ApplicationStore(t.platform.db).insert(t.platform.db, row);
  return row;
}

/** An event of an application's history as the workflow records it (e.g. a supplement requested at 10:00 Shanghai). */
export async function storeEvent(t: TestApp, application: ApplicationRow, action: string, day: string): Promise<void> {
  const store = new ApplicationStore(t.platform.db);
  await store.transaction((tx) => store.addEvent(tx, {
    id: newId(),
    applicationId: application.id,
    at: `${day}T02:00:00.000Z`,
    action,
    fromStatus: application.status,
    toStatus: application.status,
    actorType: 'staff',
    actorId: null,
    actorLabel: '测试部门 · 受理员',
    step: null,
    opinion: null,
    detail: null,
  }));
}

/** A review (and, for a bad one, its rectification case) as the evaluation capability stores them. */
export async function storeReview(
  t: TestApp,
  application: ApplicationRow,
  fields: { reviewerPersonId: string; rating: number; createdAt: string; departmentRegionCode: string; case?: { status: 'open' | 'responded'; dueOn: string; respondedOn?: string } },
): Promise<void> {
  const store = new EvaluationStore(t.platform.db);
  const reviewId = newId();
  await store.transaction(async (tx) => {
    await store.insertReview(tx, {
      id: reviewId,
      applicationId: application.id,
      trackingNumber: application.trackingNumber ?? '',
      reviewerPersonId: fields.reviewerPersonId,
      enterpriseId: null,
      departmentId: application.departmentId,
      itemId: application.itemId,
      itemNameZh: application.itemNameZh,
      itemNameEn: application.itemNameEn,
      rating: fields.rating,
      efficiency: fields.rating,
      guidanceAccuracy: fields.rating,
      convenience: fields.rating,
      comment: fields.rating <= 2 ? '太慢' : null,
      createdAt: fields.createdAt,
    });
    if (fields.case) {
      await store.insertRectification(tx, {
        id: newId(),
        reviewId,
        departmentId: application.departmentId,
        departmentRegionCode: fields.departmentRegionCode,
        status: fields.case.status,
        openedAt: fields.createdAt,
        dueOn: fields.case.dueOn,
        callbackAt: null,
        outcome: fields.case.respondedOn ? 'explained' : null,
        response: fields.case.respondedOn ? '已说明' : null,
        respondedBy: null,
        respondedAt: fields.case.respondedOn ? `${fields.case.respondedOn}T02:00:00.000Z` : null,
        respondedOn: fields.case.respondedOn ?? null,
        applicantRating: null,
        applicantComment: null,
        applicantRatedAt: null,
        appealReason: null,
        appealedBy: null,
        appealedAt: null,
        appealDecision: null,
        appealNote: null,
        appealDecidedBy: null,
        appealDecidedAt: null,
      });
    }
  });
}

/**
 * The fixed data set of the dashboard tests, "today" being 2026-10-20 in Shanghai. Pudong
 * (310115) handles item A (promised 3, legal 15 working days), Xuhui (310104) item B (promised 5,
 * legal 10), both inside Shanghai (310000). The stretches run over the 2026 Mid-Autumn and National
 * Day holidays (25-27 Sep, 1-7 Oct; make-up working days 20 Sep and 10 Oct) and the Spring
 * Festival (15-23 Feb; make-up working days 14 and 28 Feb). docs/supervision.md works the figures.
 */
export async function dashboardFixture(t: TestApp) {
  const { departmentWithItem, verifiedPerson } = await import('../../applications/testing.js');
  const pudong = await departmentWithItem(t, { regionCode: '310115', code: 'SUP-PD', item: { visits: 0, onlineDepth: 4, promisedLimitDays: 3, legalLimitDays: 15 } });
  const xuhui = await departmentWithItem(t, { regionCode: '310104', code: 'SUP-XH', item: { visits: 1, onlineDepth: 3, promisedLimitDays: 5, legalLimitDays: 10, visitReason: { 'zh-CN': '需核验原件', en: 'The original must be checked' } } });
  const { individualBusinessItem } = await import('../../applications/testing.js');
  const third = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: { cookie: xuhui.editor.cookie }, payload: individualBusinessItem({ visits: 2, onlineDepth: 2, visitReason: { 'zh-CN': '需核验原件', en: 'The original must be checked' } }) });
  if (third.statusCode !== 201) throw new Error(third.body);
  const A = { itemId: pudong.item.itemId, departmentId: pudong.department.id, regionCode: '310115', promisedDays: 3, legalDays: 15 };
  const B = { itemId: xuhui.item.itemId, departmentId: xuhui.department.id, regionCode: '310104', promisedDays: 5, legalDays: 10 };
  const apps = {
    // Due 8 Oct (29, 30 Sep, 8 Oct); concluded that day: on time, 3 working days.
    a1: await storeApplication(t, { ...A, status: 'concluded', submittedOn: '2026-09-28', startedOn: '2026-09-28', stoppedOn: '2026-10-08' }),
    // Same, concluded 12 Oct: 3 working days late (9, 10 Oct a make-up Saturday, 12 Oct), 6 used.
    a2: await storeApplication(t, { ...A, status: 'concluded', submittedOn: '2026-09-28', startedOn: '2026-09-28', stoppedOn: '2026-10-12' }),
    // Paused 2 working days for a supplement: due 10 Oct, concluded 10 Oct: on time, 5 - 2 = 3 used.
    a3: await storeApplication(t, { ...A, status: 'concluded', submittedOn: '2026-09-28', startedOn: '2026-09-28', pausedDays: 2, stoppedOn: '2026-10-10' }),
    // Open, due 15 Oct: overdue on 20 Oct.
    a4: await storeApplication(t, { ...A, status: 'underReview', submittedOn: '2026-10-12', startedOn: '2026-10-12', promisedDueOn: '2026-10-15' }),
    // Open, due 22 Oct: due soon (22 Oct is the second working day after 20 Oct).
    a5: await storeApplication(t, { ...A, status: 'accepted', submittedOn: '2026-10-19', startedOn: '2026-10-19', promisedDueOn: '2026-10-22' }),
    // Waiting for a supplement: in progress, no running deadline.
    a6: await storeApplication(t, { ...A, status: 'supplementRequested', submittedOn: '2026-10-09', startedOn: '2026-10-09', pausedSince: '2026-10-12', promisedDueOn: '2026-10-14' }),
    // Withdrawn before acceptance.
    a7: await storeApplication(t, { ...A, status: 'withdrawn', submittedOn: '2026-10-13', updatedAt: '2026-10-14T03:00:00.000Z' }),
    // A draft is nobody's figure.
    a8: await storeApplication(t, { ...A, status: 'draft', submittedOn: '2026-10-15' }),
    // Over the Spring Festival: due 26 Feb (13, 14 Feb make-up, 24, 25, 26), concluded 27 Feb:
    // late; legal due 4 Mar (27, 28 Feb make-up, 2, 3, 4 Mar): on time; 6 working days used.
    b1: await storeApplication(t, { ...B, status: 'concluded', submittedOn: '2026-02-12', startedOn: '2026-02-12', stoppedOn: '2026-02-27' }),
    // Due 15 Oct (10, 12-15), concluded 16 Oct: late; legal due 22 Oct: on time; 6 used.
    b2: await storeApplication(t, { ...B, status: 'delivered', submittedOn: '2026-10-09', startedOn: '2026-10-09', stoppedOn: '2026-10-16' }),
  };
  const reviewer = await verifiedPerson(t, '评价人');
  await storeReview(t, apps.a1, { reviewerPersonId: reviewer.personId, rating: 5, createdAt: '2026-10-09T02:00:00.000Z', departmentRegionCode: '310115' });
  await storeReview(t, apps.a2, { reviewerPersonId: reviewer.personId, rating: 1, createdAt: '2026-10-13T02:00:00.000Z', departmentRegionCode: '310115', case: { status: 'responded', dueOn: '2026-10-16', respondedOn: '2026-10-15' } });
  await storeReview(t, apps.b2, { reviewerPersonId: reviewer.personId, rating: 2, createdAt: '2026-10-16T10:00:00.000Z', departmentRegionCode: '310104', case: { status: 'open', dueOn: '2026-10-19' } });
  return { pudong, xuhui, apps, thirdItemId: (third.json() as { itemId: string }).itemId };
}
