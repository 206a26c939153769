import { JobRunner } from './core/jobs.js';
import type { Platform } from './core/platform.js';
import { EmbeddedEnterpriseRegistry, HttpEnterpriseRegistry } from './identity/enterprises/registry.js';
import { EnterpriseService } from './identity/enterprises/service.js';
import { EnterpriseStore } from './identity/enterprises/store.js';
import { OidcService } from './identity/oidc/service.js';
import { IdentityService } from './identity/service.js';
import { EmbeddedPopulationRegistry, HttpPopulationRegistry } from './identity/registry.js';
import { IdentityStore } from './identity/store.js';
import { Outbox, loggingGateway } from './notifications/outbox.js';
import { InboxService } from './notifications/inbox.js';
import { Notifier } from './notifications/notifier.js';
import { FileService } from './files/service.js';
import { CalendarService } from './reference/calendar-service.js';
import { CatalogService } from './catalog/service.js';
import { createApplicationService } from './applications/wiring.js';
import { identityApplicants, identityDepartments } from './evaluation/adapters.js';
import { EvaluationService } from './evaluation/service.js';
import { CertificateService } from './certificates/service.js';
import { createPolicyServices } from './policies/wiring.js';
import { PUSH_CHANGES_JOB, PUSH_SWEEP_INTERVAL_MS } from './policies/loop/push.js';
import { SupervisionFlagService } from './supervision/flags/service.js';
import { createSupervisionAlerts, identityDirectory, SUPERVISION_ALERTS_INTERVAL_MS, SUPERVISION_ALERTS_JOB } from './supervision/alerts/wiring.js';
import { TransparencyService } from './transparency/service.js';
import { AUDIT_CHECKPOINT_INTERVAL_MS, AUDIT_CHECKPOINT_JOB } from './transparency/checkpoints.js';
import { DashboardService } from './supervision/dashboard/service.js';
import { supervisionSource } from './supervision/dashboard/port.js';
import { ROLLUP_INTERVAL_MS, ROLLUP_JOB } from './supervision/dashboard/rollup.js';
import { CreditService, LISTINGS_INTERVAL_MS, LISTINGS_JOB } from './credit/service.js';

/**
 * The capabilities' services, built once per process on a platform. Capabilities use one another
 * only through what is here, never through each other's tables.
 */
