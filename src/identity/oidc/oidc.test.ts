import { createServer } from 'node:net';
import fc from 'fast-check';
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

interface Resident {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
}

describe('a departmental system signs people in through Tongban (OpenID Connect, code + PKCE)', () => {
  let t: TestApp;
  let base: string;
  const redirectUri = 'http://localhost:4000/callback';
  const fang: Resident = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1988-03-08', sequence: 122 }), phone: '13900000001', password: 'fang-password-2026' };
  const zhao: Resident = { name: '赵敏', idNumber: makeResidentId({ region: '310115', birthDate: '1992-06-18', sequence: 45 }), phone: '13900000003', password: 'zhao-password-2026' };
  let community: { clientId: string; clientSecret: string };
  let housing: { clientId: string; clientSecret: string };
  let fangId: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await createTestApp({ clock: new ManualClock(new Date()), env: { PUBLIC_URL: base } });
    await t.app.listen({ port, host: '127.0.0.1' });
    const services = createServices(t.platform);
    fangId = (await services.identity.createVerifiedPerson(fang)).personId;
    await services.identity.createVerifiedPerson(zhao);
    const admin = await staffSession(t, { roles: ['admin'], regionCode: '310115' });
    const register = async (payload: Record<string, unknown>) => {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/admin/oidc-clients', headers: { cookie: admin.cookie }, payload: { departmentId: admin.departmentId, ...payload } });
      expect(response.statusCode).toBe(201);
      return response.json() as { clientId: string; clientSecret: string };
    };
    community = await register({ name: '浦东新区社区服务系统', redirectUris: [redirectUri], grantTypes: ['authorization_code'], scopes: ['profile', 'realname', 'id_number'] });
    housing = await register({ name: '浦东新区住房保障系统', redirectUris: [redirectUri], grantTypes: ['authorization_code'], scopes: ['profile', 'phone'] });
  });
  afterAll(() => t.close());

  async function relyingParty(registered: { clientId: string; clientSecret: string }) {
    return client.discovery(new URL(base), registered.clientId, registered.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
  }

  /**
   * The relying party sends the browser to Tongban; the person signs in to Tongban when asked and
   * consents when asked; the relying party exchanges the code. Reports which steps were shown.
   */
  async function signIn(browser: Browser, options: { scope: string; as: Resident; registered?: { clientId: string; clientSecret: string } }) {
    const config = await relyingParty(options.registered ?? community);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: options.scope,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    let step = await browser.follow(url.toString(), redirectUri);
    let askedToLogIn = false;
    if (step.url.includes('/oidc/interaction/') && (await step.response.clone().text()).includes('/login?next=')) {
      askedToLogIn = true;
      const interaction = new URL(step.url).pathname;
      const loginPage = await browser.request(`/login?next=${encodeURIComponent(interaction)}`);
      step = await browser.postForm('/login', { login: options.as.phone, password: options.as.password, next: interaction, _csrf: csrfOf(await loginPage.text()) }, redirectUri);
    }
    let consentPage: string | undefined;
    if (!step.url.startsWith(redirectUri)) {
      consentPage = await step.response.text();
      const interaction = new URL(step.url).pathname;
      step = await browser.postForm(`${interaction}/consent`, { decision: 'allow', _csrf: csrfOf(consentPage) }, redirectUri);
    }
    expect(step.url.startsWith(redirectUri)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: state });
    return { config, tokens, askedToLogIn, consentPage };
  }

  async function accessLogOf(person: Resident) {
    const cookie = await logIn(t, person.phone, person.password);
    return (await t.app.inject({ url: '/api/v1/identity/me/access-log', headers: { cookie } })).json() as { action: string; who: string }[];
  }

  it('publishes discovery at the root, and its public keys', async () => {
    const discovery = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    expect(discovery.issuer).toBe(base);
    expect(discovery.authorization_endpoint).toBe(`${base}/oidc/auth`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'phone', 'realname', 'id_number']));
    const jwks = await (await fetch(discovery.jwks_uri)).json();
    expect(jwks.keys.map((key: { kty: string }) => key.kty).sort()).toEqual(['OKP', 'RSA']);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
  });

  it('signs her in with code + PKCE, the ID token verified against the JWKS, without her ID number unless asked', async () => {
    const browser = new Browser(base);
    const { config, tokens, askedToLogIn, consentPage } = await signIn(browser, { scope: 'openid profile realname', as: fang });
    expect(askedToLogIn).toBe(true);
    // The consent page names the system and lists what it will receive, and nothing more.
    expect(consentPage).toContain('浦东新区社区服务系统');
    expect(consentPage).toContain('实名认证等级');
    expect(consentPage).not.toContain('身份证件号码');
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(base);
    expect(claims.aud).toBe(community.clientId);
    expect(claims.sub).toBe(fangId);
    expect(claims.id_number).toBeUndefined();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toEqual({ sub: fangId, name: '王芳', real_name_level: 2 });
  });

  it('remembers her consent per system: not asked again by the same one, even in another browser; asked by another', async () => {
    const sameBrowser = new Browser(base);
    await signIn(sameBrowser, { scope: 'openid profile realname', as: fang });
    const again = await signIn(sameBrowser, { scope: 'openid profile', as: fang });
    expect(again.askedToLogIn).toBe(false);
    expect(again.consentPage).toBeUndefined();

    const otherBrowser = await signIn(new Browser(base), { scope: 'openid realname', as: fang });
    expect(otherBrowser.askedToLogIn).toBe(true);
    expect(otherBrowser.consentPage).toBeUndefined();

    // Asking for more than she agreed to asks again.
    const more = await signIn(sameBrowser, { scope: 'openid profile realname id_number', as: fang });
    expect(more.consentPage).toContain('身份证件号码');

    const otherSystem = await signIn(sameBrowser, { scope: 'openid phone', as: fang, registered: housing });
    expect(otherSystem.askedToLogIn).toBe(false);
    expect(otherSystem.consentPage).toContain('浦东新区住房保障系统');
    const userinfo = await client.fetchUserInfo(otherSystem.config, otherSystem.tokens.access_token, fangId);
    expect(userinfo).toEqual({ sub: fangId, phone_number: `+86${fang.phone}`, phone_number_verified: true });
    // Every personal claim that leaves is on her page, one event per release listing them.
    const [release] = await t.platform.audit.search({ action: 'oidc.claimsReleased', subjectPersonId: fangId, limit: 1 });
    expect(JSON.parse(release!.detail)).toEqual({ claims: ['phone_number', 'phone_number_verified'] });
    expect(release!.actorLabel).toContain('浦东新区住房保障系统');
  });

  it('releases the ID number only under its own scope, through userinfo, and she sees each release', async () => {
    const before = (await accessLogOf(fang)).filter((entry) => entry.action === 'oidc.claimsReleased').length;
    const { config, tokens } = await signIn(new Browser(base), { scope: 'openid id_number', as: fang });
    expect(tokens.claims()!.id_number).toBeUndefined();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo).toEqual({ sub: fangId, id_number: fang.idNumber });
    const releases = (await accessLogOf(fang)).filter((entry) => entry.action === 'oidc.claimsReleased');
    expect(releases).toHaveLength(before + 1);
    // Newest first: this release, by the system that asked (earlier ones list name or phone for other systems).
    expect(releases[0]!.who).toBe('测试部门310115 · 浦东新区社区服务系统');
    const [release] = await t.platform.audit.search({ action: 'oidc.claimsReleased', subjectPersonId: fangId, limit: 1 });
    expect(JSON.parse(release!.detail)).toEqual({ claims: ['id_number'] });
  });

  it('refuses a scope the system is not registered for, and a request without PKCE', async () => {
    const config = await relyingParty(housing);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid id_number',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const refused = await fetch(url, { redirect: 'manual' });
    expect(refused.headers.get('location')).toContain('error=invalid_scope');

    const withoutPkce = new URL(`${base}/oidc/auth`);
    withoutPkce.search = new URLSearchParams({ client_id: community.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri }).toString();
    const response = await fetch(withoutPkce, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('error=invalid_request');
  });

  it('explains an unusable request on a page of its own, in the chosen language', async () => {
    const response = await fetch(`${base}/oidc/auth?client_id=no-such-client&response_type=code&scope=openid`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Sign-in could not be completed');
    expect(html).toContain('/static/site.css');
    expect(html).not.toContain('fonts.googleapis.com');
  });

  it('lasts only as long as the Tongban session: after she logs out, the next person at the computer is asked to sign in and gets their own identity', async () => {
    const shared = new Browser(base);
    await signIn(shared, { scope: 'openid profile', as: fang });
    expect((await shared.request('/api/v1/identity/sessions/current', { method: 'DELETE' })).status).toBe(204);
    const next = await signIn(shared, { scope: 'openid profile', as: zhao });
    expect(next.askedToLogIn).toBe(true);
    expect(next.tokens.claims()!.sub).not.toBe(fangId);
    const userinfo = await client.fetchUserInfo(next.config, next.tokens.access_token, next.tokens.claims()!.sub);
    expect(userinfo.name).toBe('赵敏');
  });

  it('signs her out of Tongban when she confirms signing out from a departmental system', async () => {
    const browser = new Browser(base);
    const { tokens } = await signIn(browser, { scope: 'openid', as: fang });
    const confirm = await browser.request(`/oidc/session/end?client_id=${community.clientId}&id_token_hint=${tokens.id_token}`);
    const html = await confirm.text();
    expect(html).toContain('退出通办登录？');
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const done = await browser.postForm(action, { xsrf, logout: 'yes' }, redirectUri);
    expect(await done.response.text()).toContain('您已退出登录');
    expect((await browser.request('/api/v1/identity/me')).status).toBe(401);
  });
});

