import type { ApplicationService } from '../../applications/service.js';
import type { CertificateService } from '../../certificates/service.js';
import type { HttpApp } from '../../core/http.js';
import type { FileService } from '../../files/service.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import type { PolicyLibraryService } from '../library/service.js';
import { claimPages } from './claim-pages.js';
import type { PolicyClaimService } from './claims.js';
import { grantPages } from './grant-pages.js';
import type { PolicyGrantService } from './grants.js';

/** What the claim and grant pages call. */
export interface BenefitPageDeps {
  policyClaims: PolicyClaimService;
  policyGrants: PolicyGrantService;
  policyLibrary: PolicyLibraryService;
  applications: ApplicationService;
  certificates: CertificateService;
  enterprises: EnterpriseService;
  files: FileService;
}

/**
 * Pages for claims and grants, working without JavaScript: the claim page an enterprise reaches
 * from a policy page, the enterprise's claims and grants, and the policy officer's scan, review
 * and approval of grants without application.
 */
export function policyBenefitPages(app: HttpApp, deps: BenefitPageDeps): void {
  claimPages(app, deps);
  grantPages(app, deps);
}
