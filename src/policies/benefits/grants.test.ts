import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../core/testing.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import { createServices } from '../../services.js';
import type { BuiltinFactsInput } from '../profiles/profile.js';
import { enterpriseWithFacts, policyDepartment, samplePolicy } from '../testing.js';
import { jobRetentionRefund, publishPolicies } from './testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;

const QUALIFYING = { insuredEmployees: 25, layoffRate: 1.5, untrustworthy: false };

interface Profile {
  key: string;
  name: string;
  facts: BuiltinFactsInput;
}

// Enterprises the authorities know, most of them without a platform account.
const POPULATION: Profile[] = [
  { key: 'pudong', name: '上海浦东甲公司', facts: { region: '310115', ...QUALIFYING, unemploymentInsurancePaid: 20_000 } },
  { key: 'xuhui', name: '上海"徐汇",乙公司', facts: { region: '310104', ...QUALIFYING, unemploymentInsurancePaid: 10_000.5 } },
  { key: 'formula', name: '=SUM(A1:A2)', facts: { region: '310101', ...QUALIFYING, unemploymentInsurancePaid: 333.34 } },
  { key: 'unpriced', name: '上海未知缴费公司', facts: { region: '310101', ...QUALIFYING } },
  { key: 'layoffs', name: '上海裁员公司', facts: { region: '310115', ...QUALIFYING, layoffRate: 8, unemploymentInsurancePaid: 50_000 } },
  { key: 'untrustworthy', name: '上海失信公司', facts: { region: '310115', ...QUALIFYING, untrustworthy: true, unemploymentInsurancePaid: 50_000 } },
  { key: 'undetermined', name: '上海信息不全公司', facts: { region: '310115', insuredEmployees: 3, untrustworthy: false, unemploymentInsurancePaid: 5000 } },
  { key: 'hangzhou', name: '杭州外省公司', facts: { region: '330106', ...QUALIFYING, unemploymentInsurancePaid: 40_000 } },
];

