import type { ItemDefinition } from '../../catalog/schema.js';
import type { createTestApp } from '../../core/testing.js';
import { departmentWithItem, individualBusinessItem } from '../../applications/testing.js';
import { policyDepartment, policyFile, samplePolicy } from '../testing.js';
import type { PolicyDocument } from '../format/schema.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * 稳岗补贴申领 as a district human resources bureau publishes it: an enterprise item, the
 * employer's name, code and contact prefilled from the profiles, the bank account asked, the
 * business registration taken from what the government holds.
 */
export function claimItem(overrides: Partial<ItemDefinition> = {}): Partial<ItemDefinition> {
  return {
    name: label('稳岗补贴申领', 'Job retention subsidy claim'),
    itemType: 'administrativePayment',
    audiences: ['enterprise'],
    result: { name: label('稳岗补贴拨付决定', 'Decision to pay the subsidy'), type: 'payment' },
    materials: [
      {
        key: 'businessRegistration',
        name: label('营业执照（登记信息）', 'Business registration'),
        requirement: 'required',
        medium: 'electronic',
        source: 'governmentData',
        dataset: 'businessRegistration',
        uploadAllowed: false,
        acceptedTypes: ['pdf'],
        maxSizeMb: 5,
      },
    ],
    form: {
      fields: [
        { key: 'enterpriseName', label: label('单位名称', 'Name of the employer'), type: 'text', required: true, prefill: 'enterprise.name' },
        { key: 'enterpriseUscc', label: label('统一社会信用代码', 'Unified social credit code'), type: 'uscc', required: true, prefill: 'enterprise.uscc' },
        { key: 'contactPhone', label: label('经办人联系电话', 'Phone number'), type: 'phone', required: true, prefill: 'person.phone' },
        { key: 'bankAccount', label: label('单位银行账号', "The employer's bank account"), type: 'text', required: true, pattern: '[0-9]{8,30}' },
      ],
    },
    flow: {
      steps: [
        { step: 'accept', roles: ['officer'] },
        { step: 'review', roles: ['officer'] },
        { step: 'approve', roles: ['approver'] },
        { step: 'conclude', roles: ['officer'] },
      ],
    },
    ...overrides,
  };
}

/**
 * 失业保险稳岗返还 as Shanghai grants it without application: insured employers with a layoff
 * rate of at most 5.5 % and a clean credit record get back a share of last year's unemployment
 * insurance contributions: 60 % in general, 90 % in Pudong (310115).
 */
export function jobRetentionRefund(): PolicyDocument {
  return samplePolicy({
    title: { 'zh-CN': '失业保险稳岗返还', en: 'Unemployment insurance job retention refund' },
    mode: 'automatic',
    category: 'employment',
    level: 'provincial',
    regions: ['310000'],
    eligibility: {
      all: [
        { fact: 'insuredEmployees', op: 'gte', value: 1 },
        { fact: 'layoffRate', op: 'lte', value: 5.5 },
        { fact: 'untrustworthy', op: 'eq', value: false },
      ],
    },
    benefit: { description: { 'zh-CN': '返还上年度失业保险费', en: "A refund of last year's unemployment insurance" }, formula: 'unemploymentInsurancePaid * refundRatio' },
    parameters: { refundRatio: { default: 0.6, byRegion: { '310115': 0.9 } } },
    examples: [
      { name: '参保企业', facts: { insuredEmployees: 10, layoffRate: 2, untrustworthy: false, unemploymentInsurancePaid: 10_000 }, expected: 'eligible', benefitAmount: 6000 },
      { name: '裁员较多', facts: { insuredEmployees: 10, layoffRate: 10, untrustworthy: false, unemploymentInsurancePaid: 10_000 }, expected: 'ineligible' },
    ],
  });
}

/** Publishes documents through import, submission and a second officer's review. */
export async function publishPolicies(t: TestApp, officers: Awaited<ReturnType<typeof policyDepartment>>, documents: PolicyDocument[]): Promise<void> {
  const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie: officers.author.cookie }, payload: policyFile(documents) as object });
  if (imported.statusCode !== 200) throw new Error(`import failed: ${imported.body}`);
  for (const { code } of documents) {
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/submit`, headers: { cookie: officers.author.cookie }, payload: {} });
    if (submitted.statusCode !== 200) throw new Error(`submission failed: ${submitted.body}`);
    const reviewed = await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/review`, headers: { cookie: officers.reviewer.cookie }, payload: { approve: true } });
    if (reviewed.statusCode !== 200) throw new Error(`publication failed: ${reviewed.body}`);
  }
}

/**
 * A district bureau with its claim item (officer and approver signed in) and a policy department
 * that publishes an apply-mode policy claimed through it: taxable income at most 3 million, at
 * most 300 employees, not untrustworthy; the benefit a fifth of a quarter of the taxable income.
 */
export async function claimablePolicy(t: TestApp, overrides: Partial<PolicyDocument> = {}, item: Partial<ItemDefinition> = {}) {
  const definition = individualBusinessItem(claimItem(item));
  const bureau = await departmentWithItem(t, { regionCode: '310115', item: definition });
  const implementationCode = definition.implementationCode;
  const officers = await policyDepartment(t);
  const policy = samplePolicy({ mode: 'apply', serviceItem: implementationCode, ...overrides });
  await publishPolicies(t, officers, [policy]);
  return { bureau, officers, policy };
}
