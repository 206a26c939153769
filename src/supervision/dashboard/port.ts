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
  /** The whole directory (the refresh places reviews by their department's region). */
  departments(): Promise<DirectoryEntry[]>;
  department(id: string): Promise<DirectoryEntry | undefined>;
  /** The departments the dashboards name, only those (the national directory is thousands). */
  departmentsByIds(ids: readonly string[]): Promise<DirectoryEntry[]>;
  departmentsInRegions(regionCodes: readonly string[]): Promise<DirectoryEntry[]>;
}

export interface DirectoryEntry {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
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
    openCounts: (filter, by) => services.applications.supervisionOpenCounts(filter, by),
    dueList: (filter, which, limit) => services.applications.supervisionDueList(filter, which, limit),
    catalogItems: () => services.catalog.supervisionItems(),
    reviewCounts: (filter) => services.evaluation.supervisionReviewCounts(filter),
    firstReviewAt: () => services.evaluation.supervisionFirstReviewAt(),
    caseFigures: (filter) => services.evaluation.supervisionCaseFigures(filter),
    policyUptake: (filter) => services.policyAnalytics.supervisionUptake(filter),
    departments: async () => (await services.identity.store.listDepartments()).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, regionCode: d.regionCode })),
    departmentsByIds: (ids) => services.identity.departmentsByIds(ids),
    departmentsInRegions: (regionCodes) => services.identity.departmentsInRegions(regionCodes),
    department: async (id) => {
      const d = await services.identity.department(id);
      return d ? { id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, regionCode: d.regionCode } : undefined;
    },
  };
}
