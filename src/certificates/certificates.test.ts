import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { logIn, staffSession } from '../identity/testing.js';
import { makeResidentId, makeUscc, organizationCodeBodyFromNumber } from '../reference/testing.js';
import { createServices, type Services } from '../services.js';
import type { IssueInput } from './schema.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1984-06-12', sequence: 122 }), phone: '13912340101', password: 'harbour-lights-84' };
const li = { name: '李明', idNumber: makeResidentId({ region: '310104', birthDate: '1991-02-03', sequence: 31 }), phone: '13912340102', password: 'maple-street-1991' };
const zhou = { name: '周强', idNumber: makeResidentId({ region: '310115', birthDate: '1988-09-09', sequence: 55 }), phone: '13912340103', password: 'river-stones-1988' };
const teahouse = {
  uscc: makeUscc({ category: '2', region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(2301) }),
  name: '浦东新区王记茶馆',
  legalRepresentativeName: wang.name,
  legalRepresentativeIdNumber: wang.idNumber,
  regionCode: '310115',
};

// A value that must never reach anyone but the holder and the departments she consents to.
const HOME_ADDRESS = '浦东新区张杨路500弄8号1201室';

function licence(holder: IssueInput['holder'], departmentId: string, overrides: Partial<IssueInput> = {}): IssueInput {
  return {
    certificateType: 'individualBusinessLicence',
    holder,
    holderName: wang.name,
    title: { 'zh-CN': '个体工商户营业执照', en: 'Individual business licence' },
    fields: [
      { key: 'businessName', label: { 'zh-CN': '名称', en: 'Name' }, value: '浦东新区王记茶馆', public: true },
      { key: 'scope', label: { 'zh-CN': '经营范围', en: 'Business scope' }, value: '茶饮服务', public: true },
      { key: 'operatorAddress', label: { 'zh-CN': '经营者住所', en: "Operator's address" }, value: HOME_ADDRESS, public: false },
    ],
    issuedByDepartmentId: departmentId,
    validityMonths: 60,
    sourceApplicationId: null,
    numberPrefix: '沪市监个字',
    ...overrides,
  };
}

