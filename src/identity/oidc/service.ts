import type { KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { AuditActor } from '../../core/audit.js';
import type { ClientPrincipal, SessionPrincipal } from '../../core/auth.js';
import { fieldInvalid, notFound } from '../../core/errors.js';
import { newToken } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import { shanghaiDate } from '../../reference/calendar.js';
import { validateResidentId } from '../../reference/resident-id.js';
import { actorOf, type IdentityService } from '../service.js';
import './messages.js';
import { providerPages } from './pages.js';
import { createProvider } from './provider.js';
import { CLIENT_SCOPES, type ClientRegistration, type ClientView, type VerificationBody, type VerificationResult } from './schema.js';
import { OidcStore } from './store.js';

/**
 * Single sign-on for departmental systems (an OpenID Connect provider built on oidc-provider,
 * stored in our database) and the identity-verification API those systems call.
 */
export class OidcService {
  readonly store: OidcStore;
  private providerReady: Promise<Provider> | undefined;
  /** The audit label of the client behind a resolved token, for the rest of that one request. */
  private readonly clientLabels = new WeakMap<ClientPrincipal, string>();

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
  ) {
    this.store = new OidcStore(platform.db, platform.dialect);
  }

  /** The provider, built on first use (see createProvider). */
  provider(): Promise<Provider> {
    return (this.providerReady ??= createProvider(this.platform, this.store, {
      findAccount: async (ctx, sub) => {
        const person = await this.identity.personById(sub);
        if (!person) return undefined;
        return { accountId: sub, claims: async (use, scope) => this.claimsFor(sub, use, scope, ctx) };
      },
      loadExistingGrant: async (ctx) => this.loadExistingGrant(ctx),
      signedOut: async (request) => {
        if (request.principal?.kind === 'account') await this.identity.logout(request.principal);
      },
      pages: providerPages(),
    }));
  }

  /**
   * Consent is remembered per person and client: when every scope asked for was granted before,
   * a grant is made without asking again, in any browser.
   */
  private async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client;
    const session = ctx.oidc.session;
    if (!client || !session?.accountId) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    const current = grantId ? await (await this.provider()).Grant.find(grantId) : undefined;
    if (current) return current;
    const consent = await this.store.consent(session.accountId, client.clientId);
    if (!consent) return undefined;
    const granted = new Set(consent.scopes.split(' '));
    const requested = String(ctx.oidc.params?.scope ?? 'openid').split(' ');
    if (!requested.every((scope) => granted.has(scope))) return undefined;
    const grant = new (await this.provider()).Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(requested.join(' '));
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  }

  /** How a client appears to people: "<department> · <system>". */
  async clientLabel(clientId: string): Promise<string> {
    const client = await this.store.clientWithDepartment(clientId);
    if (!client) return clientId;
    return client.departmentNameZh ? `${client.departmentNameZh} · ${client.name}` : client.name;
  }

  private async claimsFor(personId: string, use: string, scope: string, ctx: KoaContextWithOIDC | undefined): Promise<{ sub: string; [claim: string]: unknown }> {
    const claims: { sub: string; [claim: string]: unknown } = { sub: personId };
    const scopes = new Set(scope.split(' '));
    const person = await this.identity.personById(personId);
    if (!person) return claims;
    if (scopes.has('profile')) claims.name = person.name;
    if (scopes.has('realname')) claims.real_name_level = person.realNameLevel;
    if (scopes.has('phone')) {
      const phone = this.identity.decryptPhone(person);
      if (phone) {
        claims.phone_number = `+86${phone}`;
        claims.phone_number_verified = person.realNameLevel >= 2;
      }
    }
    // ID tokens carry only the subject (the provider conforms them to the spec), so the ID number
    // leaves through userinfo alone.
    if (scopes.has('id_number') && use === 'userinfo') claims.id_number = this.identity.decryptIdNumber(person);
    // Personal claims leave through userinfo only; each time they do, one event lists them, and
    // the person sees which department system received what.
    const released = Object.keys(claims).filter((claim) => claim !== 'sub');
    if (use === 'userinfo' && released.length > 0) {
      const clientId = ctx?.oidc?.client?.clientId ?? 'unknown';
      await this.platform.audit.record({
        action: 'oidc.claimsReleased',
        actor: { type: 'client', id: clientId, label: await this.clientLabel(clientId) },
        subjectPersonId: personId,
        detail: { claims: released },
      });
    }
    return claims;
  }

  /** Records the person's consent and makes the grant the provider continues with. */
  async grantConsent(personId: string, clientId: string, scopes: string[]): Promise<string> {
    const grant = new (await this.provider()).Grant({ clientId, accountId: personId });
    grant.addOIDCScope(scopes.join(' '));
    const grantId = await grant.save();
    await this.store.saveConsent({ personId, clientId, scopes: scopes.join(' '), grantedAt: this.platform.clock.now().toISOString() });
    const label = await this.clientLabel(clientId);
    await this.platform.audit.record({ action: 'oidc.consent', actor: { type: 'person', id: personId }, subjectPersonId: personId, detail: { clientId, client: label, scopes } });
    return grantId;
  }

  // Client administration

  async registerClient(admin: SessionPrincipal, input: ClientRegistration): Promise<{ clientId: string; clientSecret: string }> {
    const department = await this.identity.store.departmentById(input.departmentId);
    if (!department) throw fieldInvalid('unknownDepartment', '/departmentId', 'identity.department.unknown');
    const redirectUris = input.redirectUris ?? [];
    redirectUris.forEach((uri, index) => this.checkRedirectUri(uri, `/redirectUris/${index}`));
    if (input.grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      throw fieldInvalid('redirectUriRequired', '/redirectUris', 'oidc.redirectUri.required');
    }
    const allowed = new Set<string>(CLIENT_SCOPES);
    const scopes = input.scopes ?? [];
    scopes.forEach((scope, index) => {
      if (!allowed.has(scope)) throw fieldInvalid('unknownScope', `/scopes/${index}`, 'oidc.scope.unknown');
    });
    const clientId = `tb-${newToken(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
    const clientSecret = newToken(32);
    const metadata = {
      redirect_uris: redirectUris,
      grant_types: input.grantTypes,
      response_types: input.grantTypes.includes('authorization_code') ? ['code'] : [],
      scope: [...new Set(['openid', ...scopes])].join(' '),
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
    await this.platform.audit.record({ action: 'admin.oidcClientRegistered', actor: actorOf(admin), detail: { clientId, name: input.name, departmentId: department.id, scopes } });
    return { clientId, clientSecret };
  }

  /** https only in production; http://localhost is allowed for development. No fragments. */
  private checkRedirectUri(uri: string, field: string): void {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw fieldInvalid('invalidRedirectUri', field, 'oidc.redirectUri.invalid');
    }
    if (url.hash || uri.includes('#')) throw fieldInvalid('invalidRedirectUri', field, 'oidc.redirectUri.invalid');
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && local && !this.platform.config.production) return;
    throw fieldInvalid('invalidRedirectUri', field, 'oidc.redirectUri.https');
  }

  async listClients(): Promise<ClientView[]> {
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

  /**
   * Resolves an opaque client-credentials access token to the departmental client holding it, in
   * one indexed read of the provider's stored token (the adapter's own table) joined to the client.
   * Unknown, expired or disabled: null. The provider itself is not needed on this hot path.
   */
  async resolveClientToken(token: string): Promise<ClientPrincipal | null> {
    if (token.length < 20 || token.length > 200) return null;
    const row = await this.store.clientCredential(token);
    if (!row || row.disabledAt) return null;
    const payload = JSON.parse(row.payload) as { exp?: number; scope?: string; kind?: string };
    const nowSeconds = Date.now() / 1000;
    if (payload.kind !== 'ClientCredentials' || !payload.exp || payload.exp <= nowSeconds) return null;
    const principal: ClientPrincipal = {
      kind: 'client',
      clientId: row.clientId,
      clientName: row.name,
      departmentId: row.departmentId,
      scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
    };
    this.clientLabels.set(principal, row.departmentNameZh ? `${row.departmentNameZh} · ${row.name}` : row.name);
    return principal;
  }

  /**
   * Answers only whether name and ID number belong to a real-name-verified person, and the level.
   * Every call is recorded: the person sees which department asked about them, when and why.
   */
  async verifyIdentity(client: ClientPrincipal, input: VerificationBody): Promise<VerificationResult> {
    const id = validateResidentId(input.idNumber, { today: shanghaiDate(this.platform.clock.now()) });
    if (!id.valid) throw fieldInvalid('invalidIdNumber', '/idNumber', `identity.idNumber.${id.reason}`);
    const actor: AuditActor = { type: 'client', id: client.clientId, label: this.clientLabels.get(client) ?? (await this.clientLabel(client.clientId)) };
    // The caller learns only "no match"; the person sees every attempt.
    const person = await this.identity.verifyRecorded(actor, input.name, id.normalized, input.purpose?.trim() || undefined);
    return person ? { match: true, realNameLevel: person.realNameLevel } : { match: false };
  }
}
