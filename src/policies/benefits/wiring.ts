import type { ApplicationService } from '../../applications/service.js';
import type { CatalogService } from '../../catalog/service.js';
import type { CertificateService } from '../../certificates/service.js';
import type { Db } from '../../core/db.js';
import type { JobRunner } from '../../core/jobs.js';
import type { Platform } from '../../core/platform.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import type { Notifier } from '../../notifications/notifier.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { PolicyMatchingService } from '../matching/service.js';
import type { ProfileStore } from '../profiles/store.js';
import { PolicyClaimService } from './claims.js';
import { NOTIFY_JOB, PolicyGrantService, type PlatformEnterprises } from './grants.js';

export interface BenefitDependencies {
  library: PolicyLibraryService;
  matching: PolicyMatchingService;
  profiles: ProfileStore;
  enterprises: EnterpriseService;
  catalog: CatalogService;
  applications: ApplicationService;
  certificates: CertificateService;
  notifier: Notifier;
  jobs?: JobRunner;
}

/**
 * Enterprises that opened an account on the platform, a chunk of USCCs per query: the adapter
 * reads the enterprises table (as the push feed does) so that notifying a large batch is not one
 * lookup per enterprise.
 */
function platformEnterprises(db: Db): PlatformEnterprises {
  return {
    async accountHolders(usccs) {
      const holders = new Map<string, { enterpriseId: string; legalRepresentativePersonId: string }>();
      if (usccs.length === 0) return holders;
      const rows = await db.selectFrom('enterprises').select(['id', 'uscc', 'legalRepPersonId']).where('uscc', 'in', [...usccs]).execute();
      for (const row of rows) holders.set(row.uscc, { enterpriseId: row.id, legalRepresentativePersonId: row.legalRepPersonId });
      return holders;
    },
  };
}

/** Claims and grants, built on the policy library and matching and on the services they hand work to. */
export function createBenefitServices(platform: Platform, deps: BenefitDependencies) {
  const policyClaims = new PolicyClaimService(platform, {
    library: deps.library,
    matching: deps.matching,
    enterprises: deps.enterprises,
    applications: deps.applications,
    certificates: deps.certificates,
    items: {
      async publishedItem(implementationCode) {
        const item = await deps.catalog.store.itemByImplementationCode(implementationCode);
        return item && item.status === 'published' ? deps.catalog.getItem(item.id) : null;
      },
    },
  });
  const policyGrants = new PolicyGrantService(platform, {
    library: deps.library,
    profiles: deps.profiles,
    enterprises: deps.enterprises,
    platformEnterprises: platformEnterprises(platform.db),
    notifier: deps.notifier,
    ...(deps.jobs ? { jobs: deps.jobs } : {}),
  });
  deps.jobs?.handle(NOTIFY_JOB, async (payload) => {
    const { batchId } = payload as { batchId: string };
    await policyGrants.notifyBatch(batchId);
  });
  // What the owner's analytics count per policy (uptake).
  const policyBenefitCounts = { countsFor: (policyId: string) => policyClaims.store.countsFor(policyId) };
  return { policyClaims, policyGrants, policyBenefitCounts };
}
