import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPrincipal } from '../../core/auth.js';
import { createTestApp } from '../../core/testing.js';
import { makeResidentId, makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import { createServices, type Services } from '../../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
const DAY = 86_400_000;

const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1984-06-12', sequence: 122 }), phone: '13912340001', password: 'harbour-lights-84' };
const li = { name: '李明', idNumber: makeResidentId({ region: '310104', birthDate: '1991-02-03', sequence: 31 }), phone: '13912340002', password: 'maple-street-1991' };
const zhang = { name: '张伟', idNumber: makeResidentId({ region: '110105', birthDate: '1979-11-30', sequence: 57 }), phone: '13912340003', password: 'quiet-orchard-79' };
const zhao = { name: '赵丽', idNumber: makeResidentId({ region: '310115', birthDate: '1995-08-08', sequence: 204 }), phone: '13912340004', password: 'paper-boats-1995' };

// 浦东 software company with 25 staff and 3 million yuan revenue: "small" under the 2017 standard.
const yunfan = {
  uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(1001) }),
  name: '上海云帆软件有限公司',
  legalRepresentativeName: wang.name,
  legalRepresentativeIdNumber: wang.idNumber,
  regionCode: '310115',
  industryCode: '6513',
  establishedOn: '2019-05-20',
  employees: 25,
  insuredEmployees: 22,
  operatingRevenueFen: 300_000_000,
  totalAssetsFen: 120_000_000,
  taxpayerType: 'general' as const,
  taxCreditRating: 'A' as const,
  qualifications: ['高新技术企业'],
};
// An individual business the registry knows little about.
const noodleShop = {
  uscc: makeUscc({ category: '2', region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(1002) }),
  name: '浦东新区王记面馆',
  legalRepresentativeName: wang.name,
  legalRepresentativeIdNumber: wang.idNumber,
  regionCode: '310115',
};
const closed = {
  uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(1003) }),
  name: '上海已注销贸易有限公司',
  legalRepresentativeName: wang.name,
  legalRepresentativeIdNumber: wang.idNumber,
  regionCode: '310115',
  status: 'cancelled' as const,
};

function cookieOf(response: { headers: Record<string, unknown> }): string {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const session = list.find((c) => typeof c === 'string' && c.startsWith('tb_session='));
  return String(session).split(';')[0]!;
}

