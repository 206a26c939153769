import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { makeResidentId } from '../../reference/testing.js';
import { createServices } from '../../services.js';
import { logIn, staffSession } from '../testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A browser in miniature: follows redirects by hand and keeps cookies, as a person's browser would. */
class Browser {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const absolute = new URL(url, this.base).toString();
    const response = await fetch(absolute, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    this.remember(response);
    return response;
  }

  /** Follows redirects until one leaves for `stopAt` (the relying party's callback). */
  async follow(url: string, stopAt: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const location = new URL(response.headers.get('location')!, new URL(current, this.base)).toString();
      if (location.startsWith(stopAt)) return { response, url: location };
      current = location;
      response = await this.request(location);
    }
    return { response, url: current };
  }

  async postForm(url: string, fields: Record<string, string>, stopAt: string) {
    return this.follow(url, stopAt, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

describe('a departmental system signs people in through Tongban (OpenID Connect, code + PKCE)', () => {
  let t: TestApp;
  let base: string;
  const redirectUri = 'http://localhost:4000/callback';
  const fang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1988-03-08', sequence: 122 }), phone: '13900000001', password: 'fang-password-2026' };
  let ssoClient: { clientId: string; clientSecret: string };
  let machineClient: { clientId: string; clientSecret: string };
  let noScopeClient: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await createTestApp({ clock: new ManualClock(new Date()), env: { PUBLIC_URL: base } });
    await t.app.listen({ port, host: '127.0.0.1' });
    const services = createServices(t.platform);
    await services.identity.createVerifiedPerson(fang);
    const admin = await staffSession(t, { roles: ['admin'], regionCode: '310115' });
    const register = async (payload: Record<string, unknown>) => {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/admin/oidc-clients', headers: { cookie: admin.cookie }, payload: { departmentId: admin.departmentId, ...payload } });
      expect(response.statusCode).toBe(201);
      return response.json() as { clientId: string; clientSecret: string };
    };
    ssoClient = await register({ name: '浦东新区社区服务系统', redirectUris: [redirectUri], grantTypes: ['authorization_code'], scopes: ['profile', 'realname', 'id_number'] });
    machineClient = await register({ name: '浦东新区婚姻登记系统', grantTypes: ['client_credentials'], scopes: ['identity:verify'] });
    noScopeClient = await register({ name: '无核验权限的系统', grantTypes: ['client_credentials'], scopes: [] });
  });
  afterAll(() => t.close());

  async function signIn(browser: Browser, scope: string) {
    const config = await client.discovery(new URL(base), ssoClient.clientId, ssoClient.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    let step = await browser.follow(url.toString(), redirectUri);
    if (step.url.includes('/oidc/interaction/') && (await step.response.clone().text()).includes('/login?next=')) {
      const interaction = new URL(step.url).pathname;
      const loginPage = await browser.request(`/login?next=${encodeURIComponent(interaction)}`);
      step = await browser.postForm('/login', { login: fang.phone, password: fang.password, next: interaction, _csrf: csrfOf(await loginPage.text()) }, redirectUri);
    }
    let consented = false;
    if (!step.url.startsWith(redirectUri)) {
      const html = await step.response.text();
      expect(html).toContain('浦东新区社区服务系统');
      const interaction = new URL(step.url).pathname;
      step = await browser.postForm(`${interaction}/consent`, { decision: 'allow', _csrf: csrfOf(html) }, redirectUri);
      consented = true;
    }
    expect(step.url.startsWith(redirectUri)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: state });
    return { config, tokens, consented };
  }

  it('publishes discovery at the root and its keys', async () => {
    const discovery = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    expect(discovery.issuer).toBe(base);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = await (await fetch(discovery.jwks_uri)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
  });

  it('signs her in with code + PKCE, the ID token verified against the JWKS, without her ID number unless asked', async () => {
    const browser = new Browser(base);
    const { config, tokens, consented } = await signIn(browser, 'openid profile realname');
    expect(consented).toBe(true);
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(base);
    expect(claims.aud).toBe(ssoClient.clientId);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ name: '王芳', real_name_level: 2 });
    expect(userinfo.id_number).toBeUndefined();
    expect(claims.id_number).toBeUndefined();

    // A second sign-in from the same browser asks nothing: the consent is remembered.
    const again = await signIn(browser, 'openid profile realname');
    expect(again.consented).toBe(false);
  });

  it('releases the ID number only under its own scope, and she sees the release', async () => {
    const browser = new Browser(base);
    const { config, tokens, consented } = await signIn(browser, 'openid profile id_number');
    expect(consented).toBe(true);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.id_number).toBe(fang.idNumber);
    const cookie = await logIn(t, fang.phone, fang.password);
    const log = (await t.app.inject({ url: '/api/v1/identity/me/access-log', headers: { cookie } })).json() as { action: string; who: string }[];
    expect(log.some((entry) => entry.action === 'oidc.claimsReleased' && entry.who.includes('浦东新区社区服务系统'))).toBe(true);
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(`${base}/oidc/auth`);
    url.search = new URLSearchParams({ client_id: ssoClient.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('error=invalid_request');
  });
});

