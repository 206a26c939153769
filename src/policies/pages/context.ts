import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type SessionPrincipal } from '../../core/auth.js';
import { notFound } from '../../core/errors.js';
import type { CatalogService } from '../../catalog/service.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { pageAccount } from '../../identity/pages/context.js';
import { seeOther } from '../../web/page.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { PolicyMatchingService } from '../matching/service.js';
import { CODE_PATTERN, ID_PATTERN } from './components.js';

/** What the policy pages call: the library and matching services, and the reads around them. */
export interface PolicyPageDeps {
  policyLibrary: PolicyLibraryService;
  policyMatching: PolicyMatchingService;
  enterprises: EnterpriseService;
  catalog: CatalogService;
}

/** A policy officer through the second factor; anyone not signed in is sent to the staff sign-in. */
export function pagePolicyOfficer(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!request.principal || request.principal.kind !== 'account') {
    seeOther(reply, `/staff/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, 'policyOfficer');
}

/** Codes and ids in addresses are checked before they reach a query; anything else is simply not found. */
export function checkedCode(code: string): string {
  if (!CODE_PATTERN.test(code)) throw notFound('policyNotFound', 'policies.policy.notFound', { code: code.slice(0, 64) });
  return code;
}

export function checkedEnterpriseId(id: string): string {
  if (!ID_PATTERN.test(id)) throw notFound('enterpriseNotFound', 'enterprise.notFound');
  return id;
}

/** The catalogue page of the service item a policy is claimed through, when it is published. */
export async function serviceItemHref(catalog: CatalogService, code: string | undefined): Promise<string | null> {
  if (!code) return null;
  const item = await catalog.itemByImplementationCode(code);
  return item ? `/services/${encodeURIComponent(item.itemId)}` : null;
}
