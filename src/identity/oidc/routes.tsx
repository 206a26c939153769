import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { requireClient, requireRole } from '../../core/auth.js';
import { checkCsrf } from '../../core/csrf.js';
import type { HttpApp } from '../../core/http.js';
import { Button, ButtonLink, CsrfField, InsetText, sendPage, tr } from '../../web/page.js';
import { OidcService, VERIFY_SCOPE } from './service.js';

const VerificationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: 'Name as on the identity card' }),
    idNumber: Type.String({ minLength: 1, maxLength: 24, description: 'Resident identity number' }),
    purpose: Type.Optional(Type.String({ maxLength: 200, description: 'Why the department asks, e.g. its case number; shown to the person' })),
  },
  { additionalProperties: false },
);
const VerificationResult = Type.Object({
  match: Type.Boolean({ description: 'Whether name and ID number belong to a real-name-verified person' }),
  realNameLevel: Type.Optional(Type.Integer({ description: 'Only when matching: 1 ID matched, 2 and phone confirmed, 3 and in person' })),
});

const GrantType = Type.Union([Type.Literal('authorization_code'), Type.Literal('client_credentials'), Type.Literal('refresh_token')]);
const ClientBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 80 }),
    departmentId: Type.String({ maxLength: 64 }),
    redirectUris: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10, default: [] }),
    grantTypes: Type.Array(GrantType, { minItems: 1, maxItems: 3, uniqueItems: true }),
    scopes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10, uniqueItems: true, default: [] }),
  },
  { additionalProperties: false },
);
const ClientView = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  redirectUris: Type.Array(Type.String()),
  grantTypes: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Single sign-on: the provider's own endpoints (handed the raw request), the login and consent
 * interaction pages, client administration and the identity-verification API.
 */
export function oidcRoutes(app: HttpApp, oidc: OidcService): void {
  const callback = oidc.provider.callback();
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await callback(request.raw, reply.raw);
  };
  // The provider's endpoints read their own request bodies (with their own limits and error
  // format), so in this scope Fastify leaves the body stream untouched.
  void app.register(async (provider) => {
    provider.removeAllContentTypeParsers();
    provider.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    provider.route({ method: ['GET', 'POST', 'DELETE', 'OPTIONS'], url: '/oidc/*', schema: { hide: true }, handler: forward });
    provider.get('/.well-known/openid-configuration', { schema: { hide: true } }, forward);
  });

  const finish = async (request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, merge: boolean) => {
    reply.hijack();
    await oidc.provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
  };

  const details = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await oidc.provider.interactionDetails(request.raw, reply.raw);
    } catch {
      return undefined;
    }
  };

  const expired = (request: FastifyRequest, reply: FastifyReply) => {
    const t = tr(request);
    return sendPage(request, reply, { title: t('oidc.interaction.expired'), status: 400, children: <p>{t('oidc.interaction.expired')}</p> });
  };

  app.get<{ Params: { uid: string } }>('/oidc/interaction/:uid', { schema: { hide: true } }, async (request, reply) => {
    const interaction = await details(request, reply);
    if (!interaction) return expired(request, reply);
    const t = tr(request);
    const clientId = String(interaction.params.client_id);
    const client = await oidc.clientName(clientId);
    if (interaction.prompt.name === 'login') {
      const principal = request.principal;
      // A Tongban session that has passed its second factor (where enrolled) signs the person in.
      if (principal?.kind === 'account' && principal.personId && (principal.mfaPassed || !principal.mfaEnrolled)) {
        return finish(request, reply, { login: { accountId: principal.personId } }, false);
      }
      const next = `/oidc/interaction/${interaction.uid}`;
      return sendPage(request, reply, {
        title: t('oidc.login.continue'),
        children: (
          <>
            <h1>{t('oidc.login.continue')}</h1>
            <p>{t('oidc.login.lead', { client })}</p>
            <ButtonLink href={`/login?next=${encodeURIComponent(next)}`}>{t('oidc.login.continue')}</ButtonLink>
          </>
        ),
      });
    }
    const scopes = String(interaction.params.scope ?? 'openid').split(' ').filter(Boolean);
    return sendPage(request, reply, {
      title: t('oidc.consent.title', { client }),
      children: (
        <>
          <h1>{t('oidc.consent.title', { client })}</h1>
          <p>{t('oidc.consent.lead', { client })}</p>
          <ul className="list">
            {scopes.map((scope) => (
              <li key={scope}>{t(`oidc.scope.${scope}` as never)}</li>
            ))}
          </ul>
          <InsetText>{t('oidc.consent.remember')}</InsetText>
          <form method="post" action={`/oidc/interaction/${interaction.uid}/consent`} noValidate>
            <CsrfField />
            <div className="button-group">
              <Button name="decision" value="allow">
                {t('oidc.consent.allow')}
              </Button>
              <Button name="decision" value="deny" variant="secondary">
                {t('oidc.consent.deny')}
              </Button>
            </div>
          </form>
        </>
      ),
    });
  });

  app.post<{ Params: { uid: string } }>('/oidc/interaction/:uid/consent', { schema: { hide: true } }, async (request, reply) => {
    // The global CSRF check leaves /oidc to the provider; our own form is checked here.
    checkCsrf(request);
    const interaction = await details(request, reply);
    if (!interaction || interaction.prompt.name !== 'consent' || !interaction.session?.accountId) return expired(request, reply);
    const decision = (request.body as Record<string, unknown> | undefined)?.decision;
    if (decision !== 'allow') {
      return finish(request, reply, { error: 'access_denied', error_description: 'The person did not consent.' }, true);
    }
    const scopes = String(interaction.params.scope ?? 'openid').split(' ').filter(Boolean);
    const grantId = await oidc.grantConsent(interaction.session.accountId, String(interaction.params.client_id), scopes);
    return finish(request, reply, { consent: { grantId } }, true);
  });

  const adminTags = ['administration'];
  app.post(
    '/api/v1/admin/oidc-clients',
    {
      schema: {
        tags: adminTags,
        summary: 'Register a departmental client (SSO and/or machine access); the secret is shown once',
        body: ClientBody,
        response: { 201: Type.Object({ clientId: Type.String(), clientSecret: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await oidc.registerClient(requireRole(request, 'admin'), request.body)),
  );
  app.get('/api/v1/admin/oidc-clients', { schema: { tags: adminTags, summary: 'List departmental clients', response: { 200: Type.Array(ClientView) } } }, async (request) => {
    requireRole(request, 'admin');
    return oidc.listClients();
  });
  app.post<{ Params: { clientId: string } }>(
    '/api/v1/admin/oidc-clients/:clientId/disable',
    { schema: { tags: adminTags, summary: 'Disable a client: its tokens stop working at once', params: Type.Object({ clientId: Type.String({ maxLength: 64 }) }) } },
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
        description: `Needs a client-credentials access token with scope \`${VERIFY_SCOPE}\`. Answers nothing but the match and the level; every call is recorded and shown to the person.`,
        security: [{ clientCredentials: [] }],
        body: VerificationBody,
        response: { 200: VerificationResult },
      },
    },
    async (request) => oidc.verifyIdentity(requireClient(request, VERIFY_SCOPE), request.body),
  );
}
