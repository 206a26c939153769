import type { Role } from '../../core/auth.js';
import type { JobRunner } from '../../core/jobs.js';
import type { Platform } from '../../core/platform.js';
import type { ApplicationService } from '../../applications/service.js';
import type { EvaluationService } from '../../evaluation/service.js';
import type { IdentityService } from '../../identity/service.js';
import type { PolicyInquiryService } from '../../policies/loop/inquiries.js';
import { shanghaiDate } from '../../reference/dates.js';
import type { SupervisionFlagService } from '../flags/service.js';
import { SupervisionAlertService, type AlertCondition, type AlertDirectory, type AlertSource } from './service.js';

export const SUPERVISION_ALERTS_JOB = 'supervision.alerts';
/** How often the sweep runs; alerts are about days, a quarter of an hour is prompt enough. */
export const SUPERVISION_ALERTS_INTERVAL_MS = 15 * 60_000;

export interface AlertWiring {
  identity: IdentityService;
  applications: ApplicationService;
  evaluation: EvaluationService;
  policyInquiries: PolicyInquiryService;
  flags: SupervisionFlagService;
  jobs: JobRunner;
}

/** Departments and staff as identity keeps them. */
export function identityDirectory(identity: IdentityService): AlertDirectory {
  const member = (row: { id: string; departmentId: string | null; regionCode: string; roles: string }) => ({
    id: row.id,
    departmentId: row.departmentId,
    regionCode: row.regionCode,
    roles: JSON.parse(row.roles) as Role[],
  });
  return {
    async department(id) {
      const department = await identity.department(id);
      return department ? { id: department.id, nameZh: department.nameZh, nameEn: department.nameEn, regionCode: department.regionCode } : null;
    },
    departmentStaff: async (departmentIds) => (departmentIds.length ? (await identity.store.staffOf({ departmentIds })).map(member) : []),
    regionStaff: async (regionCodes) => (await identity.store.staffOf({ regionCodes })).map(member),
  };
}

/** What each capability reports as needing an alert now, through its service. */
export function alertSources(deps: Pick<AlertWiring, 'applications' | 'evaluation' | 'policyInquiries' | 'flags'>, platform: Platform): AlertSource[] {
  const applications: AlertSource = async () => {
    const today = shanghaiDate(platform.clock.now());
    const conditions: AlertCondition[] = [];
    for (const row of await deps.applications.deadlineWatch()) {
      const base = {
        subjectId: row.id,
        departmentId: row.departmentId,
        params: { trackingNumber: row.trackingNumber ?? '', item: row.itemName },
        link: `/workbench/applications/${encodeURIComponent(row.id)}`,
        assignedStaffId: row.claimedByStaffId,
      };
      if (row.flag === 'dueSoon') conditions.push({ ...base, kind: 'application.dueSoon', stage: 'promised', dueOn: row.promisedDueOn });
      if (row.flag === 'overdue') {
        conditions.push({ ...base, kind: 'application.overdue', stage: 'promised', dueOn: row.promisedDueOn });
        if (row.legalDueOn && row.legalDueOn < today) conditions.push({ ...base, kind: 'application.overdue', stage: 'legal', dueOn: row.legalDueOn });
      }
    }
    return conditions;
  };
  const rectifications: AlertSource = async () =>
    (await deps.evaluation.overdueRectifications()).map((row) => ({
      kind: 'rectification.overdue',
      stage: `due:${row.dueOn}`,
      subjectId: row.id,
      departmentId: row.departmentId,
      dueOn: row.dueOn,
      params: { trackingNumber: row.trackingNumber, item: row.itemName },
      link: `/workbench/rectifications/${encodeURIComponent(row.id)}`,
    }));
  const inquiries: AlertSource = async () =>
    (await deps.policyInquiries.overdueAcrossDepartments()).map((row) => ({
      kind: 'inquiry.overdue',
      stage: `due:${row.dueOn}`,
      subjectId: row.id,
      departmentId: row.departmentId,
      dueOn: row.dueOn,
      params: { policy: row.policyTitle, enterprise: row.enterpriseName },
      link: `/department/policy-inquiries/${encodeURIComponent(row.id)}`,
    }));
  const flags: AlertSource = async () =>
    (await deps.flags.lateResponses()).map((row) => ({
      kind: 'flag.overdue',
      stage: `round:${row.round}`,
      subjectId: row.id,
      departmentId: row.departmentId,
      dueOn: row.dueOn,
      params: { subject: row.subjectLabel },
      link: `/workbench/flags/${encodeURIComponent(row.id)}`,
      // The supervisor who raised the flag hears of a late response even if nearer supervisors exist.
      watcherStaffId: row.raisedBy,
    }));
  return [applications, rectifications, inquiries, flags];
}

/** The alert service with its sources and the recurring sweep's handler. */
export function createSupervisionAlerts(platform: Platform, deps: AlertWiring): SupervisionAlertService {
  const alerts = new SupervisionAlertService(platform, {
    sources: alertSources(deps, platform),
    directory: identityDirectory(deps.identity),
    escalationHours: platform.config.supervisionEscalationHours,
  });
  deps.jobs.handle(SUPERVISION_ALERTS_JOB, async () => {
    await alerts.sweep();
  });
  return alerts;
}
