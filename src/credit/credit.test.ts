import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedPerson } from '../applications/testing.js';
import { staffSession } from '../identity/testing.js';
import { enterpriseWithFacts } from '../policies/testing.js';
import type { PublicLookup, RecordView, SubjectRecords } from './schema.js';
import { createCreditTestApp, creditDepartment, departmentToken, penaltyReport, testUscc } from './testing.js';

type CreditTestApp = Awaited<ReturnType<typeof createCreditTestApp>>;

let t: CreditTestApp['t'];
let services: CreditTestApp['services'];
let market: CreditTestApp['market'];
let token: string;
let report: CreditTestApp['report'];

const lookup = async (q: string) => (await t.app.inject({ url: `/api/v1/credit/lookup?q=${encodeURIComponent(q)}` })).json() as PublicLookup;

beforeAll(async () => {
  ({ t, services, market, token, report } = await createCreditTestApp());
});

afterAll(async () => {
  await t?.close();
});

describe('standing and broken commitments (the two methods applications use)', () => {
  it('an enterprise without records is in good standing and may commit', async () => {
    const standing = await services.credit.standing({ kind: 'enterprise', uscc: testUscc() });
    expect(standing).toMatchObject({ status: 'good', listed: false, mayCommit: true, counts: { licences: 0, penalties: 0, honours: 0, commitmentsKept: 0, commitmentsBroken: 0 } });
    expect(standing.asOf).toBe('2026-03-02T02:00:00.000Z');
  });

  it('a broken commitment of a person becomes a record of the deciding department, once, and the person loses good standing', async () => {
    const person = await verifiedPerson(t, '孙承诺');
    const input = {
      subject: { kind: 'person' as const, personId: person.personId },
      subjectName: person.name,
      departmentId: market.department.id,
      applicationId: 'app-1',
      trackingNumber: 'TB202603020001',
      materialKey: 'leaseContract',
      reason: '承诺已取得场地使用权，核查发现租赁合同不存在。',
      decidedOn: '2026-03-02',
      actor: { staffId: market.officer.staffId, label: '测试市场监管局 · 信用专员' },
    };
    const first = await t.platform.db.transaction().execute((tx) => services.credit.recordBrokenCommitment(tx, input));
    const again = await t.platform.db.transaction().execute((tx) => services.credit.recordBrokenCommitment(tx, input));
    expect(again.recordId).toBe(first.recordId);
    const standing = await t.platform.db.transaction().execute((tx) => services.credit.standing({ kind: 'person', personId: person.personId }, tx));
    expect(standing).toMatchObject({ status: 'caution', listed: false, mayCommit: false, counts: { commitmentsBroken: 1 } });

    const mine = (await t.app.inject({ url: '/api/v1/credit/me', headers: { cookie: person.cookie } })).json() as SubjectRecords;
    expect(mine.records).toHaveLength(1);
    expect(mine.records[0]).toMatchObject({ category: 'commitmentBroken', departmentId: market.department.id, applicationId: 'app-1', documentNumber: 'TB202603020001/leaseContract', source: 'application' });
  });

  it('a broken commitment of an enterprise counts against the enterprise by USCC', async () => {
    const uscc = testUscc();
    await t.platform.db.transaction().execute((tx) =>
      services.credit.recordBrokenCommitment(tx, {
        subject: { kind: 'enterprise', uscc },
        subjectName: '上海承诺测试有限公司',
        departmentId: market.department.id,
        applicationId: 'app-2',
        trackingNumber: 'TB202603020002',
        materialKey: 'licence',
        reason: '承诺材料不实',
        decidedOn: '2026-03-02',
        actor: { staffId: market.officer.staffId, label: 'x · y' },
      }),
    );
    expect(await services.credit.standing({ kind: 'enterprise', uscc })).toMatchObject({ status: 'caution', mayCommit: false, counts: { commitmentsBroken: 1 } });
  });
});