export function createServices(platform: Platform) {
  const outbox = new Outbox(platform.db, platform.vault, platform.clock, loggingGateway(platform.logger), platform.dialect);
  const embeddedRegistry = new EmbeddedPopulationRegistry(new IdentityStore(platform.db), platform.vault);
  const registry = platform.config.populationRegistryUrl
    ? new HttpPopulationRegistry(platform.config.populationRegistryUrl, platform.config.populationRegistryToken)
    : embeddedRegistry;
  const identity = new IdentityService(platform, registry, outbox);
  const enterpriseRegistry = new EmbeddedEnterpriseRegistry(new EnterpriseStore(platform.db), platform.vault);
  const enterprises = new EnterpriseService(
    platform,
    identity,
    platform.config.enterpriseRegistryUrl
      ? new HttpEnterpriseRegistry(platform.config.enterpriseRegistryUrl, platform.config.enterpriseRegistryToken)
      : enterpriseRegistry,
  );
  const calendar = new CalendarService(platform.db, platform.audit, platform.clock);
  const oidc = new OidcService(platform, identity);
  const catalog = new CatalogService(platform, identity);
  const inbox = new InboxService(platform.db, platform.clock);
  const notifier = new Notifier(inbox.store, outbox, (personId, tx) => identity.notificationContact(personId, tx), platform.clock, platform.logger, platform.config.publicUrl);
  // Whom attached files concern, for auditing refused staff reads: read only then, by which time
  // `applications` and `credit` below exist.
  const files: FileService = new FileService(platform, async (ownerId): Promise<{ subjectPersonId?: string; subjectEnterpriseId?: string }> => {
    const ofApplication = await applications.subjectsOf(ownerId);
    return ofApplication.subjectPersonId || ofApplication.subjectEnterpriseId ? ofApplication : credit.repairSubjects(ownerId);
  });
  const evaluation = new EvaluationService(platform, {
    // Rectification deadlines may run into a year whose holidays are not published yet.
    calendar: {
      addWorkingDays: async (from, days) => (await calendar.deadlineCalendar()).calendar.addWorkingDays(from, days),
      workingDaysBetween: async (from, to) => (await calendar.deadlineCalendar()).calendar.workingDaysBetween(from, to),
    },
    // Read only when a review arrives, by which time `applications` below exists.
    applications: { find: (applicationId) => applications.reviewable(applicationId) },
    departments: identityDepartments(identity),
    applicants: identityApplicants(identity),
    // The applicant is told the department has answered a bad review; the response is on the review page.
    onRectificationResponded: async (event, tx) => {
      await notifier.notify(tx, {
        personId: event.applicantPersonId,
        kind: 'review.responded',
        titleKey: 'applications.notify.rectificationResponded.title',
        bodyKey: 'applications.notify.rectificationResponded.body',
        params: { trackingNumber: event.trackingNumber },
        link: `/applications/${event.applicationId}/review`,
      });
    },
    afterCommit: () => notifier.deliverSoon(),
  });
  const certificates = new CertificateService(platform, identity, enterprises);
  // The policy zone's profile store is built below; only called once a listing changes.
  const credit = new CreditService(platform, { identity, enterprises, files, facts: { setUntrustworthy: (tx, uscc, value, at) => policies.enterpriseFacts.setUntrustworthy(tx, uscc, value, at) } });
  const applications = createApplicationService(platform, { catalog, identity, enterprises, calendar, certificates, files, notifier, credit });
  const jobs = new JobRunner(platform.db, platform.dialect, platform.clock, platform.logger);
  // Messages are also sent right after the commit that wrote them; this catches any a stopped process left behind.
  jobs.handle('outbox.deliver', async () => {
    await outbox.deliverPending();
  });
  jobs.handle('identity.cleanup', async () => {
    await identity.cleanUp();
  });
  jobs.handle('database.optimize', async () => {
    await platform.dialect.optimize(platform.db);
  });
  jobs.handle('files.cleanup', async () => {
    await files.cleanUp();
  });
  jobs.handle('oidc.cleanup', async () => {
    await oidc.store.deleteExpired(platform.clock.now().toISOString());
  });
  const transparency = new TransparencyService(platform);
  jobs.handle(AUDIT_CHECKPOINT_JOB, async () => {
    await transparency.checkpoints.write();
  });
  jobs.handle(LISTINGS_JOB, async () => {
    await credit.syncListings();
  });
  const policies = createPolicyServices(platform, { identity, enterprises, catalog, notifier, jobs, calendar, applications, certificates });
  const supervisionDashboards = new DashboardService(platform, supervisionSource({ applications, catalog, evaluation, identity, calendar, policyAnalytics: policies.policyAnalytics }));
  jobs.handle(ROLLUP_JOB, async () => {
    await supervisionDashboards.refresh();
  });

  const supervisionDirectory = identityDirectory(identity);
  const supervisionFlags = new SupervisionFlagService(platform, {
    async findApplication(by) {
      const id = 'id' in by ? by.id : (await applications.store.byTrackingNumber(by.trackingNumber))?.id;
      const found = id ? await applications.reviewable(id) : null;
      return found && found.status !== 'draft' ? { id: found.id, trackingNumber: found.trackingNumber, departmentId: found.departmentId, itemName: found.itemName } : null;
    },
    department: (id) => supervisionDirectory.department(id),
  });
  const supervisionAlerts = createSupervisionAlerts(platform, { identity, applications, evaluation, policyInquiries: policies.policyInquiries, flags: supervisionFlags, jobs });
  return { ...policies, supervisionFlags, supervisionAlerts, supervisionDashboards, catalog, applications, outbox, embeddedRegistry, identity, calendar, enterpriseRegistry, enterprises, oidc, jobs, certificates, evaluation, inbox, notifier, files, credit, transparency };
}

export type Services = ReturnType<typeof createServices>;

/** The recurring background jobs every deployment runs (each is one database row, shared by all copies). */
export async function scheduleRecurringJobs(services: Services): Promise<void> {
  await services.jobs.every('outbox.deliver', 10_000);
  await services.jobs.every('oidc.cleanup', 3_600_000);
  await services.jobs.every('identity.cleanup', 3_600_000);
  await services.jobs.every('files.cleanup', 3_600_000);
  await services.jobs.every('database.optimize', 3_600_000);
  await services.jobs.every(PUSH_CHANGES_JOB, PUSH_SWEEP_INTERVAL_MS);
  await services.jobs.every(SUPERVISION_ALERTS_JOB, SUPERVISION_ALERTS_INTERVAL_MS);
  await services.jobs.every(AUDIT_CHECKPOINT_JOB, AUDIT_CHECKPOINT_INTERVAL_MS);
  await services.jobs.every(ROLLUP_JOB, ROLLUP_INTERVAL_MS);
  await services.jobs.every(LISTINGS_JOB, LISTINGS_INTERVAL_MS);
}