describe('an enterprise is opened by its legal representative, who authorises an agent', () => {
  let t: TestApp;
  let services: Services;
  let enterpriseId = '';
  let agentId = '';

  const logIn = async (who: { phone: string; password: string }) =>
    cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: who.phone, password: who.password } }));
  const principalOf = async (cookie: string): Promise<SessionPrincipal> => (await services.identity.resolveSession(cookie.slice('tb_session='.length)))!;
  const enterpriseCount = async () =>
    Number((await t.platform.db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    for (const person of [wang, li, zhang]) await services.identity.createVerifiedPerson(person);
    await services.identity.createVerifiedPerson({ ...zhao, realNameLevel: 1 });
    await services.enterpriseRegistry.add([yunfan, noodleShop, closed]);
  });
  afterAll(() => t.close());

  it('refuses an invalid credit code, naming the field and the reason in the reader’s language', async () => {
    const cookie = await logIn(wang);
    const typo = yunfan.uscc.slice(0, 17) + (yunfan.uscc[17] === '0' ? '1' : '0');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie, 'accept-language': 'en' }, payload: { uscc: typo } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalidUscc', errors: [{ field: '/uscc', code: 'enterprise.uscc.checkCharacter' }] });
    expect(response.json().errors[0].message).toMatch(/check character/);
    const zh = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: '9131' } });
    expect(zh.json().errors[0].message).toContain('18 位');
  });

  it('refuses a person who is not the legal representative, and writes nothing', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: await logIn(zhang) }, payload: { uscc: yunfan.uscc } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('notLegalRepresentative');
    expect(await enterpriseCount()).toBe(0);
  });

  it('refuses a person whose phone is not confirmed, a code the registry does not know, and a deregistered body', async () => {
    const unconfirmed = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: await logIn(zhao) }, payload: { uscc: yunfan.uscc } });
    expect(unconfirmed.statusCode).toBe(403);
    expect(unconfirmed.json().code).toBe('realNameLevelRequired');
    const cookie = await logIn(wang);
    const unknown = makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(4242) });
    const notRegistered = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: unknown } });
    expect(notRegistered.statusCode).toBe(422);
    expect(notRegistered.json()).toMatchObject({ code: 'enterpriseNotRegistered', errors: [{ field: '/uscc' }] });
    const cancelled = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: closed.uscc } });
    expect(cancelled.json().code).toBe('enterpriseInactive');
    expect(await enterpriseCount()).toBe(0);
  });

  it('opens her enterprise once, with the registered profile and its derived size class', async () => {
    const cookie = await logIn(wang);
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: yunfan.uscc.toLowerCase() } });
    expect(opened.statusCode).toBe(201);
    const enterprise = opened.json();
    enterpriseId = enterprise.id;
    expect(enterprise).toMatchObject({
      uscc: yunfan.uscc,
      name: yunfan.name,
      entityType: 'enterprise',
      regionCode: '310115',
      industryCode: '6513',
      industrySection: 'I',
      employees: 25,
      operatingRevenue: 3_000_000,
      totalAssets: 1_200_000,
      qualifications: ['高新技术企业'],
      sizeClass: 'small',
      sizeClassStatus: 'classified',
      legalRepresentativeName: wang.name,
      role: 'legalRepresentative',
      scopes: ['profile', 'applications', 'policies', 'credit'],
    });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: yunfan.uscc } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('enterpriseAlreadyOpened');

    const mine = (await t.app.inject({ url: '/api/v1/enterprises', headers: { cookie } })).json();
    expect(mine).toEqual([expect.objectContaining({ id: enterpriseId, role: 'legalRepresentative', agencyExpiresAt: null })]);
    const read = await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie } });
    expect(read.json()).toMatchObject({ id: enterpriseId, sizeClass: 'small' });
  });

  it('hides the enterprise from a stranger as if it did not exist', async () => {
    const cookie = await logIn(zhang);
    const read = await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie } });
    const missing = await t.app.inject({ url: '/api/v1/enterprises/01900000-0000-7000-8000-000000000000', headers: { cookie } });
    expect(read.statusCode).toBe(404);
    expect(read.json().code).toBe(missing.json().code);
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie }, payload: { employees: 1 } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/enterprises', headers: { cookie } })).json()).toEqual([]);
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}` })).statusCode).toBe(401);
  });

  it('names every wrong profile field, and changes nothing', async () => {
    const cookie = await logIn(wang);
    const patch = (payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie }, payload });
    const wrong = await patch({ regionCode: '999999', industryCode: '65', operatingRevenue: 12.345, qualifications: ['高新技术企业', ''] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/industryCode', '/operatingRevenue', '/qualifications/1', '/regionCode']);
    const negative = await patch({ employees: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('/employees');
    const unknownField = await patch({ name: '改名公司' });
    expect(unknownField.json().errors[0]).toMatchObject({ field: '/name', code: 'field.unexpected' });
    const read = (await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie } })).json();
    expect(read).toMatchObject({ regionCode: '310115', industryCode: '6513', operatingRevenue: 3_000_000, name: yunfan.name });
  });

  it('keeps amounts as integer fen and re-derives the size class from the new figures', async () => {
    const cookie = await logIn(wang);
    const updated = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/enterprises/${enterpriseId}/profile`,
      headers: { cookie },
      payload: { employees: 150, operatingRevenue: 20_000_000.55, taxCreditRating: 'B', qualifications: [' 高新技术企业 ', '专精特新中小企业'] },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ employees: 150, operatingRevenue: 20_000_000.55, sizeClass: 'medium', taxCreditRating: 'B', qualifications: ['高新技术企业', '专精特新中小企业'] });
    const row = await t.platform.db.selectFrom('enterprises').select('operatingRevenueFen').where('id', '=', enterpriseId).executeTakeFirstOrThrow();
    expect(Number(row.operatingRevenueFen)).toBe(2_000_000_055);
    const cleared = await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie }, payload: { employees: null } });
    expect(cleared.json()).toMatchObject({ employees: null, sizeClass: null, sizeClassStatus: 'insufficientData', sizeClassMissing: ['employees'] });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie }, payload: { employees: 150 } });
  });

  it('gives the policy zone facts with missing values left out, not zero', async () => {
    const facts = await services.enterprises.factsFor(enterpriseId);
    expect(facts).toEqual({
      region: '310115',
      industry: '6513',
      industrySection: 'I',
      entityType: 'enterprise',
      sizeClass: 'medium',
      establishedOn: '2019-05-20',
      ageMonths: 81, // 2019-05-20 to 2026-03-02
      employees: 150,
      insuredEmployees: 22,
      operatingRevenue: 20_000_000.55,
      totalAssets: 1_200_000,
      taxpayerType: 'general',
      taxCreditRating: 'B',
      qualifications: ['高新技术企业', '专精特新中小企业'],
    });
    const shop = (await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: await logIn(wang) }, payload: { uscc: noodleShop.uscc } })).json();
    expect(shop).toMatchObject({ entityType: 'individualBusiness', sizeClass: null, sizeClassStatus: 'insufficientData', sizeClassMissing: ['industry'] });
    expect(await services.enterprises.factsFor(shop.id)).toEqual({ region: '310115', entityType: 'individualBusiness', qualifications: [] });
  });

  it('lets her authorise a verified agent for applications for 30 days, checking who he is and what she grants', async () => {
    const cookie = await logIn(wang);
    const grant = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie }, payload });
    const inThirtyDays = '2026-04-01';

    const misnamed = await grant({ name: '李鸣', idNumber: li.idNumber, scopes: ['applications'], expiresOn: inThirtyDays });
    expect(misnamed.statusCode).toBe(422);
    expect(misnamed.json().code).toBe('agentNotVerified');
    const badDates = await grant({ name: li.name, idNumber: li.idNumber, scopes: ['applications'], expiresOn: '2026-03-02' });
    expect(badDates.json().errors).toEqual([expect.objectContaining({ field: '/expiresOn', code: 'enterprise.agent.expiresOn.notFuture' })]);
    const tooFar = await grant({ name: li.name, idNumber: li.idNumber, scopes: ['applications'], expiresOn: '2030-01-01' });
    expect(tooFar.json().errors[0]).toMatchObject({ field: '/expiresOn', code: 'enterprise.agent.expiresOn.tooFar' });
    const badScope = await grant({ name: li.name, idNumber: li.idNumber, scopes: ['everything'], expiresOn: inThirtyDays });
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json().errors[0].field).toBe('/scopes/0');
    const herself = await grant({ name: wang.name, idNumber: wang.idNumber, scopes: ['applications'], expiresOn: inThirtyDays });
    expect(herself.json().code).toBe('agentIsLegalRepresentative');

    const granted = await grant({ name: li.name, idNumber: li.idNumber, scopes: ['applications'], expiresOn: inThirtyDays });
    expect(granted.statusCode).toBe(201);
    expect(granted.json()).toMatchObject({ name: li.name, scopes: ['applications'], expiresOn: inThirtyDays, status: 'active', revokedAt: null });
    expect(granted.json().idNumberMasked).not.toContain('19910203');
    agentId = granted.json().id;
    const twice = await grant({ name: li.name, idNumber: li.idNumber, scopes: ['profile'], expiresOn: inThirtyDays });
    expect(twice.statusCode).toBe(409);
  });

  it('lets the agent act within his scope only, and see only his own authorisation', async () => {
    const cookie = await logIn(li);
    const mine = (await t.app.inject({ url: '/api/v1/enterprises', headers: { cookie } })).json();
    expect(mine).toEqual([expect.objectContaining({ id: enterpriseId, role: 'agent', scopes: ['applications'], agencyExpiresAt: '2026-04-01T16:00:00.000Z' })]);
    const read = await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie } });
    expect(read.json()).toMatchObject({ role: 'agent', scopes: ['applications'] });

    const principal = await principalOf(cookie);
    await expect(services.enterprises.authorize(principal, enterpriseId, 'applications')).resolves.toMatchObject({ role: 'agent' });
    await expect(services.enterprises.authorize(principal, enterpriseId, 'profile')).rejects.toMatchObject({ status: 403, code: 'agencyScopeRequired' });
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie, 'accept-language': 'en' }, payload: { employees: 1 } });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().detail).toContain('Keep the enterprise profile up to date');

    const agents = (await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie } })).json();
    expect(agents).toEqual([expect.objectContaining({ id: agentId, name: li.name })]);
    const grant = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie }, payload: { name: zhang.name, idNumber: zhang.idNumber, scopes: ['credit'], expiresOn: '2026-03-10' } });
    expect(grant.json().code).toBe('legalRepresentativeOnly');
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/enterprises/${enterpriseId}/agents/${agentId}`, headers: { cookie } });
    expect(revoke.json().code).toBe('legalRepresentativeOnly');
  });

  it('refuses the agent at once when the clock passes the last day of his authorisation', async () => {
    const before = await principalOf(await logIn(li));
    t.clock.set('2026-04-01T15:59:59Z'); // 23:59:59 on 1 April in Shanghai: still his last day
    await expect(services.enterprises.authorize(before, enterpriseId, 'applications')).resolves.toMatchObject({ role: 'agent' });
    t.clock.set('2026-04-01T16:00:00Z');
    await expect(services.enterprises.authorize(before, enterpriseId, 'applications')).rejects.toMatchObject({ status: 403, code: 'agencyExpired' });

    const cookie = await logIn(li);
    const read = await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie } });
    expect(read.statusCode).toBe(403);
    expect(read.json().detail).toContain('2026-04-01');
    expect((await t.app.inject({ url: '/api/v1/enterprises', headers: { cookie } })).json()).toEqual([]);
    const listed = (await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie: await logIn(wang) } })).json();
    expect(listed[0]).toMatchObject({ id: agentId, status: 'expired' });
  });

  it('refuses a revoked agent at once', async () => {
    const wangCookie = await logIn(wang);
    const granted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/enterprises/${enterpriseId}/agents`,
      headers: { cookie: wangCookie },
      payload: { name: li.name, idNumber: li.idNumber, scopes: ['applications', 'profile'], expiresOn: '2026-12-31' },
    });
    expect(granted.statusCode).toBe(201);
    const liCookie = await logIn(li);
    const principal = await principalOf(liCookie);
    await expect(services.enterprises.authorize(principal, enterpriseId, 'profile')).resolves.toMatchObject({ role: 'agent' });
    const edited = await t.app.inject({ method: 'PATCH', url: `/api/v1/enterprises/${enterpriseId}/profile`, headers: { cookie: liCookie }, payload: { insuredEmployees: 30 } });
    expect(edited.statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/enterprises/${enterpriseId}/agents/${granted.json().id}`, headers: { cookie: wangCookie } });
    expect(revoked.statusCode).toBe(204);
    await expect(services.enterprises.authorize(principal, enterpriseId, 'applications')).rejects.toMatchObject({ status: 403, code: 'agencyRevoked' });
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}`, headers: { cookie: liCookie } })).json().code).toBe('agencyRevoked');
    const unknown = await t.app.inject({ method: 'DELETE', url: `/api/v1/enterprises/${enterpriseId}/agents/nope`, headers: { cookie: wangCookie } });
    expect(unknown.statusCode).toBe(404);
  });

  it('records every step in an audit trail that still verifies', async () => {
    const events = await t.platform.db.selectFrom('auditEvents').selectAll().where('action', 'like', 'enterprise.%').orderBy('seq').execute();
    const liPerson = await services.identity.findVerifiedPerson(li.name, li.idNumber);
    expect(events.filter((e) => e.action === 'enterprise.opened' && e.outcome === 'denied')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'enterprise.opened' && e.outcome === 'success').map((e) => e.subjectEnterpriseId)).toContain(enterpriseId);
    const grants = events.filter((e) => e.action === 'enterprise.agentGranted');
    expect(grants).toHaveLength(2);
    expect(grants.every((e) => e.subjectEnterpriseId === enterpriseId && e.subjectPersonId === liPerson!.id)).toBe(true);
    expect(events.some((e) => e.action === 'enterprise.agentRevoked' && e.subjectPersonId === liPerson!.id)).toBe(true);
    expect(events.some((e) => e.action === 'enterprise.profileUpdated')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(li.idNumber);
    expect(await t.platform.audit.verify()).toMatchObject({ ok: true });
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/enterprises', '/api/v1/enterprises/{id}/profile', '/api/v1/enterprises/{id}/agents/{agentId}']));
  });

  it('creates one live authorisation when the same grant is sent several times at once', async () => {
    const cookie = await logIn(wang);
    const zhou = { name: '周立', idNumber: makeResidentId({ region: '310115', birthDate: '1990-09-09', sequence: 57 }), phone: '13911112222', password: 'zhou-password-2026' };
    await services.identity.createVerifiedPerson(zhou);
    const expiresOn = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie }, payload: { name: zhou.name, idNumber: zhou.idNumber, scopes: ['policies'], expiresOn } }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const agents = (await t.app.inject({ url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie } })).json() as { name: string }[];
    expect(agents.filter((a) => a.name === zhou.name)).toHaveLength(1);
  });
});

