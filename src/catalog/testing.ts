import type { ItemDefinition, Material } from './schema.js';

/**
 * A complete, consistent item definition for tests: 个体工商户登记 as a Pudong editor would write
 * it. Tests change one thing at a time with `overrides`.
 */
export function individualBusinessDefinition(overrides: Partial<ItemDefinition> = {}): ItemDefinition {
  return {
    basicCode: '000120001000',
    implementationCode: 'TEST-310115-IB-001',
    name: { 'zh-CN': '个体工商户设立登记', en: 'Individual business registration' },
    itemType: 'administrativeLicence',
    audiences: ['person'],
    themes: ['startingBusiness'],
    keywords: ['开店', '营业执照', '个体户'],
    legalBasis: [{ law: '《促进个体工商户发展条例》', documentNumber: '国务院令第755号', article: '第八条' }],
    acceptanceConditions: { 'zh-CN': '有经营能力的公民，经营场所符合要求。', en: 'A citizen able to run a business, with suitable premises.' },
    timeLimitUnit: 'workingDays',
    legalLimitDays: 15,
    promisedLimitDays: 3,
    visits: 0,
    onlineDepth: 4,
    handlingForms: ['online', 'counter'],
    fees: [],
    crossRegion: 'national',
    collectElsewhere: true,
    result: { name: { 'zh-CN': '个体工商户营业执照', en: 'Individual business licence' }, type: 'licence', certificateType: 'individualBusinessLicence' },
    materials: [
      {
        key: 'residentIdentity',
        name: { 'zh-CN': '经营者身份证明', en: "Operator's identity" },
        requirement: 'required',
        medium: 'electronic',
        source: 'governmentData',
        dataset: 'residentIdentity',
        uploadAllowed: false,
        acceptedTypes: ['pdf', 'jpeg'],
        maxSizeMb: 5,
      },
      {
        key: 'premisesProof',
        name: { 'zh-CN': '经营场所使用证明', en: 'Proof of business premises' },
        requirement: 'required',
        medium: 'electronic',
        source: 'upload',
        uploadAllowed: true,
        acceptedTypes: ['pdf', 'jpeg', 'png'],
        maxSizeMb: 10,
      },
    ],
    form: {
      fields: [
        { key: 'operatorName', label: { 'zh-CN': '经营者姓名', en: "Operator's name" }, type: 'text', required: true, prefill: 'person.name' },
        { key: 'businessName', label: { 'zh-CN': '个体工商户名称', en: 'Business name' }, type: 'text', required: false, maxLength: 50 },
        {
          key: 'premisesType',
          label: { 'zh-CN': '经营场所', en: 'Premises' },
          type: 'select',
          required: true,
          options: [
            { value: 'owned', label: { 'zh-CN': '自有', en: 'Owned' } },
            { value: 'leased', label: { 'zh-CN': '租赁', en: 'Leased' } },
          ],
        },
      ],
    },
    flow: {
      steps: [
        { step: 'accept', roles: ['officer'] },
        { step: 'review', roles: ['officer'] },
        { step: 'approve', roles: ['approver'] },
        { step: 'conclude', roles: ['officer'] },
        { step: 'deliver', roles: ['officer'] },
      ],
    },
    ...overrides,
  };
}

export function uploadMaterial(key: string, overrides: Partial<Material> = {}): Material {
  return {
    key,
    name: { 'zh-CN': `材料${key}`, en: `Material ${key}` },
    requirement: 'required',
    medium: 'electronic',
    source: 'upload',
    uploadAllowed: true,
    acceptedTypes: ['pdf'],
    maxSizeMb: 5,
    ...overrides,
  };
}
