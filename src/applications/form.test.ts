import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormField } from '../catalog/schema.js';
import { checkForm, isMaterialNeeded } from './form.js';

const label = (zh: string) => ({ 'zh-CN': zh, en: zh });
const fields: FormField[] = [
  { key: 'name', label: label('姓名'), type: 'text', required: true, maxLength: 20 },
  { key: 'idNumber', label: label('身份证号'), type: 'idNumber', required: true },
  { key: 'employees', label: label('从业人数'), type: 'integer', required: true, minimum: 0, maximum: 50 },
  { key: 'openedOn', label: label('开业日期'), type: 'date', required: false },
  { key: 'hasPremises', label: label('有经营场所'), type: 'checkbox', required: false },
  { key: 'premisesArea', label: label('场所面积'), type: 'number', required: true, minimum: 1, visibleWhen: { field: 'hasPremises', equals: true } },
  { key: 'form', label: label('组成形式'), type: 'select', required: true, options: [{ value: 'personal', label: label('个人经营') }, { value: 'family', label: label('家庭经营') }] },
  { key: 'region', label: label('经营场所所在地'), type: 'region', required: true },
];
const today = '2026-11-26';
const good = { name: '张伟', idNumber: '11010519491231002X', employees: '3', openedOn: '2026-12-01', hasPremises: 'on', premisesArea: '35.5', form: 'personal', region: '310115' };

describe('checking an application form against the item schema', () => {
  it('accepts good answers and gives them their types', () => {
    const result = checkForm(fields, good, { complete: true, today });
    expect(result.problems).toEqual([]);
    expect(result.values).toEqual({ name: '张伟', idNumber: '11010519491231002X', employees: 3, openedOn: '2026-12-01', hasPremises: true, premisesArea: 35.5, form: 'personal', region: '310115' });
  });

  it('names every broken field at once', () => {
    const result = checkForm(fields, { ...good, idNumber: '11010519491231002Y', employees: '2.5', openedOn: '19990230', form: 'other', region: '999999' }, { complete: true, today });
    expect(result.problems.map((p) => p.field).sort()).toEqual(['/form/employees', '/form/form', '/form/idNumber', '/form/openedOn', '/form/region']);
  });

  it('asks a conditional question only when its condition holds', () => {
    const without = checkForm(fields, { ...good, hasPremises: undefined, premisesArea: undefined }, { complete: true, today });
    expect(without.problems).toEqual([]);
    expect(without.values).not.toHaveProperty('premisesArea');
    const missing = checkForm(fields, { ...good, premisesArea: '' }, { complete: true, today });
    expect(missing.problems.map((p) => p.field)).toEqual(['/form/premisesArea']);
  });

  it('lets a draft be saved with answers missing but not with answers malformed', () => {
    expect(checkForm(fields, { name: '张伟' }, { complete: false, today }).problems).toEqual([]);
    expect(checkForm(fields, { employees: 'many' }, { complete: false, today }).problems.map((p) => p.field)).toEqual(['/form/employees']);
  });

  it('keeps nothing the schema does not ask', () => {
    expect(checkForm(fields, { ...good, __proto__x: 'x', extra: 'y' }, { complete: true, today }).values).not.toHaveProperty('extra');
  });

  it('never throws and always returns values that pass again unchanged (property)', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 1 }));
    const answers = fc.record(Object.fromEntries(fields.map((f) => [f.key, value])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
    fc.assert(
      fc.property(answers, fc.boolean(), (raw, complete) => {
        const first = checkForm(fields, raw, { complete, today });
        const again = checkForm(fields, first.values, { complete: false, today });
        expect(again.problems).toEqual([]);
        // An answer that was refused is dropped; an unticked box then simply reads as unticked.
        for (const [key, kept] of Object.entries(first.values)) expect(again.values[key]).toEqual(kept);
      }),
      { numRuns: 500 },
    );
  });

  it('requires a conditional material only when its deciding answer is given', () => {
    const material = { key: 'lease', name: label('租赁合同'), requirement: 'conditional' as const, condition: label('租用场所时'), requiredWhen: { field: 'hasPremises', equals: true }, medium: 'electronic' as const, source: 'upload' as const, uploadAllowed: true, acceptedTypes: ['pdf' as const], maxSizeMb: 5 };
    expect(isMaterialNeeded(material, { hasPremises: true })).toBe(true);
    expect(isMaterialNeeded(material, { hasPremises: false })).toBe(false);
    expect(isMaterialNeeded(material, {})).toBe(false);
  });
});
