import type { FormField, ItemDefinition, ItemType, Material, Theme } from '../catalog/schema.js';
import { L, field, material, option, step } from './catalog.js';

/**
 * The service items through which the demo's apply-mode policies are claimed (稳岗返还申领,
 * 一次性扩岗补助申领, 创业补贴申领, ...). Each is an enterprise item handled fully online by a
 * department of the demo catalogue, so a claim from a policy page becomes an ordinary application
 * in that department's workflow. Policies name the implementation code (`POLICY_ITEM_CODES`).
 *
 * The demo has no municipal human resources bureau for Shanghai, no state-owned assets commission
 * and no local financial regulator, so Shanghai-wide employment policies are handled by the Pudong
 * bureau and the Shanghai rent relief by the municipal market regulator, as stand-ins.
 */

/** Materials by the key every claim item uses for them, so a bundle or a second claim reuses them. */
const M = {
  businessRegistration: () => material('businessRegistration', '营业执照（登记信息）', 'Business registration', { source: 'governmentData', dataset: 'businessRegistration', uploadAllowed: false }),
  socialInsurance: () => material('socialInsurance', '单位社会保险缴费记录', "The employer's social insurance contributions", { source: 'governmentData', dataset: 'socialInsurance', uploadAllowed: true }),
  residentIdentity: () => material('residentIdentity', '经营者或法定代表人身份证明', "Operator's or legal representative's identity", { source: 'governmentData', dataset: 'residentIdentity', uploadAllowed: false }),
  laborContracts: () => material('laborContracts', '新招用人员劳动合同', 'Employment contracts of the new hires', { acceptedTypes: ['pdf'] }),
  graduationCertificates: () => material('graduationCertificates', '高校毕业生毕业证书', "Graduates' diplomas", {}),
  leaseContract: () => material('leaseContract', '房屋租赁合同及租金支付凭证', 'Lease and proof of rent paid', { acceptedTypes: ['pdf', 'jpeg'] }),
  trainingRecords: () => material('trainingRecords', '培训计划、签到记录和考核结果', 'Training plan, attendance and assessment results', { acceptedTypes: ['pdf'] }),
  loanContract: () => material('loanContract', '借款合同及付息凭证', 'Loan contract and interest receipts', { acceptedTypes: ['pdf'] }),
  financialStatements: () => material('financialStatements', '上年度财务报表', "Last year's financial statements", { acceptedTypes: ['pdf'] }),
  hardshipStatement: () => material('hardshipStatement', '生产经营困难情况说明', 'Statement of the business difficulties', { acceptedTypes: ['pdf'] }),
  rdRecords: () => material('rdRecords', '研发项目立项文件及研发费用辅助账', 'R&D project approvals and the R&D expense ledger', { acceptedTypes: ['pdf'] }),
  qualificationCertificate: () => material('qualificationCertificate', '资质认定证书', 'Qualification certificate', { acceptedTypes: ['pdf', 'jpeg'] }),
};


const F = {
  enterpriseName: () => field('enterpriseName', '单位名称', 'Name of the employer', 'text', { maxLength: 100, prefill: 'enterprise.name' }),
  enterpriseUscc: () => field('enterpriseUscc', '统一社会信用代码', 'Unified social credit code', 'uscc', { prefill: 'enterprise.uscc' }),
  contactName: () => field('contactName', '经办人姓名', 'Name of the person handling the claim', 'text', { prefill: 'person.name', maxLength: 40 }),
  contactPhone: () => field('contactPhone', '经办人联系电话', 'Phone number', 'phone', { prefill: 'person.phone' }),
  bankAccount: () =>
    field('bankAccount', '单位银行账号', "The employer's bank account", 'text', { pattern: '[0-9]{8,30}', hint: L('8 至 30 位数字，资金拨付到此账户', '8 to 30 digits; the money is paid here') }),
  employees: () => field('employees', '在职职工人数', 'Number of staff', 'integer', { minimum: 0, maximum: 1_000_000, prefill: 'enterprise.employees' }),
  headcount: (key: string, zh: string, en: string) => field(key, zh, en, 'integer', { minimum: 1, maximum: 10_000 }),
  amount: (key: string, zh: string, en: string, maximum: number) => field(key, zh, en, 'number', { minimum: 0, maximum }),
};

