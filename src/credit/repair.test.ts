import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgain, staffSignInAgain } from '../applications/testing.js';
import { publishPolicies } from '../policies/loop/testing.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../policies/testing.js';
import { TINY_PNG } from '../applications/testing.js';
import type { PublicLookup } from './schema.js';
import { createCreditTestApp, creditDepartment, penaltyReport } from './testing.js';

type CreditTestApp = Awaited<ReturnType<typeof createCreditTestApp>>;

let t: CreditTestApp['t'];
let services: CreditTestApp['services'];
let market: CreditTestApp['market'];
let report: CreditTestApp['report'];

const publicRecords = async (uscc: string) => ((await t.app.inject({ url: `/api/v1/credit/lookup?q=${uscc}` })).json() as PublicLookup).subjects.flatMap((s) => s.records);
const factOf = async (uscc: string) => await t.platform.db.selectFrom('enterpriseFacts').select(['untrustworthy', 'updatedAt']).where('uscc', '=', uscc).executeTakeFirstOrThrow();

beforeAll(async () => {
  ({ t, services, market, report } = await createCreditTestApp());
});

afterAll(async () => {
  await t?.close();
});

describe('credit repair', () => {
  it('a general penalty is repairable after three months; the approved repair removes it from public view; without repair it leaves after a year', async () => {
    const repaired = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false }, { name: '上海修复样例有限公司' });
    const unrepaired = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false }, { name: '上海未修复样例有限公司' });
    const penalty = (await report(penaltyReport(repaired.uscc))).json().record as { id: string };
    await report(penaltyReport(unrepaired.uscc));
    expect(await publicRecords(repaired.uscc)).toHaveLength(1);

    const apply = (cookie: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/credit/records/${penalty.id}/repairs`, headers: { cookie }, payload: { reason: '已缴纳罚款并整改，许可证已公示。', evidence: '缴款凭证 No.123；现场照片。' } });
    const early = await apply(repaired.representative.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('repairTooEarly');
    expect(early.json().detail).toContain('2026-06-02');

    t.clock.set('2026-06-10T02:00:00Z');
    await signInAgain(t, repaired.representative);
    await staffSignInAgain(t, market.officer);
    const stranger = await enterpriseWithFacts(t, { region: '310115' });
    expect((await apply(stranger.representative.cookie)).statusCode).toBe(404);
    const applied = await apply(repaired.representative.cookie);
    expect(applied.statusCode).toBe(201);
    expect((await apply(repaired.representative.cookie)).json().code).toBe('repairPending');

    const pending = (await t.app.inject({ url: '/api/v1/credit/repairs', headers: { cookie: market.officer.cookie } })).json() as { id: string }[];
    expect(pending.map((r) => r.id)).toEqual([applied.json().id]);
    const other = await creditDepartment(t);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/credit/repairs/${applied.json().id}/decision`, headers: { cookie: other.officer.cookie }, payload: { decision: 'approved', reason: '同意' } })).statusCode).toBe(404);
    const decided = await t.app.inject({ method: 'POST', url: `/api/v1/credit/repairs/${applied.json().id}/decision`, headers: { cookie: market.officer.cookie }, payload: { decision: 'approved', reason: '已履行处罚决定，符合修复条件。' } });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().record).toMatchObject({ status: 'repaired', repairedOn: '2026-06-10', isPublicNow: false });

    expect(await publicRecords(repaired.uscc)).toHaveLength(0);
    expect(await publicRecords(unrepaired.uscc)).toHaveLength(1);
    expect((await services.credit.standing({ kind: 'enterprise', uscc: repaired.uscc })).status).toBe('good');
    expect((await services.credit.standing({ kind: 'enterprise', uscc: unrepaired.uscc })).status).toBe('caution');

    t.clock.set('2027-03-02T02:00:00Z');
    expect(await publicRecords(unrepaired.uscc)).toHaveLength(0);
    expect((await services.credit.standing({ kind: 'enterprise', uscc: unrepaired.uscc })).status).toBe('good');
    t.clock.set('2026-06-10T02:00:00Z');
  });

  it('licences and honours cannot be repaired', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115' });
    const honour = (await report(penaltyReport(enterprise.uscc, { category: 'honour', title: '守合同重信用', decidedOn: '2026-06-01' }))).json().record as { id: string };
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/credit/records/${honour.id}/repairs`, headers: { cookie: enterprise.representative.cookie }, payload: { reason: 'x', evidence: 'y' } });
    expect(response.json().code).toBe('notRepairable');
  });
});

describe('the list and the policy fact untrustworthy', () => {
  it('a listed enterprise is excluded by a policy requiring untrustworthy = false, and is eligible again after repair', async () => {
    t.clock.set('2026-06-11T02:00:00Z');
    const officers = await policyDepartment(t);
    const policy = samplePolicy();
    await publishPolicies(t, officers, [policy]);
    const enterprise = await enterpriseWithFacts(t, { region: '310115', taxableIncome: 1_000_000, employees: 20, untrustworthy: false }, { name: '上海名单样例有限公司' });
    const outcome = async () => {
      await signInAgain(t, enterprise.representative);
      const response = await t.app.inject({ url: `/api/v1/enterprises/${enterprise.id}/policy-matches`, headers: { cookie: enterprise.representative.cookie } });
      return (response.json() as { results: { code: string; outcome: string }[] }).results.find((r) => r.code === policy.code)?.outcome;
    };
    expect(await outcome()).toBe('eligible');

    const before = await factOf(enterprise.uscc);
    const listing = (await report(penaltyReport(enterprise.uscc, { category: 'listing', title: '拖欠农民工工资严重失信', decidedOn: '2025-05-01', effectiveFrom: '2025-05-01', effectiveTo: '2028-04-30' }))).json().record as { id: string };
    const after = await factOf(enterprise.uscc);
    expect(after.untrustworthy).toBe(1);
    expect(after.updatedAt > before.updatedAt || after.updatedAt === t.clock.now().toISOString()).toBe(true);
    expect(await outcome()).toBe('ineligible');
    expect((await t.app.inject({ url: `/api/v1/credit/lookup?q=${enterprise.uscc}` })).json().subjects[0].listed).toBe(true);
    expect((await services.credit.standing({ kind: 'enterprise', uscc: enterprise.uscc })).status).toBe('listed');

    await staffSignInAgain(t, market.officer);
    const applied = await t.app.inject({ method: 'POST', url: `/api/v1/credit/records/${listing.id}/repairs`, headers: { cookie: enterprise.representative.cookie }, payload: { reason: '工资已全部支付。', evidence: '人社部门结案证明。' } });
    expect(applied.statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: `/api/v1/credit/repairs/${applied.json().id}/decision`, headers: { cookie: market.officer.cookie }, payload: { decision: 'approved', reason: '符合移出条件。' } });
    expect((await factOf(enterprise.uscc)).untrustworthy).toBe(0);
    expect(await outcome()).toBe('eligible');
    expect((await services.credit.standing({ kind: 'enterprise', uscc: enterprise.uscc })).status).toBe('good');
  });

  it('a listing that starts later sets the fact when it starts, and clears it when its period ends (the recurring job)', async () => {
    t.clock.set('2026-06-10T02:00:00Z');
    const enterprise = await enterpriseWithFacts(t, { region: '310115', untrustworthy: false });
    await report(penaltyReport(enterprise.uscc, { category: 'listing', decidedOn: '2026-06-10', effectiveFrom: '2026-07-01', effectiveTo: '2026-12-31' }));
    expect((await factOf(enterprise.uscc)).untrustworthy).toBe(0);
    t.clock.set('2026-07-01T01:00:00Z');
    await services.credit.syncListings();
    expect((await factOf(enterprise.uscc)).untrustworthy).toBe(1);
    t.clock.set('2026-12-31T15:00:00Z'); // Still 31 December in Beijing until 16:00 UTC.
    await services.credit.syncListings();
    expect((await factOf(enterprise.uscc)).untrustworthy).toBe(1);
    t.clock.set('2027-01-01T00:00:00Z');
    expect(await services.credit.syncListings()).toBe(1);
    expect((await factOf(enterprise.uscc)).untrustworthy).toBe(0);
    expect(await services.credit.syncListings()).toBe(0);
    t.clock.set('2026-06-10T02:00:00Z');
  });

  it('scans of the evidence: only the applicant’s own free uploads, listed in the repair, downloaded by the issuing department alone, every read audited', async () => {
    t.clock.set('2026-06-12T02:00:00Z');
    await staffSignInAgain(t, market.officer);
    const enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海扫描件样例有限公司' });
    const record = (await report(penaltyReport(enterprise.uscc, { decidedOn: '2025-11-01' }))).json().record as { id: string };
    const stranger = await enterpriseWithFacts(t, { region: '310115' });
    const scan = await services.files.store(enterprise.representative.accountId, { filename: '缴款凭证.png', bytes: TINY_PNG });
    const strangersScan = await services.files.store(stranger.representative.accountId, { filename: 'other.png', bytes: TINY_PNG });
    const apply = (files: string[]) =>
      t.app.inject({ method: 'POST', url: `/api/v1/credit/records/${record.id}/repairs`, headers: { cookie: enterprise.representative.cookie }, payload: { reason: '已缴纳罚款。', evidence: '缴款凭证见扫描件。', files } });

    const foreign = await apply([scan.id, scan.id, strangersScan.id]);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([expect.objectContaining({ field: '/files/2', code: 'credit.repair.fileNotAvailable' })]);
    const tooMany = await apply(Array.from({ length: 11 }, () => scan.id));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors).toEqual([expect.objectContaining({ field: '/files' })]);

    const applied = await apply([scan.id, scan.id]);
    expect(applied.statusCode).toBe(201);
    const repair = applied.json() as { id: string; files: { id: string; filename: string; type: string; size: number }[] };
    expect(repair.files).toEqual([{ id: scan.id, filename: '缴款凭证.png', type: 'png', size: TINY_PNG.length }]);
    // Attached, the scan is no longer the applicant's to use elsewhere.
    expect(await services.files.ownUpload(enterprise.representative.accountId, scan.id)).toBeNull();

    const queue = (await t.app.inject({ url: '/api/v1/credit/repairs', headers: { cookie: market.officer.cookie } })).json() as { id: string; files: unknown[] }[];
    expect(queue.find((r) => r.id === repair.id)?.files).toEqual(repair.files);
    const download = (cookie: string, repairId = repair.id, fileId = scan.id) => t.app.inject({ url: `/api/v1/credit/repairs/${repairId}/files/${fileId}`, headers: { cookie } });
    const read = await download(market.officer.cookie);
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(read.rawPayload.equals(TINY_PNG)).toBe(true);

    const other = await creditDepartment(t);
    expect((await download(other.officer.cookie)).statusCode).toBe(404);
    // The stranger's upload is attached to nothing: never shown to staff through a repair.
    expect((await download(market.officer.cookie, repair.id, strangersScan.id)).statusCode).toBe(404);
    expect((await download(enterprise.representative.cookie)).statusCode).toBe(403);
    // Tried through the applications' workbench, the scan is refused there too, and the attempt is still named against the enterprise.
    const viaWorkbench = await t.app.inject({ url: `/workbench/applications/${repair.id}/files/${scan.id}`, headers: { accept: 'text/html', cookie: other.officer.cookie } });
    expect(viaWorkbench.statusCode).toBe(404);

    const reads = await t.platform.db
      .selectFrom('auditEvents')
      .select(['outcome', 'subjectEnterpriseId', 'actorId'])
      .where('action', '=', 'files.read')
      .where('detail', 'like', `%${scan.id}%`)
      .orderBy('seq')
      .execute();
    expect(reads).toEqual([
      { outcome: 'success', subjectEnterpriseId: enterprise.id, actorId: market.officer.staffId },
      { outcome: 'denied', subjectEnterpriseId: enterprise.id, actorId: other.officer.staffId },
      { outcome: 'denied', subjectEnterpriseId: enterprise.id, actorId: other.officer.staffId },
    ]);
  });
});
