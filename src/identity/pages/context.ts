import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import type { Outbox } from '../../notifications/outbox.js';
import { seeOther } from '../../web/page.js';
import type { EnterpriseService } from '../enterprises/service.js';
import type { SessionCookieOptions } from '../routes.js';
import type { IdentityService } from '../service.js';
import './messages.js';

/** What the identity pages need: the services they call and how cookies are set. */
export interface IdentityPageDeps {
  identity: IdentityService;
  enterprises: EnterpriseService;
  outbox: Outbox;
  cookie: SessionCookieOptions;
  production: boolean;
}

/** A `next` address that stays on this site (a path, never `//other.example` or a full URL). */
export function safeNext(value: unknown, fallback = '/account'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 300) return fallback;
  return value;
}

export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const query = request.query as Record<string, unknown> | undefined;
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query ?? {})) if (typeof value === 'string') result[key] = value;
  return result;
}

/**
 * The signed-in account a page needs, fully through its second factor. Otherwise the browser is
 * sent to the step that is missing (sign in, one-time code, authenticator set-up) and undefined
 * is returned: the route just returns.
 */
export function pageAccount(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  const principal = request.principal;
  const here = request.url;
  if (!principal || principal.kind !== 'account') {
    seeOther(reply, `/login?next=${encodeURIComponent(here)}`);
    return undefined;
  }
  if (principal.mfaEnrolled && !principal.mfaPassed) {
    seeOther(reply, `/login/totp?next=${encodeURIComponent(here)}`);
    return undefined;
  }
  if (principal.staffId && !principal.mfaEnrolled) {
    seeOther(reply, '/login/enrol');
    return undefined;
  }
  return principal;
}
