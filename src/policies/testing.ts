import type { createTestApp } from '../core/testing.js';
import { staffSession } from '../identity/testing.js';
import { verifiedPerson } from '../applications/testing.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../reference/testing.js';
import { createServices } from '../services.js';
import type { PolicyDocument, PolicyFile } from './format/schema.js';
import type { BuiltinFactsInput } from './profiles/profile.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;

/** A department with two policy officers (one drafts, the other reviews), signed in past TOTP. */
export async function policyDepartment(t: TestApp, options: { regionCode?: string; code?: string } = {}) {
  const services = createServices(t.platform);
  const regionCode = options.regionCode ?? '310000';
  const department = await services.identity.createDepartment({
    code: options.code ?? `POLICY-${regionCode}-${++counter}`,
    nameZh: `${regionCode}发展改革委`,
    nameEn: `Development and Reform ${regionCode}`,
    level: 'provincial',
    regionCode,
  });
  const author = await staffSession(t, { roles: ['policyOfficer'], departmentId: department.id, regionCode, name: '政策起草员' });
  const reviewer = await staffSession(t, { roles: ['policyOfficer'], departmentId: department.id, regionCode, name: '政策审核员' });
  return { department, author, reviewer };
}

/**
 * An enterprise opened on the platform by a verified legal representative, whose facts the
 * authorities hold as given (the population table the policy zone matches against).
 */
export async function enterpriseWithFacts(t: TestApp, facts: BuiltinFactsInput, options: { name?: string; withAuthorityFacts?: boolean } = {}) {
  const services = createServices(t.platform);
  const representative = await verifiedPerson(t, '周企业');
  const uscc = makeUscc({ region: facts.region, organizationCodeBody: organizationCodeBodyFromNumber(700_000 + ++counter) });
  const name = options.name ?? `上海测试${counter}科技有限公司`;
  await services.enterpriseRegistry.add([
    {
      uscc,
      name,
      legalRepresentativeName: representative.name,
      legalRepresentativeIdNumber: representative.idNumber,
      regionCode: facts.region,
      industryCode: facts.industry,
      entityType: facts.entityType ?? 'enterprise',
      establishedOn: facts.establishedOn,
    },
  ]);
  const opened = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: representative.cookie }, payload: { uscc } });
  if (opened.statusCode !== 201) throw new Error(`opening the enterprise failed: ${opened.body}`);
  const enterprise = opened.json() as { id: string; uscc: string };
  if (options.withAuthorityFacts !== false) await services.enterpriseFacts.upsert({ uscc: enterprise.uscc, name, facts }, t.clock.now().toISOString());
  return { ...enterprise, name, representative };
}

/** A small, valid apply-mode policy document; tests override what they exercise. */
export function samplePolicy(overrides: Partial<PolicyDocument> = {}): PolicyDocument {
  return {
    code: `TEST-SMALL-TAX-${++counter}`,
    title: { 'zh-CN': '小型微利企业所得税优惠', en: 'Income tax relief for small low-profit enterprises' },
    summary: { 'zh-CN': '年应纳税所得额不超过300万元的小型微利企业减按25%计入应纳税所得额。', en: 'Small low-profit enterprises count a quarter of taxable income.' },
    level: 'national',
    category: 'tax',
    regions: ['100000'],
    effective: { from: '2023-01-01', to: '2027-12-31' },
    mode: 'info',
    eligibility: {
      all: [
        { fact: 'taxableIncome', op: 'lte', value: 3_000_000, label: { 'zh-CN': '年应纳税所得额不超过300万元', en: 'Taxable income at most 3 million yuan' } },
        { fact: 'employees', op: 'lte', value: 300 },
        { fact: 'untrustworthy', op: 'eq', value: false },
      ],
    },
    benefit: { description: { 'zh-CN': '减征企业所得税', en: 'Reduced income tax' }, formula: 'taxableIncome * 0.25 * (0.25 - 0.05)' },
    examples: [
      { name: '小微企业', facts: { taxableIncome: 1_000_000, employees: 20, untrustworthy: false }, expected: 'eligible', benefitAmount: 50_000 },
      { name: '大企业', facts: { taxableIncome: 9_000_000, employees: 500, untrustworthy: false }, expected: 'ineligible' },
    ],
    ...overrides,
  } as PolicyDocument;
}

export function policyFile(policies: PolicyDocument[], facts?: PolicyFile['facts']): PolicyFile {
  return { format: 'tongban-policy/1', ...(facts ? { facts } : {}), policies };
}
