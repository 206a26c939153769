import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { SessionPrincipal } from '../../core/auth.js';
import type { Platform } from '../../core/platform.js';
import { databaseAdapter } from './adapter.js';
import { CLIENT_SCOPES, SCOPE_CLAIMS } from './schema.js';
import type { OidcStore } from './store.js';

export const OIDC_PREFIX = '/oidc';

/** Every provider endpoint under /oidc; only discovery stays at the root, where relying parties look for it. */
export const OIDC_ROUTES = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  jwks: `${OIDC_PREFIX}/jwks`,
  end_session: `${OIDC_PREFIX}/session/end`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
  code_verification: `${OIDC_PREFIX}/device`,
  device_authorization: `${OIDC_PREFIX}/device/auth`,
  backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
  pushed_authorization_request: `${OIDC_PREFIX}/request`,
  introspection: `${OIDC_PREFIX}/token/introspection`,
  registration: `${OIDC_PREFIX}/reg`,
  challenge: `${OIDC_PREFIX}/challenge`,
} as const;

export const interactionPath = (uid: string) => `${OIDC_PREFIX}/interaction/${uid}`;

/**
 * The provider is a Koa application handed Fastify's raw request. Its hooks (pages, the login
 * check) need what Fastify already knows about that request: the locale, the Tongban principal.
 * Kept per request only, never across requests.
 */
const fastifyRequests = new WeakMap<IncomingMessage, { request: FastifyRequest; reply: FastifyReply }>();

export function handToProvider(request: FastifyRequest, reply: FastifyReply): void {
  fastifyRequests.set(request.raw, { request, reply });
}

export function fastifyOf(ctx: { req: IncomingMessage }): { request: FastifyRequest; reply: FastifyReply } | undefined {
  return fastifyRequests.get(ctx.req);
}

/** The person signed in to Tongban in this browser, once past the second factor where enrolled. */
export function signedInPerson(request: FastifyRequest | undefined): (SessionPrincipal & { personId: string }) | undefined {
  const principal = request?.principal;
  if (principal?.kind !== 'account' || !principal.personId) return undefined;
  if (principal.mfaEnrolled && !principal.mfaPassed) return undefined;
  return principal as SessionPrincipal & { personId: string };
}

export interface ProviderHooks {
  findAccount: NonNullable<Configuration['findAccount']>;
  loadExistingGrant: NonNullable<Configuration['loadExistingGrant']>;
  /** The person confirmed signing out at the provider: end their Tongban session too. */
  signedOut(request: FastifyRequest): Promise<void>;
  /** Pages the provider renders itself, in the site's layout (see pages.tsx). */
  pages: {
    renderError: NonNullable<Configuration['renderError']>;
    logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
    postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
  };
}

const SESSION_COOKIE = '_session';

/**
 * oidc-provider (with Koa) is loaded on first use rather than at start-up: it is the largest
 * module the platform has, and most server starts serve their first request without it.
 */
export async function createProvider(platform: Platform, store: OidcStore, hooks: ProviderHooks): Promise<Provider> {
  const { default: Provider } = await import('oidc-provider');
  const secure = platform.config.production;
  // Cookie keys derive from the session secret, so every server copy signs cookies alike.
  const cookieKey = createHmac('sha256', platform.config.secrets.sessionSecret).update('oidc-cookies').digest('base64url');
  const { pages } = hooks;
  const configuration: Configuration = {
    adapter: databaseAdapter(store, platform.vault),
    jwks: platform.config.secrets.signingJwks as Configuration['jwks'],
    cookies: {
      keys: [cookieKey],
      names: { session: SESSION_COOKIE },
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure },
    },
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    scopes: [...CLIENT_SCOPES],
    routes: OIDC_ROUTES,
    pkce: { required: () => true, methods: ['S256'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource },
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 1800,
      Session: 8 * 3600,
      Grant: 365 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    findAccount: hooks.findAccount,
    loadExistingGrant: hooks.loadExistingGrant,
    renderError: pages.renderError,
  };

  const provider = new Provider(platform.config.publicUrl, configuration);
  provider.proxy = platform.config.production;
  provider.on('server_error', (_ctx: unknown, error: Error) => platform.logger.error({ err: { message: error.message } }, 'oidc server error'));

  provider.use(async (ctx, next) => {
    const request = fastifyOf(ctx)?.request;
    const person = signedInPerson(request);
    if (ctx.path === OIDC_ROUTES.authorization) {
      // Single sign-on lasts exactly as long as the Tongban session: a provider session of someone
      // other than the person signed in to Tongban now (they logged out, or someone else logged in
      // on a shared computer) is forgotten before the request is served.
      const session = await providerSession(ctx);
      if (session?.accountId && session.accountId !== person?.personId) await store.destroy('Session', session.id);
      return next();
    }
    if (ctx.path === `${OIDC_ROUTES.end_session}/confirm` && request && person) {
      const session = await providerSession(ctx);
      await next();
      // Signing out at the provider signs the same person out of Tongban; the provider's own
      // account switch (also a logout) must not end the session of the person who switched in.
      const loggedOut = ctx.status < 400 && Boolean((ctx as unknown as KoaContextWithOIDC).oidc?.params?.logout);
      if (loggedOut && session?.accountId === person.personId) await hooks.signedOut(request);
      return;
    }
    return next();
  });

  async function providerSession(ctx: { cookies: { get(name: string, options: { signed: boolean }): string | undefined } }) {
    const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    const row = id ? await store.payload('Session', 'id', id) : undefined;
    if (!id || !row) return undefined;
    return { id, accountId: (JSON.parse(row.payload) as { accountId?: string }).accountId };
  }

  return provider;
}
