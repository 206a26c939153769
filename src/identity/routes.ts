import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { requireAccount, requirePerson, requireRole } from '../core/auth.js';
import { checkCsrf } from '../core/csrf.js';
import type { HttpApp } from '../core/http.js';
import {
  AccessLogEntry,
  AccessLogQuery,
  ChallengeParams,
  ConfirmPhoneBody,
  LoginBody,
  LoginResult,
  PersonParams,
  Profile,
  PurposeQuery,
  RegistrationBody,
  RegistrationResult,
  SessionParams,
  SessionSummary,
  StaffPersonView,
  TotpBody,
  TotpEnrolment,
} from './schema.js';
import { SESSION_COOKIE, type IdentityService, type NewSession } from './service.js';

/** An access log page as JSON: the lines, and a `Link` header to the next page when there is one. */
export function sendAccessLog<T>(request: FastifyRequest, reply: FastifyReply, page: { entries: T[]; next: string | null }): T[] {
  if (page.next) {
    const url = new URL(request.url, 'http://localhost');
    url.searchParams.set('before', page.next);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return page.entries;
}

export interface SessionCookieOptions {
  secure: boolean;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax (so links from other sites still land signed in), Secure in production. */
export function setSessionCookie(reply: FastifyReply, session: NewSession, options: SessionCookieOptions): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, options: SessionCookieOptions): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure });
}

export type BearerResolver = (token: string, request: FastifyRequest) => Promise<FastifyRequest['principal']>;

/**
 * Resolves who is calling on every request (session cookie, or a bearer token through the
 * resolver the OIDC capability provides) and enforces CSRF on form posts.
 */
export function registerAuthentication(app: HttpApp, identity: IdentityService, bearer: { resolve?: BearerResolver }): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    request.principal = null;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ') && bearer.resolve) {
      request.principal = await bearer.resolve(authorization.slice(7).trim(), request);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token && token.length <= 100) request.principal = await identity.resolveSession(token);
  });
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/oidc/')) return;
    checkCsrf(request);
  });
}

export function identityRoutes(app: HttpApp, identity: IdentityService, cookie: SessionCookieOptions): void {
  const tags = ['identity'];

  app.post(
    '/api/v1/identity/registrations',
    {
      schema: {
        tags,
        summary: 'Register a person with real name, ID number, phone and password',
        description: 'Name and ID number are checked against the population registry; a failed check creates nothing. A code is sent to the phone.',
        body: RegistrationBody,
        response: { 201: RegistrationResult },
      },
    },
    async (request, reply) => {
      const result = await identity.register(request.body, request.locale);
      return reply.status(201).send({ ...result, realNameLevel: 1 });
    },
  );

  app.post(
    '/api/v1/identity/registrations/:challengeId/confirm',
    { schema: { tags, summary: 'Confirm the phone with the SMS code (real-name level 2)', params: ChallengeParams, body: ConfirmPhoneBody, response: { 200: Type.Object({ realNameLevel: Type.Integer() }) } } },
    async (request) => {
      await identity.confirmPhone(request.params.challengeId, request.body.code);
      return { realNameLevel: 2 };
    },
  );

  app.post(
    '/api/v1/identity/registrations/:challengeId/resend',
    {
      schema: {
        tags,
        summary: 'Send a new code to the phone of an unconfirmed registration; the old code stops working',
        params: ChallengeParams,
        response: { 201: Type.Object({ challengeId: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await identity.resendRegistrationCode(request.params.challengeId, request.locale)),
  );

  app.post(
    '/api/v1/identity/sessions',
    { schema: { tags, summary: 'Log in with password; sets the session cookie', body: LoginBody, response: { 201: LoginResult } } },
    async (request, reply) => {
      const session = await identity.login({ ...request.body, userAgent: request.headers['user-agent'], ip: request.ip });
      // Rotation: whatever session this browser had before is ended, the new one replaces it.
      if (request.principal?.kind === 'account') await identity.logout(request.principal).catch(() => undefined);
      setSessionCookie(reply, session, cookie);
      return reply.status(201).send({
        mfaRequired: session.mfaRequired,
        mfaEnrollmentRequired: session.mfaEnrollmentRequired,
        expiresAt: session.expiresAt,
        csrfToken: session.csrfToken,
      });
    },
  );

  app.post(
    '/api/v1/identity/sessions/current/mfa',
    { schema: { tags, summary: 'Second step of login: the TOTP code', body: TotpBody, response: { 200: Type.Object({ mfaPassed: Type.Boolean() }) } } },
    async (request) => {
      await identity.passTotp(requireAccount(request), request.body.code);
      return { mfaPassed: true };
    },
  );

  app.delete(
    '/api/v1/identity/sessions/current',
    { schema: { tags, summary: 'Log out' } },
    async (request, reply) => {
      await identity.logout(requireAccount(request));
      clearSessionCookie(reply, cookie);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/identity/me',
    { schema: { tags, summary: 'My account: profile and real-name level', response: { 200: Profile } } },
    async (request) => identity.profile(requireAccount(request)),
  );

  app.get(
    '/api/v1/identity/me/sessions',
    { schema: { tags, summary: 'My active sessions', response: { 200: Type.Array(SessionSummary) } } },
    async (request) => identity.listSessions(requireAccount(request)),
  );

  app.delete(
    '/api/v1/identity/me/sessions/:sessionId',
    { schema: { tags, summary: 'End one of my sessions', params: SessionParams } },
    async (request, reply) => {
      await identity.revokeSession(requireAccount(request), request.params.sessionId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/identity/me/sessions/revoke-all',
    { schema: { tags, summary: 'Log out everywhere', response: { 200: Type.Object({ revoked: Type.Integer() }) } } },
    async (request, reply) => {
      const revoked = await identity.revokeAllSessions(requireAccount(request));
      clearSessionCookie(reply, cookie);
      return { revoked };
    },
  );

  app.get(
    '/api/v1/identity/me/access-log',
    {
      schema: {
        tags,
        summary: 'Who verified or looked at my personal data',
        description:
          'Every read, verification and decision about me by staff, administrators and departmental clients, newest first. ' +
          'Keyset paged: when there is more, a `Link: <...>; rel="next"` header gives the next page (`before` = the last line\'s `cursor`).',
        querystring: AccessLogQuery,
        response: { 200: Type.Array(AccessLogEntry) },
      },
    },
    async (request, reply) => sendAccessLog(request, reply, await identity.accessLog(requirePerson(request), request.query)),
  );

  app.post(
    '/api/v1/identity/me/totp',
    { schema: { tags, summary: 'Start enrolling an authenticator (TOTP)', response: { 201: TotpEnrolment } } },
    async (request, reply) => reply.status(201).send(await identity.startTotpEnrolment(requireAccount(request))),
  );

  app.post(
    '/api/v1/identity/me/totp/confirm',
    { schema: { tags, summary: 'Finish enrolling the authenticator with a code from it', body: TotpBody, response: { 200: Type.Object({ mfaEnrolled: Type.Boolean() }) } } },
    async (request) => {
      await identity.confirmTotpEnrolment(requireAccount(request), request.body.code);
      return { mfaEnrolled: true };
    },
  );

  app.get(
    '/api/v1/identity/persons/:personId',
    {
      schema: {
        tags,
        summary: "Staff: read a person's personal data (audited, needs a purpose)",
        params: PersonParams,
        querystring: PurposeQuery,
        response: { 200: StaffPersonView },
      },
    },
    async (request) => identity.readPersonForStaff(requireRole(request, 'officer', 'supervisor', 'admin'), request.params.personId, request.query.purpose),
  );
}
