/**
 * fast-check arbitraries of consistent item definitions, for property tests of the rules.
 * Test-only (fast-check is a development dependency).
 */
import fc from 'fast-check';
import {
  AUDIENCES,
  FLOW_STEPS,
  FORM_FIELD_TYPES,
  GOVERNMENT_DATASETS,
  HANDLING_FORMS,
  ITEM_TYPES,
  LICENSING_REQUIRED_STEPS,
  PREFILL_SOURCES,
  THEMES,
  UPLOAD_TYPES,
  type FlowStep,
  type FormField,
  type ItemDefinition,
  type Material,
} from './schema.js';

const text = (max = 20) =>
  fc.record({
    'zh-CN': fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom(...'办事指南材料申请登记许可证明营业执照个体工商户'.split('')) }),
    en: fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom(...'abcdefghij klmnop'.split('')) }).filter((s) => s.trim().length > 0),
  });

/** Keys from a fixed pool; `missingField` is never among them, so tests can refer to it as absent. */
const KEY_POOL = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
export const MISSING_FIELD = 'missingField';

const fee = fc.record({
  name: text(),
  amount: fc.integer({ min: 0, max: 1_000_000 }).map((fen) => fen / 100),
  basis: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
});

function fieldArbitrary(key: string, audiences: string[]): fc.Arbitrary<FormField> {
  const prefills = PREFILL_SOURCES.filter((p) => audiences.includes('enterprise') || !p.startsWith('enterprise.'));
  return fc
    .record({
      type: fc.constantFrom(...FORM_FIELD_TYPES),
      label: text(),
      required: fc.boolean(),
      prefill: fc.option(fc.constantFrom(...prefills), { nil: undefined }),
      range: fc.option(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 0, max: 100 })), { nil: undefined }),
      pattern: fc.option(fc.constantFrom('[0-9]{6}', '[\\p{Script=Han}]{2,10}', '.+'), { nil: undefined }),
      options: fc.array(fc.record({ value: fc.constantFrom('a', 'b', 'c', 'd'), label: text() }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ type, label, required, prefill, range, pattern, options }) => {
      const field: FormField = { key, label, type, required };
      if (prefill) field.prefill = prefill;
      if (type === 'select') field.options = options;
      if (range && (type === 'integer' || type === 'number')) {
        field.minimum = range[0];
        field.maximum = range[0] + range[1];
      }
      if (pattern && type === 'text') field.pattern = pattern;
      return field;
    });
}

function materialArbitrary(key: string, fieldKeys: string[]): fc.Arbitrary<Material> {
  return fc
    .record({
      name: text(),
      conditional: fc.boolean(),
      condition: text(),
      trigger: fieldKeys.length ? fc.option(fc.constantFrom(...fieldKeys), { nil: undefined }) : fc.constant(undefined),
      medium: fc.constantFrom('electronic' as const, 'paper' as const, 'either' as const),
      source: fc.constantFrom('upload' as const, 'certificate' as const, 'governmentData' as const),
      certificateType: fc.constantFrom('businessLicence', 'realEstateCertificate', 'residencePermit'),
      dataset: fc.constantFrom(...GOVERNMENT_DATASETS),
      uploadAllowed: fc.boolean(),
      acceptedTypes: fc.uniqueArray(fc.constantFrom(...UPLOAD_TYPES), { minLength: 1, maxLength: 3 }),
      maxSizeMb: fc.integer({ min: 1, max: 20 }),
      commitment: fc.constantFrom('none' as const, 'standard' as const, 'own' as const),
      commitmentText: text(),
    })
    .map((m) => {
      const material: Material = {
        key,
        name: m.name,
        requirement: m.conditional ? 'conditional' : 'required',
        medium: m.medium,
        source: m.source,
        uploadAllowed: m.source === 'upload' ? true : m.uploadAllowed,
        acceptedTypes: m.acceptedTypes,
        maxSizeMb: m.maxSizeMb,
      };
      if (m.conditional) {
        material.condition = m.condition;
        if (m.trigger) material.requiredWhen = { field: m.trigger, equals: true };
      }
      if (m.source === 'certificate') material.certificateType = m.certificateType;
      if (m.source === 'governmentData') material.dataset = m.dataset;
      if (m.source !== 'governmentData' && m.commitment !== 'none') {
        material.commitmentAllowed = true;
        if (m.commitment === 'own') material.commitmentText = m.commitmentText;
      }
      return material;
    });
}

