import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { newToken } from './ids.js';

export const ANONYMOUS_CSRF_COOKIE = 'tb_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Multipart form posts whose token is still to be read from the body (see checkCsrf). */
const deferredToBody = new WeakSet<FastifyRequest>();

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The token a form must carry: the session's own when signed in, otherwise a random value kept
 * in a SameSite cookie (double submit), set here when the form is first rendered.
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.principal?.kind === 'account') return request.principal.csrfToken;
  let token = request.cookies[ANONYMOUS_CSRF_COOKIE];
  if (!token || token.length < 20) {
    token = newToken(24);
    reply.setCookie(ANONYMOUS_CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    request.cookies[ANONYMOUS_CSRF_COOKIE] = token;
  }
  return token;
}

/**
 * Every state-changing request that a browser could send cross-site must prove it came from our
 * own page. JSON requests cannot be sent cross-site without a CORS preflight (which we never
 * grant), and bearer-token clients carry no ambient credentials, so only forms need the token.
 */
export function checkCsrf(request: FastifyRequest): void {
  // Only GET, HEAD and POST can be sent cross-site without a CORS preflight; of these POST changes state.
  if (SAFE_METHODS.has(request.method) || request.method !== 'POST') return;
  if (request.headers.authorization) return;
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) return;
  const body = request.body as Record<string, unknown> | undefined;
  const given = (request.headers['x-csrf-token'] as string | undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (!given && contentType.startsWith('multipart/form-data') && request.routeOptions.config?.multipartForm === true) {
    // A no-JavaScript upload form carries its token as a field inside the stream, which only the
    // route reads: readMultipart (src/files/multipart.ts) checks it before it accepts any file.
    deferredToBody.add(request);
    return;
  }
  verifyCsrfToken(request, given);
}

/** This request's CSRF token has yet to be read from its multipart body. */
export function csrfDeferredToBody(request: FastifyRequest): boolean {
  return deferredToBody.has(request);
}

/** Throws 403 unless `given` is the token this request must carry. */
export function verifyCsrfToken(request: FastifyRequest, given: string | undefined): void {
  const expected = request.principal?.kind === 'account' ? request.principal.csrfToken : request.cookies[ANONYMOUS_CSRF_COOKIE];
  if (!expected || !given || !same(expected, given)) {
    throw new AppError(403, 'csrf', 'error.forbidden.title', 'error.csrf.detail');
  }
  deferredToBody.delete(request);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads a multipart form with `readMultipart` (other routes refuse multipart with
     * 415), so a form without JavaScript may put its CSRF token in the `_csrf` field, before any
     * file, instead of the x-csrf-token header.
     */
    multipartForm?: boolean;
  }
}
