import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedPerson } from '../applications/testing.js';
import { staffSession } from '../identity/testing.js';
import { enterpriseWithFacts } from '../policies/testing.js';
import { parseCsvLines } from '../reference/industries.js';
import type { ImportResult, PublicLookup, SubjectRecords } from './schema.js';
import { createCreditTestApp, creditDepartment, csvRow, CSV_HEADER, departmentToken, penaltyReport, testUscc } from './testing.js';

/*
 * Concurrency, audit and publicity cases found in review. On PostgreSQL the Promise.all cases run
 * truly concurrently (several pooled connections); on SQLite they are serialised and must agree.
 */

type CreditTestApp = Awaited<ReturnType<typeof createCreditTestApp>>;

let t: CreditTestApp['t'];
let services: CreditTestApp['services'];
let market: CreditTestApp['market'];
let token: string;
let report: CreditTestApp['report'];

const lookup = async (q: string) => (await t.app.inject({ url: `/api/v1/credit/lookup?q=${encodeURIComponent(q)}` })).json() as PublicLookup;
const factOf = async (uscc: string) => await t.platform.db.selectFrom('enterpriseFacts').select(['untrustworthy', 'updatedAt']).where('uscc', '=', uscc).executeTakeFirstOrThrow();
const importCsv = (csv: string, bearer = token) => t.app.inject({ method: 'POST', url: '/api/v1/credit/imports', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/csv' }, payload: csv });
const applyRepair = (cookie: string, recordId: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/credit/records/${recordId}/repairs`, headers: { cookie }, payload: { reason: '已整改完毕。', evidence: '整改报告及缴款凭证。' } });
const decide = (cookie: string, repairId: string, decision: 'approved' | 'rejected' = 'approved') =>
  t.app.inject({ method: 'POST', url: `/api/v1/credit/repairs/${repairId}/decision`, headers: { cookie }, payload: { decision, reason: '符合修复条件。' } });
const creditReads = (where: { subjectEnterpriseId: string } | { subjectPersonId: string }) => {
  const query = t.platform.db.selectFrom('auditEvents').selectAll().where('action', '=', 'credit.read');
  return ('subjectEnterpriseId' in where ? query.where('subjectEnterpriseId', '=', where.subjectEnterpriseId) : query.where('subjectPersonId', '=', where.subjectPersonId)).execute();
};

beforeAll(async () => {
  ({ t, services, market, token, report } = await createCreditTestApp());
});

afterAll(async () => {
  await t?.close();
});

describe('staff reading records to review repairs is audited', () => {
  it('the repair queue audits one read per subject shown, the application page another, the decision carries the purpose; the subjects see them', async () => {
    const department = await creditDepartment(t);
    const departmentBearer = await departmentToken(t, department.department.id);
    const person = await verifiedPerson(t, '吴修复');
    const enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海修复审核样例有限公司' });
    const personRecord = (await report({ ...penaltyReport(''), subject: { kind: 'person', name: person.name, idNumber: person.idNumber }, decidedOn: '2025-10-01' }, departmentBearer)).json().record as { id: string };
    const first = (await report(penaltyReport(enterprise.uscc, { decidedOn: '2025-10-01' }), departmentBearer)).json().record as { id: string };
    const second = (await report(penaltyReport(enterprise.uscc, { decidedOn: '2025-11-01' }), departmentBearer)).json().record as { id: string };
    const personRepair = (await applyRepair(person.cookie, personRecord.id)).json() as { id: string };
    expect((await applyRepair(enterprise.representative.cookie, first.id)).statusCode).toBe(201);
    expect((await applyRepair(enterprise.representative.cookie, second.id)).statusCode).toBe(201);
    expect(await creditReads({ subjectPersonId: person.personId })).toHaveLength(0);

    const queue = await t.app.inject({ url: '/api/v1/credit/repairs', headers: { cookie: department.officer.cookie } });
    expect((queue.json() as unknown[]).length).toBe(3);
    const personReads = await creditReads({ subjectPersonId: person.personId });
    expect(personReads).toHaveLength(1);
    expect(personReads[0]!.purpose).toContain('信用修复');
    expect(personReads[0]!.actorLabel).toContain('·');
    const enterpriseReads = await creditReads({ subjectEnterpriseId: enterprise.id });
    expect(enterpriseReads).toHaveLength(1); // one entry for the subject, naming both applications
    expect(JSON.parse(enterpriseReads[0]!.detail)).toMatchObject({ records: 2, uscc: enterprise.uscc });

    const page = await t.app.inject({ url: `/workbench/credit/repairs/${personRepair.id}`, headers: { accept: 'text/html', cookie: department.officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(await creditReads({ subjectPersonId: person.personId })).toHaveLength(2);

    expect((await decide(department.officer.cookie, personRepair.id)).statusCode).toBe(200);
    const decided = await t.platform.audit.forPerson(person.personId, ['credit.repairDecided']);
    expect(decided.map((e) => e.purpose)).toEqual([personReads[0]!.purpose]);
    const seen = await t.platform.audit.accessesOf({ personId: person.personId }, { limit: 20 });
    expect(seen.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['credit.read', 'credit.repairDecided']));
  });
});

describe('least privilege on the standing', () => {
  it('an officer of one issuing department gets the status without counts; a supervisor of the region gets the counts', async () => {
    const uscc = testUscc();
    await report(penaltyReport(uscc));
    const other = await creditDepartment(t);
    await report(penaltyReport(uscc, { category: 'honour' }), await departmentToken(t, other.department.id));
    const read = (cookie: string) => t.app.inject({ url: `/api/v1/credit/records?uscc=${uscc}&purpose=${encodeURIComponent('核查')}`, headers: { cookie } });
    const officer = (await read(other.officer.cookie)).json() as SubjectRecords;
    expect(officer.standing).toEqual({ status: 'caution', listed: false, mayCommit: false, asOf: expect.any(String) });
    expect(officer.records.map((r) => r.category)).toEqual(['honour']);
    const supervisor = await staffSession(t, { roles: ['supervisor'], regionCode: '310000' });
    const full = (await read(supervisor.cookie)).json() as SubjectRecords;
    expect(full.standing.counts).toEqual({ licences: 0, penalties: 1, honours: 1, commitmentsKept: 0, commitmentsBroken: 0 });
  });
});

describe('concurrent writes (PostgreSQL runs these in parallel)', () => {
  it('recording the same broken commitment twice at once makes one record, without an error', async () => {
    const uscc = testUscc();
    const input = {
      subject: { kind: 'enterprise' as const, uscc },
      subjectName: '上海并发承诺有限公司',
      departmentId: market.department.id,
      applicationId: 'app-race',
      trackingNumber: 'TB202603029999',
      materialKey: 'siteProof',
      reason: '承诺不实',
      decidedOn: '2026-03-02',
      actor: { staffId: market.officer.staffId, label: 'x · y' },
    };
    const results = await Promise.all([1, 2, 3].map(() => t.platform.db.transaction().execute((tx) => services.credit.recordBrokenCommitment(tx, input))));
    expect(new Set(results.map((r) => r.recordId)).size).toBe(1);
    expect((await services.credit.standing({ kind: 'enterprise', uscc })).counts.commitmentsBroken).toBe(1);
  });

  it('two imports of the same rows in opposite orders do not deadlock: one imports, the other finds them unchanged', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => csvRow(testUscc(), `RACE-IMP-${i}`));
    const [a, b] = await Promise.all([importCsv(`${CSV_HEADER}\n${rows.join('\n')}\n`), importCsv(`${CSV_HEADER}\n${[...rows].reverse().join('\n')}\n`)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const results = [a.json(), b.json()] as ImportResult[];
    expect(results.map((r) => r.imported).sort()).toEqual([0, 30]);
    expect(results.map((r) => r.unchanged).sort()).toEqual([0, 30]);
  });

  it('a new listing written while another listing of the same enterprise is repaired leaves the enterprise untrustworthy', async () => {
    for (let round = 0; round < 4; round++) {
      const enterprise = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false });
      const old = (await report(penaltyReport(enterprise.uscc, { category: 'listing', decidedOn: '2025-01-01', effectiveFrom: '2025-01-01', effectiveTo: '2027-12-31' }))).json().record as { id: string };
      expect((await factOf(enterprise.uscc)).untrustworthy).toBe(1);
      const repair = (await applyRepair(enterprise.representative.cookie, old.id)).json() as { id: string };
      const [decided, added] = await Promise.all([
        decide(market.officer.cookie, repair.id),
        report(penaltyReport(enterprise.uscc, { category: 'listing', decidedOn: '2026-03-01', effectiveFrom: '2026-03-01' })),
      ]);
      expect([decided.statusCode, added.statusCode]).toEqual([200, 201]);
      expect((await factOf(enterprise.uscc)).untrustworthy).toBe(1);
      expect((await services.credit.standing({ kind: 'enterprise', uscc: enterprise.uscc })).listed).toBe(true);
    }
  });

  it('an application for repair racing the approval of the pending one never lands on a repaired record', async () => {
    for (let round = 0; round < 3; round++) {
      const enterprise = await enterpriseWithFacts(t, { region: '310115' });
      const record = (await report(penaltyReport(enterprise.uscc, { decidedOn: '2025-10-01' }))).json().record as { id: string };
      const pending = (await applyRepair(enterprise.representative.cookie, record.id)).json() as { id: string };
      const [decided, again] = await Promise.all([decide(market.officer.cookie, pending.id), applyRepair(enterprise.representative.cookie, record.id)]);
      expect(decided.statusCode).toBe(200);
      expect(again.statusCode).toBe(409);
      expect(['repairPending', 'alreadyRepaired']).toContain(again.json().code);
      const repairs = await t.platform.db.selectFrom('creditRepairs').select('status').where('recordId', '=', record.id).execute();
      expect(repairs.map((r) => r.status)).toEqual(['approved']);
    }
  });
});

describe('the public lookup groups by enterprise', () => {
  it('shows every public record of each enterprise, limits enterprises rather than records, and says when there are more', async () => {
    const big = testUscc();
    const many = Array.from({ length: 205 }, (_, i) => csvRow(big, `BIG-${i}`, { subjectName: '上海分组样例大户有限公司' }));
    expect((await importCsv(`${CSV_HEADER}\n${many.join('\n')}\n`)).statusCode).toBe(200);
    const byCode = await lookup(big);
    expect(byCode.subjects).toHaveLength(1);
    expect(byCode.subjects[0]!.records).toHaveLength(205);
    expect(byCode.more).toBe(false);

    const others = Array.from({ length: 50 }, (_, i) => csvRow(testUscc(), `GROUP-${i}`, { subjectName: `上海分组样例${i}号有限公司` }));
    expect((await importCsv(`${CSV_HEADER}\n${others.join('\n')}\n`)).statusCode).toBe(200);
    const byName = await lookup('分组样例');
    expect(byName.subjects).toHaveLength(50);
    expect(byName.more).toBe(true);
    for (const subject of byName.subjects) expect(subject.records).toHaveLength(subject.uscc === big ? 205 : 1);
  });

  it('matches a Latin name regardless of case, on both databases', async () => {
    const uscc = testUscc();
    await report(penaltyReport(uscc, { subject: { kind: 'enterprise', uscc, name: 'Shanghai ACME Trading 有限公司' } }));
    expect((await lookup('acme trading')).subjects.map((s) => s.uscc)).toEqual([uscc]);
    expect((await lookup('ACME TRADING')).subjects.map((s) => s.uscc)).toEqual([uscc]);
  });
});

describe('CSV rows are named by their line in the file', () => {
  it('parseCsvLines gives the line each record starts on, after blank lines and quoted line breaks', () => {
    expect(parseCsvLines('h1,h2\r\n\r\na,"two\r\nlines"\n\nb,c')).toEqual([
      { line: 1, cells: ['h1', 'h2'] },
      { line: 3, cells: ['a', 'two\r\nlines'] },
      { line: 6, cells: ['b', 'c'] },
    ]);
  });

  it('an import names the line of the wrong row after a blank line and a multi-line cell', async () => {
    const uscc = testUscc();
    const csv = `${CSV_HEADER}\n\n${csvRow(uscc, 'LINE-1', { content: '"第一行\n第二行"' })}\n${csvRow(uscc, 'LINE-2', { decidedOn: '2026-13-01' })}\n`;
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(422);
    expect((response.json() as ImportResult).errors.map((e) => [e.row, e.field])).toEqual([[5, 'decidedOn']]);
  });
});

describe('listings and licences by the calendar (clock moves; last)', () => {
  it('a listing reported after it ended does not touch the untrustworthy fact', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115', untrustworthy: true });
    const before = await factOf(enterprise.uscc);
    const response = await report(penaltyReport(enterprise.uscc, { category: 'listing', decidedOn: '2020-01-10', effectiveFrom: '2020-01-10', effectiveTo: '2022-12-31' }));
    expect(response.statusCode).toBe(201);
    expect(await factOf(enterprise.uscc)).toEqual(before);
  });

  it('the minimum period before repairing a listing counts from the day it took effect', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115' });
    const listing = (await report(penaltyReport(enterprise.uscc, { category: 'listing', decidedOn: '2025-01-01', effectiveFrom: '2025-06-01' }))).json().record as { id: string; repairableFrom: string };
    expect(listing.repairableFrom).toBe('2026-06-01');
    const early = await applyRepair(enterprise.representative.cookie, listing.id);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('repairTooEarly');
  });

  it('a licence and a listing are public from the day they take effect, not the day they were decided', async () => {
    const uscc = testUscc();
    await report(penaltyReport(uscc, { category: 'licence', title: '食品经营许可证', decidedOn: '2026-03-01', effectiveFrom: '2026-04-01' }));
    await report(penaltyReport(uscc, { category: 'listing', decidedOn: '2026-03-01', effectiveFrom: '2026-04-01' }));
    await report(penaltyReport(uscc, { category: 'honour', decidedOn: '2026-03-01', effectiveFrom: '2026-04-01' }));
    expect((await lookup(uscc)).subjects.flatMap((s) => s.records.map((r) => r.category))).toEqual(['honour']);
    t.clock.set('2026-04-01T02:00:00Z');
    try {
      const later = await lookup(uscc);
      expect(later.subjects.flatMap((s) => s.records.map((r) => r.category)).sort()).toEqual(['honour', 'licence', 'listing']);
      expect(later.subjects[0]!.listed).toBe(true);
    } finally {
      t.clock.set('2026-03-02T02:00:00Z');
    }
  });
});
