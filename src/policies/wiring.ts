import type { Platform } from '../core/platform.js';
import type { CatalogService } from '../catalog/service.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import { PolicyLibraryService } from './library/service.js';
import { PolicyMatchingService } from './matching/service.js';
import { ProfileStore } from './profiles/store.js';

export interface PolicyDependencies {
  identity: IdentityService;
  enterprises: EnterpriseService;
  catalog: CatalogService;
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
  return { enterpriseFacts, policyLibrary, policyMatching };
}