/** A flow whose steps are in FLOW_STEPS order, holding every licensing step for a licence. */
function flowArbitrary(licence: boolean): fc.Arbitrary<FlowStep[]> {
  const optional = FLOW_STEPS.filter((step) => !licence || !LICENSING_REQUIRED_STEPS.includes(step));
  return fc.subarray([...optional]).map((chosen) => {
    const steps = FLOW_STEPS.filter((step) => chosen.includes(step) || (licence && LICENSING_REQUIRED_STEPS.includes(step)));
    return steps.length ? steps : ['conclude' as FlowStep];
  });
}

/** A definition that satisfies the schema and every consistency rule. */
export const consistentDefinition: fc.Arbitrary<ItemDefinition> = fc
  .record({
    itemType: fc.constantFrom(...ITEM_TYPES),
    audiences: fc.uniqueArray(fc.constantFrom(...AUDIENCES), { minLength: 1, maxLength: 2 }),
    depth: fc.integer({ min: 1, max: 4 }),
    visits: fc.integer({ min: 0, max: 5 }),
    handlingForms: fc.uniqueArray(fc.constantFrom(...HANDLING_FORMS), { minLength: 1, maxLength: 3 }),
    legal: fc.integer({ min: 0, max: 300 }),
    slack: fc.integer({ min: 0, max: 60 }),
    fees: fc.array(fee, { maxLength: 3 }),
    themes: fc.uniqueArray(fc.constantFrom(...THEMES), { maxLength: 3 }),
    fieldCount: fc.integer({ min: 0, max: 6 }),
    materialCount: fc.integer({ min: 0, max: 5 }),
    resultType: fc.constantFrom('licence' as const, 'certificate' as const, 'approvalDocument' as const, 'payment' as const, 'other' as const),
    certificateType: fc.option(fc.constantFrom('individualBusinessLicence', 'foodBusinessLicence'), { nil: undefined }),
    visitReason: text(),
    roles: fc.constantFrom<('officer' | 'approver')[]>(['officer'], ['approver'], ['officer', 'approver']),
  })
  .chain((base) => {
    const fieldKeys = KEY_POOL.slice(0, base.fieldCount);
    const materialKeys = KEY_POOL.slice(0, base.materialCount).map((k) => `${k}Material`);
    return fc.record({
      base: fc.constant(base),
      fields: fc.tuple(...fieldKeys.map((key) => fieldArbitrary(key, base.audiences))),
      visibility: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
      materials: fc.tuple(...materialKeys.map((key) => materialArbitrary(key, fieldKeys))),
      steps: flowArbitrary(base.itemType === 'administrativeLicence'),
    });
  })
  .map(({ base, fields, visibility, materials, steps }) => {
    const formFields = fields.map((f) => ({ ...f }));
    // Some fields show only when another (different) field has a value.
    for (const [a, b] of visibility) {
      if (formFields.length < 2) break;
      const field = formFields[a % formFields.length]!;
      const other = formFields[(a + 1 + (b % (formFields.length - 1))) % formFields.length]!;
      if (other.key !== field.key) field.visibleWhen = { field: other.key, equals: 'a' };
    }
    const fullyOnline = base.depth === 4;
    const visits = fullyOnline ? 0 : base.visits;
    const handlingForms = fullyOnline && !base.handlingForms.includes('online') ? [...base.handlingForms.slice(0, 2), 'online' as const] : base.handlingForms;
    const issuesCertificate = base.certificateType !== undefined && (base.resultType === 'licence' || base.resultType === 'certificate');
    const definition: ItemDefinition = {
      basicCode: '00012000',
      implementationCode: 'GEN-0001',
      name: { 'zh-CN': '生成的事项', en: 'Generated item' },
      itemType: base.itemType,
      audiences: base.audiences,
      themes: base.themes,
      keywords: [],
      legalBasis: [{ law: '《中华人民共和国行政许可法》' }],
      acceptanceConditions: { 'zh-CN': '符合条件', en: 'Eligible' },
      timeLimitUnit: 'workingDays',
      legalLimitDays: base.legal,
      promisedLimitDays: Math.max(0, base.legal - base.slack),
      visits,
      onlineDepth: base.depth,
      handlingForms,
      fees: base.fees,
      crossRegion: 'none',
      collectElsewhere: false,
      result: { name: { 'zh-CN': '结果', en: 'Result' }, type: base.resultType, ...(issuesCertificate ? { certificateType: base.certificateType } : {}) },
      materials,
      form: { fields: formFields },
      flow: { steps: steps.map((step) => ({ step, roles: base.roles })) },
    };
    if (visits > 0) definition.visitReason = base.visitReason;
    return definition;
  });
