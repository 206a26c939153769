import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { MISSING_FIELD, consistentDefinition } from './arbitraries.js';
import { figuresOf } from './model.js';
import { RULE_CODES, checkItem, fieldPattern, type RuleCode } from './rules.js';
import { ItemDefinition, type FlowStep } from './schema.js';
import { individualBusinessDefinition, uploadMaterial } from './testing.js';

const codes = (definition: ItemDefinition) => [...new Set(checkItem(definition).map((v) => v.code))];
const clone = (definition: ItemDefinition): ItemDefinition => structuredClone(definition);
const textField = (key: string) => ({ key, label: { 'zh-CN': '字段', en: 'Field' }, type: 'text' as const, required: false });

/**
 * For each rule, a way to break exactly that rule in any consistent definition (and nothing else):
 * what a careless editor might do.
 */
const BREAKERS: Record<RuleCode, (d: ItemDefinition) => void> = {
  fullyOnlineVisits: (d) => {
    d.onlineDepth = 4;
    if (!d.handlingForms.includes('online')) d.handlingForms = ['online'];
    d.visits = 2;
    d.visitReason = { 'zh-CN': '核验原件', en: 'Originals are checked' };
  },
  fullyOnlineHandling: (d) => {
    d.onlineDepth = 4;
    d.visits = 0;
    d.handlingForms = ['counter', 'post'];
  },
  visitReason: (d) => {
    if (d.onlineDepth === 4) d.onlineDepth = 3;
    d.visits = 1;
    delete d.visitReason;
  },
  feeBasis: (d) => {
    d.fees.push({ name: { 'zh-CN': '工本费', en: 'Fee' }, amount: 10, basis: '  ' });
  },
  feeAmount: (d) => {
    d.fees.push({ name: { 'zh-CN': '工本费', en: 'Fee' }, amount: 10.005, basis: '发改价格〔2017〕1186号' });
  },
  promisedWithinLegal: (d) => {
    d.legalLimitDays = Math.min(d.legalLimitDays, 300);
    d.promisedLimitDays = d.legalLimitDays + 1;
  },
  licensingSteps: (d) => {
    d.itemType = 'administrativeLicence';
    d.flow.steps = (['accept', 'approve', 'conclude', 'deliver'] as FlowStep[]).map((step) => ({ step, roles: ['officer'] }));
  },
  flowOrder: (d) => {
    d.flow.steps = [...d.flow.steps, d.flow.steps[0]!];
  },
  certificateType: (d) => {
    d.materials.push(uploadMaterial('brokenCertificate', { source: 'certificate', uploadAllowed: false }));
  },
  dataset: (d) => {
    d.materials.push(uploadMaterial('brokenDataset', { source: 'governmentData', uploadAllowed: false }));
  },
  uploadAllowed: (d) => {
    d.materials.push(uploadMaterial('brokenUpload', { uploadAllowed: false }));
  },
  materialCondition: (d) => {
    d.materials.push(uploadMaterial('brokenCondition', { requirement: 'conditional' }));
  },
  requiredWhenOnlyConditional: (d) => {
    if (!d.form.fields.length) d.form.fields.push(textField('added'));
    d.materials.push(uploadMaterial('brokenTrigger', { requiredWhen: { field: d.form.fields[0]!.key, equals: true } }));
  },
  materialFieldReference: (d) => {
    d.materials.push(uploadMaterial('brokenReference', { requirement: 'conditional', condition: { 'zh-CN': '有时', en: 'Sometimes' }, requiredWhen: { field: MISSING_FIELD, equals: true } }));
  },
  fieldReference: (d) => {
    d.form.fields.push({ ...textField('brokenVisibility'), visibleWhen: { field: MISSING_FIELD, equals: 'yes' } });
  },
  selectOptions: (d) => {
    d.form.fields.push({ ...textField('brokenSelect'), type: 'select' });
  },
  fieldKeyUnique: (d) => {
    d.form.fields.push(textField('twice'), textField('twice'));
  },
  materialKeyUnique: (d) => {
    d.materials.push(uploadMaterial('twice'), uploadMaterial('twice'));
  },
  pattern: (d) => {
    d.form.fields.push({ ...textField('brokenPattern'), pattern: '([0-9' });
  },
  fieldRange: (d) => {
    d.form.fields.push({ ...textField('brokenRange'), type: 'integer', minimum: 10, maximum: 1 });
  },
  audience: (d) => {
    d.audiences = ['enterprise', 'robot' as 'person'];
  },
  enterprisePrefill: (d) => {
    d.audiences = ['person'];
    for (const field of d.form.fields) if (field.prefill?.startsWith('enterprise.')) delete field.prefill;
    d.form.fields.push({ ...textField('brokenPrefill'), prefill: 'enterprise.name' });
  },
  resultCertificate: (d) => {
    d.result = { ...d.result, type: 'payment', certificateType: 'businessLicence' };
  },
  commitmentSource: (d) => {
    d.materials.push(uploadMaterial('brokenCommitment', { source: 'governmentData', dataset: 'residentIdentity', uploadAllowed: false, commitmentAllowed: true }));
  },
  commitmentText: (d) => {
    d.materials.push(uploadMaterial('strayCommitmentText', { commitmentText: { 'zh-CN': '本人承诺', en: 'I commit' } }));
  },
};

