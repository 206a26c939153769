import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentWithItem, verifiedPerson } from '../../applications/testing.js';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { csrfOf, multipart, type Part } from '../../applications/pages/testing.js';
import type { PolicyDocument } from '../format/schema.js';
import { enterpriseWithFacts, policyDepartment, policyFile, samplePolicy } from '../testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
/** The page's visible words, without tags, so assertions read like what a person sees. */
const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
/** The part of a page under one section heading's id, up to the next section. */
const sectionOf = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const end = html.indexOf('<section', start);
  return html.slice(start, end < 0 ? undefined : end);
};

// Monday 2 March 2026, 10:00 in Shanghai.
const NOW = new Date('2026-03-02T02:00:00Z');

describe('policy pages: library, screener, policy page, my policies, officers', () => {
  let t: TestApp;
  let officers: Awaited<ReturnType<typeof policyDepartment>>;
  let enterprise: Awaited<ReturnType<typeof enterpriseWithFacts>>;

  const smallTax = samplePolicy({ code: 'PAGES-SMALL-TAX', regions: ['310000'], documentNumber: '财政部 税务总局公告2023年第6号', issuers: ['财政部', '国家税务总局'] });
  const automatic = samplePolicy({
    code: 'PAGES-AUTO-VAT',
    title: { 'zh-CN': '小规模纳税人增值税减免', en: 'VAT relief for small-scale taxpayers' },
    mode: 'automatic',
    regions: ['310000'],
    eligibility: {
      all: [
        { fact: 'taxpayerType', op: 'eq', value: 'smallScale', label: { 'zh-CN': '增值税小规模纳税人', en: 'Small-scale VAT taxpayer' } },
        { fact: 'operatingRevenue', op: 'lte', value: 1_200_000 },
      ],
    },
    benefit: { description: { 'zh-CN': '免征增值税', en: 'No VAT' }, formula: 'operatingRevenue * 0.01' },
    examples: [
      { name: '便利店', facts: { taxpayerType: 'smallScale', operatingRevenue: 960_000 }, expected: 'eligible', benefitAmount: 9_600 },
      { name: '一般纳税人', facts: { taxpayerType: 'general', operatingRevenue: 960_000 }, expected: 'ineligible' },
    ],
  });
  let software: PolicyDocument;
  const zhejiang = samplePolicy({ code: 'PAGES-ZJ-ONLY', title: { 'zh-CN': '浙江省专属政策', en: 'Zhejiang only' }, regions: ['330000'] });
  const expired = samplePolicy({ code: 'PAGES-EXPIRED', title: { 'zh-CN': '已到期的政策', en: 'An expired policy' }, effective: { from: '2020-01-01', to: '2021-12-31' } });

  const get = (url: string, cookie?: string, lang = 'zh-CN') => t.app.inject({ url, headers: { accept: 'text/html', 'accept-language': lang, ...(cookie ? { cookie } : {}) } });
  const postForm = async (pageUrl: string, action: string, cookie: string, fields: Record<string, string | string[]>) => {
    const page = await get(pageUrl, cookie);
    const body = new URLSearchParams({ _csrf: csrfOf(page.body) });
    for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    return t.app.inject({ method: 'POST', url: action, headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  };
  const postImport = async (cookie: string, parts: Part[]) => {
    const page = await get('/workbench/policies/import', cookie);
    const { payload, contentType } = multipart([{ name: '_csrf', value: csrfOf(page.body) }, ...parts]);
    return t.app.inject({ method: 'POST', url: '/workbench/policies/import', headers: { accept: 'text/html', cookie, 'content-type': contentType }, payload });
  };
  const publish = async (documents: PolicyDocument[]) => {
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie: officers.author.cookie }, payload: policyFile(documents) });
    expect(imported.statusCode, imported.body).toBe(200);
    for (const document of documents) {
      await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${document.code}/submit`, headers: { cookie: officers.author.cookie }, payload: {} });
      const reviewed = await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${document.code}/review`, headers: { cookie: officers.reviewer.cookie }, payload: { approve: true } });
      expect(reviewed.statusCode, reviewed.body).toBe(200);
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(NOW) });
    officers = await policyDepartment(t);
    const { item } = await departmentWithItem(t, { code: 'PAGES-CLAIM-DEPT' });
    const itemCode = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/items/${item.itemId}` })).json().definition.implementationCode as string;
    software = samplePolicy({
      code: 'PAGES-SOFTWARE',
      title: { 'zh-CN': '软件企业研发补贴', en: 'R&D subsidy for software firms' },
      mode: 'apply',
      serviceItem: itemCode,
      category: 'subsidy',
      regions: ['100000'],
      eligibility: {
        all: [
          { fact: 'industry', op: 'prefix', value: ['65'] },
          { any: [{ fact: 'qualifications', op: 'has', value: '高新技术企业' }, { fact: 'insuredEmployees', op: 'gte', value: 10 }] },
          { not: { fact: 'untrustworthy', op: 'eq', value: true } },
        ],
      },
      benefit: { description: { 'zh-CN': '一次性补贴 10 万元', en: 'A one-off 100,000 yuan' } },
      examples: [
        { name: '高新软件企业', facts: { industry: '6513', qualifications: ['高新技术企业'], untrustworthy: false }, expected: 'eligible' },
        { name: '零售店', facts: { industry: '5211', qualifications: [], insuredEmployees: 3, untrustworthy: false }, expected: 'ineligible' },
      ],
    });
    await publish([smallTax, automatic, software, zhejiang, expired]);
    enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6513', taxableIncome: 1_200_000, untrustworthy: false, insuredEmployees: 12 });
  });
  afterAll(async () => t?.close());

  describe('the library', () => {
    it('lists the published policies with level, regions by name, validity and mode, in both languages', async () => {
      const page = await get('/policies');
      expect(page.statusCode).toBe(200);
      const text = textOf(page.body);
      for (const title of ['小型微利企业所得税优惠', '小规模纳税人增值税减免', '软件企业研发补贴', '浙江省专属政策', '已到期的政策']) expect(text).toContain(title);
      expect(text).toContain('免申即享');
      expect(text).toContain('适用于上海市');
      expect(text).toContain('有效期 2023-01-01 至 2027-12-31');
      expect(text).toContain('已过期');
      expect(page.body).toContain('href="/policies/screener"');
      const english = textOf((await get('/policies?lang=en')).body);
      expect(english).toContain('Granted without application');
      expect(english).toContain('VAT relief for small-scale taxpayers');
      expect(english).toContain('applies in the whole country');
    });

    it('filters by mode, region and validity; unknown choices are ignored', async () => {
      const automaticOnly = textOf((await get('/policies?mode=automatic')).body);
      expect(automaticOnly).toContain('小规模纳税人增值税减免');
      expect(automaticOnly).not.toContain('软件企业研发补贴');
      const inZhejiang = textOf((await get('/policies?region=330106')).body);
      expect(inZhejiang).toContain('浙江省专属政策');
      expect(inZhejiang).toContain('软件企业研发补贴');
      expect(inZhejiang).not.toContain('小规模纳税人增值税减免');
      const current = textOf((await get('/policies?inForce=yes')).body);
      expect(current).not.toContain('已到期的政策');
      expect(current).toContain('小型微利企业所得税优惠');
      const nonsense = await get('/policies?mode=everything&region=999999&category=x');
      expect(nonsense.statusCode).toBe(200);
      expect(textOf(nonsense.body)).toContain('已到期的政策');
    });
  });

  describe('the screener', () => {
    const screener = (query: string, lang?: string) => get(`/policies/screener?${query}`, undefined, lang);

    it('asks the questions and shows no results before anything is answered', async () => {
      const page = await get('/policies/screener');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('action="/policies/screener" method="get"');
      expect(page.body).toContain('id="province"');
      expect(page.body).toContain('id="industry"');
      expect(page.body).not.toContain('id="results-heading"');
      // The qualifications policies look for are offered as boxes.
      expect(page.body).toContain('value="高新技术企业"');
    });

    it('explains each result in words and asks for what is missing, keeping what was given', async () => {
      const page = await screener('province=310000&region=310115&industry=6513&employees=20&taxableIncome=1%2C000%2C000');
      expect(page.statusCode).toBe(200);
      const undetermined = sectionOf(page.body, 'undetermined-heading');
      const text = textOf(undetermined);
      expect(text).toContain('小型微利企业所得税优惠');
      expect(text).toContain('还需要知道：列入失信名单');
      expect(text).toContain('判断标准：应纳税所得额不超过3,000,000元');
      expect(text).toContain('您的情况：1,000,000元');
      expect(text).toContain('从业人员数不超过300人');
      expect(text).toContain('列入失信名单：否');
      expect(text).toContain('您的情况：未提供');
      // The next question is a field of its own, and the answers so far travel with it.
      expect(undetermined).toContain('id="q-untrustworthy"');
      expect(undetermined).toMatch(/type="hidden" name="taxableIncome" value="1000000"/);
      expect(undetermined).toMatch(/type="hidden" name="region" value="310115"/);
      // The county choice appears once the province is known, grouped by city, the chosen one kept.
      expect(page.body).toMatch(/<option value="310115" selected="">浦东新区<\/option>/);
      // Only policies of the region are matched.
      expect(textOf(page.body)).not.toContain('浙江省专属政策');

      const answered = await screener('province=310000&region=310115&industry=6513&employees=20&taxableIncome=1000000&untrustworthy=false');
      const eligible = textOf(sectionOf(answered.body, 'eligible-heading'));
      expect(eligible).toContain('小型微利企业所得税优惠');
      expect(eligible).toContain('预计可享受：50,000元');
      // The apply-mode policy offers sign-in to claim, coming back to its page.
      expect(answered.body).toContain(`href="/login?next=${encodeURIComponent('/policies/PAGES-SOFTWARE')}"`);
      // An answer given through the questions stays in the main form.
      expect(answered.body).toMatch(/id="untrustworthy-no"[^>]*checked=""|checked=""[^>]*id="untrustworthy-no"/);
    });

    it('lists near misses with their one failing condition, and the ineligible collapsed', async () => {
      const page = await screener('province=310000&industry=5211&employees=20&taxableIncome=5000000&untrustworthy=false&insuredEmployees=3&qualifications=__none__');
      const nearMisses = textOf(sectionOf(page.body, 'near-misses-heading'));
      expect(nearMisses).toContain('小型微利企业所得税优惠');
      expect(nearMisses).toContain('差一个条件：年应纳税所得额不超过300万元（5,000,000元）');
      expect(page.body).toMatch(/<details class="details"><summary class="details__summary">不符合的政策（1 项）<\/summary>/);
      const ineligible = textOf(page.body.slice(page.body.indexOf('<details')));
      expect(ineligible).toContain('软件企业研发补贴');
      expect(ineligible).toContain('所属行业属于软件和信息技术服务业（65）');
      expect(ineligible).toContain('以下条件满足其一');
    });

    it('speaks English', async () => {
      const page = await screener('province=310000&industry=6513&employees=20&taxableIncome=1000000&untrustworthy=false&lang=en', 'en');
      const text = textOf(page.body);
      expect(text).toContain('Eligible (');
      expect(text).toContain('Estimated benefit: 50,000 yuan');
      expect(text).toContain('Employees at most 300');
      expect(text).toContain('Yours: 1,000,000 yuan');
    });

    it('names every wrong answer at once, against its field, and keeps the rest', async () => {
      const page = await screener('province=310000&industry=9999&employees=many&establishedOn=2021-02-30');
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('class="error-summary"');
      expect(page.body).toContain('href="#industry"');
      expect(page.body).toContain('href="#employees"');
      expect(page.body).toContain('href="#establishedOn"');
      expect(textOf(page.body)).toContain('请填写国民经济行业分类（GB/T 4754）的4位小类代码');
      expect(page.body).toMatch(/id="employees"[^>]*value="many"|value="many"[^>]*id="employees"/);
      expect(page.body).not.toContain('id="results-heading"');
      const english = await screener('employees=many&lang=en', 'en');
      expect(textOf(english.body)).toContain('Enter a number, for example 1200000.');
    });
  });

  describe('the policy page', () => {
    it('shows the whole document to everyone, the rule in words, and a way to sign in', async () => {
      const page = await get('/policies/PAGES-SMALL-TAX');
      expect(page.statusCode).toBe(200);
      const text = textOf(page.body);
      expect(text).toContain('财政部 税务总局公告2023年第6号');
      expect(text).toContain('财政部、国家税务总局');
      expect(text).toContain('上海市');
      expect(text).toContain('2023-01-01 至 2027-12-31');
      expect(text).toContain('年应纳税所得额不超过300万元');
      expect(text).toContain('从业人员数不超过300人');
      expect(text).toContain('taxableIncome * 0.25 * (0.25 - 0.05)');
      expect(text).toContain('小微企业');
      expect(page.body).toContain(`href="/login?next=${encodeURIComponent('/policies/PAGES-SMALL-TAX')}"`);
      // Staff read the page too, without the question meant for enterprises.
      const forStaff = await get('/policies/PAGES-SMALL-TAX', officers.author.cookie);
      expect(forStaff.statusCode).toBe(200);
      expect(forStaff.body).not.toContain('id="your-enterprise"');
      const software = textOf((await get('/policies/PAGES-SOFTWARE?lang=en', undefined, 'en')).body);
      expect(software).toContain('At least one of these');
      expect(software).toContain('None of these');
      expect(software).toContain('Qualifications include 高新技术企业');
    });

    it('answers 404 for unknown, withdrawn-never-published and malformed codes', async () => {
      expect((await get('/policies/NO-SUCH-POLICY')).statusCode).toBe(404);
      expect((await get('/policies/%3Cscript%3E')).statusCode).toBe(404);
      const draft = samplePolicy({ code: 'PAGES-DRAFT-ONLY' });
      await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie: officers.author.cookie }, payload: policyFile([draft]) });
      expect((await get('/policies/PAGES-DRAFT-ONLY')).statusCode).toBe(404);
    });

    it("explains the policy for the signed-in person's enterprise, with the claim button when eligible", async () => {
      const page = await get('/policies/PAGES-SOFTWARE', enterprise.representative.cookie);
      const text = textOf(page.body);
      expect(text).toContain(`${enterprise.name}： 符合`);
      expect(page.body).toContain(`href="/policies/PAGES-SOFTWARE/claim?enterprise=${enterprise.id}"`);
      // Each condition is judged on the enterprise's facts.
      expect(text).toContain('满足 所属行业属于软件和信息技术服务业（65） 您的情况：应用软件开发（6513）');
      const undecided = textOf((await get('/policies/PAGES-SMALL-TAX', enterprise.representative.cookie)).body);
      expect(undecided).toContain('待确定');
      expect(undecided).toContain('还需要知道：从业人员数');
      expect(undecided).not.toContain('在线申领');
    });
  });

  describe('my policies', () => {
    const mine = () => `/enterprises/${enterprise.id}/policies`;

    it('needs the enterprise: sign-in first, and another person gets 404', async () => {
      const anonymous = await get(mine());
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(mine())}`);
      const stranger = await verifiedPerson(t, '陌生人');
      expect((await get(mine(), stranger.cookie)).statusCode).toBe(404);
    });

    it('shows the eligible, near misses, the questions and the ineligible collapsed; answers change the outcome', async () => {
      const before = await get(mine(), enterprise.representative.cookie);
      expect(before.statusCode).toBe(200);
      expect(textOf(sectionOf(before.body, 'eligible-heading'))).toContain('软件企业研发补贴');
      expect(before.body).toContain(`href="/policies/PAGES-SOFTWARE/claim?enterprise=${enterprise.id}"`);
      const questions = sectionOf(before.body, 'questions');
      expect(questions).toContain('id="employees"');
      expect(questions).toContain(`action="/enterprises/${enterprise.id}/policies/answers"`);
      expect(textOf(sectionOf(before.body, 'undetermined-heading'))).toContain('小型微利企业所得税优惠');
      // The enterprise's page links here.
      expect((await get('/enterprises', enterprise.representative.cookie)).body).toContain(`href="/enterprises/${enterprise.id}/policies"`);

      const wrong = await postForm(mine(), `${mine()}/answers`, enterprise.representative.cookie, { employees: 'twenty' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('href="#employees"');
      const nothing = await postForm(mine(), `${mine()}/answers`, enterprise.representative.cookie, {});
      expect(nothing.statusCode).toBe(400);
      expect(textOf(nothing.body)).toContain('请至少回答一个问题。');

      const saved = await postForm(mine(), `${mine()}/answers`, enterprise.representative.cookie, { employees: '25' });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`${mine()}?saved=1`);
      const after = await get(`${mine()}?saved=1`, enterprise.representative.cookie);
      expect(textOf(after.body)).toContain('已保存您的回答');
      const eligible = textOf(sectionOf(after.body, 'eligible-heading'));
      expect(eligible).toContain('小型微利企业所得税优惠');
      expect(eligible).toContain('预计可享受：60,000元');
      expect(textOf(after.body)).toContain('从业人员数 25人');
      const english = textOf((await get(mine(), enterprise.representative.cookie, 'en')).body);
      expect(english).toContain('Policies for my enterprise');
      expect(english).toContain('Estimated benefit: 60,000 yuan');
      expect(english).toContain('What the matching used');
    });

    it('refuses a posted form without the CSRF token', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: `${mine()}/answers`,
        headers: { accept: 'text/html', cookie: enterprise.representative.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'employees=30',
      });
      expect(response.statusCode).toBe(403);
    });
  });

  describe('the officers’ pages', () => {
    const bad = () =>
      samplePolicy({
        code: 'PAGES-IMPORTED',
        eligibility: { all: [{ fact: 'turnover', op: 'gt', value: 1 }, { fact: 'region', op: 'within', value: '999999' }] } as never,
      });

    it('are for policy officers only', async () => {
      const anonymous = await get('/workbench/policies');
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toBe(`/staff/login?next=${encodeURIComponent('/workbench/policies')}`);
      expect((await get('/workbench/policies', enterprise.representative.cookie)).statusCode).toBe(403);
      const other = await policyDepartment(t, { regionCode: '330000' });
      expect((await get('/workbench/policies/PAGES-SMALL-TAX', other.author.cookie)).statusCode).toBe(403);
    });

    it('list the department’s policies with status and version', async () => {
      const page = await get('/workbench/policies', officers.author.cookie);
      expect(page.statusCode).toBe(200);
      const text = textOf(page.body);
      expect(text).toContain('PAGES-SMALL-TAX');
      expect(text).toContain('已发布');
      expect(text).toContain('PAGES-DRAFT-ONLY');
      expect(text).toContain('第 1 版：草稿');
      expect(page.body).toContain('href="/workbench/policies/import"');
      expect(page.body).toContain('href="/workbench/policies"');
    });

    it('import: a file with mistakes lists each with its JSON path and imports nothing; a good one imports', async () => {
      const syntax = await postImport(officers.author.cookie, [{ name: 'policyJson', value: '{"format": "tongban-policy/1", "policies": [' }]);
      expect(syntax.statusCode).toBe(400);
      expect(textOf(syntax.body)).toContain('文件内容不是有效的 JSON');

      const mistaken = JSON.stringify(policyFile([bad()]), null, 2);
      const refused = await postImport(officers.author.cookie, [{ name: 'policyFile', filename: 'policies.json', type: 'application/json', bytes: Buffer.from(mistaken) }]);
      expect(refused.statusCode).toBe(422);
      const problems = textOf(sectionOf(refused.body, 'problems'));
      expect(problems).toContain('/policies/0/eligibility/all/0/fact');
      expect(problems).toContain('/policies/0/eligibility/all/1/value');
      expect(problems).toContain('第 1 项政策（PAGES-IMPORTED）');
      expect(refused.body).toContain('href="#problems"');
      // The file comes back in the text box, to be fixed there.
      expect(refused.body).toContain('&quot;turnover&quot;');
      expect((await get('/workbench/policies/PAGES-IMPORTED', officers.author.cookie)).statusCode).toBe(404);

      // A form without the session's CSRF token is refused before anything is read.
      const forged = multipart([{ name: '_csrf', value: 'forged' }, { name: 'policyJson', value: JSON.stringify(policyFile([samplePolicy()])) }]);
      const refusedForgery = await t.app.inject({
        method: 'POST',
        url: '/workbench/policies/import',
        headers: { accept: 'text/html', cookie: officers.author.cookie, 'content-type': forged.contentType },
        payload: forged.payload,
      });
      expect(refusedForgery.statusCode).toBe(403);

      const good = samplePolicy({ code: 'PAGES-IMPORTED' });
      const imported = await postImport(officers.author.cookie, [{ name: 'policyJson', value: JSON.stringify(policyFile([good])) }]);
      expect(imported.statusCode).toBe(303);
      expect(imported.headers.location).toContain('/workbench/policies?imported=1&created=PAGES-IMPORTED');
      const listed = textOf((await get(imported.headers.location as string, officers.author.cookie)).body);
      expect(listed).toContain('导入完成：新建 1 项（PAGES-IMPORTED）');
    });

    it('submit, a second officer reviews and publishes, then withdraws', async () => {
      const url = '/workbench/policies/PAGES-IMPORTED';
      const draft = await get(url, officers.author.cookie);
      expect(textOf(draft.body)).toContain('第 1 版：草稿');
      expect(draft.body).toContain('id="action-submit"');
      const submitted = await postForm(url, `${url}/submit`, officers.author.cookie, {});
      expect(submitted.statusCode).toBe(303);
      expect(textOf((await get(`${url}?done=submit`, officers.author.cookie)).body)).toContain('已提交审核。');

      const undecided = await postForm(url, `${url}/review`, officers.reviewer.cookie, { comment: 'ok' });
      expect(undecided.statusCode).toBe(400);
      expect(undecided.body).toContain('href="#decision"');
      const own = await postForm(url, `${url}/review`, officers.author.cookie, { decision: 'approve' });
      expect(own.statusCode).toBe(403);
      expect(textOf(own.body)).toContain('不能审核自己起草或提交的版本');

      const approved = await postForm(url, `${url}/review`, officers.reviewer.cookie, { decision: 'approve', comment: '同意发布' });
      expect(approved.statusCode).toBe(303);
      const published = textOf((await get(`${url}?done=approve`, officers.reviewer.cookie)).body);
      expect(published).toContain('已通过并发布。');
      expect(published).toContain('同意发布');
      expect((await get('/policies/PAGES-IMPORTED')).statusCode).toBe(200);

      const withdrawn = await postForm(url, `${url}/withdraw`, officers.reviewer.cookie, {});
      expect(withdrawn.statusCode).toBe(303);
      expect((await get('/policies/PAGES-IMPORTED')).statusCode).toBe(404);
      expect(textOf((await get(url, officers.author.cookie, 'en')).body)).toContain('Withdrawn');
    });

    it('shows why a version cannot be published, with the paths', async () => {
      const few = samplePolicy({ code: 'PAGES-FEW-EXAMPLES', examples: [samplePolicy().examples![0]!] });
      await postImport(officers.author.cookie, [{ name: 'policyJson', value: JSON.stringify(policyFile([few])) }]);
      const url = '/workbench/policies/PAGES-FEW-EXAMPLES';
      await postForm(url, `${url}/submit`, officers.author.cookie, {});
      const refused = await postForm(url, `${url}/review`, officers.reviewer.cookie, { decision: 'approve' });
      expect(refused.statusCode).toBe(422);
      const problems = textOf(sectionOf(refused.body, 'problems'));
      expect(problems).toContain('/policies/0/examples');
      expect(problems).toContain('发布前至少需要 2 个示例企业');
    });
  });
});
