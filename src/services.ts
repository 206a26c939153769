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
  return { outbox, embeddedRegistry, identity, calendar, enterpriseRegistry, enterprises, oidc };
}

export type Services = ReturnType<typeof createServices>;
