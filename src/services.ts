import type { Platform } from './core/platform.js';
import { IdentityService } from './identity/service.js';
import { EmbeddedPopulationRegistry, HttpPopulationRegistry } from './identity/registry.js';
import { IdentityStore } from './identity/store.js';
import { Outbox, loggingGateway } from './notifications/outbox.js';

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
  return { outbox, embeddedRegistry, identity };
}

export type Services = ReturnType<typeof createServices>;