describe('electronic certificates: issued on approval, verified by anyone, read and shared by the holder', () => {
  let t: TestApp;
  let services: Services;
  let wangId = '';
  let enterpriseId = '';
  let issuer: Awaited<ReturnType<typeof staffSession>>;
  let colleague: Awaited<ReturnType<typeof staffSession>>;
  let otherDepartment: Awaited<ReturnType<typeof staffSession>>;

  const issue = (input: IssueInput) => t.platform.db.transaction().execute((tx) => services.certificates.issue(tx, input));
  const auditOf = (action: string) => t.platform.db.selectFrom('auditEvents').selectAll().where('action', '=', action).orderBy('seq').execute();
  const get = async (url: string, cookie?: string, lang?: string) =>
    t.app.inject({ url, headers: { ...(cookie ? { cookie } : {}), ...(lang ? { 'accept-language': lang } : {}) } });

  beforeAll(async () => {
    t = await createTestApp();
    services = createServices(t.platform);
    wangId = (await services.identity.createVerifiedPerson(wang)).personId;
    await services.identity.createVerifiedPerson(li);
    await services.identity.createVerifiedPerson(zhou);
    await services.enterpriseRegistry.add([teahouse]);
    issuer = await staffSession(t, { roles: ['officer'], regionCode: '310115', name: '陈科员' });
    colleague = await staffSession(t, { roles: ['approver'], departmentId: issuer.departmentId, regionCode: '310115' });
    otherDepartment = await staffSession(t, { roles: ['officer', 'approver'], regionCode: '310104', name: '黄科员' });
    const cookie = await logIn(t, wang.phone, wang.password);
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie }, payload: { uscc: teahouse.uscc } });
    enterpriseId = opened.json().id;
  });
  afterAll(() => t.close());

  it('issues inside the approving transaction: numbered per type and year, with a readable code, signed with the published key', async () => {
    const first = await issue(licence({ personId: wangId }, issuer.departmentId));
    const second = await issue(licence({ personId: wangId }, issuer.departmentId));
    expect(first.number).toBe('沪市监个字〔2026〕第000001号');
    expect(second.number).toBe('沪市监个字〔2026〕第000002号');
    expect(first.verificationCode).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){4}$/);
    expect(first.verificationCode).not.toBe(second.verificationCode);
    expect(first).toMatchObject({
      status: 'current',
      validFrom: '2026-03-02',
      validUntil: '2031-03-01',
      holder: { kind: 'person', personId: wangId, name: '王芳', idMasked: `310${'*'.repeat(11)}${wang.idNumber.slice(-4)}` },
      issuer: { departmentId: issuer.departmentId, name: { 'zh-CN': '测试部门310115' } },
      jwksUri: 'http://localhost:3000/oidc/jwks',
    });

    // A third party checks the JWS offline with nothing but the published JWKS.
    const jwks = (await get('/oidc/jwks')).json() as JSONWebKeySet;
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    const { payload, protectedHeader } = await compactVerify(first.jws, createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: first.kid });
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({
      iss: 'http://localhost:3000',
      jti: first.id,
      certificateType: 'individualBusinessLicence',
      number: first.number,
      holder: { kind: 'person', name: '王芳', idMasked: first.holder.idMasked },
      issuer: { departmentId: issuer.departmentId },
      validFrom: '2026-03-02',
      validUntil: '2031-03-01',
    });
    expect(JSON.stringify(claims)).not.toContain(wang.idNumber);

    // A certificate is written with the approval or not at all.
    const before = await t.platform.db.selectFrom('certificates').select('id').execute();
    await expect(
      t.platform.db.transaction().execute(async (tx) => {
        await services.certificates.issue(tx, licence({ personId: wangId }, issuer.departmentId));
        throw new Error('the approval failed after issuing');
      }),
    ).rejects.toThrow('the approval failed');
    expect(await t.platform.db.selectFrom('certificates').select('id').execute()).toHaveLength(before.length);
  });

  it('gives approvals that commit at the same moment distinct, consecutive numbers', async () => {
    const issued = await Promise.all(
      Array.from({ length: 6 }, () => issue(licence({ personId: wangId }, issuer.departmentId, { certificateType: 'liquorLicence', numberPrefix: '沪酒' }))),
    );
    expect(issued.map((c) => c.number).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `沪酒〔2026〕第00000${n}号`));
    expect(new Set(issued.map((c) => c.verificationCode)).size).toBe(6);
  });

  it('documents its API in the OpenAPI description', async () => {
    const paths = Object.keys((await get('/api/openapi.json')).json().paths);
    for (const path of ['/api/v1/certificates', '/api/v1/certificates/{id}', '/api/v1/certificates/verification/{code}', '/api/v1/certificates/{id}/revocation']) {
      expect(paths).toContain(path);
    }
  });

  it('refuses to issue something malformed: two holders, an unknown department, duplicate field keys', async () => {
    const problem = (promise: Promise<unknown>) => promise.then(() => undefined, (error: { code?: string; fields?: { field: string }[] }) => error);
    const twoHolders = await problem(issue(licence({ personId: wangId, enterpriseId } as never, issuer.departmentId)));
    expect(twoHolders).toMatchObject({ code: 'certificateInvalid', fields: [{ field: '/holder' }] });
    const unknownDepartment = await problem(issue(licence({ personId: wangId }, '01900000-0000-7000-8000-000000000000')));
    expect(unknownDepartment).toMatchObject({ code: 'departmentNotFound' });
    const base = licence({ personId: wangId }, issuer.departmentId);
    const duplicate = await problem(issue({ ...base, fields: [base.fields[0]!, base.fields[0]!] }));
    expect(duplicate).toMatchObject({ code: 'certificateInvalid', fields: [{ field: '/fields/1' }] });
  });

  it('shows anyone with the code that it is genuine and current, with only the public fields and the name masked', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId));
    const typed = certificate.verificationCode.toLowerCase().replace(/-/g, ' ');
    const response = await get(`/api/v1/certificates/verification/${encodeURIComponent(typed)}`);
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({
      genuine: true,
      status: 'current',
      number: certificate.number,
      holderName: '王*',
      title: { 'zh-CN': '个体工商户营业执照' },
      issuer: { departmentId: issuer.departmentId },
      kid: certificate.kid,
      jwksUri: 'http://localhost:3000/oidc/jwks',
    });
    expect(view.fields.map((f: { key: string }) => f.key)).toEqual(['businessName', 'scope']);
    for (const secret of [HOME_ADDRESS, '王芳', wang.idNumber, certificate.holder.idMasked, wangId]) expect(response.body).not.toContain(secret);

    for (const [lang, heading] of [
      ['zh-CN', '证照真实有效'],
      ['en', 'Genuine and valid'],
    ] as const) {
      const page = await t.app.inject({ url: `/verify?code=${encodeURIComponent(certificate.verificationCode)}&lang=${lang}`, headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(heading);
      expect(page.body).toContain('浦东新区王记茶馆');
      expect(page.body).toContain('王*');
      expect(page.body).not.toContain(HOME_ADDRESS);
      expect(page.body).not.toContain('王芳');
    }
  });

  it('answers an unknown or malformed code with the same 404 problem, and the page says so against the field', async () => {
    const unknown = await get('/api/v1/certificates/verification/ABCD-EFGH-JKLM-NPQR-STUV');
    const malformed = await get('/api/v1/certificates/verification/%3Cscript%3E');
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json().code).toBe('certificateNotFound');
    expect(Object.keys(malformed.json()).sort()).toEqual(Object.keys(unknown.json()).sort());
    expect(malformed.json().code).toBe(unknown.json().code);

    const page = await t.app.inject({ url: '/verify?code=ABCD-EFGH-JKLM-NPQR-STUV&lang=en', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('error-summary');
    expect(page.body).toContain('href="#code"');
    expect(page.body).toContain('No electronic certificate has this verification code');
    const empty = await t.app.inject({ url: '/verify?code=', headers: { accept: 'text/html' } });
    expect(empty.statusCode).toBe(400);
    const blank = await t.app.inject({ url: '/verify', headers: { accept: 'text/html' } });
    expect(blank.statusCode).toBe(200);
    expect(blank.body).toContain('电子证照核验');
  });

  it('checks a JWS sent to the API: genuine passes with the register status, a changed one is refused', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId));
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/certificates/verification', payload: { jws: certificate.jws } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ genuine: true, status: 'current', number: certificate.number, holderName: '王*' });
    expect(ok.body).not.toContain(HOME_ADDRESS);

    const [header, payload, signature] = certificate.jws.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.validUntil = '2099-12-31';
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/certificates/verification', headers: { 'accept-language': 'en' }, payload: { jws: tampered } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'signatureInvalid', errors: [{ field: '/jws' }] });
    expect(refused.json().errors[0].message).toMatch(/not valid/);
    const garbage = await t.app.inject({ method: 'POST', url: '/api/v1/certificates/verification', payload: { jws: 'a.b.c' } });
    expect(garbage.json().code).toBe('signatureInvalid');
  });

  it('lets the holder read every field, and hides the certificate from anyone else as if it did not exist', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId));
    const mine = await get(`/api/v1/certificates/${certificate.id}`, await logIn(t, wang.phone, wang.password));
    expect(mine.statusCode).toBe(200);
    expect(mine.json().fields.find((f: { key: string }) => f.key === 'operatorAddress').value).toBe(HOME_ADDRESS);

    const stranger = await logIn(t, li.phone, li.password);
    const refused = await get(`/api/v1/certificates/${certificate.id}`, stranger);
    const missing = await get('/api/v1/certificates/01900000-0000-7000-8000-000000000000', stranger);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().code).toBe(missing.json().code);
    expect(refused.body).not.toContain(HOME_ADDRESS);
    expect((await get('/api/v1/certificates', stranger)).json()).toEqual([]);
    expect((await get(`/api/v1/certificates/${certificate.id}`)).statusCode).toBe(401);

    // Staff of another department are refused too, and the attempt is on the record.
    const staffRead = await get(`/api/v1/certificates/${certificate.id}`, otherDepartment.cookie);
    expect(staffRead.statusCode).toBe(404);
    const denied = (await auditOf('personalData.read')).filter((e) => e.outcome === 'denied');
    expect(denied.at(-1)).toMatchObject({ subjectPersonId: wangId, actorId: otherDepartment.staffId });
    // The issuing department may read it; the read is audited against the holder.
    const issuerRead = await get(`/api/v1/certificates/${certificate.id}`, colleague.cookie);
    expect(issuerRead.statusCode).toBe(200);
    expect((await auditOf('personalData.read')).at(-1)).toMatchObject({ outcome: 'success', subjectPersonId: wangId, actorId: colleague.staffId });
    // Not every role of the issuing department: a catalogue editor handles no applications.
    const editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: issuer.departmentId, regionCode: '310115' });
    expect((await get(`/api/v1/certificates/${certificate.id}`, editor.cookie)).statusCode).toBe(404);
    expect((await auditOf('personalData.read')).at(-1)).toMatchObject({ outcome: 'denied', actorId: editor.staffId });
  });

  it("shows an enterprise's certificates to its legal representative and to an agent with scope applications, not to other agents", async () => {
    const certificate = await issue(licence({ enterpriseId }, issuer.departmentId, { holderName: teahouse.name }));
    expect(certificate.holder).toMatchObject({ kind: 'enterprise', enterpriseId, name: teahouse.name });
    const wangCookie = await logIn(t, wang.phone, wang.password);
    const expiresOn = '2027-03-01';
    for (const [who, scopes] of [
      [li, ['applications']],
      [zhou, ['profile']],
    ] as const) {
      const granted = await t.app.inject({
        method: 'POST',
        url: `/api/v1/enterprises/${enterpriseId}/agents`,
        headers: { cookie: wangCookie },
        payload: { name: who.name, idNumber: who.idNumber, scopes, expiresOn },
      });
      expect(granted.statusCode).toBe(201);
    }
    const ids = (cookie: string) => get('/api/v1/certificates', cookie).then((r) => r.json().map((c: { id: string }) => c.id));
    expect(await ids(wangCookie)).toContain(certificate.id);
    const agent = await logIn(t, li.phone, li.password);
    expect(await ids(agent)).toEqual([certificate.id]);
    expect((await get(`/api/v1/certificates/${certificate.id}`, agent)).statusCode).toBe(200);
    const profileOnly = await logIn(t, zhou.phone, zhou.password);
    expect(await ids(profileOnly)).toEqual([]);
    expect((await get(`/api/v1/certificates/${certificate.id}`, profileOnly)).statusCode).toBe(404);
    // The public sees an enterprise's name in full: it is registration data, not personal data.
    expect((await get(`/api/v1/certificates/verification/${certificate.verificationCode}`)).json().holderName).toBe(teahouse.name);
  });

  it('records the holder’s consent to share, audited; the department may then read it until she withdraws', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId));
    const cookie = await logIn(t, wang.phone, wang.password);
    const before = await get(`/api/v1/certificates/${certificate.id}`, otherDepartment.cookie);
    expect(before.statusCode).toBe(404);

    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/shares`,
      headers: { cookie },
      payload: { departmentId: 'no-such-department', purpose: '   ' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/departmentId', '/purpose']);

    const shared = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/shares`,
      headers: { cookie },
      payload: { departmentId: otherDepartment.departmentId, purpose: '办理食品经营许可' },
    });
    expect(shared.statusCode).toBe(201);
    const share = shared.json();
    expect(share).toMatchObject({ certificateId: certificate.id, department: { id: otherDepartment.departmentId }, kind: 'share', purpose: '办理食品经营许可', status: 'active' });
    const row = await t.platform.db.selectFrom('certificateShares').selectAll().where('id', '=', share.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ consentedByPersonId: wangId, consentedAt: t.clock.now().toISOString(), revokedAt: null });
    expect((await auditOf('certificate.shared')).at(-1)).toMatchObject({ subjectPersonId: wangId, actorType: 'person', purpose: '办理食品经营许可' });

    // Someone else cannot share her certificate, nor see its shares.
    const stranger = await logIn(t, li.phone, li.password);
    const theirs = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/shares`,
      headers: { cookie: stranger },
      payload: { departmentId: otherDepartment.departmentId, purpose: '冒用' },
    });
    expect(theirs.statusCode).toBe(404);
    expect((await get(`/api/v1/certificates/${certificate.id}/shares`, stranger)).statusCode).toBe(404);

    const read = await get(`/api/v1/certificates/${certificate.id}`, otherDepartment.cookie);
    expect(read.statusCode).toBe(200);
    expect((await auditOf('personalData.read')).at(-1)).toMatchObject({ outcome: 'success', actorId: otherDepartment.staffId, purpose: '办理食品经营许可' });
    // She sees who looked, on her own access log.
    const log = (await get('/api/v1/identity/me/access-log', cookie)).json() as { purpose: string | null; outcome: string }[];
    expect(log).toContainEqual(expect.objectContaining({ purpose: '办理食品经营许可', outcome: 'success' }));

    const withdrawn = await t.app.inject({ method: 'DELETE', url: `/api/v1/certificates/${certificate.id}/shares/${share.id}`, headers: { cookie } });
    expect(withdrawn.statusCode).toBe(204);
    expect((await get(`/api/v1/certificates/${certificate.id}`, otherDepartment.cookie)).statusCode).toBe(404);
    const listed = (await get(`/api/v1/certificates/${certificate.id}/shares`, cookie)).json();
    expect(listed).toEqual([expect.objectContaining({ id: share.id, status: 'revoked' })]);
    expect((await auditOf('certificate.shareRevoked')).at(-1)).toMatchObject({ subjectPersonId: wangId });
  });

  it('lets only the issuing department revoke (403 and audited otherwise); verifiers then see it revoked', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId));
    const url = `/api/v1/certificates/${certificate.id}/revocation`;
    const foreign = await t.app.inject({ method: 'POST', url, headers: { cookie: otherDepartment.cookie }, payload: { reason: '虚假材料' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('notIssuingDepartment');
    expect((await auditOf('certificate.revoked')).at(-1)).toMatchObject({ outcome: 'denied', actorId: otherDepartment.staffId, subjectPersonId: wangId });
    const holder = await logIn(t, wang.phone, wang.password);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: holder }, payload: { reason: '不想要了' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: issuer.cookie }, payload: { reason: '' } })).statusCode).toBe(400);

    const revoked = await t.app.inject({ method: 'POST', url, headers: { cookie: issuer.cookie }, payload: { reason: '以欺骗手段取得登记' } });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedReason: '以欺骗手段取得登记', revokedAt: t.clock.now().toISOString() });
    expect((await auditOf('certificate.revoked')).at(-1)).toMatchObject({ outcome: 'success', actorId: issuer.staffId });
    const again = await t.app.inject({ method: 'POST', url, headers: { cookie: issuer.cookie }, payload: { reason: '再次' } });
    expect(again.statusCode).toBe(409);

    const verified = await get(`/api/v1/certificates/verification/${certificate.verificationCode}`);
    expect(verified.json()).toMatchObject({ genuine: true, status: 'revoked', revokedAt: t.clock.now().toISOString() });
    // The reason is the department's note, not for the public.
    expect(verified.body).not.toContain('以欺骗手段取得登记');
    // The signature is still genuine, but the register says revoked.
    const jws = await t.app.inject({ method: 'POST', url: '/api/v1/certificates/verification', payload: { jws: certificate.jws } });
    expect(jws.json().status).toBe('revoked');
    const page = await t.app.inject({ url: `/verify?code=${certificate.verificationCode}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('证照真实，但已被撤销');

    const share = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/shares`,
      headers: { cookie: holder },
      payload: { departmentId: otherDepartment.departmentId, purpose: '办理变更' },
    });
    expect(share.statusCode).toBe(409);
    expect(share.json().code).toBe('certificateRevoked');
  });

  it('reuses a current certificate as an application material: consent recorded in the same transaction, snapshot returned', async () => {
    const certificate = await issue(licence({ personId: wangId }, issuer.departmentId, { certificateType: 'foodBusinessLicence', numberPrefix: 'JY' }));
    const applicationId = '01900000-0000-7000-8000-00000000a001';
    // As the applications capability does it: offer, then use, all inside the submission's transaction.
    const snapshot = await t.platform.db.transaction().execute(async (tx) => {
      const offered = await services.certificates.findReusable({ personId: wangId }, 'foodBusinessLicence', tx);
      expect(offered.map((c) => c.id)).toEqual([certificate.id]);
      return services.certificates.useAsMaterial(tx, {
        certificateId: certificate.id,
        holder: { personId: wangId },
        departmentId: otherDepartment.departmentId,
        applicationId,
        consentedByPersonId: wangId,
      });
    });
    expect(snapshot).toMatchObject({ certificateId: certificate.id, type: 'foodBusinessLicence', number: 'JY〔2026〕第000001号', verificationCode: certificate.verificationCode });
    expect(snapshot.fields.map((f) => f.key)).toEqual(['businessName', 'scope', 'operatorAddress']);
    const share = await t.platform.db.selectFrom('certificateShares').selectAll().where('applicationId', '=', applicationId).executeTakeFirstOrThrow();
    expect(share).toMatchObject({ kind: 'material', departmentId: otherDepartment.departmentId, consentedByPersonId: wangId, revokedAt: null });

    // Not hers: refused, and nothing is written.
    const liId = (await services.identity.findVerifiedPerson(li.name, li.idNumber))!.id;
    await expect(
      t.platform.db.transaction().execute((tx) =>
        services.certificates.useAsMaterial(tx, { certificateId: certificate.id, holder: { personId: liId }, departmentId: otherDepartment.departmentId, applicationId: 'x', consentedByPersonId: liId }),
      ),
    ).rejects.toMatchObject({ code: 'certificateNotFound' });
    expect(await t.platform.db.selectFrom('certificateShares').select('id').where('applicationId', '=', 'x').execute()).toEqual([]);
  });

  // Runs last: it moves the clock forward.
  it('expires by the clock: verification and listing say expired, and reuse no longer offers it', async () => {
    const yearly = await issue(licence({ personId: wangId }, issuer.departmentId, { certificateType: 'healthCertificate', validityMonths: 12 }));
    const lasting = await issue(licence({ personId: wangId }, issuer.departmentId, { certificateType: 'healthCertificate', validityMonths: undefined }));
    const revoked = await issue(licence({ personId: wangId }, issuer.departmentId, { certificateType: 'healthCertificate' }));
    await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${revoked.id}/revocation`, headers: { cookie: issuer.cookie }, payload: { reason: '持证人申请注销' } });
    expect(yearly.validUntil).toBe('2027-03-01');
    expect(lasting.validUntil).toBeNull();

    const reusable = async () => (await services.certificates.findReusable({ personId: wangId }, 'healthCertificate')).map((c) => c.id).sort();
    expect(await reusable()).toEqual([yearly.id, lasting.id].sort());
    expect(await services.certificates.findReusable({ enterpriseId }, 'healthCertificate')).toEqual([]);

    // Still valid on its last day (Shanghai time), expired the day after.
    t.clock.set('2027-03-01T15:59:00Z');
    expect((await get(`/api/v1/certificates/verification/${yearly.verificationCode}`)).json().status).toBe('current');
    t.clock.set('2027-03-01T16:00:00Z');
    expect((await get(`/api/v1/certificates/verification/${yearly.verificationCode}`)).json().status).toBe('expired');
    expect(await reusable()).toEqual([lasting.id]);
    const cookie = await logIn(t, wang.phone, wang.password);
    const listed = (await get('/api/v1/certificates', cookie)).json() as { id: string; status: string }[];
    expect(listed.find((c) => c.id === yearly.id)?.status).toBe('expired');
    expect(listed.find((c) => c.id === revoked.id)?.status).toBe('revoked');
    expect(listed.find((c) => c.id === lasting.id)?.status).toBe('current');
    const share = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${yearly.id}/shares`,
      headers: { cookie },
      payload: { departmentId: otherDepartment.departmentId, purpose: '体检' },
    });
    expect(share.json().code).toBe('certificateExpired');
    const page = await t.app.inject({ url: `/verify?code=${yearly.verificationCode}&lang=en`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Genuine, but expired');
  });
});