describe('departments report through the API with client credentials', () => {
  it('needs a client token with the credit:report scope', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/credit/records', payload: penaltyReport(testUscc()) })).statusCode).toBe(401);
    const plain = await departmentToken(t, market.department.id, []);
    expect((await report(penaltyReport(testUscc()), plain)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/credit/records', headers: { cookie: market.officer.cookie }, payload: penaltyReport(testUscc()) })).statusCode).toBe(401);
  });

  it('is idempotent by department and document number; a different report under the same number is 409', async () => {
    const body = penaltyReport(testUscc());
    const first = await report(body);
    expect(first.statusCode).toBe(201);
    const again = await report(body);
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
    expect(again.json().record.id).toBe(first.json().record.id);
    const changed = await report({ ...body, content: '另一件事' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('documentNumberTaken');
  });

  it('names every wrong field, with Chinese and English messages', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credit/records?lang=en',
      headers: { authorization: `Bearer ${token}` },
      payload: { ...penaltyReport('91310115MA1K4XXXX0'), decidedOn: '2026-02-30', severity: 'serious' },
    });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().errors as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/subject/uscc', '/decidedOn']));
  });

  it('reports a person by name and resident ID number, found through identity, with the number sealed', async () => {
    const person = await verifiedPerson(t, '钱处罚');
    const response = await report({ ...penaltyReport(''), subject: { kind: 'person', name: person.name, idNumber: person.idNumber } });
    expect(response.statusCode).toBe(201);
    const record = response.json().record as RecordView;
    expect(record.subjectKind).toBe('person');
    expect(record.idNumberMasked).not.toContain(person.idNumber.slice(6, 14));
    const stored = await services.credit.store.recordById(record.id);
    expect(stored!.idNumberEnc).not.toContain(person.idNumber);
    expect(stored!.personId).toBe(person.personId);
    const unknown = await report({ ...penaltyReport(''), subject: { kind: 'person', name: '不存在', idNumber: person.idNumber } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('/subject/idNumber');
  });

  it('records every lookup of a person as an identity verification they see, and looks up nobody for a report wrong elsewhere', async () => {
    const person = await verifiedPerson(t, '孙核验');
    const verifications = async () => (await t.platform.audit.forPerson(person.personId, ['identity.verification'])).map((e) => [e.outcome, e.actorType]);
    // A report with another field wrong says nothing about the person, and looks nobody up.
    const probe = await report({ ...penaltyReport(''), decidedOn: '2099-01-01', subject: { kind: 'person', name: '不是本人', idNumber: person.idNumber } });
    expect(probe.statusCode).toBe(400);
    expect(probe.json().errors.map((e: { field: string }) => e.field)).toEqual(['/decidedOn']);
    expect(await verifications()).toEqual([]);
    // Otherwise right: the failed match is recorded against the person, then the real one.
    expect((await report({ ...penaltyReport(''), subject: { kind: 'person', name: '不是本人', idNumber: person.idNumber } })).statusCode).toBe(400);
    expect((await report({ ...penaltyReport(''), subject: { kind: 'person', name: person.name, idNumber: person.idNumber } })).statusCode).toBe(201);
    expect((await verifications()).sort()).toEqual([['failure', 'client'], ['success', 'client']]);
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/identity/me/access-log', headers: { cookie: person.cookie } });
    expect((log.json() as { action: string }[]).filter((e) => e.action === 'identity.verification')).toHaveLength(2);
  });

  it('refuses dates after 2099 (a "no end" placeholder such as 9999-12-31), asking for an empty end instead', async () => {
    const uscc = testUscc();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credit/records?lang=en',
      headers: { authorization: `Bearer ${token}` },
      payload: { ...penaltyReport(uscc), category: 'licence', severity: undefined, effectiveTo: '9999-12-31' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/effectiveTo', message: expect.stringContaining('leave "effective to" empty') })]);
    const listing = await report({ ...penaltyReport(uscc), category: 'listing', severity: undefined, effectiveFrom: '9998-06-01' });
    expect(listing.statusCode).toBe(400);
    expect(listing.json().errors.map((e: { field: string }) => e.field)).toEqual(['/effectiveFrom']);
  });
});

describe('the public lookup', () => {
  it('finds an enterprise by USCC and by part of its name, and never shows persons', async () => {
    const uscc = testUscc();
    await report(penaltyReport(uscc, { subject: { kind: 'enterprise', uscc, name: '上海查询样例贸易有限公司' } }));
    const byCode = await lookup(uscc.toLowerCase());
    expect(byCode.subjects.map((s) => s.uscc)).toEqual([uscc]);
    const byName = await lookup('查询样例');
    expect(byName.subjects.map((s) => s.name)).toEqual(['上海查询样例贸易有限公司']);
    expect((await lookup('钱处罚')).subjects).toEqual([]);
  });

  it('takes LIKE wildcards, quotes and backslashes in a name literally, and refuses a one-character query', async () => {
    for (const q of ['%%', '__', "上海'", '\\\\', '查询%样例']) {
      const response = await t.app.inject({ url: `/api/v1/credit/lookup?q=${encodeURIComponent(q)}` });
      expect(response.statusCode, q).toBe(200);
      expect((response.json() as PublicLookup).subjects, q).toEqual([]);
    }
    expect((await t.app.inject({ url: '/api/v1/credit/lookup?q=a' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/credit?q=a', headers: { accept: 'text/html' } })).statusCode).toBe(400);
  });

  it('never shows a field the department did not publish, in JSON or HTML (property)', async () => {
    const fields = ['title', 'content', 'legalBasis', 'documentNumber'] as const;
    await fc.assert(
      fc.asyncProperty(fc.subarray([...fields, 'effectiveFrom', 'effectiveTo'] as const), async (published) => {
        const uscc = testUscc();
        const marker = (field: string) => `秘${field}${uscc.slice(8, 16)}`;
        const body = penaltyReport(uscc, {
          subject: { kind: 'enterprise', uscc, name: `上海公示属性${uscc.slice(10, 16)}有限公司` },
          title: marker('title'),
          content: marker('content'),
          legalBasis: marker('legalBasis'),
          documentNumber: marker('documentNumber'),
          effectiveFrom: '2026-03-01',
          effectiveTo: '2026-03-02',
          publicFields: [...published],
        });
        expect((await report(body)).statusCode).toBe(201);
        const json = (await t.app.inject({ url: `/api/v1/credit/lookup?q=${uscc}` })).body;
        const html = (await t.app.inject({ url: `/credit?q=${uscc}`, headers: { accept: 'text/html' } })).body;
        for (const field of fields) {
          const shown = (published as readonly string[]).includes(field);
          expect(json.includes(marker(field))).toBe(shown);
          expect(html.includes(marker(field))).toBe(shown);
        }
        expect(json.includes('2026-03-01')).toBe((published as readonly string[]).includes('effectiveFrom'));
      }),
      { numRuns: 12 },
    );
  });
});

describe('staff read full records, audited, with least privilege', () => {
  it("an officer sees only their department's records; a supervisor of the region sees all; others are refused; every read is audited", async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false }, { name: '上海审计样例有限公司' });
    await report(penaltyReport(enterprise.uscc));
    const other = await creditDepartment(t);
    const otherToken = await departmentToken(t, other.department.id);
    await report(penaltyReport(enterprise.uscc, { category: 'honour', title: '守合同重信用企业' }), otherToken);

    const read = (cookie: string, purpose = '办件 TB1 审核') =>
      t.app.inject({ url: `/api/v1/credit/records?uscc=${enterprise.uscc}&purpose=${encodeURIComponent(purpose)}`, headers: { cookie } });
    const own = (await read(market.officer.cookie)).json() as SubjectRecords;
    expect(own.records.map((r) => r.departmentId)).toEqual([market.department.id]);
    const supervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
    expect(((await read(supervisor.cookie)).json() as SubjectRecords).records).toHaveLength(2);
    const farSupervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '440000' });
    expect((await read(farSupervisor.cookie)).statusCode).toBe(403);
    const editor = await staffSession(t, { roles: ['catalogEditor'] });
    expect((await read(editor.cookie)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/v1/credit/records?uscc=${enterprise.uscc}&purpose=`, headers: { cookie: market.officer.cookie } })).statusCode).toBe(400);

    const events = await t.platform.db.selectFrom('auditEvents').selectAll().where('action', '=', 'credit.read').where('subjectEnterpriseId', '=', enterprise.id).execute();
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.purpose === '办件 TB1 审核' && e.actorType === 'staff')).toBe(true);
    expect(events[0]!.actorLabel).toContain('·');
  });

  it("a staff read of a person's records is on the person's audit trail with the purpose", async () => {
    const person = await verifiedPerson(t, '李被查');
    await report({ ...penaltyReport(''), subject: { kind: 'person', name: person.name, idNumber: person.idNumber } });
    const response = await t.app.inject({ url: `/api/v1/credit/records?personId=${person.personId}&purpose=${encodeURIComponent('核查')}`, headers: { cookie: market.officer.cookie } });
    expect(response.statusCode).toBe(200);
    const events = await t.platform.audit.forPerson(person.personId, ['credit.read']);
    expect(events.map((e) => e.purpose)).toEqual(['核查']);
  });

  it("an enterprise's agents see its records; strangers do not", async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海自查样例有限公司' });
    await report(penaltyReport(enterprise.uscc));
    const own = await t.app.inject({ url: `/api/v1/enterprises/${enterprise.id}/credit`, headers: { cookie: enterprise.representative.cookie } });
    expect((own.json() as SubjectRecords).records).toHaveLength(1);
    const stranger = await verifiedPerson(t, '路人甲');
    expect((await t.app.inject({ url: `/api/v1/enterprises/${enterprise.id}/credit`, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
  });
});
