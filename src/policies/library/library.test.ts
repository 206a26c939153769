import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../core/testing.js';
import { departmentWithItem } from '../../applications/testing.js';
import { createServices } from '../../services.js';
import { enterpriseWithFacts, policyDepartment, policyFile, samplePolicy } from '../testing.js';

type T = Awaited<ReturnType<typeof createTestApp>>;

describe('policy library: import, review, publication, versions', () => {
  let t: T;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  beforeAll(async () => {
    t = await createTestApp();
    officers = await policyDepartment(t);
  });
  afterAll(async () => t.close());

  const importFile = (cookie: string, payload: unknown, lang = 'en') =>
    t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie, 'accept-language': lang }, payload: payload as object });
  const submit = (cookie: string, code: string) => t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/submit`, headers: { cookie }, payload: {} });
  const review = (cookie: string, code: string, approve = true) =>
    t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/review`, headers: { cookie, 'accept-language': 'en' }, payload: { approve } });

  it('one bad policy in a file imports nothing, and every problem comes with its JSON path', async () => {
    const good = samplePolicy();
    const bad = samplePolicy({
      eligibility: { all: [{ fact: 'turnover', op: 'gt', value: 1 }, { fact: 'region', op: 'within', value: '999999' }, { fact: 'employees', op: 'lte', value: 'many' }] } as never,
      benefit: { description: { 'zh-CN': '补贴', en: 'Subsidy' }, formula: 'insuredEmployees * 1000 / 0' },
    });
    const response = await importFile(officers.author.cookie, policyFile([good, bad]));
    expect(response.statusCode).toBe(422);
    const problem = response.json() as { code: string; detail: string; errors: { field: string; message: string }[] };
    expect(problem.code).toBe('invalidPolicyFile');
    const paths = problem.errors.map((f) => f.field);
    expect(paths).toEqual(
      expect.arrayContaining(['/policies/1/eligibility/all/0/fact', '/policies/1/eligibility/all/1/value', '/policies/1/eligibility/all/2/value', '/policies/1/benefit/formula']),
    );
    for (const field of problem.errors) expect(field.message).not.toMatch(/^policies\.problem\./);
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/department/policies/export', headers: { cookie: officers.author.cookie } });
    expect(exported.json().policies).toEqual([]);
  });

  it('refuses malformed files with problems, never a server error: no dates, rules too deep, prototype names, reserved codes', async () => {
    const { effective: _dropped, ...undated } = samplePolicy();
    let deep: object = { fact: 'employees', op: 'lte', value: 300 };
    for (let i = 0; i < 13; i++) deep = { not: deep };
    const cases: [unknown, string, string][] = [
      [policyFile([undated as never]), '/policies/0/effective', 'required'],
      [policyFile([samplePolicy({ eligibility: deep as never })]), '/policies/0/eligibility/not/not/not/not/not/not/not/not/not/not/not/not', 'ruleTooDeep'],
      [policyFile([samplePolicy()], [{ name: 'constructor', type: 'boolean', label: { 'zh-CN': '构造', en: 'Constructor' } }]), '/facts/0/name', 'factNameTaken'],
      [policyFile([samplePolicy({ code: 'screener' })]), '/policies/0/code', 'reservedCode'],
    ];
    for (const [file, path, code] of cases) {
      const response = await importFile(officers.author.cookie, file);
      expect(response.statusCode, code).toBe(422);
      const errors = (response.json() as { errors: { field: string; code: string }[] }).errors;
      expect(errors.find((e) => e.field === path && e.code === `policies.problem.${code}`), JSON.stringify(errors)).toBeTruthy();
    }
  });

  it('drafts are reviewed by a second officer, checked, published, and each change is a new version', async () => {
    const policy = samplePolicy();
    const imported = await importFile(officers.author.cookie, policyFile([policy]));
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({ created: [policy.code], revised: [], unchanged: [] });
    expect((await importFile(officers.author.cookie, policyFile([policy]))).json()).toEqual({ created: [], revised: [], unchanged: [policy.code] });

    expect((await t.app.inject({ method: 'GET', url: `/api/v1/policies/${policy.code}` })).statusCode).toBe(404);
    expect((await submit(officers.author.cookie, policy.code)).statusCode).toBe(200);
    const own = await review(officers.author.cookie, policy.code);
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('ownReview');
    const approved = await review(officers.reviewer.cookie, policy.code);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'published', version: 1, versionStatus: 'published' });

    const changed = { ...policy, eligibility: { all: [{ fact: 'taxableIncome', op: 'lte', value: 2_000_000 }, { fact: 'untrustworthy', op: 'eq', value: false }] } };
    changed.examples = [
      { name: 'small', facts: { taxableIncome: 1_000_000, untrustworthy: false }, expected: 'eligible', benefitAmount: 50_000 },
      { name: 'large', facts: { taxableIncome: 2_500_000, untrustworthy: false }, expected: 'ineligible' },
    ];
    expect((await importFile(officers.author.cookie, policyFile([changed as never]))).json()).toEqual({ created: [], revised: [policy.code], unchanged: [] });
    const publicView = await t.app.inject({ method: 'GET', url: `/api/v1/policies/${policy.code}` });
    expect(publicView.json()).toMatchObject({ version: 1, document: { eligibility: policy.eligibility } });
    const latest = await t.app.inject({ method: 'GET', url: `/api/v1/department/policies/${policy.code}`, headers: { cookie: officers.author.cookie } });
    expect(latest.json()).toMatchObject({ version: 2, versionStatus: 'draft', publishedVersionId: approved.json().versionId });

    await submit(officers.author.cookie, policy.code);
    expect((await review(officers.reviewer.cookie, policy.code)).json()).toMatchObject({ version: 2, status: 'published' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/policies/${policy.code}` })).json().version).toBe(2);
  });

  it('publication refuses too few examples, an apply policy without a published item, and automatic grants on self-declared facts', async () => {
    const fewExamples = samplePolicy({ examples: [samplePolicy().examples![0]!] });
    const apply = samplePolicy({ mode: 'apply', serviceItem: 'NO-SUCH-ITEM' });
    const automatic = samplePolicy({ mode: 'automatic' });
    await importFile(officers.author.cookie, policyFile([fewExamples, apply, automatic]));
    const refusal = async (code: string) => {
      await submit(officers.author.cookie, code);
      const response = await review(officers.reviewer.cookie, code);
      expect(response.statusCode).toBe(422);
      return (response.json() as { errors: { field: string; message: string }[] }).errors;
    };
    expect((await refusal(fewExamples.code)).map((f) => f.field)).toEqual(['/policies/0/examples']);
    expect((await refusal(apply.code)).map((f) => f.field)).toEqual(['/policies/0/serviceItem']);
    const automaticProblems = await refusal(automatic.code);
    expect(automaticProblems).toHaveLength(1);
    expect(automaticProblems[0]!.message).toContain('employees');

    const { item } = await departmentWithItem(t, { code: 'CLAIM-DEPT' });
    const itemCode = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/items/${item.itemId}` })).json().definition.implementationCode as string;
    const fixed = { ...apply, serviceItem: itemCode };
    await importFile(officers.author.cookie, policyFile([fixed]));
    await submit(officers.author.cookie, apply.code);
    expect((await review(officers.reviewer.cookie, apply.code)).statusCode).toBe(200);
  });

  it("officers change only their own department's policies; staff without the role and the public cannot import", async () => {
    const other = await policyDepartment(t, { regionCode: '330000' });
    const policy = samplePolicy();
    await importFile(officers.author.cookie, policyFile([policy]));
    const taken = await importFile(other.author.cookie, policyFile([policy]));
    expect(taken.statusCode).toBe(422);
    expect(taken.json().errors[0].field).toBe('/policies/0/code');
    expect((await submit(other.author.cookie, policy.code)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', payload: policyFile([policy]) })).statusCode).toBe(401);
  });

  it('matches an enterprise on what the authorities hold plus its own answers, and screens anonymously', async () => {
    const policy = samplePolicy({ regions: ['310000'] });
    await importFile(officers.author.cookie, policyFile([policy]));
    await submit(officers.author.cookie, policy.code);
    await review(officers.reviewer.cookie, policy.code);

    const enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_200_000, untrustworthy: false });
    const match = async () => {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${enterprise.id}/policy-matches`, headers: { cookie: enterprise.representative.cookie } });
      expect(response.statusCode).toBe(200);
      return (response.json() as { results: { code: string; outcome: string; missingFacts: string[]; benefit: unknown }[]; questions: { fact: string }[] }).results.find(
        (r) => r.code === policy.code,
      )!;
    };
    const before = await match();
    expect(before).toMatchObject({ outcome: 'undetermined', missingFacts: ['employees'], benefit: null });

    const declared = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/enterprises/${enterprise.id}/policy-facts`,
      headers: { cookie: enterprise.representative.cookie },
      payload: { answers: { employees: 25 } },
    });
    expect(declared.statusCode).toBe(204);
    expect(await match()).toMatchObject({ outcome: 'eligible', benefit: { amount: 60_000 } });

    // An answer cannot override what the tax authority holds.
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/enterprises/${enterprise.id}/policy-facts`,
      headers: { cookie: enterprise.representative.cookie },
      payload: { answers: { taxableIncome: 1 } },
    });
    expect((await match()).benefit).toEqual({ amount: 60_000 });

    const stranger = await enterpriseWithFacts(t, { region: '310115' });
    const foreign = await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${enterprise.id}/policy-matches`, headers: { cookie: stranger.representative.cookie } });
    expect(foreign.statusCode).toBe(404);

    const screened = await t.app.inject({ method: 'POST', url: '/api/v1/policies/screen', payload: { answers: { region: '310104', taxableIncome: 5_000_000 } } });
    const screenedResult = (screened.json() as { results: { code: string; outcome: string; conditions: { result: string }[] }[] }).results.find((r) => r.code === policy.code)!;
    expect(screenedResult.outcome).toBe('ineligible');
    expect(screenedResult.conditions[0]!.result).toBe('fail');
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/policies/screen', payload: { answers: { region: '440305' } } });
    expect((elsewhere.json() as { results: { code: string }[] }).results.map((r) => r.code)).not.toContain(policy.code);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/policies/screen', headers: { 'accept-language': 'en' }, payload: { answers: { region: '999999', turnover: 3 } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((f: { field: string }) => f.field).sort()).toEqual(['/region', '/turnover']);
    // Names of Object.prototype's members are unknown facts like any other, not a server error.
    const inherited = await t.app.inject({ method: 'POST', url: '/api/v1/policies/screen', payload: { answers: { toString: 'x', constructor: 1 } } });
    expect(inherited.statusCode).toBe(400);
  });

  it("the operator's import with publication refuses the whole file when one policy could not be published", async () => {
    const services = createServices(t.platform);
    const good = samplePolicy();
    const unclaimable = samplePolicy({ mode: 'apply' });
    const refused = services.policyLibrary.importAsOperator(officers.department.code, policyFile([good, unclaimable]), { publish: true });
    await expect(refused).rejects.toMatchObject({ status: 422, fields: [{ field: '/policies/1/serviceItem' }] });
    expect(await services.policyLibrary.store.policyByCode(good.code)).toBeUndefined();
    const report = await services.policyLibrary.importAsOperator(officers.department.code, policyFile([good]), { publish: true });
    expect(report).toMatchObject({ created: [good.code], published: [good.code] });
  });

  it('matching follows the date: a policy out of force is not offered', async () => {
    const expired = samplePolicy({ effective: { from: '2020-01-01', to: '2021-12-31' } });
    await importFile(officers.author.cookie, policyFile([expired]));
    await submit(officers.author.cookie, expired.code);
    await review(officers.reviewer.cookie, expired.code);
    const screen = (on: string) => t.app.inject({ method: 'POST', url: '/api/v1/policies/screen', payload: { answers: { region: '310115' }, on } });
    expect(((await screen('2021-06-01')).json() as { results: { code: string }[] }).results.map((r) => r.code)).toContain(expired.code);
    expect(((await screen('2022-01-01')).json() as { results: { code: string }[] }).results.map((r) => r.code)).not.toContain(expired.code);
  });
});
