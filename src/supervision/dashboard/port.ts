import type { ApplicationService } from '../../applications/service.js';
import type { CatalogService } from '../../catalog/service.js';
import type { EvaluationService } from '../../evaluation/service.js';
import type { IdentityService } from '../../identity/service.js';
import type { PolicyAnalyticsService } from '../../policies/loop/analytics.js';
import type { DeadlineCalendar } from '../../reference/calendar-service.js';

/**
 * The narrow read port through which supervision sees the other capabilities. Each method is a
 * read-only service export of the capability that owns the data (named `supervision...` there),
 * returns only the columns the figures need and no personal data. The rollup (rollup.ts) is
 * filled from `applicationChanges`, `reviewCounts` and `catalogItems`; the live figures come from the others.
 */
export interface SupervisionSource {
  calendar(): Promise<DeadlineCalendar>;
  applicationChanges: ApplicationService['supervisionChanges'];
  clockEvents: ApplicationService['supervisionClockEvents'];
  openCounts: ApplicationService['supervisionOpenCounts'];
  dueList: ApplicationService['supervisionDueList'];
  catalogItems: CatalogService['supervisionItems'];
  reviewCounts: EvaluationService['supervisionReviewCounts'];
  firstReviewAt: EvaluationService['supervisionFirstReviewAt'];
  caseFigures: EvaluationService['supervisionCaseFigures'];
  policyUptake: PolicyAnalyticsService['supervisionUptake'];
  departments(): Promise<{ id: string; nameZh: string; nameEn: string; regionCode: string }[]>;
  department(id: string): Promise<{ id: string; nameZh: string; nameEn: string; regionCode: string } | undefined>;
}

export interface SourceServices {
  applications: ApplicationService;
  catalog: CatalogService;
  evaluation: EvaluationService;
  identity: IdentityService;
  policyAnalytics: PolicyAnalyticsService;
  calendar: { deadlineCalendar(): Promise<DeadlineCalendar> };
}

export function supervisionSource(services: SourceServices): SupervisionSource {
  return {
    calendar: () => services.calendar.deadlineCalendar(),
    applicationChanges: (after, limit) => services.applications.supervisionChanges(after, limit),
    clockEvents: (applicationIds) => services.applications.supervisionClockEvents(applicationIds),
    openCounts: (filter) => services.applications.supervisionOpenCounts(filter),
    dueList: (filter, which, limit) => services.applications.supervisionDueList(filter, which, limit),
    catalogItems: () => services.catalog.supervisionItems(),
    reviewCounts: (filter) => services.evaluation.supervisionReviewCounts(filter),
    firstReviewAt: () => services.evaluation.supervisionFirstReviewAt(),
    caseFigures: (filter) => services.evaluation.supervisionCaseFigures(filter),
    policyUptake: (filter) => services.policyAnalytics.supervisionUptake(filter),
    departments: async () => (await services.identity.store.listDepartments()).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, regionCode: d.regionCode })),
    department: async (id) => {
      const d = await services.identity.department(id);
      return d ? { id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, regionCode: d.regionCode } : undefined;
    },
  };
}
