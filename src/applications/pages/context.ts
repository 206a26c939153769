import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type SessionPrincipal } from '../../core/auth.js';
import { forbidden, notFound } from '../../core/errors.js';
import type { CatalogService } from '../../catalog/service.js';
import type { CertificateService } from '../../certificates/service.js';
import type { FileService } from '../../files/service.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { pageAccount } from '../../identity/pages/context.js';
import type { IdentityService } from '../../identity/service.js';
import { seeOther } from '../../web/page.js';
import type { ApplicationService } from '../service.js';
import { ID_PATTERN } from './components.js';

/** What the application pages call: the applications service and the few reads around it. */
export interface ApplicationPageDeps {
  applications: ApplicationService;
  catalog: CatalogService;
  certificates: CertificateService;
  files: FileService;
  identity: IdentityService;
  enterprises: EnterpriseService;
}

/** The signed-in person; otherwise the browser goes to sign in (and comes back) and undefined is returned. */
export function pagePerson(request: FastifyRequest, reply: FastifyReply): (SessionPrincipal & { personId: string }) | undefined {
  const principal = pageAccount(request, reply);
  if (!principal) return undefined;
  if (!principal.personId) throw forbidden('personOnly');
  return principal as SessionPrincipal & { personId: string };
}

/** An officer or approver through the second factor; anyone not signed in is sent to the staff sign-in. */
export function pageOfficer(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!request.principal || request.principal.kind !== 'account') {
    seeOther(reply, `/staff/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, 'officer', 'approver');
}

/** Ids in addresses are checked before they reach a query; anything else is simply not found. */
export function checkedId(id: string): string {
  if (!ID_PATTERN.test(id)) throw notFound('applicationNotFound', 'applications.notFound');
  return id;
}