describe('the consistency rules of a service item', () => {
  it('accept the individual-business item as written, and give its once-only figures', () => {
    const definition = individualBusinessDefinition();
    expect(checkItem(definition)).toEqual([]);
    expect(figuresOf(definition)).toEqual({ visits: 0, materialsAsked: 2, materialsReused: 1, materialsToProvide: 1, promisedDays: 3, legalDays: 15, fullyOnline: true });
  });

  it('report every broken rule at once, each against its own field', () => {
    const definition = individualBusinessDefinition({
      onlineDepth: 4,
      visits: 1,
      promisedLimitDays: 20,
      fees: [{ name: { 'zh-CN': '工本费', en: 'Fee' }, amount: 5, basis: '' }],
    });
    definition.materials[1]!.uploadAllowed = false;
    expect(checkItem(definition).map((v) => [v.field, v.code])).toEqual([
      ['/promisedLimitDays', 'promisedWithinLegal'],
      ['/visits', 'fullyOnlineVisits'],
      ['/visitReason', 'visitReason'],
      ['/fees/0/basis', 'feeBasis'],
      ['/materials/1/uploadAllowed', 'uploadAllowed'],
    ]);
  });

  it('name each licensing step that is missing, and a step out of order where it stands', () => {
    const definition = individualBusinessDefinition({ flow: { steps: [{ step: 'accept', roles: ['officer'] }, { step: 'approve', roles: ['approver'] }, { step: 'review', roles: ['officer'] }] } });
    expect(checkItem(definition).map((v) => [v.field, v.code, v.params?.step])).toEqual([
      ['/flow/steps', 'licensingSteps', '{catalog.flowStep.conclude}'],
      ['/flow/steps', 'licensingSteps', '{catalog.flowStep.deliver}'],
      ['/flow/steps/2', 'flowOrder', '{catalog.flowStep.review}'],
    ]);
    // Not a licence: any steps in the right order will do.
    expect(checkItem({ ...definition, itemType: 'publicService', flow: { steps: [{ step: 'accept', roles: ['officer'] }, { step: 'conclude', roles: ['officer'] }] } })).toEqual([]);
  });

  it('check form fields: a pattern is anchored and Unicode-aware, a visibility condition cannot point at its own field', () => {
    expect(fieldPattern({ pattern: '[\\p{Script=Han}]{2,4}' })!.test('王芳')).toBe(true);
    expect(fieldPattern({ pattern: '[0-9]{6}' })!.test('3101150')).toBe(false);
    const definition = individualBusinessDefinition();
    definition.form.fields[0]!.visibleWhen = { field: definition.form.fields[0]!.key, equals: true };
    expect(codes(definition)).toEqual(['fieldReference']);
  });

  it('accept a credit commitment in place of an upload or a certificate, never in place of government data', () => {
    const definition = individualBusinessDefinition();
    definition.materials[1]!.commitmentAllowed = true;
    expect(checkItem(definition)).toEqual([]);
    definition.materials[1]!.commitmentText = { 'zh-CN': '本人承诺经营场所真实合法。', en: 'I commit that the premises are real and lawful.' };
    expect(checkItem(definition)).toEqual([]);
    definition.materials[0]!.commitmentAllowed = true;
    expect(checkItem(definition).map((v) => [v.field, v.code])).toEqual([['/materials/0/commitmentAllowed', 'commitmentSource']]);
  });

  it('have a breaker for every rule code, so the property below covers them all', () => {
    expect(Object.keys(BREAKERS).sort()).toEqual([...RULE_CODES].sort());
  });

  it('pass every generated consistent definition, which the schema accepts too', () => {
    fc.assert(
      fc.property(consistentDefinition, (definition) => {
        expect(Value.Errors(ItemDefinition, definition).First()).toBeUndefined();
        expect(checkItem(definition)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('report exactly the one rule that was broken, whichever it is', () => {
    fc.assert(
      fc.property(consistentDefinition, fc.constantFrom(...RULE_CODES), (definition, code) => {
        const broken = clone(definition);
        BREAKERS[code](broken);
        expect(codes(broken)).toEqual([code]);
      }),
      { numRuns: 600 },
    );
  });
});