describe('an enterprise registry reached over HTTP', () => {
  let t: TestApp;
  let services: Services;
  let server: Server;
  let url = '';
  let available = true;
  const seen: { authorization?: string; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const body = JSON.parse(text) as { uscc: string; idNumber: string };
        seen.push({ authorization: request.headers.authorization, body });
        if (!available) return void response.writeHead(502).end();
        if (body.uscc !== yunfan.uscc) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            idNumberIsLegalRepresentative: body.idNumber === wang.idNumber,
            enterprise: { uscc: yunfan.uscc, name: yunfan.name, status: 'active', legalRepresentativeName: wang.name, regionCode: '310115', industryCode: '6513', employees: -3 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lookup`;
    t = await createTestApp({ env: { ENTERPRISE_REGISTRY_URL: url, ENTERPRISE_REGISTRY_TOKEN: 'registry-token' } });
    services = createServices(t.platform);
    await services.identity.createVerifiedPerson(wang);
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is asked with a bearer token, the ID number in the body; an outage writes nothing and a bad figure is not copied', async () => {
    const cookie = cookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: wang.phone, password: wang.password } }));
    available = false;
    const down = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: yunfan.uscc } });
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('enterpriseRegistryUnavailable');
    expect(await t.platform.db.selectFrom('enterprises').selectAll().execute()).toEqual([]);
    available = true;
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: noodleShop.uscc } });
    expect(unknown.json().code).toBe('enterpriseNotRegistered');
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: yunfan.uscc } });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ name: yunfan.name, industryCode: '6513', employees: null, sizeClassStatus: 'insufficientData' });
    expect(seen.at(-1)).toEqual({ authorization: 'Bearer registry-token', body: { uscc: yunfan.uscc, idNumber: wang.idNumber } });
  });
});
