import type { Role, SessionPrincipal } from '../core/auth.js';
import type { BundleDefinition, FlowStepDefinition, FormField, ItemDefinition, ItemType, LocalizedText, Material, Theme } from '../catalog/schema.js';
import type { Services } from '../services.js';
import type { DemoAccount } from './seed.js';

/**
 * Demo service catalogue: departments of the nation, Shanghai, Zhejiang and Guangdong at every
 * level, a catalogue editor, an officer and an approver in each, some forty service items written
 * after real implementation lists, and two "one thing" bundles. Idempotent: what exists is kept.
 */

export const CATALOG_DEMO_PASSWORD = 'Tongban-staff-2026';

/** Fixed TOTP secrets per role, printed with the accounts. Demo data only. */
export const CATALOG_DEMO_TOTP: Record<'catalogEditor' | 'officer' | 'approver', string> = {
  catalogEditor: 'MVSGS5DPOJZWKY3SMVSGS5DPOJZWKY3S',
  officer: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  approver: 'ONSWG4TFORZWK4DQONSWG4TFORZWK4DQ',
};

type Level = 'national' | 'provincial' | 'city' | 'county';

/** Departments that handle items. The first six are created by seed.ts too (same codes, so no duplicates). */
export const CATALOG_DEPARTMENTS: { code: string; nameZh: string; nameEn: string; level: Level; regionCode: string }[] = [
  { code: 'GOV-NATIONAL-SAMR', nameZh: '国家市场监督管理总局', nameEn: 'State Administration for Market Regulation', level: 'national', regionCode: '100000' },
  { code: 'GOV-NATIONAL-TAX', nameZh: '国家税务总局', nameEn: 'State Taxation Administration', level: 'national', regionCode: '100000' },
  { code: 'GOV-NATIONAL-NHSA', nameZh: '国家医疗保障局', nameEn: 'National Healthcare Security Administration', level: 'national', regionCode: '100000' },
  { code: 'SH-SAMR', nameZh: '上海市市场监督管理局', nameEn: 'Shanghai Administration for Market Regulation', level: 'provincial', regionCode: '310000' },
  { code: 'SH-HOUSING-FUND', nameZh: '上海市公积金管理中心', nameEn: 'Shanghai Housing Provident Fund Management Centre', level: 'provincial', regionCode: '310000' },
  { code: 'SH-TRAFFIC', nameZh: '上海市公安局交通警察总队', nameEn: 'Shanghai Traffic Police Corps', level: 'provincial', regionCode: '310000' },
  { code: 'SH-PD-SAMR', nameZh: '上海市浦东新区市场监督管理局', nameEn: 'Pudong New Area Market Regulation Bureau', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-HRSS', nameZh: '上海市浦东新区人力资源和社会保障局', nameEn: 'Pudong New Area Human Resources and Social Security Bureau', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-HEALTH', nameZh: '上海市浦东新区卫生健康委员会', nameEn: 'Pudong New Area Health Commission', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-PSB', nameZh: '上海市公安局浦东分局', nameEn: 'Pudong Branch of the Shanghai Public Security Bureau', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-MEDICARE', nameZh: '上海市浦东新区医疗保障局', nameEn: 'Pudong New Area Healthcare Security Bureau', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-TAX', nameZh: '国家税务总局上海市浦东新区税务局', nameEn: 'Pudong New Area Tax Service', level: 'county', regionCode: '310115' },
  { code: 'ZJ-SAMR', nameZh: '浙江省市场监督管理局', nameEn: 'Zhejiang Administration for Market Regulation', level: 'provincial', regionCode: '330000' },
  { code: 'ZJ-HZ-TAX', nameZh: '国家税务总局杭州市税务局', nameEn: 'Hangzhou Municipal Tax Service', level: 'city', regionCode: '330100' },
  { code: 'ZJ-HZ-HRSS', nameZh: '杭州市人力资源和社会保障局', nameEn: 'Hangzhou Human Resources and Social Security Bureau', level: 'city', regionCode: '330100' },
  { code: 'ZJ-HZ-PSB', nameZh: '杭州市公安局', nameEn: 'Hangzhou Public Security Bureau', level: 'city', regionCode: '330100' },
  { code: 'ZJ-HZ-HOUSING-FUND', nameZh: '杭州住房公积金管理中心', nameEn: 'Hangzhou Housing Provident Fund Management Centre', level: 'city', regionCode: '330100' },
  { code: 'ZJ-HZ-XH-SAMR', nameZh: '杭州市西湖区市场监督管理局', nameEn: 'Xihu District Market Regulation Bureau, Hangzhou', level: 'county', regionCode: '330106' },
  { code: 'GD-SAMR', nameZh: '广东省市场监督管理局', nameEn: 'Guangdong Administration for Market Regulation', level: 'provincial', regionCode: '440000' },
  { code: 'SZ-SAMR', nameZh: '深圳市市场监督管理局', nameEn: 'Shenzhen Administration for Market Regulation', level: 'city', regionCode: '440300' },
  { code: 'SZ-HRSS', nameZh: '深圳市人力资源和社会保障局', nameEn: 'Shenzhen Human Resources and Social Security Bureau', level: 'city', regionCode: '440300' },
  { code: 'SZ-NS-HEALTH', nameZh: '深圳市南山区卫生健康局', nameEn: 'Nanshan District Health Bureau, Shenzhen', level: 'county', regionCode: '440305' },
];

const STAFF_NAMES = ['陈晓燕', '周建华', '吴海涛', '郑丽娟', '王志强', '冯雪', '蒋文斌', '沈佳怡', '韩磊', '杨帆', '朱明', '秦琳', '许刚', '何静', '吕伟', '施慧', '张勇', '孔倩', '曹峰', '严红', '华新', '金凤', '魏东', '陶然', '姜楠', '戚亮', '谢敏', '邹杰', '喻婷', '柏林', '水清', '窦华', '章宁', '云飞', '苏婉', '潘涛', '葛欣', '奚鹏', '范蕾', '彭辉', '郎平', '鲁强', '韦丹', '昌盛', '马骏', '苗苗', '凤鸣', '花蕊', '方舟', '俞洁', '任远', '袁野', '柳青', '酆杰', '鲍春', '史明', '唐静', '费翔', '廉洁', '岑寂', '薛凯', '雷鸣', '贺岁', '倪红', '汤圆', '滕飞'];

const STAFF_ROLES: ('catalogEditor' | 'officer' | 'approver')[] = ['catalogEditor', 'officer', 'approver'];
const USERNAME_PREFIX: Record<(typeof STAFF_ROLES)[number], string> = { catalogEditor: 'editor', officer: 'officer', approver: 'approver' };

/** The demo login of a department's staff member, e.g. `officer.sh-pd-samr`. */
export function catalogStaffUsername(role: (typeof STAFF_ROLES)[number], departmentCode: string): string {
  return `${USERNAME_PREFIX[role]}.${departmentCode.toLowerCase()}`;
}

// Building blocks

/** The building blocks of demo items, shared with the policy zone's claim items (policy-items.ts). */
export const L = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

export const material = (key: string, zh: string, en: string, rest: Partial<Material> = {}): Material => ({
  key,
  name: L(zh, en),
  requirement: 'required',
  medium: 'electronic',
  source: 'upload',
  uploadAllowed: true,
  acceptedTypes: ['pdf', 'jpeg', 'png'],
  maxSizeMb: 10,
  ...rest,
});

/** Materials, by the key every item uses for them (a bundle asks each key once). */
const M = {
  residentIdentity: () => material('residentIdentity', '申请人身份证明', "Applicant's identity", { source: 'governmentData', dataset: 'residentIdentity', uploadAllowed: false }),
  householdRegister: () => material('householdRegister', '户口簿（户籍信息）', 'Household register', { source: 'governmentData', dataset: 'householdRegistration', uploadAllowed: false }),
  birthMedicalCertificate: () => material('birthMedicalCertificate', '出生医学证明', 'Birth medical certificate', { source: 'governmentData', dataset: 'birthMedicalCertificate', uploadAllowed: true }),
  marriageRecord: () =>
    material('marriageRecord', '结婚证（婚姻登记信息）', 'Marriage certificate', {
      source: 'governmentData',
      dataset: 'marriageRegistration',
      uploadAllowed: true,
      requirement: 'conditional',
      condition: L('父母已登记结婚的', 'When the parents are married'),
      requiredWhen: { field: 'parentsMarried', equals: true },
    }),
  businessRegistration: () => material('businessRegistration', '营业执照（登记信息）', 'Business registration', { source: 'governmentData', dataset: 'businessRegistration', uploadAllowed: false }),
  businessLicence: () =>
    material('businessLicence', '营业执照', 'Business licence', {
      source: 'certificate',
      certificateType: 'businessLicence',
      requirement: 'conditional',
      condition: L('已领取营业执照的主体提供；与企业开办一并申请的，由登记机关推送，无需提供', 'When the business is registered already; applying together with registration, the registry passes it on'),
    }),
  // Contribution records of persons are not yet shared with every region, so a statement may be uploaded instead.
  socialInsurance: () => material('socialInsurance', '社会保险缴费记录', 'Social insurance contributions', { source: 'governmentData', dataset: 'socialInsurance', uploadAllowed: true }),
  premisesProof: () =>
    material('premisesProof', '经营场所使用证明', 'Proof of business premises', {
      source: 'certificate',
      certificateType: 'realEstateCertificate',
      uploadAllowed: true,
    }),
  housingProof: () => material('housingProof', '住所证明（不动产权证书或租赁合同）', 'Proof of residence (title or lease)', { source: 'certificate', certificateType: 'realEstateCertificate', uploadAllowed: true }),
  articles: () => material('articlesOfAssociation', '公司章程', 'Articles of association', { acceptedTypes: ['pdf'] }),
  floorPlan: () => material('floorPlan', '经营场所平面布局图', 'Floor plan of the premises', {}),
  foodSafetyRules: () => material('foodSafetyRules', '食品安全管理制度', 'Food safety management rules', { acceptedTypes: ['pdf'] }),
  equipmentList: () => material('equipmentList', '主要生产设备设施清单', 'List of production equipment', { acceptedTypes: ['pdf'] }),
  hygieneRules: () => material('hygieneRules', '卫生管理制度', 'Hygiene management rules', { acceptedTypes: ['pdf'] }),
  healthCertificates: () => material('healthCertificates', '从业人员健康合格证明', "Staff's health certificates", {}),
  photo: () => material('photo', '本人近期免冠照片', 'Recent passport photo', { acceptedTypes: ['jpeg', 'png'], maxSizeMb: 2 }),
  leaseContract: () => material('leaseContract', '房屋租赁合同及租金发票', 'Lease and rent invoices', { acceptedTypes: ['pdf', 'jpeg'] }),
  terminationProof: () => material('terminationProof', '解除或终止劳动合同的证明', 'Proof that the employment ended', {}),
  medicalCertificate: () => material('medicalCertificate', '机动车驾驶人身体条件证明', "Driver's medical certificate", { acceptedTypes: ['pdf', 'jpeg'] }),
  drivingLicence: () => material('drivingLicence', '机动车驾驶证', 'Driving licence', { source: 'certificate', certificateType: 'drivingLicence', uploadAllowed: true }),
  equipmentCertificate: () => material('equipmentCertificate', '特种设备产品合格证及监督检验证明', 'Equipment conformity and inspection certificates', {}),
};

export const field = (key: string, zh: string, en: string, type: FormField['type'], rest: Partial<FormField> = {}): FormField => ({ key, label: L(zh, en), type, required: true, ...rest });
export const option = (value: string, zh: string, en: string) => ({ value, label: L(zh, en) });

/** Form fields, by the key every item uses for them. */
const F = {
  applicantName: () => field('applicantName', '申请人姓名', "Applicant's name", 'text', { prefill: 'person.name' }),
  applicantIdNumber: () => field('applicantIdNumber', '申请人身份证号码', "Applicant's ID number", 'idNumber', { prefill: 'person.idNumber' }),
  applicantPhone: () => field('applicantPhone', '联系电话', 'Phone number', 'phone', { prefill: 'person.phone' }),
  enterpriseName: () => field('enterpriseName', '企业名称', 'Enterprise name', 'text', { maxLength: 100 }),
  enterpriseNamePrefilled: () => field('enterpriseName', '企业名称', 'Enterprise name', 'text', { maxLength: 100, prefill: 'enterprise.name' }),
  enterpriseUscc: () => field('enterpriseUscc', '统一社会信用代码', 'Unified social credit code', 'uscc', { prefill: 'enterprise.uscc' }),
  businessName: () => field('businessName', '个体工商户名称', 'Business name', 'text', { required: false, maxLength: 50, hint: L('可以不起字号', 'A trade name is optional') }),
  businessAddress: () => field('businessAddress', '经营场所地址', 'Address of the premises', 'text', { maxLength: 200 }),
  businessScope: () => field('businessScope', '经营范围', 'Business scope', 'textarea', { maxLength: 1000 }),
  registeredCapital: () => field('registeredCapital', '注册资本（万元）', 'Registered capital (10,000 yuan)', 'number', { minimum: 0, maximum: 10_000_000 }),
  premisesArea: () => field('premisesArea', '经营场所面积（平方米）', 'Floor area (m²)', 'number', { minimum: 1, maximum: 100_000 }),
  employees: () => field('employees', '从业人数', 'Number of staff', 'integer', { minimum: 0, maximum: 1_000_000 }),
  industry: () => field('industry', '所属行业', 'Industry', 'industry', { prefill: 'enterprise.industryCode', required: false }),
  bankAccount: () => field('bankAccount', '本人银行卡号', 'Your bank card number', 'text', { pattern: '[0-9]{12,19}', hint: L('12 至 19 位数字', '12 to 19 digits') }),
  mailingAddress: () => field('mailingAddress', '邮寄地址', 'Postal address', 'text', { maxLength: 200 }),
  babyName: () => field('babyName', '新生儿姓名', "Baby's name", 'text', { maxLength: 20 }),
  babySex: () => field('babySex', '新生儿性别', "Baby's sex", 'select', { options: [option('male', '男', 'Male'), option('female', '女', 'Female')] }),
  babyBirthDate: () => field('babyBirthDate', '新生儿出生日期', "Baby's date of birth", 'date'),
  parentsMarried: () => field('parentsMarried', '父母已登记结婚', 'The parents are married', 'checkbox', { required: false }),
  householdAddress: () => field('householdAddress', '落户地址', 'Address to register the household at', 'text', { maxLength: 200 }),
  spouseName: () => field('spouseName', '配偶姓名', "Spouse's name", 'text', { required: false, maxLength: 20 }),
  childOrder: () => field('childOrder', '这是第几个孩子', 'Which child this is (1 for the first)', 'integer', { minimum: 1, maximum: 10 }),
  foodCategories: () =>
    field('foodCategories', '经营项目', 'Food business category', 'select', {
      options: [option('hotMeals', '热食类食品制售', 'Hot meals'), option('coldMeals', '冷食类食品制售', 'Cold dishes'), option('pastry', '糕点类食品制售', 'Pastry'), option('prepacked', '预包装食品销售', 'Pre-packed food')],
    }),
  placeType: () =>
    field('placeType', '场所类型', 'Kind of place', 'select', {
      options: [option('hotel', '住宿场所', 'Hotel'), option('restaurant', '餐饮场所', 'Restaurant'), option('salon', '美容美发场所', 'Hair and beauty salon'), option('bathhouse', '沐浴场所', 'Bathhouse')],
    }),
};

export const step = (name: FlowStepDefinition['step'], ...roles: ('officer' | 'approver')[]): FlowStepDefinition => ({ step: name, roles });
const LICENSING_FLOW = [step('accept', 'officer'), step('review', 'officer'), step('approve', 'approver'), step('conclude', 'officer'), step('deliver', 'officer')];
const INSPECTION_FLOW = [step('accept', 'officer'), step('review', 'officer'), step('specialProcedure', 'officer'), step('approve', 'approver'), step('conclude', 'officer'), step('deliver', 'officer')];
const STANDARD_FLOW = [step('accept', 'officer'), step('review', 'officer'), step('approve', 'approver'), step('conclude', 'officer')];
const IMMEDIATE_FLOW = [step('accept', 'officer'), step('conclude', 'officer')];

interface Template {
  basic: string;
  name: [string, string];
  type: ItemType;
  audiences: ItemDefinition['audiences'];
  themes: Theme[];
  keywords: string[];
  law: ItemDefinition['legalBasis'];
  conditions: [string, string];
  legal: number;
  promised: number;
  unit?: ItemDefinition['timeLimitUnit'];
  visits?: number;
  visitReason?: [string, string];
  depth?: number;
  forms?: ItemDefinition['handlingForms'];
  fees?: ItemDefinition['fees'];
  crossRegion?: ItemDefinition['crossRegion'];
  collectElsewhere?: boolean;
  result: ItemDefinition['result'];
  materials: Material[];
  fields: FormField[];
  flow?: FlowStepDefinition[];
}

const TEMPLATES = {
  individualBusiness: {
    basic: '000120001000',
    name: ['个体工商户设立登记', 'Individual business registration'],
    type: 'administrativeLicence',
    audiences: ['person'],
    themes: ['startingBusiness'],
    keywords: ['个体户', '开店', '营业执照', '个体工商户营业执照', '小店'],
    law: [{ law: '《促进个体工商户发展条例》', documentNumber: '国务院令第755号', article: '第八条' }, { law: '《中华人民共和国市场主体登记管理条例》', documentNumber: '国务院令第746号', article: '第三条' }],
    conditions: ['有经营能力的公民，有固定的经营场所，经营范围不属于法律、行政法规禁止的行业。', 'A citizen able to run a business, with fixed premises, in a trade the law does not forbid.'],
    legal: 3,
    promised: 1,
    crossRegion: 'national',
    collectElsewhere: true,
    result: { name: L('个体工商户营业执照', 'Individual business licence'), type: 'licence', certificateType: 'individualBusinessLicence' },
    materials: [M.residentIdentity(), M.premisesProof()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.businessName(), F.businessAddress(), F.businessScope()],
    flow: LICENSING_FLOW,
  },
  enterpriseEstablishment: {
    basic: '000120002000',
    name: ['企业设立登记', 'Enterprise establishment registration'],
    type: 'administrativeLicence',
    audiences: ['person', 'enterprise'],
    themes: ['startingBusiness'],
    keywords: ['营业执照', '开公司', '公司注册', '企业开办', '开饭店'],
    law: [{ law: '《中华人民共和国市场主体登记管理条例》', documentNumber: '国务院令第746号', article: '第三条' }, { law: '《中华人民共和国公司法》', article: '第二十九条' }],
    conditions: ['名称已自主申报，有符合规定的住所、章程和法定代表人。', 'A declared name, registered address, articles of association and a legal representative.'],
    legal: 3,
    promised: 1,
    crossRegion: 'province',
    result: { name: L('营业执照', 'Business licence'), type: 'licence', certificateType: 'businessLicence' },
    materials: [M.residentIdentity(), M.premisesProof(), M.articles()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.enterpriseName(), F.businessAddress(), F.businessScope(), F.registeredCapital(), F.employees()],
    flow: LICENSING_FLOW,
  },
  foodBusinessLicence: {
    basic: '000120003000',
    name: ['食品经营许可', 'Food business licence'],
    type: 'administrativeLicence',
    audiences: ['enterprise', 'person'],
    themes: ['foodSafety', 'startingBusiness'],
    keywords: ['开饭店', '餐饮', '食品经营许可证', '饭馆', '小吃店'],
    law: [{ law: '《中华人民共和国食品安全法》', article: '第三十五条' }, { law: '《食品经营许可和备案管理办法》', documentNumber: '国家市场监督管理总局令第78号', article: '第四条' }],
    conditions: ['有与经营的食品品种、数量相适应的场所、设备设施和食品安全管理人员，有食品安全管理制度。', 'Premises, equipment and food safety staff fitting the food handled, and food safety rules.'],
    legal: 10,
    promised: 5,
    result: { name: L('食品经营许可证', 'Food business licence'), type: 'licence', certificateType: 'foodBusinessLicence', validityMonths: 60 },
    // 告知承诺制: an applicant in good credit standing may commit to having food safety rules instead of sending them.
    materials: [M.businessLicence(), M.premisesProof(), M.floorPlan(), { ...M.foodSafetyRules(), commitmentAllowed: true }],
    fields: [F.enterpriseNamePrefilled(), F.businessAddress(), F.premisesArea(), F.foodCategories(), F.applicantPhone()],
    flow: INSPECTION_FLOW,
  },
  publicPlaceHygiene: {
    basic: '000117004000',
    name: ['公共场所卫生许可', 'Public place hygiene licence'],
    type: 'administrativeLicence',
    audiences: ['enterprise', 'person'],
    themes: ['startingBusiness', 'healthcare'],
    keywords: ['卫生许可证', '开饭店', '酒店', '美容美发', '浴室'],
    law: [{ law: '《公共场所卫生管理条例》', article: '第八条' }, { law: '《公共场所卫生管理条例实施细则》', documentNumber: '卫生部令第80号', article: '第二十二条' }],
    conditions: ['场所布局、卫生设施和空气、水质符合卫生标准，从业人员持有健康合格证明。', 'Layout, sanitation, air and water meet hygiene standards; staff hold health certificates.'],
    legal: 20,
    promised: 10,
    result: { name: L('公共场所卫生许可证', 'Public place hygiene licence'), type: 'licence', certificateType: 'publicPlaceHygieneLicence', validityMonths: 48 },
    materials: [
      M.businessLicence(),
      M.premisesProof(),
      M.floorPlan(),
      {
        ...M.hygieneRules(),
        commitmentAllowed: true,
        commitmentText: L(
          '本单位承诺已建立并落实卫生管理制度，配备专（兼）职卫生管理人员，接受卫生健康部门的现场核查；如有不实，愿意承担相应法律责任，并同意记入信用记录。',
          'We commit that hygiene management rules are in place and followed, with staff responsible for hygiene, and accept on-site checks by the health department; if this proves untrue we bear the legal consequences and agree that it is entered in the credit record.',
        ),
      },
      M.healthCertificates(),
    ],
    fields: [F.enterpriseNamePrefilled(), F.businessAddress(), F.premisesArea(), F.placeType(), F.applicantPhone()],
    flow: INSPECTION_FLOW,
  },
  newTaxpayer: {
    basic: '000122005000',
    name: ['新办纳税人涉税事项综合办理', 'New taxpayer registration'],
    type: 'administrativeConfirmation',
    audiences: ['enterprise', 'person'],
    themes: ['taxes', 'startingBusiness'],
    keywords: ['税务登记', '新办企业', '发票', '税种核定', '开饭店'],
    law: [{ law: '《中华人民共和国税收征收管理法》', article: '第十五条' }],
    conditions: ['已领取营业执照的企业、个体工商户和其他组织。', 'Businesses and organisations that hold a business licence.'],
    legal: 30,
    promised: 1,
    result: { name: L('税务登记信息确认', 'Confirmed tax registration'), type: 'other' },
    materials: [M.businessLicence(), M.residentIdentity()],
    fields: [F.enterpriseNamePrefilled(), F.applicantName(), F.applicantPhone(), field('taxpayerKind', '纳税人类型', 'Kind of taxpayer', 'select', { options: [option('smallScale', '小规模纳税人', 'Small-scale taxpayer'), option('general', '一般纳税人', 'General taxpayer')] })],
    flow: IMMEDIATE_FLOW,
  },
  invoice: {
    basic: '000122006000',
    name: ['发票领用', 'Invoice issue'],
    type: 'otherAdministrativePower',
    audiences: ['enterprise'],
    themes: ['taxes'],
    keywords: ['领发票', '发票申领', '电子发票', '数电票'],
    law: [{ law: '《中华人民共和国发票管理办法》', article: '第十五条' }],
    conditions: ['已办理税务登记的纳税人。', 'Taxpayers registered for tax.'],
    legal: 5,
    promised: 1,
    result: { name: L('发票领用确认', 'Invoices issued'), type: 'other' },
    materials: [M.businessRegistration()],
    fields: [F.enterpriseNamePrefilled(), F.enterpriseUscc(), field('monthlyInvoices', '每月领用份数', 'Invoices a month', 'integer', { minimum: 1, maximum: 1000 })],
    flow: IMMEDIATE_FLOW,
  },
  employerInsurance: {
    basic: '000113007000',
    name: ['单位社会保险参保登记', 'Employer social insurance registration'],
    type: 'administrativeConfirmation',
    audiences: ['enterprise'],
    themes: ['socialSecurity', 'employment', 'startingBusiness'],
    keywords: ['社保开户', '单位参保', '员工社保', '开饭店'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第五十七条' }],
    conditions: ['依法设立的用人单位，自成立之日起三十日内办理。', 'Employers register within 30 days of being established.'],
    legal: 15,
    promised: 1,
    result: { name: L('社会保险登记证明', 'Social insurance registration'), type: 'certificate' },
    materials: [M.businessRegistration()],
    fields: [F.enterpriseNamePrefilled(), F.enterpriseUscc(), F.employees(), F.applicantPhone()],
    flow: STANDARD_FLOW,
  },
  newbornCard: {
    basic: '000113008000',
    name: ['新生儿社会保障卡申领', 'Social security card for a newborn'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['havingBaby', 'socialSecurity'],
    keywords: ['社保卡', '新生儿', '出生一件事', '生孩子'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第五十八条' }],
    conditions: ['已办理出生登记、户籍在本区的新生儿，由监护人申请。', 'A newborn registered in the district, applied for by a guardian.'],
    legal: 20,
    promised: 10,
    forms: ['online', 'post'],
    result: { name: L('社会保障卡', 'Social security card'), type: 'certificate', certificateType: 'socialSecurityCard' },
    materials: [M.birthMedicalCertificate(), M.householdRegister()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.babyName(), F.babySex(), F.babyBirthDate(), F.mailingAddress()],
    flow: STANDARD_FLOW,
  },
  card: {
    basic: '000113009000',
    name: ['社会保障卡申领', 'Social security card'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['socialSecurity'],
    keywords: ['社保卡', '补卡', '换卡', '电子社保卡'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第五十八条' }],
    conditions: ['在本市参加社会保险的人员。', 'People insured in the city.'],
    legal: 20,
    promised: 7,
    forms: ['online', 'post', 'counter'],
    result: { name: L('社会保障卡', 'Social security card'), type: 'certificate', certificateType: 'socialSecurityCard' },
    materials: [M.residentIdentity(), M.photo()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.mailingAddress()],
    flow: STANDARD_FLOW,
  },
  birthRegistration: {
    basic: '000118010000',
    name: ['生育登记', 'Birth registration'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['havingBaby'],
    keywords: ['生育服务证', '准生证', '生孩子', '出生一件事', '生育'],
    law: [{ law: '《中华人民共和国人口与计划生育法》', article: '第二十条' }],
    conditions: ['夫妻双方或一方户籍在本区，或在本区居住的育龄夫妻。', 'Couples of childbearing age registered or living in the district.'],
    legal: 5,
    promised: 0,
    result: { name: L('生育服务登记凭证', 'Birth registration record'), type: 'certificate', certificateType: 'birthRegistrationCertificate' },
    materials: [M.residentIdentity(), M.marriageRecord()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.spouseName(), F.parentsMarried(), F.childOrder(), { ...F.babyBirthDate(), required: false, hint: L('孩子已出生的填写', 'If the baby is born') }],
    flow: IMMEDIATE_FLOW,
  },
  newbornHousehold: {
    basic: '000111011000',
    name: ['新生儿出生登记（落户）', 'Household registration of a newborn'],
    type: 'administrativeConfirmation',
    audiences: ['person'],
    themes: ['havingBaby'],
    keywords: ['新生儿落户', '报户口', '上户口', '出生登记', '出生一件事'],
    law: [{ law: '《中华人民共和国户口登记条例》', article: '第七条' }],
    conditions: ['婴儿出生后一个月内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报。', 'Within a month of the birth, declared at the household registry of where the baby lives.'],
    legal: 20,
    promised: 5,
    result: { name: L('户口登记（居民户口簿记载）', 'Household registration'), type: 'certificate' },
    materials: [M.birthMedicalCertificate(), M.householdRegister(), M.residentIdentity(), M.marriageRecord()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.babyName(), F.babySex(), F.babyBirthDate(), F.parentsMarried(), F.householdAddress()],
    flow: STANDARD_FLOW,
  },
  newbornMedical: {
    basic: '000127012000',
    name: ['新生儿城乡居民医保参保登记', 'Residents’ medical insurance for a newborn'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['havingBaby', 'healthcare', 'socialSecurity'],
    keywords: ['医保参保', '新生儿医保', '居民医保', '出生一件事'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第二十五条' }],
    conditions: ['户籍在本区、出生后九十日内参保的新生儿，自出生之日起享受待遇。', 'Newborns registered in the district who enrol within 90 days are covered from birth.'],
    legal: 15,
    promised: 3,
    result: { name: L('城乡居民医保参保登记', 'Medical insurance enrolment'), type: 'other' },
    materials: [M.birthMedicalCertificate(), M.householdRegister()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.babyName(), F.babySex(), F.babyBirthDate()],
    flow: STANDARD_FLOW,
  },
  housingFund: {
    basic: '000125013000',
    name: ['住房公积金提取（租赁住房）', 'Housing fund withdrawal for rent'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['housing'],
    keywords: ['公积金提取', '租房提取', '公积金'],
    law: [{ law: '《住房公积金管理条例》', documentNumber: '国务院令第262号', article: '第二十四条' }],
    conditions: ['本人及配偶在本市无自有住房且租赁住房的缴存职工。', 'Members without a home of their own in the city who rent.'],
    legal: 3,
    promised: 1,
    result: { name: L('提取款项到账', 'Withdrawal paid'), type: 'payment' },
    materials: [M.residentIdentity(), M.leaseContract()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.bankAccount(), field('amount', '提取金额（元）', 'Amount (yuan)', 'number', { minimum: 1, maximum: 100_000 })],
    flow: STANDARD_FLOW,
  },
  residencePermit: {
    basic: '000111014000',
    name: ['居住证办理', 'Residence permit'],
    type: 'administrativeConfirmation',
    audiences: ['person'],
    themes: ['housing', 'employment', 'education'],
    keywords: ['居住证', '暂住证', '积分', '随迁子女入学'],
    law: [{ law: '《居住证暂行条例》', documentNumber: '国务院令第663号', article: '第九条' }],
    conditions: ['离开常住户口所在地，到本市居住半年以上，有合法稳定就业、稳定住所或者连续就读条件之一。', 'Living in the city for six months or more with a job, a home or studies.'],
    legal: 15,
    promised: 10,
    visits: 1,
    visitReason: ['首次申领需在派出所采集人像和指纹。', 'A first permit needs a photo and fingerprints taken at a police station.'],
    depth: 3,
    forms: ['online', 'counter'],
    result: { name: L('居住证', 'Residence permit'), type: 'certificate', certificateType: 'residencePermit', validityMonths: 36 },
    materials: [M.residentIdentity(), M.housingProof(), { ...M.socialInsurance(), requirement: 'conditional', condition: L('以就业为由申领的', 'When applying because of work') }],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), field('residenceAddress', '居住地址', 'Address', 'text'), field('reason', '申领事由', 'Reason', 'select', { options: [option('work', '就业', 'Work'), option('study', '就读', 'Study'), option('residence', '居住', 'Residence')] })],
    flow: STANDARD_FLOW,
  },
  drivingLicence: {
    basic: '000111015000',
    name: ['机动车驾驶证有效期满换证', 'Driving licence renewal'],
    type: 'administrativeLicence',
    audiences: ['person'],
    themes: ['transport'],
    keywords: ['驾照换证', '驾驶证到期', '换驾照', '驾驶证'],
    law: [{ law: '《机动车驾驶证申领和使用规定》', documentNumber: '公安部令第162号', article: '第七十一条' }],
    conditions: ['驾驶证有效期满前九十日内申请。', 'Apply within 90 days before the licence expires.'],
    legal: 10,
    promised: 1,
    crossRegion: 'national',
    fees: [{ name: L('驾驶证工本费', 'Licence fee'), amount: 10, basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格〔2017〕1186号）' }],
    result: { name: L('机动车驾驶证', 'Driving licence'), type: 'licence', certificateType: 'drivingLicence', validityMonths: 120 },
    materials: [M.drivingLicence(), M.residentIdentity(), M.medicalCertificate(), M.photo()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.mailingAddress()],
    flow: LICENSING_FLOW,
  },
  unemployment: {
    basic: '000113016000',
    name: ['失业保险金申领', 'Unemployment benefit'],
    type: 'administrativePayment',
    audiences: ['person'],
    themes: ['employment', 'socialSecurity'],
    keywords: ['失业金', '失业保险', '领失业金'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第四十五条' }, { law: '《失业保险条例》', article: '第十四条' }],
    conditions: ['失业前缴纳失业保险费满一年，非因本人意愿中断就业，已办理失业登记并有求职要求。', 'Insured for a year, out of work not by choice, registered as unemployed and looking for work.'],
    legal: 15,
    promised: 5,
    crossRegion: 'national',
    result: { name: L('失业保险金', 'Unemployment benefit'), type: 'payment' },
    materials: [M.residentIdentity(), M.socialInsurance(), M.terminationProof()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.bankAccount()],
    flow: STANDARD_FLOW,
  },
  annualTax: {
    basic: '000122017000',
    name: ['个人所得税综合所得年度汇算', 'Annual individual income tax reconciliation'],
    type: 'administrativeLevy',
    audiences: ['person'],
    themes: ['taxes'],
    keywords: ['个税', '退税', '汇算清缴', '个人所得税'],
    law: [{ law: '《中华人民共和国个人所得税法》', article: '第十一条' }],
    conditions: ['上一年度取得综合所得、需要补税或者申请退税的居民个人。', 'Residents with comprehensive income who owe tax or want a refund for the last year.'],
    legal: 30,
    promised: 10,
    unit: 'calendarDays',
    crossRegion: 'national',
    result: { name: L('退（补）税', 'Refund or payment'), type: 'payment' },
    materials: [M.residentIdentity()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.bankAccount()],
    flow: STANDARD_FLOW,
  },
  medicalFiling: {
    basic: '000127018000',
    name: ['跨省异地就医备案', 'Registering for medical treatment in another province'],
    type: 'publicService',
    audiences: ['person'],
    themes: ['healthcare', 'retirement'],
    keywords: ['异地就医', '医保备案', '跨省就医', '直接结算'],
    law: [{ law: '《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》', documentNumber: '医保发〔2022〕22号' }],
    conditions: ['参加基本医疗保险、需要在参保省外就医的人员。', 'Insured people who need treatment outside their province.'],
    legal: 5,
    promised: 0,
    crossRegion: 'national',
    result: { name: L('异地就医备案凭证', 'Out-of-province treatment record'), type: 'certificate', certificateType: 'medicalInsuranceRecord', validityMonths: 6 },
    materials: [M.residentIdentity(), M.socialInsurance()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), field('destination', '就医地', 'Where you will be treated', 'region')],
    flow: IMMEDIATE_FLOW,
  },
  nameDeclaration: {
    basic: '000120019000',
    name: ['企业名称自主申报', 'Enterprise name declaration'],
    type: 'publicService',
    audiences: ['person', 'enterprise'],
    themes: ['startingBusiness'],
    keywords: ['核名', '企业名称', '名称查重', '开公司'],
    law: [{ law: '《企业名称登记管理规定》', documentNumber: '国务院令第734号', article: '第十七条' }],
    conditions: ['拟设立企业的投资人，名称不与同行业已登记企业名称相同。', 'Founders of an enterprise, with a name no registered one in the trade has.'],
    legal: 0,
    promised: 0,
    crossRegion: 'national',
    result: { name: L('企业名称自主申报告知书', 'Name declaration notice'), type: 'certificate', certificateType: 'nameDeclarationNotice' },
    materials: [M.residentIdentity()],
    fields: [F.applicantName(), F.applicantIdNumber(), field('proposedName', '拟用企业名称', 'Proposed name', 'text', { maxLength: 100 }), field('industryCode', '行业', 'Industry', 'industry'), field('regionCode', '住所所在地', 'Where it will be', 'region')],
    flow: IMMEDIATE_FLOW,
  },
  foodProduction: {
    basic: '000120020000',
    name: ['食品生产许可', 'Food production licence'],
    type: 'administrativeLicence',
    audiences: ['enterprise'],
    themes: ['foodSafety'],
    keywords: ['食品生产许可证', 'SC证', '食品厂', '食品加工'],
    law: [{ law: '《中华人民共和国食品安全法》', article: '第三十五条' }, { law: '《食品生产许可管理办法》', documentNumber: '国家市场监督管理总局令第24号', article: '第十二条' }],
    conditions: ['有与生产的食品品种、数量相适应的生产场所、设备设施、专业技术人员和管理制度。', 'Premises, equipment, qualified staff and rules fitting the food produced.'],
    legal: 20,
    promised: 10,
    result: { name: L('食品生产许可证', 'Food production licence'), type: 'licence', certificateType: 'foodProductionLicence', validityMonths: 60 },
    materials: [M.businessRegistration(), M.premisesProof(), M.floorPlan(), M.equipmentList(), M.foodSafetyRules()],
    fields: [F.enterpriseNamePrefilled(), F.enterpriseUscc(), F.businessAddress(), field('products', '拟生产的食品类别', 'Food to be produced', 'textarea', { maxLength: 500 })],
    flow: INSPECTION_FLOW,
  },
  specialEquipment: {
    basic: '000120021000',
    name: ['特种设备使用登记', 'Special equipment registration'],
    type: 'administrativeLicence',
    audiences: ['enterprise'],
    themes: ['construction'],
    keywords: ['电梯登记', '锅炉', '压力容器', '特种设备'],
    law: [{ law: '《中华人民共和国特种设备安全法》', article: '第三十三条' }],
    conditions: ['特种设备投入使用前或者投入使用后三十日内。', 'Before, or within 30 days after, the equipment is put into use.'],
    legal: 15,
    promised: 5,
    visits: 1,
    visitReason: ['首次登记需携带设备产品合格证原件到窗口核对。', 'A first registration needs the original conformity certificate checked at the counter.'],
    depth: 3,
    forms: ['online', 'counter'],
    result: { name: L('特种设备使用登记证', 'Equipment registration certificate'), type: 'certificate', certificateType: 'specialEquipmentRegistration' },
    materials: [M.businessRegistration(), M.equipmentCertificate()],
    fields: [F.enterpriseNamePrefilled(), F.enterpriseUscc(), field('equipmentType', '设备种类', 'Kind of equipment', 'select', { options: [option('elevator', '电梯', 'Lift'), option('boiler', '锅炉', 'Boiler'), option('pressureVessel', '压力容器', 'Pressure vessel')] }), field('equipmentCount', '台数', 'Number of units', 'integer', { minimum: 1, maximum: 500 })],
    flow: LICENSING_FLOW,
  },
  taxDeregistration: {
    basic: '000122022000',
    name: ['清税注销', 'Tax deregistration'],
    type: 'administrativeConfirmation',
    audiences: ['enterprise'],
    themes: ['taxes'],
    keywords: ['注销', '清税证明', '企业注销'],
    law: [{ law: '《中华人民共和国税收征收管理法实施细则》', article: '第十五条' }],
    conditions: ['已结清应纳税款、滞纳金、罚款，缴销发票的纳税人。', 'Taxpayers who have paid all taxes, surcharges and fines and returned their invoices.'],
    legal: 20,
    promised: 3,
    result: { name: L('清税证明', 'Tax clearance'), type: 'certificate', certificateType: 'taxClearance' },
    materials: [M.businessRegistration()],
    fields: [F.enterpriseNamePrefilled(), F.enterpriseUscc(), field('reason', '注销原因', 'Reason', 'textarea', { maxLength: 500 })],
    flow: STANDARD_FLOW,
  },
  flexibleInsurance: {
    basic: '000113023000',
    name: ['灵活就业人员参保登记', 'Social insurance for the self-employed'],
    type: 'administrativeConfirmation',
    audiences: ['person'],
    themes: ['employment', 'socialSecurity', 'retirement'],
    keywords: ['灵活就业', '个人参保', '自由职业社保'],
    law: [{ law: '《中华人民共和国社会保险法》', article: '第十条' }],
    conditions: ['无雇工的个体工商户、未在用人单位参保的非全日制从业人员及其他灵活就业人员。', 'Self-employed people and part-timers not insured through an employer.'],
    legal: 15,
    promised: 1,
    crossRegion: 'province',
    result: { name: L('参保登记', 'Insurance registration'), type: 'other' },
    materials: [M.residentIdentity()],
    fields: [F.applicantName(), F.applicantIdNumber(), F.applicantPhone(), F.bankAccount()],
    flow: STANDARD_FLOW,
  },
} satisfies Record<string, Template>;

type TemplateName = keyof typeof TEMPLATES;

/** Which department implements which item. */
export const CATALOG_ITEMS: [TemplateName, string][] = [
  ['nameDeclaration', 'GOV-NATIONAL-SAMR'],
  ['annualTax', 'GOV-NATIONAL-TAX'],
  ['medicalFiling', 'GOV-NATIONAL-NHSA'],
  ['foodProduction', 'SH-SAMR'],
  ['housingFund', 'SH-HOUSING-FUND'],
  ['drivingLicence', 'SH-TRAFFIC'],
  ['individualBusiness', 'SH-PD-SAMR'],
  ['enterpriseEstablishment', 'SH-PD-SAMR'],
  ['foodBusinessLicence', 'SH-PD-SAMR'],
  ['employerInsurance', 'SH-PD-HRSS'],
  ['newbornCard', 'SH-PD-HRSS'],
  ['unemployment', 'SH-PD-HRSS'],
  ['publicPlaceHygiene', 'SH-PD-HEALTH'],
  ['birthRegistration', 'SH-PD-HEALTH'],
  ['newbornHousehold', 'SH-PD-PSB'],
  ['residencePermit', 'SH-PD-PSB'],
  ['newbornMedical', 'SH-PD-MEDICARE'],
  ['newTaxpayer', 'SH-PD-TAX'],
  ['invoice', 'SH-PD-TAX'],
  ['foodProduction', 'ZJ-SAMR'],
  ['specialEquipment', 'ZJ-SAMR'],
  ['newTaxpayer', 'ZJ-HZ-TAX'],
  ['invoice', 'ZJ-HZ-TAX'],
  ['taxDeregistration', 'ZJ-HZ-TAX'],
  ['card', 'ZJ-HZ-HRSS'],
  ['unemployment', 'ZJ-HZ-HRSS'],
  ['flexibleInsurance', 'ZJ-HZ-HRSS'],
  ['residencePermit', 'ZJ-HZ-PSB'],
  ['newbornHousehold', 'ZJ-HZ-PSB'],
  ['housingFund', 'ZJ-HZ-HOUSING-FUND'],
  ['individualBusiness', 'ZJ-HZ-XH-SAMR'],
  ['enterpriseEstablishment', 'ZJ-HZ-XH-SAMR'],
  ['foodBusinessLicence', 'ZJ-HZ-XH-SAMR'],
  ['foodProduction', 'GD-SAMR'],
  ['individualBusiness', 'SZ-SAMR'],
  ['enterpriseEstablishment', 'SZ-SAMR'],
  ['foodBusinessLicence', 'SZ-SAMR'],
  ['employerInsurance', 'SZ-HRSS'],
  ['card', 'SZ-HRSS'],
  ['unemployment', 'SZ-HRSS'],
  ['publicPlaceHygiene', 'SZ-NS-HEALTH'],
  ['birthRegistration', 'SZ-NS-HEALTH'],
];

/** The implementation code of a demo item: department code and basic code, e.g. `SH-PD-SAMR-000120001000`. */
export function demoImplementationCode(template: TemplateName, departmentCode: string): string {
  return `${departmentCode}-${TEMPLATES[template].basic}`;
}

/** The demo definition of one item at one department. */
export function demoItemDefinition(template: TemplateName, departmentCode: string): ItemDefinition {
  const t: Template = TEMPLATES[template];
  const depth = t.depth ?? 4;
  const definition: ItemDefinition = {
    basicCode: t.basic,
    implementationCode: demoImplementationCode(template, departmentCode),
    name: L(...t.name),
    itemType: t.type,
    audiences: t.audiences,
    themes: t.themes,
    keywords: t.keywords,
    legalBasis: t.law,
    acceptanceConditions: L(...t.conditions),
    timeLimitUnit: t.unit ?? 'workingDays',
    legalLimitDays: t.legal,
    promisedLimitDays: t.promised,
    visits: t.visits ?? 0,
    onlineDepth: depth,
    handlingForms: t.forms ?? ['online', 'counter'],
    fees: t.fees ?? [],
    crossRegion: t.crossRegion ?? 'none',
    collectElsewhere: t.collectElsewhere ?? false,
    result: t.result,
    materials: t.materials,
    form: { fields: t.fields },
    flow: { steps: t.flow ?? STANDARD_FLOW },
    contact: '12345 政务服务便民热线',
  };
  if (t.visitReason) definition.visitReason = L(...t.visitReason);
  return structuredClone(definition);
}

/** The two "one thing" bundles of the demo, both in Pudong. */
export const CATALOG_BUNDLES: (Omit<BundleDefinition, 'itemIds'> & { items: [TemplateName, string][] })[] = [
  {
    code: 'open-restaurant',
    name: L('开饭店', 'Opening a restaurant'),
    description: L(
      '开一家饭店要办的营业执照、食品经营许可、公共场所卫生许可、税务和社保登记，一张表一次申请，市场监管、卫生健康、税务、人社部门并联办理。',
      'Business licence, food business licence, hygiene licence, tax and social insurance registration for a restaurant: one form, one application, handled in parallel by four departments.',
    ),
    themes: ['startingBusiness', 'foodSafety'],
    items: [
      ['enterpriseEstablishment', 'SH-PD-SAMR'],
      ['foodBusinessLicence', 'SH-PD-SAMR'],
      ['publicPlaceHygiene', 'SH-PD-HEALTH'],
      ['newTaxpayer', 'SH-PD-TAX'],
      ['employerInsurance', 'SH-PD-HRSS'],
    ],
  },
  {
    code: 'having-baby',
    name: L('出生一件事', 'Having a baby'),
    description: L(
      '宝宝出生后的生育登记、落户、医保参保和社保卡申领，一次填报，出生医学证明和户籍信息由部门共享，无需提交。',
      'Birth registration, household registration, medical insurance and a social security card for your baby in one go; the birth certificate and household records are shared by the departments.',
    ),
    themes: ['havingBaby'],
    items: [
      ['birthRegistration', 'SH-PD-HEALTH'],
      ['newbornHousehold', 'SH-PD-PSB'],
      ['newbornMedical', 'SH-PD-MEDICARE'],
      ['newbornCard', 'SH-PD-HRSS'],
    ],
  },
];

export function staffPrincipal(staff: { staffId: string; accountId: string; name: string; departmentId: string; regionCode: string; roles: Role[] }): SessionPrincipal {
  return {
    kind: 'account',
    accountId: staff.accountId,
    sessionId: '',
    personId: null,
    staffId: staff.staffId,
    roles: staff.roles,
    displayName: staff.name,
    departmentId: staff.departmentId,
    regionCode: staff.regionCode,
    mfaPassed: true,
    mfaEnrolled: true,
    csrfToken: '',
  };
}

/**
 * Seeds the demo catalogue and returns the staff accounts to print. `departments` maps the codes
 * seed.ts already created to their ids; the rest are created here.
 */
/** The catalogue's staff accounts as `npm start` prints them (the same whether seeded now or before). */
export function catalogDemoAccounts(): DemoAccount[] {
  return CATALOG_DEPARTMENTS.flatMap((department) =>
    STAFF_ROLES.map((role) => ({
      role: `${USERNAME_PREFIX[role]} ${department.code}`,
      login: catalogStaffUsername(role, department.code),
      password: CATALOG_DEMO_PASSWORD,
      note: `TOTP secret ${CATALOG_DEMO_TOTP[role]}`,
    })),
  );
}

export async function seedCatalog(services: Services, departments: Map<string, string> = new Map()): Promise<DemoAccount[]> {
  const identity = services.identity;
  const accounts: DemoAccount[] = [];
  const editors = new Map<string, SessionPrincipal>();
  let nameIndex = 0;
  for (const department of CATALOG_DEPARTMENTS) {
    const created = await identity.createDepartment({ ...department });
    departments.set(department.code, created.id);
    for (const role of STAFF_ROLES) {
      const username = catalogStaffUsername(role, department.code);
      const name = STAFF_NAMES[nameIndex++ % STAFF_NAMES.length]!;
      let account = await identity.store.accountByUsername(username);
      if (!account) {
        const { accountId } = await identity.createStaff(
          { name, username, password: CATALOG_DEMO_PASSWORD, departmentId: created.id, regionCode: department.regionCode, roles: [role] },
          { type: 'system', label: 'demo data' },
        );
        await identity.enrolTotpWithSecret(accountId, CATALOG_DEMO_TOTP[role]);
        account = (await identity.store.accountByUsername(username))!;
      }
      if (role === 'catalogEditor') {
        editors.set(department.code, staffPrincipal({ staffId: account.staffId!, accountId: account.id, name, departmentId: created.id, regionCode: department.regionCode, roles: [role] }));
      }
    }
  }
  accounts.push(...catalogDemoAccounts());

  const itemIds = new Map<string, string>();
  for (const [template, departmentCode] of CATALOG_ITEMS) {
    const code = demoImplementationCode(template, departmentCode);
    const existing = await services.catalog.itemByImplementationCode(code);
    const item = existing ?? (await services.catalog.publishItem(editors.get(departmentCode)!, demoItemDefinition(template, departmentCode)));
    itemIds.set(code, item.itemId);
  }

  const published = new Set((await services.catalog.listBundles()).map((bundle) => bundle.code));
  for (const { items, ...bundle } of CATALOG_BUNDLES) {
    if (published.has(bundle.code)) continue;
    const ids = items.map(([template, departmentCode]) => itemIds.get(demoImplementationCode(template, departmentCode))!);
    await services.catalog.publishBundle(editors.get(items[0]![1])!, { ...bundle, itemIds: ids });
  }
  return accounts;
}
