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
  /** The notification inbox, for the unread count on the account page. */
  inbox?: { unreadCount(personId: string): Promise<number> };
  cookie: SessionCookieOptions;
  production: boolean;
}

/**
 * A `next` address that stays on this site. Browsers ignore tabs and newlines inside URLs and
 * treat `\` like `/`, so `/\t/evil.example` would leave the site: the value is resolved as a URL
 * and kept only if it has no such characters and resolves to a path on our own origin.
 */
export function safeNext(value: unknown, fallback = '/account'): string {
  if (typeof value !== 'string' || value.length > 300 || !value.startsWith('/')) return fallback;
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return fallback;
  const origin = 'http://tongban.invalid';
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
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
