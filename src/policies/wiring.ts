import type { Platform } from '../core/platform.js';
import type { CatalogService } from '../catalog/service.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import { PolicyLibraryService } from './library/service.js';
import { PolicyMatchingService } from './matching/service.js';
import { ProfileStore } from './profiles/store.js';
import type { JobRunner } from '../core/jobs.js';
import type { Notifier } from '../notifications/notifier.js';
import type { CalendarService } from '../reference/calendar-service.js';
import { PolicyAnalyticsService } from './loop/analytics.js';
import { databaseEnterpriseFeed } from './loop/enterprise-feed.js';
import { PolicyInquiryService } from './loop/inquiries.js';
import { PolicyPushService } from './loop/push.js';
import { PolicyLoopStore } from './loop/store.js';
import type { ApplicationService } from '../applications/service.js';
import type { CertificateService } from '../certificates/service.js';
import { createBenefitServices } from './benefits/wiring.js';

export interface PolicyDependencies {
  identity: IdentityService;
  enterprises: EnterpriseService;
  catalog: CatalogService;
  notifier: Notifier;
  jobs: JobRunner;
  calendar: CalendarService;
  applications: ApplicationService;
  certificates: CertificateService;
}

/** The policy zone's services, built once per process; `services.ts` spreads them into the rest. */
export function createPolicyServices(platform: Platform, deps: PolicyDependencies) {
  const enterpriseFacts = new ProfileStore(platform.db);
  const policyLibrary = new PolicyLibraryService(platform, deps.identity, {
    async publishedItemId(code) {
      const item = await deps.catalog.store.itemByImplementationCode(code);
      return item && item.status === 'published' ? item.id : null;
    },
  });
  const policyMatching = new PolicyMatchingService(platform, policyLibrary, deps.enterprises, async (uscc, on) => (await enterpriseFacts.facts(uscc, on)) ?? {});
  const loopStore = new PolicyLoopStore(platform.db);
  const policyPush = new PolicyPushService(platform, loopStore, {
    library: policyLibrary,
    matching: policyMatching,
    enterprises: deps.enterprises,
    feed: databaseEnterpriseFeed(platform.db),
    notifier: deps.notifier,
    jobs: deps.jobs,
  });
  policyPush.register();
  const policyInquiries = new PolicyInquiryService(platform, loopStore, {
    library: policyLibrary,
    enterprises: deps.enterprises,
    // Answer deadlines may run into a year whose holidays are not published yet (counted provisionally).
    calendar: { addWorkingDays: async (from, days) => (await deps.calendar.deadlineCalendar()).calendar.addWorkingDays(from, days) },
    notifier: deps.notifier,
  });
  const benefits = createBenefitServices(platform, {
    library: policyLibrary,
    matching: policyMatching,
    profiles: enterpriseFacts,
    enterprises: deps.enterprises,
    catalog: deps.catalog,
    applications: deps.applications,
    certificates: deps.certificates,
    notifier: deps.notifier,
    jobs: deps.jobs,
  });
  const policyAnalytics = new PolicyAnalyticsService(platform, loopStore, { library: policyLibrary, benefits: benefits.policyBenefitCounts });
  return { enterpriseFacts, policyLibrary, policyMatching, policyPush, policyInquiries, policyAnalytics, ...benefits };
}
