import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, verifiedPerson, TINY_PNG } from '../applications/testing.js';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import * as OTPAuth from 'otpauth';
import { logIn, staffSession } from '../identity/testing.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../policies/testing.js';
import { publishPolicies } from '../policies/loop/testing.js';
import { createServices, type Services } from '../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Entry = { cursor: string; at: string; action: string; who: string; actorType: string; purpose: string | null; outcome: string; applicationId: string | null };

/**
 * Every way staff (or a department's system) can read a person's data, performed through HTTP as
 * they would be, each followed by the person's "who accessed my data" page (API and HTML). A new
 * read path belongs in this table: a read that is not audited with the person as subject fails it.
 */
describe("every staff read of a person's data shows on their 'who accessed my data' page", () => {
  let t: TestApp;
  let services: Services;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let li: Awaited<ReturnType<typeof verifiedPerson>>;
  let company: Awaited<ReturnType<typeof enterpriseWithFacts>>;
  let policyOfficers: Awaited<ReturnType<typeof policyDepartment>>;
  let applicationId = '';
  let trackingNumber = '';
  let fileId = '';
  let certificateId = '';
  let rectificationId = '';
  let inquiryId = '';
  let clientToken = '';

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
  const act = async (cookie: string, action: string, payload: object = {}) => {
    const response = await post(`/api/v1/workbench/applications/${applicationId}/actions/${action}`, cookie, payload);
    if (response.statusCode !== 200) throw new Error(`${action} failed: ${response.body}`);
    return response.json();
  };
  const logOf = async (cookie: string, query = ''): Promise<Entry[]> => (await get(`/api/v1/identity/me/access-log${query}`, cookie)).json();

  beforeAll(async () => {
    // Monday 2 March 2026, 10:00 in Shanghai.
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    shop = await departmentWithItem(t);
    wang = await verifiedPerson(t, '王芳');
    li = await verifiedPerson(t, '李明');

    // Wang applies, with an uploaded material; the approval issues her a licence; she rates the service badly.
    const draft = await post('/api/v1/applications/drafts', wang.cookie, { itemId: shop.item.itemId });
    applicationId = draft.json().id;
    fileId = (await services.files.store(wang.accountId, { filename: 'lease.png', bytes: TINY_PNG, allowedTypes: ['png', 'pdf', 'jpeg'] })).id;
    const submitted = await post(`/api/v1/applications/${applicationId}/submission`, wang.cookie, {
      form: { businessName: '王记面馆', organisation: 'personal', employees: 2, premisesRegion: '310115' },
      materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [fileId] } },
    });
    if (submitted.statusCode !== 200) throw new Error(`submission failed: ${submitted.body}`);
    trackingNumber = submitted.json().trackingNumber;
    await act(shop.officer.cookie, 'accept', { opinion: '材料齐全' });
    await act(shop.officer.cookie, 'startReview');
    certificateId = (await act(shop.approver.cookie, 'approve', { opinion: '准予登记' })).certificateId;
    await act(shop.officer.cookie, 'conclude');
    const review = await post(`/api/v1/applications/${applicationId}/review`, wang.cookie, {
      rating: 1,
      indicators: { efficiency: 1, guidanceAccuracy: 2, convenience: 1 },
      comment: '等了很久',
    });
    if (review.statusCode !== 201) throw new Error(`review failed: ${review.body}`);
    rectificationId = (await get('/api/v1/rectifications', shop.officer.cookie)).json().items[0].id;

    // A department's system allowed to verify identities.
    const admin = await staffSession(t, { roles: ['admin'], departmentId: shop.department.id });
    const client = (
      await post('/api/v1/admin/oidc-clients', admin.cookie, { name: '浦东新区不动产登记系统', departmentId: shop.department.id, grantTypes: ['client_credentials'], scopes: ['identity:verify'] })
    ).json() as { clientId: string; clientSecret: string };
    const token = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=identity%3Averify',
    });
    if (token.statusCode !== 200) throw new Error(`token failed: ${token.body}`);
    clientToken = token.json().access_token;

    // An enterprise asks a policy question, which the policy officer then opens.
    policyOfficers = await policyDepartment(t);
    const policy = samplePolicy();
    await publishPolicies(t, policyOfficers, [policy]);
    company = await enterpriseWithFacts(t, { region: '310115', industry: '6513', employees: 20, untrustworthy: false });
    const asked = await post(`/api/v1/enterprises/${company.id}/policy-inquiries`, company.representative.cookie, { policyCode: policy.code, question: '应纳税所得额按哪一年算？' });
    if (asked.statusCode !== 201) throw new Error(`asking failed: ${asked.body}`);
    inquiryId = asked.json().id;
  });
  afterAll(async () => t.close());

  // Each read path: who performs it, whose data it reads, and what the person must see.
  const READ_PATHS: {
    path: string;
    person: () => { personId: string; cookie: string };
    perform: () => Promise<{ statusCode: number }>;
    action: string;
    who: () => string;
    /** The exact purpose recorded, or a pattern where it carries a generated number. */
    purpose: () => string | RegExp;
  }[] = [
    {
      path: 'an officer opens the application (API)',
      person: () => wang,
      perform: () => get(`/api/v1/applications/${applicationId}`, shop.officer.cookie),
      action: 'personalData.read',
      who: () => '受理员',
      purpose: () => `application ${trackingNumber}`,
    },
    {
      path: 'an officer opens the application on the workbench',
      person: () => wang,
      perform: () => get(`/workbench/applications/${applicationId}`, shop.officer.cookie),
      action: 'personalData.read',
      who: () => '受理员',
      purpose: () => `application ${trackingNumber}`,
    },
    {
      path: 'an officer downloads an uploaded material',
      person: () => wang,
      perform: () => get(`/workbench/applications/${applicationId}/files/${fileId}`, shop.officer.cookie),
      action: 'files.read',
      who: () => '受理员',
      purpose: () => `material lease.png of application ${trackingNumber}`,
    },
    {
      path: "an approver reads the person's record with a purpose",
      person: () => wang,
      perform: () => get(`/api/v1/identity/persons/${wang.personId}?purpose=${encodeURIComponent(`核对 ${trackingNumber}`)}`, shop.officer.cookie),
      action: 'personalData.read',
      who: () => '受理员',
      purpose: () => `核对 ${trackingNumber}`,
    },
    {
      path: "an officer reads the person's certificate",
      person: () => wang,
      perform: () => get(`/api/v1/certificates/${certificateId}`, shop.officer.cookie),
      action: 'personalData.read',
      who: () => '受理员',
      purpose: () => /个体工商户营业执照/,
    },
    {
      path: 'an officer reads the contact details to call back a bad review',
      person: () => wang,
      perform: () => get(`/api/v1/rectifications/${rectificationId}/contact`, shop.officer.cookie),
      action: 'personalData.read',
      who: () => '受理员',
      purpose: () => `差评整改回访（办件 ${trackingNumber}）`,
    },
    {
      path: 'a supervisor opens the appeal against her review (her rating and words)',
      person: () => wang,
      perform: async () => {
        const appealed = await post(`/api/v1/rectifications/${rectificationId}/appeal`, shop.officer.cookie, { reason: '申请人当天未到窗口，评价与事实不符。' });
        if (appealed.statusCode !== 200) throw new Error(`appeal failed: ${appealed.body}`);
        const supervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000', name: '督查员' });
        return get(`/workbench/appeals/${rectificationId}`, supervisor.cookie);
      },
      action: 'evaluation.appealRead',
      who: () => '督查员',
      purpose: () => `appeal on application ${trackingNumber}`,
    },
    {
      path: "a department's system verifies the person's identity",
      person: () => wang,
      perform: () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/identity/verifications',
          headers: { authorization: `Bearer ${clientToken}` },
          payload: { name: wang.name, idNumber: wang.idNumber, purpose: '不动产登记 2026-0815' },
        }),
      action: 'identity.verification',
      who: () => '浦东新区不动产登记系统',
      purpose: () => '不动产登记 2026-0815',
    },
    {
      path: "a policy officer opens an enterprise's question (the asker's words)",
      person: () => company.representative,
      perform: () => get(`/api/v1/department/policy-inquiries/${inquiryId}`, policyOfficers.author.cookie),
      action: 'enterpriseData.read',
      who: () => '政策起草员',
      purpose: () => /^policy inquiry /,
    },
  ];

  const purposeMatches = (purpose: string | null, expected: string | RegExp) => (typeof expected === 'string' ? purpose === expected : expected.test(purpose ?? ''));
  /** The line each read path added, by path: the summary below finds each path's own line, not a look-alike. */
  const lineOf = new Map<string, string>();

  for (const row of READ_PATHS) {
    it(`lists it when ${row.path}`, async () => {
      const person = row.person();
      const before = await logOf(person.cookie);
      const response = await row.perform();
      expect(response.statusCode).toBe(200);
      const after = await logOf(person.cookie);
      const added = after.filter((entry) => !before.some((old) => old.cursor === entry.cursor));
      expect(added.length).toBeGreaterThanOrEqual(1);
      const entry = added.find((e) => e.action === row.action && purposeMatches(e.purpose, row.purpose()));
      expect(entry, `${row.path}: no ${row.action} for ${row.purpose()} in ${JSON.stringify(added)}`).toBeDefined();
      lineOf.set(row.path, entry!.cursor);
      expect(entry!.who).toContain(row.who());
      expect(entry!.outcome).toBe('success');
      // Purposes name what a person knows (the tracking number), never internal ids.
      for (const line of added) expect(line.purpose ?? '').not.toContain(applicationId);
      // Staff are named with their department, "department · officer".
      if (entry!.actorType === 'staff') expect(entry!.who).toMatch(/. · ./);
      // The same line is on the HTML page.
      const page = await get('/account', person.cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(entry!.who.replace(/·/g, '·'));
    });
  }

  it('shows every one of them to Wang, newest first, department and officer named, nothing of anyone else', async () => {
    const log = await logOf(wang.cookie, '?limit=100');
    for (const row of READ_PATHS.filter((r) => r.person() === wang)) {
      const line = log.find((entry) => entry.cursor === lineOf.get(row.path));
      expect(line, row.path).toBeDefined();
      expect(line!.action).toBe(row.action);
      expect(purposeMatches(line!.purpose, row.purpose()), `${row.path}: ${line!.purpose}`).toBe(true);
    }
    expect(log.every((entry) => !(entry.purpose ?? '').includes(applicationId) && !(entry.purpose ?? '').includes(fileId))).toBe(true);
    const times = log.map((entry) => Number(entry.cursor));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(log.some((entry) => entry.who.includes('政策起草员'))).toBe(false);
    expect(log.every((entry) => ['staff', 'admin', 'client'].includes(entry.actorType))).toBe(true);
    expect((await logOf(li.cookie)).length).toBe(0);
  });

  it('pages by keyset: the Link header continues exactly where the page ended', async () => {
    const all = await logOf(wang.cookie, '?limit=100');
    expect(all.length).toBeGreaterThan(4);
    const first = await get('/api/v1/identity/me/access-log?limit=3', wang.cookie);
    expect(first.json().map((e: Entry) => e.cursor)).toEqual(all.slice(0, 3).map((e) => e.cursor));
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
    expect(next).toContain('before=');
    const second = await get(next!, wang.cookie);
    expect(second.json().map((e: Entry) => e.cursor)).toEqual(all.slice(3, 6).map((e) => e.cursor));
    const last = await get(`/api/v1/identity/me/access-log?limit=100&before=${all.at(-1)!.cursor}`, wang.cookie);
    expect(last.json()).toEqual([]);
    expect(last.headers.link).toBeUndefined();
    expect((await get('/api/v1/identity/me/access-log?before=abc', wang.cookie)).statusCode).toBe(400);
  });

  it('renders the full page in Chinese and English as an accessible table with older pages linked', async () => {
    const zh = await get('/account/access-log', wang.cookie);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<caption class="table__caption">核验和查阅记录</caption>');
    expect(zh.body).toContain('<th scope="col">谁</th>');
    expect(zh.body).toContain('打开了申请材料');
    expect(zh.body).toContain('浦东新区不动产登记系统');
    const en = await t.app.inject({ method: 'GET', url: '/account/access-log?lang=en', headers: { cookie: wang.cookie } });
    expect(en.body).toContain('Opened an application material');
    expect(en.body).toContain('Verified the identity');
    const all = await logOf(wang.cookie, '?limit=100');
    if (all.length > 20) expect(zh.body).toContain(`/account/access-log?before=${all[19]!.cursor}`);
    const older = await get(`/account/access-log?before=${all[1]!.cursor}`, wang.cookie);
    expect(older.body.match(/<time /g)?.length).toBe(Math.min(20, all.length - 2));
    expect(older.body).toContain('最新记录');
  });

  it('shows a refused staff attempt as refused', async () => {
    const elsewhere = await departmentWithItem(t, { regionCode: '310104' });
    expect((await get(`/api/v1/certificates/${certificateId}`, elsewhere.officer.cookie)).statusCode).toBe(404);
    const [latest] = await logOf(wang.cookie);
    expect(latest).toMatchObject({ action: 'personalData.read', outcome: 'denied' });
    expect((await get('/account', wang.cookie)).body).toContain('（被拒绝）');

    // Another department's officer tries her application, its material and the rectification of her review:
    // each refusal is recorded against her, so she sees it (the officer learns nothing: 404 or 403).
    const refusedLines = async (perform: () => Promise<{ statusCode: number }>, status: number) => {
      const before = await logOf(wang.cookie);
      expect((await perform()).statusCode).toBe(status);
      return (await logOf(wang.cookie)).filter((entry) => !before.some((old) => old.cursor === entry.cursor));
    };
    const refusal = (action: string) => expect.objectContaining({ action, outcome: 'denied', who: expect.stringContaining('310104') });
    expect(await refusedLines(() => get(`/api/v1/applications/${applicationId}`, elsewhere.officer.cookie), 404)).toEqual([refusal('application.accessDenied')]);
    expect(await refusedLines(() => get(`/workbench/applications/${applicationId}/files/${fileId}`, elsewhere.officer.cookie), 404)).toEqual([
      refusal('files.read'),
      refusal('application.accessDenied'),
    ]);
    // The file asked for under another application of the officer's own choosing: refused, still hers.
    expect(await refusedLines(() => get(`/workbench/applications/${applicationId.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}/files/${fileId}`, shop.officer.cookie), 404)).toEqual([
      expect.objectContaining({ action: 'files.read', outcome: 'denied' }),
    ]);
    expect(await refusedLines(() => get(`/api/v1/rectifications/${rectificationId}`, elsewhere.officer.cookie), 403)).toEqual([refusal('evaluation.rectificationRead')]);
  });

  it("records a failed verification with her ID number and a wrong name against her, and tells the caller only 'no match'", async () => {
    const before = await logOf(wang.cookie);
    const verify = (name: string, idNumber: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/identity/verifications', headers: { authorization: `Bearer ${clientToken}` }, payload: { name, idNumber, purpose: '核验 2026-0901' } });
    const wrongName = await verify('王小芳', wang.idNumber);
    expect(wrongName.json()).toEqual({ match: false });
    const [line] = await logOf(wang.cookie);
    expect(before.some((old) => old.cursor === line!.cursor)).toBe(false);
    expect(line).toMatchObject({ action: 'identity.verification', outcome: 'failure', who: expect.stringContaining('浦东新区不动产登记系统'), purpose: '核验 2026-0901' });
    expect((await get('/account', wang.cookie)).body).toContain('（未成功）');
    // Li's ID number with Wang's name: hers, not Wang's.
    const liBefore = (await logOf(li.cookie)).length;
    expect((await verify(wang.name, li.idNumber)).json()).toEqual({ match: false });
    expect(await logOf(li.cookie)).toHaveLength(liBefore + 1);
  });

  it('holds a person who chose a second factor to it on the API too', async () => {
    const zhou = await verifiedPerson(t, '周敏');
    const enrolment = (await post('/api/v1/identity/me/totp', zhou.cookie)).json() as { secret: string };
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) }).generate({ timestamp: t.clock.now().getTime() });
    expect((await post('/api/v1/identity/me/totp/confirm', zhou.cookie, { code })).statusCode).toBe(200);
    const passwordOnly = await logIn(t, zhou.phone, 'long-enough-password-2026');
    const held = await get('/api/v1/identity/me/access-log', passwordOnly);
    expect(held.statusCode).toBe(403);
    expect(held.json().code).toBe('mfaRequired');
  });

  it("shows an administrator's export of the trail about her by name", async () => {
    const auditor = await staffSession(t, { roles: ['auditor'], departmentId: shop.department.id, name: '审计员' });
    const csv = await get(`/api/v1/admin/audit-events.csv?subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('投诉 2026-077')}`, auditor.cookie);
    expect(csv.statusCode).toBe(200);
    expect((await logOf(wang.cookie))[0]).toMatchObject({ action: 'audit.exported', purpose: '投诉 2026-077' });
    const page = await get('/account/access-log', wang.cookie);
    expect(page.body).toContain('导出了与此有关的审计记录');
    expect((await get('/account/access-log?lang=en', wang.cookie)).body).toContain('Exported audit trail records about this');
  });

  describe("the enterprise's page", () => {
    it('lists staff reads of its records for its legal representative', async () => {
      const log = (await get(`/api/v1/enterprises/${company.id}/access-log`, company.representative.cookie)).json() as Entry[];
      expect(log).toEqual([expect.objectContaining({ action: 'enterpriseData.read', who: expect.stringContaining('政策起草员'), purpose: expect.stringContaining('policy inquiry') })]);
      const page = await get(`/enterprises/${company.id}/access-log`, company.representative.cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('政策起草员');
      expect(page.body).toContain('查阅了企业提交的信息');
      expect((await get('/enterprises', company.representative.cookie)).body).toContain(`/enterprises/${company.id}/access-log`);
    });

    it('is shown to nobody who may not act for the enterprise', async () => {
      expect((await get(`/api/v1/enterprises/${company.id}/access-log`, li.cookie)).statusCode).toBe(404);
      expect((await get(`/enterprises/${company.id}/access-log`, li.cookie)).statusCode).toBe(404);
      expect((await get(`/api/v1/enterprises/${company.id}/access-log`, shop.officer.cookie)).statusCode).toBe(403);
      const other = await enterpriseWithFacts(t, { region: '310115', industry: '6513' });
      expect((await get(`/api/v1/enterprises/${company.id}/access-log`, other.representative.cookie)).statusCode).toBe(404);
      expect((await get(`/api/v1/enterprises/${other.id}/access-log`, other.representative.cookie)).json()).toEqual([]);
    });

    it("leaves reads of the enterprise's applications out for an agent without the applications scope", async () => {
      // A read of one of the enterprise's applications (the path itself is in the table above, for persons).
      await t.platform.audit.record({
        action: 'personalData.read',
        actor: { type: 'staff', id: shop.officer.staffId },
        subjectEnterpriseId: company.id,
        purpose: 'application 310115-20260302-ZZ99',
        detail: { applicationId: 'app-of-company', fields: ['form', 'materials'] },
      });
      const grant = async (name: string, scopes: string[]) => {
        const agent = await verifiedPerson(t, name);
        const granted = await post(`/api/v1/enterprises/${company.id}/agents`, company.representative.cookie, { name: agent.name, idNumber: agent.idNumber, scopes, expiresOn: '2026-12-31' });
        expect(granted.statusCode).toBe(201);
        return agent;
      };
      const actions = async (cookie: string) => ((await get(`/api/v1/enterprises/${company.id}/access-log`, cookie)).json() as Entry[]).map((e) => `${e.action} ${e.purpose}`);
      const everything = await actions(company.representative.cookie);
      expect(everything).toContain('personalData.read application 310115-20260302-ZZ99');
      expect(await actions((await grant('钱经办', ['applications'])).cookie)).toEqual(everything);
      const policiesOnly = await actions((await grant('孙经办', ['policies'])).cookie);
      expect(policiesOnly).toEqual(everything.filter((line) => !line.includes('310115-20260302-ZZ99')));
      expect(policiesOnly.some((line) => line.startsWith('enterpriseData.read'))).toBe(true);
    });

    it("leaves the enterprise's credit events out for an agent without the credit scope", async () => {
      await t.platform.audit.record({ action: 'credit.read', actor: { type: 'staff', id: shop.officer.staffId }, subjectEnterpriseId: company.id, purpose: 'credit standing for application 310115-20260302-ZZ98' });
      const agentWith = async (name: string, scopes: string[]) => {
        const agent = await verifiedPerson(t, name);
        expect((await post(`/api/v1/enterprises/${company.id}/agents`, company.representative.cookie, { name: agent.name, idNumber: agent.idNumber, scopes, expiresOn: '2026-12-31' })).statusCode).toBe(201);
        return agent.cookie;
      };
      const actions = async (cookie: string) => ((await get(`/api/v1/enterprises/${company.id}/access-log`, cookie)).json() as Entry[]).map((e) => `${e.action} ${e.purpose}`);
      const everything = await actions(company.representative.cookie);
      expect(everything).toContain('credit.read credit standing for application 310115-20260302-ZZ98');
      expect(await actions(await agentWith('周经办', ['applications', 'credit']))).toEqual(everything);
      expect(await actions(await agentWith('吴经办', ['applications']))).toEqual(everything.filter((line) => !line.startsWith('credit.')));
    });

    it('is shown to a live agent, and no longer once the agency is revoked', async () => {
      const agent = await verifiedPerson(t, '赵经办');
      const granted = await post(`/api/v1/enterprises/${company.id}/agents`, company.representative.cookie, {
        name: agent.name,
        idNumber: agent.idNumber,
        scopes: ['applications'],
        expiresOn: '2026-12-31',
      });
      expect(granted.statusCode).toBe(201);
      expect((await get(`/api/v1/enterprises/${company.id}/access-log`, agent.cookie)).statusCode).toBe(200);
      const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/enterprises/${company.id}/agents/${granted.json().id}`, headers: { cookie: company.representative.cookie } });
      expect(revoked.statusCode).toBe(204);
      expect((await get(`/api/v1/enterprises/${company.id}/access-log`, agent.cookie)).statusCode).toBe(403);
    });
  });

  it('keeps the audit chain intact through all of it', async () => {
    expect((await t.platform.audit.verify()).ok).toBe(true);
  });
});