describe('grants without application (免申即享)', () => {
  let t: T;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  let elsewhere: Awaited<ReturnType<typeof policyDepartment>>;
  let onPlatform: Awaited<ReturnType<typeof enterpriseWithFacts>>;
  const policy = jobRetentionRefund();
  const usccOf = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    officers = await policyDepartment(t);
    elsewhere = await policyDepartment(t);
    await publishPolicies(t, officers, [policy]);
    const services = createServices(t.platform);
    await services.enterpriseFacts.insertMany(
      POPULATION.map((profile, index) => {
        const uscc = makeUscc({ region: profile.facts.region, organizationCodeBody: organizationCodeBodyFromNumber(900_000 + index) });
        usccOf.set(profile.key, uscc);
        return { uscc, name: profile.name, facts: profile.facts };
      }),
      t.clock.now().toISOString(),
    );
    // The one enterprise that has opened an account on the platform: it is told of its grant.
    onPlatform = await enterpriseWithFacts(t, { region: '310115', industry: '6513', ...QUALIFYING, unemploymentInsurancePaid: 1000 }, { name: '上海平台开户公司' });
    usccOf.set('onPlatform', onPlatform.uscc);
  });
  afterAll(async () => t.close());

  const scan = (cookie: string, code = policy.code) => t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/grant-batches`, headers: { cookie }, payload: {} });
  const approve = (cookie: string, id: string) => t.app.inject({ method: 'POST', url: `/api/v1/department/policy-grant-batches/${id}/approval`, headers: { cookie }, payload: {} });
  const batchPage = (cookie: string, id: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/department/policy-grant-batches/${id}${query}`, headers: { cookie } });
  const grantNotices = () => t.platform.db.selectFrom('inboxMessages').select(['personId', 'params', 'link']).where('kind', '=', 'policy.granted').execute();
  const grantSms = async () => (await t.platform.db.selectFrom('outboxMessages').select('body').execute()).filter((m) => m.body.includes('失业保险稳岗返还'));

  // Hand-computed: 90 % in Pudong, 60 % elsewhere in Shanghai, rounded to fen; none without the contributions.
  const expected = new Map<string, number | null>([
    ['pudong', 18_000],
    ['xuhui', 6000.3],
    ['formula', 200],
    ['unpriced', null],
    ['onPlatform', 900],
  ]);

  let first: { id: string; eligibleCount: number };
  let second: { id: string };

  it('a scan finds exactly the eligible enterprises within the regions, each with its amount, and grants nothing yet', async () => {
    const response = await scan(officers.author.cookie);
    expect(response.statusCode, response.body).toBe(201);
    first = response.json();
    expect(first).toMatchObject({
      status: 'review',
      policy: { code: policy.code, version: 1 },
      eligibleCount: 5,
      totalAmount: 25_100.3,
      unpricedCount: 1,
      alreadyGrantedCount: 0,
      grantedCount: null,
    });
    const page = (await batchPage(officers.author.cookie, first.id, '?limit=200')).json();
    expect(page.total).toBe(5);
    type Row = { uscc: string; amount: number | null; granted: boolean };
    const rows = new Map<string, Row>(page.rows.map((row: Row) => [row.uscc, row]));
    expect(new Set(rows.keys())).toEqual(new Set([...expected.keys()].map((key) => usccOf.get(key)!)));
    for (const [key, amount] of expected) expect(rows.get(usccOf.get(key)!)).toMatchObject({ amount, granted: false });
    // Rows come by USCC, a page at a time.
    const sorted = [...rows.keys()].sort((a, b) => (a < b ? -1 : 1));
    expect(page.rows.map((row: { uscc: string }) => row.uscc)).toEqual(sorted);
    const pageTwo = (await batchPage(officers.author.cookie, first.id, '?offset=2&limit=2')).json();
    expect(pageTwo.rows.map((row: { uscc: string }) => row.uscc)).toEqual(sorted.slice(2, 4));
    expect(await t.platform.db.selectFrom('policyGrants').selectAll().execute()).toEqual([]);
  });

  it('exports the list as CSV for Excel: UTF-8 with a byte order mark, quoted where needed, no formulas', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/department/policy-grant-batches/${first.id}/export`, headers: { cookie: officers.author.cookie, 'accept-language': 'zh-CN' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="grants-${policy.code}-v1-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('统一社会信用代码,企业名称,兑现金额（元）');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -1);
    expect(body).toHaveLength(5);
    expect(body).toContain(`${usccOf.get('xuhui')},"上海""徐汇"",乙公司",6000.3`);
    expect(body).toContain(`${usccOf.get('formula')},'=SUM(A1:A2),200`);
    expect(body).toContain(`${usccOf.get('unpriced')},上海未知缴费公司,`);
    expect(body).toContain(`${usccOf.get('pudong')},上海浦东甲公司,18000`);
    // The export is on the audit trail: who, which policy, how many enterprises.
    const [exported] = await t.platform.audit.search({ action: 'policies.grants.exported', limit: 1 });
    expect(exported).toMatchObject({ actorType: 'staff', actorId: officers.author.staffId, outcome: 'success' });
    expect(JSON.parse(exported!.detail)).toMatchObject({ code: policy.code, batchId: first.id, rows: 5 });
  });

  it("another department's officer can neither scan, nor read, export or approve the list; nor can an enterprise", async () => {
    const other = elsewhere.author.cookie;
    expect((await scan(other)).statusCode).toBe(403);
    expect((await batchPage(other, first.id)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/department/policy-grant-batches/${first.id}/export`, headers: { cookie: other } })).statusCode).toBe(403);
    expect((await approve(other, first.id)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/department/policies/${policy.code}/grant-batches`, headers: { cookie: other } })).statusCode).toBe(403);
    const person = await approve(onPlatform.representative.cookie, first.id);
    expect(person.statusCode).toBe(403);
    expect(person.json().code).toBe('roleRequired');
    expect(await t.platform.db.selectFrom('policyGrants').selectAll().execute()).toEqual([]);
  });

  it('approval grants once per enterprise and version, audited, and tells the enterprise with an account once', async () => {
    // A second scan before the first is approved lists the same enterprises.
    second = (await scan(officers.reviewer.cookie)).json();
    expect(second).toMatchObject({ eligibleCount: 5 });

    const response = await approve(officers.reviewer.cookie, first.id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'approved', grantedCount: 5, grantedAmount: 25_100.3 });
    const notices = await grantNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ personId: onPlatform.representative.personId, link: `/enterprises/${onPlatform.id}/benefits` });
    expect(JSON.parse(notices[0]!.params)).toMatchObject({ amount: '900.00' });
    expect(await grantSms()).toHaveLength(1);
    const audit = await t.platform.db.selectFrom('auditEvents').select('detail').where('action', '=', 'policies.grants.approved').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ code: policy.code, batchId: first.id, granted: 5, amount: '25100.30' });

    const grants = await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${onPlatform.id}/policy-grants`, headers: { cookie: onPlatform.representative.cookie } });
    expect(grants.json()).toEqual([{ policy: { code: policy.code, title: policy.title, versionId: expect.any(String), version: 1 }, amount: 900, grantedAt: expect.any(String) }]);
    expect((await batchPage(officers.author.cookie, first.id)).json().rows.every((row: { granted: boolean }) => row.granted)).toBe(true);

    // Approving again, or approving the older second list, grants nobody twice and tells nobody again.
    expect((await approve(officers.reviewer.cookie, first.id)).statusCode).toBe(409);
    const duplicate = await approve(officers.reviewer.cookie, second.id);
    expect(duplicate.statusCode).toBe(200);
    expect(duplicate.json()).toMatchObject({ status: 'approved', grantedCount: 0, grantedAmount: 0 });
    expect(await t.platform.db.selectFrom('policyGrants').selectAll().execute()).toHaveLength(5);
    expect(await grantNotices()).toHaveLength(1);
    expect(await grantSms()).toHaveLength(1);

    // The background pass each approval queued (for batches too large to notify at once) finds nobody left to tell.
    const jobs = await t.platform.db.selectFrom('jobs').select(['kind', 'payload']).where('kind', '=', 'policies.grants.notify').execute();
    expect(jobs.map((job) => JSON.parse(job.payload).batchId).sort()).toEqual([first.id, second.id].sort());
    expect(await createServices(t.platform).jobs.runDue()).toBeGreaterThanOrEqual(2);
    expect(await grantNotices()).toHaveLength(1);
  });

  it('a rescan leaves out who was granted under the version; a discarded list can no longer be approved', async () => {
    const rescan = (await scan(officers.author.cookie)).json();
    expect(rescan).toMatchObject({ eligibleCount: 0, totalAmount: 0, alreadyGrantedCount: 5 });
    const discarded = await t.app.inject({ method: 'POST', url: `/api/v1/department/policy-grant-batches/${rescan.id}/discard`, headers: { cookie: officers.author.cookie }, payload: {} });
    expect(discarded.json()).toMatchObject({ status: 'discarded' });
    const late = await approve(officers.author.cookie, rescan.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('batchNotInReview');
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/department/policies/${policy.code}/grant-batches`, headers: { cookie: officers.author.cookie } })).json();
    expect(list.map((batch: { id: string; status: string }) => [batch.id, batch.status])).toEqual([
      [rescan.id, 'discarded'],
      [second.id, 'approved'],
      [first.id, 'approved'],
    ]);
  });

  it('a list scanned under a version that has since been replaced must be scanned again', async () => {
    const stale = (await scan(officers.author.cookie)).json();
    await publishPolicies(t, officers, [{ ...policy, parameters: { refundRatio: { default: 0.5, byRegion: { '310115': 0.9 } } }, examples: [{ ...policy.examples![0]!, benefitAmount: 5000 }, policy.examples![1]!] }]);
    const response = await approve(officers.reviewer.cookie, stale.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('batchOutdated');
    // A new version (here a changed ratio) never pays those already granted the policy a second time.
    const rescanned = (await scan(officers.author.cookie)).json();
    expect(rescanned).toMatchObject({ policy: { version: 2 }, eligibleCount: 0, totalAmount: 0 });
    expect(rescanned.alreadyGrantedCount).toBeGreaterThan(0);
  });

  it('only a published automatic policy is granted by scanning', async () => {
    const info = samplePolicy({ mode: 'info' });
    await publishPolicies(t, officers, [info]);
    const refused = await scan(officers.author.cookie, info.code);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('notAutomatic');
    expect((await scan(officers.author.cookie, 'NO-SUCH-POLICY')).statusCode).toBe(404);
  });

  it('a scan larger than one chunk lists every eligible enterprise once, with the exact total', async () => {
    const shenzhen = { ...jobRetentionRefund(), regions: ['440300'], parameters: { refundRatio: { default: 0.5 } } };
    shenzhen.examples = [{ ...shenzhen.examples![0]!, benefitAmount: 5000 }, shenzhen.examples![1]!];
    await publishPolicies(t, officers, [shenzhen]);
    const count = 4321;
    const services = createServices(t.platform);
    await services.enterpriseFacts.insertMany(
      Array.from({ length: count }, (_, index) => ({
        uscc: makeUscc({ region: '440305', organizationCodeBody: organizationCodeBodyFromNumber(2_000_000 + index) }),
        facts: { region: '440305', ...QUALIFYING, layoffRate: index % 10 === 0 ? 9 : 1, unemploymentInsurancePaid: index + 1 },
      })),
      t.clock.now().toISOString(),
    );
    const batch = (await scan(officers.author.cookie, shenzhen.code)).json();
    // Every tenth has laid off too many; each other one gets half of (index + 1) yuan.
    let totalFen = 0;
    for (let index = 0; index < count; index++) if (index % 10 !== 0) totalFen += Math.round((index + 1) * 50);
    expect(batch).toMatchObject({ eligibleCount: count - Math.ceil(count / 10), totalAmount: totalFen / 100, unpricedCount: 0 });
    const stored = await t.platform.db.selectFrom('policyGrantBatchRows').select((eb) => eb.fn.count<number>('uscc').distinct().as('n')).where('batchId', '=', batch.id).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(batch.eligibleCount);
  });

  it('the officer pages show the list with amounts and the CSV link; the enterprise page shows the grant', async () => {
    const html = { accept: 'text/html' };
    const home = await t.app.inject({ method: 'GET', url: '/workbench/policy-grants', headers: { cookie: officers.author.cookie, ...html } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain(`/workbench/policy-grants/${policy.code}`);
    const page = await t.app.inject({ method: 'GET', url: `/workbench/policy-grant-batches/${first.id}`, headers: { cookie: officers.author.cookie, ...html } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(usccOf.get('pudong'));
    expect(page.body).toMatch(/18,000\.00\s?元/);
    expect(page.body).toContain(`/api/v1/department/policy-grant-batches/${first.id}/export`);
    const refused = await t.app.inject({ method: 'GET', url: `/workbench/policy-grant-batches/${first.id}`, headers: { cookie: elsewhere.author.cookie, ...html } });
    expect(refused.statusCode).toBe(403);
    const mine = await t.app.inject({ method: 'GET', url: `/enterprises/${onPlatform.id}/benefits`, headers: { cookie: onPlatform.representative.cookie, ...html } });
    expect(mine.body).toContain('失业保险稳岗返还');
    expect(mine.body).toMatch(/900\.00\s?元/);
  });
});
