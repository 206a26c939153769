import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from './errors.js';

/**
 * Who is making a request. People act for themselves (and, as agents, for enterprises); staff act
 * for one department in one region; departmental clients call machine APIs with a token.
 * Staff roles: `officer` handles applications, `approver` signs decisions, `catalogEditor`
 * maintains the department's service items, `supervisor` oversees a region, `policyOfficer` keeps
 * policies, `admin` manages departments and staff, `auditor` searches the audit trail and nothing else.
 */
export type Role = 'person' | 'officer' | 'approver' | 'catalogEditor' | 'supervisor' | 'policyOfficer' | 'admin' | 'auditor';

export interface SessionPrincipal {
  kind: 'account';
  accountId: string;
  sessionId: string;
  personId: string | null;
  staffId: string | null;
  roles: Role[];
  displayName: string;
  departmentId: string | null;
  regionCode: string | null;
  /** Staff and administrators must have passed TOTP in this session before they can act. */
  mfaPassed: boolean;
  mfaEnrolled: boolean;
  csrfToken: string;
}

export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  clientName: string;
  departmentId: string | null;
  scopes: string[];
}

export type Principal = SessionPrincipal | ClientPrincipal;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const STAFF_ROLES: Role[] = ['officer', 'approver', 'catalogEditor', 'supervisor', 'policyOfficer', 'admin', 'auditor'];

export function requireAccount(request: FastifyRequest): SessionPrincipal {
  const principal = request.principal;
  if (!principal || principal.kind !== 'account') throw unauthorized();
  return principal;
}

export function requirePerson(request: FastifyRequest): SessionPrincipal & { personId: string } {
  const principal = requireAccount(request);
  if (!principal.personId) throw forbidden('personOnly');
  // A person who chose a second factor is held to it on every request, not only on pages.
  if (principal.mfaEnrolled && !principal.mfaPassed) throw forbidden('mfaRequired', 'error.mfaRequired.detail');
  return principal as SessionPrincipal & { personId: string };
}

/** Staff roles need a second factor in this session; least privilege means naming the roles. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): SessionPrincipal {
  const principal = requireAccount(request);
  if (!principal.roles.some((role) => roles.includes(role))) throw forbidden('roleRequired');
  if (principal.roles.some((role) => STAFF_ROLES.includes(role)) && !principal.mfaPassed) {
    throw forbidden('mfaRequired', 'error.mfaRequired.detail');
  }
  return principal;
}

export function requireClient(request: FastifyRequest, scope: string): ClientPrincipal {
  const principal = request.principal;
  if (!principal || principal.kind !== 'client') throw unauthorized('clientTokenRequired', 'error.clientToken.detail');
  if (!principal.scopes.includes(scope)) throw forbidden('scopeRequired', 'error.scope.detail', { scope });
  return principal;
}
