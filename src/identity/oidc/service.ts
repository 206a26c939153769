import { createHmac } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuditActor } from '../../core/audit.js';
import type { ClientPrincipal, SessionPrincipal } from '../../core/auth.js';
import { fieldInvalid, notFound } from '../../core/errors.js';
import { newToken } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import { validateResidentId } from '../../reference/resident-id.js';
import { shanghaiDate } from '../../reference/calendar.js';
import { actorOf, type IdentityService } from '../service.js';
import { databaseAdapter } from './adapter.js';
import { OidcStore } from './store.js';
import './messages.js';

/** Scopes a departmental client may ask for, and the claims each releases. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name'],
  phone: ['phone_number', 'phone_number_verified'],
  realname: ['real_name_level'],
  id_number: ['id_number'],
} as const;
export const VERIFY_SCOPE = 'identity:verify';
export const USER_SCOPES = Object.keys(SCOPE_CLAIMS);

export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  jwks: '/oidc/jwks',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  backchannel_authentication: '/oidc/backchannel',
  pushed_authorization_request: '/oidc/request',
  introspection: '/oidc/token/introspection',
  registration: '/oidc/reg',
  challenge: '/oidc/challenge',
} as const;

export interface ClientRegistration {
  name: string;
  departmentId: string;
  redirectUris: string[];
  grantTypes: ('authorization_code' | 'client_credentials' | 'refresh_token')[];
  scopes: string[];
}

/**
 * Single sign-on for departmental systems (an OpenID Connect provider built on oidc-provider,
 * stored in our database) and the identity-verification API those systems call.
 */