describe('a department verifies an identity with its client credentials', () => {
  let t: TestApp;
  let base: string;
  const li = { name: '李建国', idNumber: makeResidentId({ region: '330106', birthDate: '1975-10-01', sequence: 317 }), phone: '13900000002', password: 'li-password-2026' };
  let verifyClient: { clientId: string; clientSecret: string };
  let verifyToken: string;
  let plainToken: string;
  let adminCookie: string;

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
    verifyClient = await register(['identity:verify']);
    verifyToken = await token(verifyClient, 'identity:verify');
    plainToken = await token(await register([]));
    adminCookie = admin.cookie;
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

  it('shows the person which department verified her and why', async () => {
    const cookie = await logIn(t, li.phone, li.password);
    const log = (await t.app.inject({ url: '/api/v1/identity/me/access-log', headers: { cookie } })).json() as { action: string; who: string; purpose: string | null; outcome: string }[];
    const verification = log.find((entry) => entry.action === 'identity.verification' && entry.purpose === '不动产登记 2026-0815');
    expect(verification).toMatchObject({ who: '测试部门330106 · 西湖区不动产登记系统', purpose: '不动产登记 2026-0815' });
    // The check with her ID number and another name failed, and is hers to see too.
    expect(log.find((entry) => entry.action === 'identity.verification' && entry.outcome === 'failure')).toMatchObject({ who: '测试部门330106 · 西湖区不动产登记系统' });
    expect((await t.platform.audit.verify()).ok).toBe(true);
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

  it('answers bad input with a problem naming the field, never a server error', async () => {
    const bad: unknown[] = [
      {},
      { name: li.name },
      { name: li.name, idNumber: li.idNumber, extra: 1 },
      { name: 42, idNumber: li.idNumber },
      { name: li.name, idNumber: '３３０１０６１９７５１００１３１７' },
      { name: li.name, idNumber: '330106199902301234' },
      { name: li.name, idNumber: li.idNumber, purpose: 'x'.repeat(201) },
      [],
      `{"name":"${li.name}","idNumber":"${li.idNumber}","__proto__":{"admin":true}}`,
      '{"name": "李建国", "idNumber": ',
      `{"name":${'['.repeat(200)}${']'.repeat(200)}}`,
    ];
    for (const body of bad) {
      const response =
        typeof body === 'string'
          ? await t.app.inject({ method: 'POST', url: '/api/v1/identity/verifications', headers: { authorization: `Bearer ${verifyToken}`, 'content-type': 'application/json' }, payload: body })
          : await verify(verifyToken, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('answers generated questions with a match, a non-match or a problem naming the field, never more and never a server error', async () => {
    const mutatedId = fc
      .tuple(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789Xx０Ａ '))
      .map(([index, character]) => li.idNumber.slice(0, index) + character + li.idNumber.slice(index + 1));
    const idNumber = fc.oneof(fc.constant(li.idNumber), fc.constant(li.idNumber.toLowerCase()), mutatedId, fc.string({ maxLength: 30 }));
    const name = fc.oneof(fc.constant(li.name), fc.constant(` ${li.name} `), fc.string({ maxLength: 45 }));
    const purpose = fc.option(fc.string({ maxLength: 210 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(name, idNumber, purpose, async (name, idNumber, purpose) => {
        const response = await verify(verifyToken, { name, idNumber, purpose });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode === 200) {
          const answer = response.json();
          expect(Object.keys(answer).sort()).toEqual(answer.match ? ['match', 'realNameLevel'] : ['match']);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.json().errors[0].field).toMatch(/^\/(name|idNumber|purpose)$/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an expired access token at once', async () => {
    const row = await t.platform.db.selectFrom('oidcPayloads').selectAll().where('model', '=', 'ClientCredentials').where('id', '=', plainToken).executeTakeFirstOrThrow();
    const payload = JSON.parse(row.payload) as { exp: number };
    expect((await verify(plainToken, { name: li.name, idNumber: li.idNumber })).statusCode).toBe(403);
    await t.platform.db
      .updateTable('oidcPayloads')
      .set({ payload: JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) - 1 }) })
      .where('model', '=', 'ClientCredentials')
      .where('id', '=', plainToken)
      .execute();
    expect((await verify(plainToken, { name: li.name, idNumber: li.idNumber })).statusCode).toBe(401);
  });

  it('takes no token from a wrong secret, and stops accepting tokens of a disabled client at once', async () => {
    const wrong = await fetch(`${base}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${verifyClient.clientId}:wrong-secret`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=identity%3Averify',
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toBe('invalid_client');

    const listed = (await t.app.inject({ url: '/api/v1/admin/oidc-clients', headers: { cookie: adminCookie } })).json() as { clientId: string; scopes: string[] }[];
    expect(listed.find((c) => c.clientId === verifyClient.clientId)?.scopes).toContain('identity:verify');
    expect(JSON.stringify(listed)).not.toContain(verifyClient.clientSecret);
    const disabled = await t.app.inject({ method: 'POST', url: `/api/v1/admin/oidc-clients/${verifyClient.clientId}/disable`, headers: { cookie: adminCookie }, payload: {} });
    expect(disabled.statusCode).toBe(204);
    expect((await verify(verifyToken, { name: li.name, idNumber: li.idNumber })).statusCode).toBe(401);
  });

});
