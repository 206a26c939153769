import type Provider from 'oidc-provider';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { createElement } from 'react';
import { requireClient, requireRole } from '../../core/auth.js';
import { checkCsrf } from '../../core/csrf.js';
import type { HttpApp } from '../../core/http.js';
import { formBody, sendPage, tr } from '../../web/page.js';
import { ConsentPage, InteractionExpired, LoginPrompt } from './pages.js';
import { handToProvider, OIDC_PREFIX, signedInPerson } from './provider.js';
import {
  ClientCredentials,
  ClientParams,
  ClientRegistrationBody,
  ClientView,
  PERSON_SCOPES,
  VerificationBody,
  VerificationResult,
  VERIFY_SCOPE,
  type PersonScope,
} from './schema.js';
import type { OidcService } from './service.js';

/**
 * Single sign-on: the provider's own endpoints (handed the raw request), the login and consent
 * interaction pages, client administration and the identity-verification API.
 */
export function oidcRoutes(app: HttpApp, oidc: OidcService): void {
  let callback: ReturnType<Provider['callback']> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    callback ??= (await oidc.provider()).callback();
    handToProvider(request, reply);
    reply.hijack();
    await callback(request.raw, reply.raw);
  };
  // The provider's endpoints read their own request bodies (with their own limits and error
  // format), so in this scope Fastify leaves the body stream untouched.
  void app.register(async (provider) => {
    provider.removeAllContentTypeParsers();
    provider.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    provider.route({ method: ['GET', 'POST', 'DELETE', 'OPTIONS'], url: `${OIDC_PREFIX}/*`, schema: { hide: true }, handler: forward });
    provider.get('/.well-known/openid-configuration', { schema: { hide: true } }, forward);
  });

  const finish = async (request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, merge: boolean) => {
    reply.hijack();
    await (await oidc.provider()).interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
  };

  const details = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await (await oidc.provider()).interactionDetails(request.raw, reply.raw);
    } catch {
      // No interaction cookie, or it expired: nothing to continue.
      return undefined;
    }
  };

  const expired = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(request, reply, { title: tr(request)('oidc.interaction.expiredTitle'), status: 400, children: createElement(InteractionExpired) });

  const consentScopes = (scope: unknown): (PersonScope | 'offline_access')[] => {
    const known = new Set<string>([...PERSON_SCOPES, 'offline_access']);
    return String(scope ?? 'openid')
      .split(' ')
      .filter((name): name is PersonScope | 'offline_access' => known.has(name));
  };

  app.get<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction) return expired(request, reply);
    const t = tr(request);
    const client = await oidc.clientLabel(String(interaction.params.client_id));
    if (interaction.prompt.name === 'login') {
      // The person signed in to Tongban in this browser (past TOTP where enrolled) is the one signed in.
      const person = signedInPerson(request);
      if (person) return finish(request, reply, { login: { accountId: person.personId } }, false);
      return sendPage(request, reply, { title: t('oidc.login.title'), children: createElement(LoginPrompt, { client, uid: interaction.uid }) });
    }
    return sendPage(request, reply, {
      title: t('oidc.consent.title', { client }),
      children: createElement(ConsentPage, { client, uid: interaction.uid, scopes: consentScopes(interaction.params.scope) }),
    });
  });

  app.post<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid/consent`, { schema: { hide: true } }, async (request, reply) => {
    // The global CSRF check leaves /oidc to the provider; our own form is checked here.
    checkCsrf(request);
    const interaction = await details(request, reply);
    const accountId = interaction?.session?.accountId;
    if (!interaction || interaction.prompt.name !== 'consent' || !accountId) return expired(request, reply);
    // Only the person the provider signed in may answer for themselves.
    if (signedInPerson(request)?.personId !== accountId) return expired(request, reply);
    if (formBody(request).decision !== 'allow') {
      return finish(request, reply, { error: 'access_denied', error_description: 'The person did not consent.' }, true);
    }
    const grantId = await oidc.grantConsent(accountId, String(interaction.params.client_id), consentScopes(interaction.params.scope));
    return finish(request, reply, { consent: { grantId } }, true);
  });

  const adminTags = ['administration'];
  app.post(
    '/api/v1/admin/oidc-clients',
    {
      schema: {
        tags: adminTags,
        summary: 'Register a departmental client (SSO and/or machine access); the secret is shown once',
        body: ClientRegistrationBody,
        response: { 201: ClientCredentials },
      },
    },
    async (request, reply) => reply.status(201).send(await oidc.registerClient(requireRole(request, 'admin'), request.body)),
  );
  app.get('/api/v1/admin/oidc-clients', { schema: { tags: adminTags, summary: 'List departmental clients', response: { 200: Type.Array(ClientView) } } }, async (request) => {
    requireRole(request, 'admin');
    return oidc.listClients();
  });
  app.post(
    '/api/v1/admin/oidc-clients/:clientId/disable',
    { schema: { tags: adminTags, summary: 'Disable a client: its tokens stop working at once', params: ClientParams } },
    async (request, reply) => {
      await oidc.disableClient(requireRole(request, 'admin'), request.params.clientId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/identity/verifications',
    {
      schema: {
        tags: ['identity'],
        summary: 'Departments: does this name and ID number belong to a real-name-verified person?',
        description: `Needs a client-credentials access token (POST ${OIDC_PREFIX}/token, grant_type=client_credentials) with scope \`${VERIFY_SCOPE}\`. Answers nothing but the match and, when matching, the level; every call is recorded and shown to the person.`,
        security: [{ clientCredentials: [] }],
        body: VerificationBody,
        response: { 200: VerificationResult },
      },
    },
    async (request) => oidc.verifyIdentity(requireClient(request, VERIFY_SCOPE), request.body),
  );
}