export class OidcService {
  readonly store: OidcStore;
  readonly provider: Provider;

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
  ) {
    this.store = new OidcStore(platform.db);
    this.provider = new Provider(platform.config.publicUrl, this.configuration());
    this.provider.proxy = platform.config.production;
    // The provider reports problems as events; they belong in our structured log, without tokens.
    this.provider.on('server_error', (_ctx: unknown, error: Error) => platform.logger.error({ err: { message: error.message } }, 'oidc server error'));
  }

  private configuration(): Configuration {
    const cookieKey = createHmac('sha256', this.platform.config.secrets.sessionSecret).update('oidc-cookies').digest('base64url');
    return {
      adapter: databaseAdapter(this.store, this.platform.vault),
      jwks: this.platform.config.secrets.signingJwks as Configuration['jwks'],
      cookies: {
        keys: [cookieKey],
        long: { signed: true, httpOnly: true, sameSite: 'lax', secure: this.platform.config.production },
        short: { signed: true, httpOnly: true, sameSite: 'lax', secure: this.platform.config.production },
      },
      claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
      scopes: [...USER_SCOPES, 'offline_access', VERIFY_SCOPE],
      routes: OIDC_ROUTES,
      pkce: { required: () => true, methods: ['S256'] },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        userinfo: { enabled: true },
        revocation: { enabled: true },
        rpInitiatedLogout: { enabled: true },
      },
      clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
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
      interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
      findAccount: async (_ctx, sub) => {
        const person = await this.identity.personById(sub);
        if (!person) return undefined;
        return {
          accountId: sub,
          claims: async (use, scope) => this.claimsFor(sub, use, scope, _ctx),
        };
      },
      loadExistingGrant: async (ctx) => this.loadExistingGrant(ctx),
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
        ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录出错 Sign-in error</title><link rel="stylesheet" href="/static/site.css"></head><body><main class="width-container main"><h1>登录出错 · Sign-in error</h1><p>${escape(out.error)}: ${escape(out.error_description)}</p><p><a href="/">通办 Tongban</a></p></main></body></html>`;
      },
    };
  }

  /**
   * Consent is remembered per person and client: when every scope asked for was granted before,
   * a grant is made without asking again.
   */
  private async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client;
    const session = ctx.oidc.session;
    if (!client || !session?.accountId) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return this.provider.Grant.find(grantId);
    const consent = await this.store.consent(session.accountId, client.clientId);
    if (!consent) return undefined;
    const granted = new Set(consent.scopes.split(' '));
    const requested = String(ctx.oidc.params?.scope ?? 'openid').split(' ');
    if (!requested.every((scope) => granted.has(scope))) return undefined;
    const grant = new this.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(requested.join(' '));
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  }

  private async clientLabel(clientId: string): Promise<{ name: string; label: string; departmentId: string | null }> {
    const client = await this.store.client(clientId);
    const department = client?.departmentId ? await this.identity.store.departmentById(client.departmentId) : undefined;
    const name = client?.name ?? clientId;
    return { name, label: department ? `${department.nameZh} · ${name}` : name, departmentId: client?.departmentId ?? null };
  }

  private async claimsFor(personId: string, use: string, scope: string, ctx: KoaContextWithOIDC | undefined): Promise<{ sub: string; [claim: string]: unknown }> {
    const person = await this.identity.personById(personId);
    if (!person) return { sub: personId };
    const scopes = new Set(scope.split(' '));
    const claims: { sub: string; [claim: string]: unknown } = { sub: personId };
    if (scopes.has('profile')) claims.name = person.name;
    if (scopes.has('realname')) claims.real_name_level = person.realNameLevel;
    if (scopes.has('phone')) {
      const phone = this.identity.decryptPhone(person);
      if (phone) {
        claims.phone_number = `+86${phone}`;
        claims.phone_number_verified = person.realNameLevel >= 2;
      }
    }
    if (scopes.has('id_number')) {
      claims.id_number = this.identity.decryptIdNumber(person);
      const clientId = ctx?.oidc?.client?.clientId ?? 'unknown';
      const { label } = await this.clientLabel(clientId);
      await this.platform.audit.record({
        action: 'oidc.claimsReleased',
        actor: { type: 'client', id: clientId, label },
        subjectPersonId: personId,
        purpose: use === 'id_token' ? 'ID token' : 'userinfo',
        detail: { claims: ['id_number'], use },
      });
    }
    return claims;
  }

  /** Records the person's consent and makes the grant the provider continues with. */
  async grantConsent(personId: string, clientId: string, scopes: string[]): Promise<string> {
    const grant = new this.provider.Grant({ clientId, accountId: personId });
    grant.addOIDCScope(scopes.join(' '));
    const grantId = await grant.save();
    await this.store.saveConsent({ personId, clientId, scopes: scopes.join(' '), grantedAt: this.platform.clock.now().toISOString() });
    const { label } = await this.clientLabel(clientId);
    await this.platform.audit.record({ action: 'oidc.consent', actor: { type: 'person', id: personId }, subjectPersonId: personId, detail: { clientId, client: label, scopes } });
    return grantId;
  }

  async clientName(clientId: string): Promise<string> {
    return (await this.clientLabel(clientId)).label;
  }

  // Client administration

  async registerClient(admin: SessionPrincipal, input: ClientRegistration): Promise<{ clientId: string; clientSecret: string }> {
    const department = await this.identity.store.departmentById(input.departmentId);
    if (!department) throw fieldInvalid('unknownDepartment', '/departmentId', 'identity.department.unknown');
    input.redirectUris.forEach((uri, index) => {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw fieldInvalid('invalidRedirectUri', `/redirectUris/${index}`, 'oidc.redirectUri.invalid');
      }
      const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      if (url.protocol !== 'https:' && !(local && !this.platform.config.production)) {
        throw fieldInvalid('invalidRedirectUri', `/redirectUris/${index}`, 'oidc.redirectUri.https');
      }
      if (url.hash) throw fieldInvalid('invalidRedirectUri', `/redirectUris/${index}`, 'oidc.redirectUri.invalid');
    });
    if (input.grantTypes.includes('authorization_code') && input.redirectUris.length === 0) {
      throw fieldInvalid('redirectUriRequired', '/redirectUris', 'oidc.redirectUri.required');
    }
    const allowed = new Set([...USER_SCOPES, 'offline_access', VERIFY_SCOPE]);
    input.scopes.forEach((scope, index) => {
      if (!allowed.has(scope)) throw fieldInvalid('unknownScope', `/scopes/${index}`, 'oidc.scope.unknown');
    });
    const clientId = `tb-${newToken(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
    const clientSecret = newToken(32);
    const metadata = {
      redirect_uris: input.redirectUris,
      grant_types: input.grantTypes,
      response_types: input.grantTypes.includes('authorization_code') ? ['code'] : [],
      scope: [...new Set(['openid', ...input.scopes])].join(' '),
      token_endpoint_auth_method: 'client_secret_basic',
    };
    await this.store.insertClient({
      clientId,
      name: input.name,
      departmentId: department.id,
      secretEnc: this.platform.vault.encrypt(clientSecret),
      metadata: JSON.stringify(metadata),
      createdAt: this.platform.clock.now().toISOString(),
      disabledAt: null,
    });
    await this.platform.audit.record({ action: 'admin.oidcClientRegistered', actor: actorOf(admin), detail: { clientId, name: input.name, departmentId: department.id, scopes: input.scopes } });
    return { clientId, clientSecret };
  }

  async listClients() {
    const rows = await this.store.listClients();
    return rows.map((row) => {
      const metadata = JSON.parse(row.metadata) as { redirect_uris: string[]; grant_types: string[]; scope: string };
      return {
        clientId: row.clientId,
        name: row.name,
        departmentId: row.departmentId,
        redirectUris: metadata.redirect_uris,
        grantTypes: metadata.grant_types,
        scopes: metadata.scope.split(' '),
        createdAt: row.createdAt,
        disabledAt: row.disabledAt,
      };
    });
  }

  async disableClient(admin: SessionPrincipal, clientId: string): Promise<void> {
    if (!(await this.store.disableClient(clientId, this.platform.clock.now().toISOString()))) throw notFound('clientNotFound', 'oidc.client.notFound');
    await this.platform.audit.record({ action: 'admin.oidcClientDisabled', actor: actorOf(admin), detail: { clientId } });
  }

  // Machine access: client-credentials tokens and the verification API

  /** Resolves an opaque client-credentials access token to the departmental client holding it. */
  async resolveClientToken(token: string): Promise<ClientPrincipal | null> {
    if (token.length > 200) return null;
    const found = await this.provider.ClientCredentials.find(token);
    if (!found || found.isExpired) return null;
    if (!found.clientId) return null;
    const client = await this.store.client(found.clientId);
    if (!client || client.disabledAt) return null;
    return {
      kind: 'client',
      clientId: client.clientId,
      clientName: client.name,
      departmentId: client.departmentId,
      scopes: String(found.scope ?? '').split(' ').filter(Boolean),
    };
  }

  /**
   * Answers only whether name and ID number belong to a real-name-verified person, and the level.
   * Every call is recorded: the person sees which department asked about them and when.
   */
  async verifyIdentity(client: ClientPrincipal, input: { name: string; idNumber: string; purpose?: string }): Promise<{ match: boolean; realNameLevel?: number }> {
    const id = validateResidentId(input.idNumber, { today: shanghaiDate(this.platform.clock.now()) });
    if (!id.valid) throw fieldInvalid('invalidIdNumber', '/idNumber', `identity.idNumber.${id.reason}` as never);
    const person = await this.identity.findVerifiedPerson(input.name, id.normalized);
    const department = client.departmentId ? await this.identity.store.departmentById(client.departmentId) : undefined;
    const actor: AuditActor = { type: 'client', id: client.clientId, label: department ? `${department.nameZh} · ${client.clientName}` : client.clientName };
    await this.platform.audit.record({
      action: 'identity.verification',
      actor,
      subjectPersonId: person?.id,
      purpose: input.purpose?.trim().slice(0, 200) || undefined,
      outcome: person ? 'success' : 'failure',
      detail: { match: Boolean(person) },
    });
    return person ? { match: true, realNameLevel: person.realNameLevel } : { match: false };
  }
}