describe('a department verifies an identity with its client credentials', () => {
  let t: TestApp;
  let base: string;
  const li = { name: '李建国', idNumber: makeResidentId({ region: '330106', birthDate: '1975-10-01', sequence: 317 }), phone: '13900000002', password: 'li-password-2026' };
  let verifyToken: string;
  let plainToken: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await createTestApp({ clock: new ManualClock(new Date()), env: { PUBLIC_URL: base } });
    await t.app.listen({ port, host: '127.0.0.1' });
    await createServices(t.platform).identity.createVerifiedPerson(li);
    const admin = await staffSession(t, { roles: ['admin'], regionCode: '330106' });
    const register = async (scopes: string[]) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/admin/oidc-clients',
          headers: { cookie: admin.cookie },
          payload: { name: '西湖区不动产登记系统', departmentId: admin.departmentId, grantTypes: ['client_credentials'], scopes },
        })
      ).json() as { clientId: string; clientSecret: string };
    const token = async (registered: { clientId: string; clientSecret: string }, scope?: string) => {
      const config = await client.discovery(new URL(base), registered.clientId, registered.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
      return (await client.clientCredentialsGrant(config, scope ? { scope } : {})).access_token;
    };
    verifyToken = await token(await register(['identity:verify']), 'identity:verify');
    plainToken = await token(await register([]));
  });
  afterAll(() => t.close());

  const verify = (token: string | undefined, body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/identity/verifications', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: body as object });

  it('answers a match with the level and nothing else, and a mismatch with no match', async () => {
    const match = await verify(verifyToken, { name: li.name, idNumber: li.idNumber, purpose: '不动产登记 2026-0815' });
    expect(match.statusCode).toBe(200);
    expect(match.json()).toEqual({ match: true, realNameLevel: 2 });
    const mismatch = await verify(verifyToken, { name: '李建军', idNumber: li.idNumber });
    expect(mismatch.json()).toEqual({ match: false });
  });

  it('explains a malformed ID number, and refuses calls without a token or without the scope', async () => {
    const malformed = await verify(verifyToken, { name: li.name, idNumber: '330106197510013171' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].field).toBe('/idNumber');
    expect((await verify(undefined, { name: li.name, idNumber: li.idNumber })).statusCode).toBe(401);
    const noScope = await verify(plainToken, { name: li.name, idNumber: li.idNumber });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().code).toBe('scopeRequired');
    expect((await verify('not-a-token', { name: li.name, idNumber: li.idNumber })).statusCode).toBe(401);
  });

  it('shows the person which department verified her and why', async () => {
    const cookie = await logIn(t, li.phone, li.password);
    const log = (await t.app.inject({ url: '/api/v1/identity/me/access-log', headers: { cookie } })).json() as { action: string; who: string; purpose: string | null }[];
    const verification = log.find((entry) => entry.action === 'identity.verification');
    expect(verification).toMatchObject({ who: '测试部门330106 · 西湖区不动产登记系统', purpose: '不动产登记 2026-0815' });
    expect((await t.platform.audit.verify()).ok).toBe(true);
  });
});
