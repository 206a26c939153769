import type { MessageKey, MessageParams } from '../core/i18n.js';
import { AUDIENCES, FLOW_STEPS, FULLY_ONLINE_DEPTH, LICENSING_REQUIRED_STEPS, type FlowStep, type FormField, type ItemDefinition } from './schema.js';
import './messages.js';

/**
 * The consistency rules an item must satisfy before it is saved, beyond what the schema checks
 * field by field. Each rule has its own code and message; `checkItem` reports every broken rule at
 * once, each against the field (a JSON Pointer into the definition) to correct.
 */
export const RULE_CODES = [
  'fullyOnlineVisits',
  'fullyOnlineHandling',
  'visitReason',
  'feeBasis',
  'feeAmount',
  'promisedWithinLegal',
  'licensingSteps',
  'flowOrder',
  'certificateType',
  'dataset',
  'uploadAllowed',
  'materialCondition',
  'requiredWhenOnlyConditional',
  'materialFieldReference',
  'fieldReference',
  'selectOptions',
  'fieldKeyUnique',
  'materialKeyUnique',
  'pattern',
  'fieldRange',
  'audience',
  'enterprisePrefill',
  'resultCertificate',
  'commitmentSource',
  'commitmentText',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleViolation {
  /** JSON Pointer into the definition, e.g. `/materials/2/dataset`. */
  field: string;
  code: RuleCode;
  message: MessageKey;
  params?: MessageParams;
}

const stepLabel = (step: FlowStep) => `{catalog.flowStep.${step}}`;
const blank = (text: string | undefined) => !text || text.trim() === '';
const blankText = (text: { 'zh-CN': string; en: string } | undefined) => !text || blank(text['zh-CN']) || blank(text.en);

/**
 * A form field's pattern as the regular expression every value is checked with: anchored, so the
 * whole value must match, and in Unicode mode so that Chinese characters count as one each.
 * Throws when the pattern does not compile (the `pattern` rule catches that on save).
 */
export function fieldPattern(field: Pick<FormField, 'pattern'>): RegExp | undefined {
  return field.pattern === undefined ? undefined : new RegExp(`^(?:${field.pattern})$`, 'u');
}

/** Fees are yuan in the API and integer fen in storage, so a fee may have at most two decimals. */
export function isWholeFen(yuan: number): boolean {
  const fen = yuan * 100;
  return Math.abs(fen - Math.round(fen)) < 1e-6;
}

/** Every broken rule of a definition, in the order of the definition's fields; [] when consistent. */
export function checkItem(definition: ItemDefinition): RuleViolation[] {
  const found: RuleViolation[] = [];
  const add = (field: string, code: RuleCode, params?: MessageParams) => found.push({ field, code, message: `catalog.rule.${code}` as MessageKey, ...(params ? { params } : {}) });

  const audiences: readonly string[] = definition.audiences;
  if (audiences.length === 0 || new Set(audiences).size !== audiences.length || audiences.some((a) => !(AUDIENCES as readonly string[]).includes(a))) {
    add('/audiences', 'audience');
  }

  if (definition.promisedLimitDays > definition.legalLimitDays) add('/promisedLimitDays', 'promisedWithinLegal', { legal: definition.legalLimitDays });

  if (definition.onlineDepth === FULLY_ONLINE_DEPTH) {
    if (definition.visits !== 0) add('/visits', 'fullyOnlineVisits');
    if (!definition.handlingForms.includes('online')) add('/handlingForms', 'fullyOnlineHandling');
  }
  if (definition.visits > 0 && blankText(definition.visitReason)) add('/visitReason', 'visitReason', { visits: definition.visits });

  definition.fees.forEach((fee, index) => {
    if (blank(fee.basis)) add(`/fees/${index}/basis`, 'feeBasis');
    if (!isWholeFen(fee.amount)) add(`/fees/${index}/amount`, 'feeAmount');
  });

  if (definition.result.certificateType !== undefined && definition.result.type !== 'licence' && definition.result.type !== 'certificate') {
    add('/result/type', 'resultCertificate');
  }

  const fieldKeys = new Set<string>();
  definition.form.fields.forEach((field, index) => {
    if (fieldKeys.has(field.key)) add(`/form/fields/${index}/key`, 'fieldKeyUnique', { key: field.key });
    fieldKeys.add(field.key);
  });
  definition.form.fields.forEach((field, index) => {
    const at = `/form/fields/${index}`;
    if (field.type === 'select' && !field.options?.length) add(`${at}/options`, 'selectOptions');
    if (field.pattern !== undefined) {
      try {
        fieldPattern(field);
      } catch {
        add(`${at}/pattern`, 'pattern');
      }
    }
    if (field.minimum !== undefined && field.maximum !== undefined && field.maximum < field.minimum) add(`${at}/maximum`, 'fieldRange');
    if (field.visibleWhen && (field.visibleWhen.field === field.key || !fieldKeys.has(field.visibleWhen.field))) {
      add(`${at}/visibleWhen/field`, 'fieldReference', { field: field.visibleWhen.field });
    }
    if (field.prefill?.startsWith('enterprise.') && !definition.audiences.includes('enterprise')) add(`${at}/prefill`, 'enterprisePrefill');
  });

  const materialKeys = new Set<string>();
  definition.materials.forEach((material, index) => {
    const at = `/materials/${index}`;
    if (materialKeys.has(material.key)) add(`${at}/key`, 'materialKeyUnique', { key: material.key });
    materialKeys.add(material.key);
    if (material.source === 'certificate' && blank(material.certificateType)) add(`${at}/certificateType`, 'certificateType');
    if (material.source === 'governmentData' && !material.dataset) add(`${at}/dataset`, 'dataset');
    if (material.source === 'upload' && !material.uploadAllowed) add(`${at}/uploadAllowed`, 'uploadAllowed');
    if (material.requirement === 'conditional' && blankText(material.condition)) add(`${at}/condition`, 'materialCondition');
    // A commitment stands in for what the applicant would provide; data the government holds is never asked for.
    if (material.commitmentAllowed && material.source === 'governmentData') add(`${at}/commitmentAllowed`, 'commitmentSource');
    if (material.commitmentText !== undefined && (!material.commitmentAllowed || blankText(material.commitmentText))) add(`${at}/commitmentText`, 'commitmentText');
    if (material.requiredWhen) {
      if (material.requirement !== 'conditional') add(`${at}/requiredWhen`, 'requiredWhenOnlyConditional');
      else if (!fieldKeys.has(material.requiredWhen.field)) add(`${at}/requiredWhen/field`, 'materialFieldReference', { field: material.requiredWhen.field });
    }
  });

  const steps = definition.flow.steps.map((s) => s.step);
  if (definition.itemType === 'administrativeLicence') {
    for (const required of LICENSING_REQUIRED_STEPS) if (!steps.includes(required)) add('/flow/steps', 'licensingSteps', { step: stepLabel(required) });
  }
  for (let index = 1; index < steps.length; index++) {
    const previous = steps[index - 1]!;
    const step = steps[index]!;
    if (FLOW_STEPS.indexOf(step) <= FLOW_STEPS.indexOf(previous)) add(`/flow/steps/${index}`, 'flowOrder', { step: stepLabel(step), previous: stepLabel(previous) });
  }
  return found;
}