/** Money is paid on an approver's decision; the officer checks the data and concludes. */
const PAYMENT_FLOW = [step('accept', 'officer'), step('review', 'officer'), step('approve', 'approver'), step('conclude', 'officer')];

interface ClaimTemplate {
  basic: string;
  name: [string, string];
  type: ItemType;
  themes: Theme[];
  keywords: string[];
  law: ItemDefinition['legalBasis'];
  conditions: [string, string];
  legal: number;
  promised: number;
  result: [string, string];
  materials: Material[];
  fields: FormField[];
}

const TEMPLATES = {
  jobRetentionRefund: {
    basic: '000113101000',
    name: ['失业保险稳岗返还申领', 'Unemployment insurance job-retention refund'],
    type: 'administrativePayment',
    themes: ['employment', 'socialSecurity'],
    keywords: ['稳岗返还', '稳岗补贴', '失业保险返还', '援企稳岗'],
    law: [{ law: '《失业保险条例》', article: '第十条' }, { law: '《关于延续实施失业保险援企稳岗政策的通知》', documentNumber: '人社部发〔2024〕40号' }],
    conditions: ['依法参加失业保险并足额缴费、裁员率不高于规定标准、未被列入严重失信主体名单的参保单位。', 'Employers insured against unemployment and paid up, with layoffs within the limit, not listed as untrustworthy.'],
    legal: 20,
    promised: 10,
    result: ['稳岗返还资金拨付', 'Refund paid'],
    materials: [M.businessRegistration(), M.socialInsurance(), M.financialStatements(), M.hardshipStatement()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.employees(), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  jobExpansionSubsidy: {
    basic: '000113102000',
    name: ['一次性扩岗补助申领', 'One-off job-expansion subsidy'],
    type: 'administrativePayment',
    themes: ['employment'],
    keywords: ['扩岗补助', '招用高校毕业生', '吸纳毕业生', '一次性补助'],
    law: [{ law: '《关于加快落实一次性扩岗补助政策有关工作的通知》', documentNumber: '人社厅发〔2022〕41号' }],
    conditions: ['招用毕业年度或离校2年内未就业高校毕业生、登记失业的16-24岁青年，签订劳动合同并参加失业保险的单位。', 'Employers that hire recent graduates or registered unemployed young people on a contract and insure them.'],
    legal: 20,
    promised: 10,
    result: ['扩岗补助资金拨付', 'Subsidy paid'],
    materials: [M.businessRegistration(), M.socialInsurance(), M.laborContracts(), M.graduationCertificates()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.headcount('graduatesHired', '新招用高校毕业生人数', 'Graduates hired'), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  startupSubsidy: {
    basic: '000113103000',
    name: ['创业补贴申领', 'Start-up subsidy'],
    type: 'administrativePayment',
    themes: ['employment', 'startingBusiness'],
    keywords: ['创业补贴', '一次性创业补贴', '初创企业', '带动就业补贴'],
    law: [{ law: '《中华人民共和国就业促进法》', article: '第七条' }, { law: '《就业补助资金管理办法》', documentNumber: '财社〔2017〕164号', article: '第五条' }],
    conditions: ['在本地登记注册、成立3年内、正常经营并为职工缴纳社会保险的初创企业和个体工商户。', 'Businesses registered here within three years, trading, and insuring their staff.'],
    legal: 20,
    promised: 10,
    result: ['创业补贴资金拨付', 'Subsidy paid'],
    materials: [M.businessRegistration(), M.residentIdentity(), M.socialInsurance()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.employees(), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  trainingSubsidy: {
    basic: '000113104000',
    name: ['职业培训补贴申领', 'Vocational training subsidy'],
    type: 'administrativePayment',
    themes: ['employment', 'education'],
    keywords: ['培训补贴', '职业技能培训', '以工代训', '新型学徒制'],
    law: [{ law: '《职业技能提升行动方案（2019—2021年）》', documentNumber: '国办发〔2019〕24号' }, { law: '《就业补助资金管理办法》', documentNumber: '财社〔2017〕164号', article: '第七条' }],
    conditions: ['组织本单位参保职工参加职业技能培训、培训结束并经考核合格的单位。', 'Employers whose insured staff completed and passed vocational training.'],
    legal: 20,
    promised: 15,
    result: ['培训补贴资金拨付', 'Subsidy paid'],
    materials: [M.businessRegistration(), M.socialInsurance(), M.trainingRecords()],
    fields: [
      F.enterpriseName(),
      F.enterpriseUscc(),
      F.headcount('trainees', '参加培训并考核合格人数', 'Staff who completed and passed the training'),
      field('trainingKind', '培训类型', 'Kind of training', 'select', {
        options: [option('apprenticeship', '企业新型学徒制', 'New-style apprenticeship'), option('skills', '岗位技能提升培训', 'Job skills upgrading'), option('safety', '安全技能培训', 'Safety training')],
      }),
      F.contactName(),
      F.contactPhone(),
      F.bankAccount(),
    ],
  },
  absorptionSubsidy: {
    basic: '000113106000',
    name: ['吸纳重点群体就业补贴申领', 'Subsidy for hiring people who find work hard'],
    type: 'administrativePayment',
    themes: ['employment', 'socialSecurity'],
    keywords: ['吸纳就业补贴', '长期失业青年', '就业困难人员', '社保补贴'],
    law: [{ law: '《就业补助资金管理办法》', documentNumber: '财社〔2017〕164号', article: '第八条' }],
    conditions: ['招用就业困难人员、长期失业青年等重点群体，签订1年以上劳动合同并缴纳社会保险的单位。', 'Employers that hire people who find work hard on a contract of a year or more and insure them.'],
    legal: 20,
    promised: 10,
    result: ['就业补贴资金拨付', 'Subsidy paid'],
    materials: [M.businessRegistration(), M.socialInsurance(), M.laborContracts()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.headcount('peopleHired', '招用重点群体人数', 'People hired'), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  startupRentSubsidy: {
    basic: '000113107000',
    name: ['创业场地租金补贴申领', 'Start-up rent subsidy'],
    type: 'administrativePayment',
    themes: ['employment', 'startingBusiness'],
    keywords: ['房租补贴', '场租补贴', '创业园', '大学生创业'],
    law: [{ law: '《就业补助资金管理办法》', documentNumber: '财社〔2017〕164号', article: '第五条' }],
    conditions: ['成立3年内、租用经营场地正常经营的初创企业和个体工商户。', 'Businesses within three years of registration that rent their premises and trade.'],
    legal: 20,
    promised: 10,
    result: ['租金补贴资金拨付', 'Subsidy paid'],
    materials: [M.businessRegistration(), M.leaseContract()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.amount('annualRent', '年租金（元）', 'Yearly rent (yuan)', 100_000_000), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  startupLoanInterest: {
    basic: '000113108000',
    name: ['创业担保贷款贴息申请', 'Interest subsidy on guaranteed start-up loans'],
    type: 'administrativePayment',
    themes: ['employment', 'startingBusiness'],
    keywords: ['贷款贴息', '创业担保贷款', '小微企业贷款', '贴息'],
    law: [{ law: '《关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》', documentNumber: '财金〔2020〕21号' }],
    conditions: ['取得创业担保贷款、按期付息的个体工商户和小微企业。', 'Individual businesses and small enterprises with a guaranteed start-up loan, paying interest on time.'],
    legal: 20,
    promised: 10,
    result: ['贴息资金拨付', 'Interest subsidy paid'],
    materials: [M.businessRegistration(), M.loanContract()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.amount('loanAmount', '贷款金额（元）', 'Loan amount (yuan)', 3_000_000), F.amount('interestPaid', '已付利息（元）', 'Interest paid (yuan)', 1_000_000), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  citPreference: {
    basic: '000122101000',
    name: ['企业所得税优惠事项办理', 'Enterprise income tax preferences'],
    type: 'administrativeConfirmation',
    themes: ['taxes'],
    keywords: ['小型微利企业', '研发费用加计扣除', '高新技术企业', '所得税优惠', '减免税'],
    law: [{ law: '《中华人民共和国企业所得税法》', article: '第二十八条' }, { law: '《企业所得税优惠政策事项办理办法》', documentNumber: '国家税务总局公告2018年第23号' }],
    conditions: ['符合条件的企业在预缴申报或年度汇算清缴时自行判别、申报享受，并留存备查资料。', 'Qualifying enterprises claim the preference in their return and keep the supporting records.'],
    legal: 20,
    promised: 5,
    result: ['优惠事项确认', 'Preference confirmed'],
    materials: [M.businessRegistration(), M.financialStatements(), { ...M.rdRecords(), requirement: 'conditional', condition: L('享受研发费用加计扣除的', 'When claiming the R&D extra deduction') }, { ...M.qualificationCertificate(), requirement: 'conditional', condition: L('享受高新技术企业优惠的', 'When claiming the high-tech rate') }],
    fields: [
      F.enterpriseName(),
      F.enterpriseUscc(),
      field('preference', '优惠事项', 'Preference', 'select', {
        options: [option('smallLowProfit', '小型微利企业所得税优惠', 'Small low-profit enterprise'), option('rdDeduction', '研发费用加计扣除', 'R&D extra deduction'), option('highTech', '高新技术企业15%税率', 'High-tech 15% rate')],
      }),
      field('taxYear', '所属年度', 'Tax year', 'integer', { minimum: 2000, maximum: 2100 }),
      F.contactName(),
      F.contactPhone(),
    ],
  },
  vatPreference: {
    basic: '000122102000',
    name: ['增值税留抵退税和加计抵减办理', 'VAT credit refunds and extra input credit'],
    type: 'administrativeConfirmation',
    themes: ['taxes'],
    keywords: ['留抵退税', '加计抵减', '增值税', '先进制造业'],
    law: [{ law: '《关于进一步加大增值税期末留抵退税政策实施力度的公告》', documentNumber: '财政部 税务总局公告2022年第14号' }, { law: '《关于先进制造业企业增值税加计抵减政策的公告》', documentNumber: '财政部 税务总局公告2023年第43号' }],
    conditions: ['纳税信用级别为A级或B级、符合行业和规模条件的增值税一般纳税人。', 'General VAT taxpayers rated A or B who meet the industry and size conditions.'],
    legal: 20,
    promised: 5,
    result: ['退税款或加计抵减确认', 'Refund or credit confirmed'],
    materials: [M.businessRegistration(), M.financialStatements()],
    fields: [
      F.enterpriseName(),
      F.enterpriseUscc(),
      field('request', '申请事项', 'Request', 'select', { options: [option('creditRefund', '增值税期末留抵退税', 'VAT credit refund'), option('extraCredit', '先进制造业企业加计抵减声明', 'Advanced manufacturer extra credit')] }),
      F.amount('amountRequested', '申请金额（元）', 'Amount (yuan)', 10_000_000_000),
      F.contactName(),
      F.contactPhone(),
    ],
  },
  propertyTaxHardship: {
    basic: '000122103000',
    name: ['房产税、城镇土地使用税困难减免申请', 'Property and land use tax relief for businesses in difficulty'],
    type: 'administrativeConfirmation',
    themes: ['taxes'],
    keywords: ['房产税减免', '城镇土地使用税', '困难减免', '减免税'],
    law: [{ law: '《中华人民共和国房产税暂行条例》', article: '第六条' }, { law: '《中华人民共和国城镇土地使用税暂行条例》', article: '第七条' }],
    conditions: ['纳税确有困难、上年度亏损或受不可抗力影响的纳税人。', 'Taxpayers in real difficulty: a loss last year or force majeure.'],
    legal: 20,
    promised: 10,
    result: ['减免税核准', 'Relief granted'],
    materials: [M.businessRegistration(), M.financialStatements(), M.hardshipStatement()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.amount('taxDue', '应纳税额（元）', 'Tax due (yuan)', 100_000_000), F.contactName(), F.contactPhone()],
  },
  stateOwnedRentRelief: {
    basic: '000120101000',
    name: ['承租国有房屋租金减免申请', 'Rent relief for tenants of state-owned property'],
    type: 'publicService',
    themes: ['startingBusiness'],
    keywords: ['房租减免', '国有房屋', '减免租金', '小微企业'],
    law: [{ law: '《关于促进服务业领域困难行业恢复发展的若干政策》', documentNumber: '发改财金〔2022〕271号' }],
    conditions: ['承租国有房屋从事生产经营的服务业小微企业和个体工商户。', 'Service-sector small businesses and individual businesses renting state-owned premises.'],
    legal: 15,
    promised: 5,
    result: ['租金减免确认', 'Rent relief confirmed'],
    materials: [M.businessRegistration(), M.leaseContract()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.amount('monthlyRent', '月租金（元）', 'Monthly rent (yuan)', 10_000_000), field('premisesAddress', '承租房屋地址', 'Address of the premises', 'text', { maxLength: 200 }), F.contactName(), F.contactPhone()],
  },
  individualBusinessSupport: {
    basic: '000120102000',
    name: ['个体工商户纾困补助申领', 'Relief grant for individual businesses'],
    type: 'administrativePayment',
    themes: ['startingBusiness'],
    keywords: ['个体工商户', '个体户补贴', '纾困', '小店'],
    law: [{ law: '《促进个体工商户发展条例》', documentNumber: '国务院令第755号', article: '第十五条' }],
    conditions: ['在本地登记、正常经营、未被列入经营异常名录或严重失信主体名单的个体工商户。', 'Individual businesses registered here, trading, and not listed as irregular or untrustworthy.'],
    legal: 15,
    promised: 7,
    result: ['补助资金拨付', 'Grant paid'],
    materials: [M.businessRegistration(), M.residentIdentity()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
  individualToEnterpriseAward: {
    basic: '000120103000',
    name: ['个体工商户转型升级为企业奖励申领', 'Award for individual businesses that become companies'],
    type: 'administrativeAward',
    themes: ['startingBusiness'],
    keywords: ['个转企', '个体户转企业', '转型升级', '奖励'],
    law: [{ law: '《促进个体工商户发展条例》', documentNumber: '国务院令第755号', article: '第十二条' }],
    conditions: ['达到一定经营规模、申请转型为企业并延续原字号和经营场所的个体工商户。', 'Individual businesses of some size that turn into a company, keeping their name and premises.'],
    legal: 20,
    promised: 10,
    result: ['转型升级奖励拨付', 'Award paid'],
    materials: [M.businessRegistration(), M.residentIdentity(), M.financialStatements()],
    fields: [F.enterpriseName(), F.enterpriseUscc(), field('newEnterpriseName', '拟转型企业名称', 'Name of the new company', 'text', { maxLength: 100 }), F.contactName(), F.contactPhone(), F.bankAccount()],
  },
} satisfies Record<string, ClaimTemplate>;

export type PolicyItemTemplate = keyof typeof TEMPLATES;

/** Which department handles which claim item. */
const IMPLEMENTATIONS: [PolicyItemTemplate, string][] = [
  ['citPreference', 'GOV-NATIONAL-TAX'],
  ['vatPreference', 'GOV-NATIONAL-TAX'],
  ['propertyTaxHardship', 'SH-PD-TAX'],
  ['propertyTaxHardship', 'ZJ-HZ-TAX'],
  ['jobRetentionRefund', 'SH-PD-HRSS'],
  ['jobExpansionSubsidy', 'SH-PD-HRSS'],
  ['startupSubsidy', 'SH-PD-HRSS'],
  ['trainingSubsidy', 'SH-PD-HRSS'],
  ['absorptionSubsidy', 'SH-PD-HRSS'],
  ['jobRetentionRefund', 'ZJ-HZ-HRSS'],
  ['jobExpansionSubsidy', 'ZJ-HZ-HRSS'],
  ['startupSubsidy', 'ZJ-HZ-HRSS'],
  ['startupRentSubsidy', 'ZJ-HZ-HRSS'],
  ['trainingSubsidy', 'ZJ-HZ-HRSS'],
  ['startupSubsidy', 'SZ-HRSS'],
  ['startupLoanInterest', 'SZ-HRSS'],
  ['trainingSubsidy', 'SZ-HRSS'],
  ['stateOwnedRentRelief', 'SH-SAMR'],
  ['individualBusinessSupport', 'SH-PD-SAMR'],
  ['individualBusinessSupport', 'SZ-SAMR'],
  ['individualToEnterpriseAward', 'ZJ-HZ-XH-SAMR'],
];

/** The implementation code of a claim item: department code and basic code, as in the demo catalogue. */
export function policyItemCode(template: PolicyItemTemplate, departmentCode: string): string {
  return `${departmentCode}-${TEMPLATES[template].basic}`;
}

function definitionOf(template: PolicyItemTemplate, departmentCode: string): ItemDefinition {
  const t: ClaimTemplate = TEMPLATES[template];
  return structuredClone({
    basicCode: t.basic,
    implementationCode: policyItemCode(template, departmentCode),
    name: L(...t.name),
    itemType: t.type,
    audiences: ['enterprise'],
    themes: t.themes,
    keywords: t.keywords,
    legalBasis: t.law,
    acceptanceConditions: L(...t.conditions),
    timeLimitUnit: 'workingDays',
    legalLimitDays: t.legal,
    promisedLimitDays: t.promised,
    visits: 0,
    onlineDepth: 4,
    handlingForms: ['online'],
    fees: [],
    crossRegion: 'none',
    collectElsewhere: false,
    result: { name: L(...t.result), type: t.type === 'administrativeConfirmation' ? 'approvalDocument' : t.type === 'publicService' ? 'other' : 'payment' },
    materials: t.materials,
    form: { fields: t.fields },
    flow: { steps: PAYMENT_FLOW },
    contact: '12345 政务服务便民热线',
  } satisfies ItemDefinition);
}

/** Every claim item with the department (a code of the demo catalogue) that publishes it. */
export const POLICY_SERVICE_ITEMS: readonly { departmentCode: string; definition: ItemDefinition }[] = IMPLEMENTATIONS.map(([template, departmentCode]) => ({
  departmentCode,
  definition: definitionOf(template, departmentCode),
}));

/** The implementation codes that policies' `serviceItem` fields name. */
export const POLICY_ITEM_CODES = {
  citPreference: policyItemCode('citPreference', 'GOV-NATIONAL-TAX'),
  vatPreference: policyItemCode('vatPreference', 'GOV-NATIONAL-TAX'),
  pudongPropertyTaxHardship: policyItemCode('propertyTaxHardship', 'SH-PD-TAX'),
  hangzhouPropertyTaxHardship: policyItemCode('propertyTaxHardship', 'ZJ-HZ-TAX'),
  shanghaiJobRetention: policyItemCode('jobRetentionRefund', 'SH-PD-HRSS'),
  shanghaiJobExpansion: policyItemCode('jobExpansionSubsidy', 'SH-PD-HRSS'),
  shanghaiStartup: policyItemCode('startupSubsidy', 'SH-PD-HRSS'),
  shanghaiTraining: policyItemCode('trainingSubsidy', 'SH-PD-HRSS'),
  shanghaiAbsorption: policyItemCode('absorptionSubsidy', 'SH-PD-HRSS'),
  hangzhouJobRetention: policyItemCode('jobRetentionRefund', 'ZJ-HZ-HRSS'),
  hangzhouJobExpansion: policyItemCode('jobExpansionSubsidy', 'ZJ-HZ-HRSS'),
  hangzhouStartup: policyItemCode('startupSubsidy', 'ZJ-HZ-HRSS'),
  hangzhouStartupRent: policyItemCode('startupRentSubsidy', 'ZJ-HZ-HRSS'),
  hangzhouTraining: policyItemCode('trainingSubsidy', 'ZJ-HZ-HRSS'),
  shenzhenStartup: policyItemCode('startupSubsidy', 'SZ-HRSS'),
  shenzhenStartupLoan: policyItemCode('startupLoanInterest', 'SZ-HRSS'),
  shenzhenTraining: policyItemCode('trainingSubsidy', 'SZ-HRSS'),
  shanghaiRentRelief: policyItemCode('stateOwnedRentRelief', 'SH-SAMR'),
  pudongIndividualBusiness: policyItemCode('individualBusinessSupport', 'SH-PD-SAMR'),
  shenzhenIndividualBusiness: policyItemCode('individualBusinessSupport', 'SZ-SAMR'),
  xihuIndividualToEnterprise: policyItemCode('individualToEnterpriseAward', 'ZJ-HZ-XH-SAMR'),
} as const;
