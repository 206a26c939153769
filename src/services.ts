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
import { CalendarService } from './reference/calendar-service.js';

/**
 * The capabilities' services, built once per process on a platform. Capabilities use one another
 * only through what is here, never through each other's tables.
 */
export function createServices(platform: Platform) {
  const outbox = new Outbox(platform.db, platform.vault, platform.clock, loggingGateway(platform.logger));
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
  const jobs = new JobRunner(platform.db, platform.dialect, platform.clock, platform.logger);
  // Messages are also sent right after the commit that wrote them; this catches any a stopped process left behind.
  jobs.handle('outbox.deliver', async () => {
    await outbox.deliverPending();
  });
  jobs.handle('identity.cleanup', async () => {
    await identity.cleanUp();
  });
  jobs.handle('oidc.cleanup', async () => {
    await oidc.store.deleteExpired(platform.clock.now().toISOString());
  });
  return { outbox, embeddedRegistry, identity, calendar, enterpriseRegistry, enterprises, oidc, jobs };
}

export type Services = ReturnType<typeof createServices>;

/** The recurring background jobs every deployment runs (each is one database row, shared by all copies). */
export async function scheduleRecurringJobs(services: Services): Promise<void> {
  await services.jobs.every('outbox.deliver', 10_000);
  await services.jobs.every('oidc.cleanup', 3_600_000);
  await services.jobs.every('identity.cleanup', 3_600_000);
}
