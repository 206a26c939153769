import type { FieldProblem } from '../core/errors.js';
import type { FormField, ItemDefinition, Material } from '../catalog/schema.js';
import { isIsoDate } from '../reference/dates.js';
import { isKnownIndustryClass } from '../reference/industries.js';
import { isKnownRegion } from '../reference/regions.js';
import { validateResidentId } from '../reference/resident-id.js';
import { validateUscc } from '../reference/uscc.js';
import './messages.js';

/**
 * Checks form values against the item's form schema. Values arrive as JSON (numbers, booleans) or
 * from an HTML form (strings), so each field is normalised to its type first; the result holds
 * only the fields the schema knows and shows, so nothing unexpected is ever stored.
 */
export type FormValue = string | number | boolean;
export type FormValues = Record<string, FormValue>;

const PHONE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
const DEFAULT_MAX_LENGTH = { text: 200, textarea: 2000 } as const;

export interface FormCheck {
  values: FormValues;
  problems: FieldProblem[];
}

/** Whether a field is shown, given the other answers (a hidden field is neither asked nor kept). */
export function isVisible(field: FormField, values: Record<string, unknown>): boolean {
  if (!field.visibleWhen) return true;
  return sameValue(values[field.visibleWhen.field], field.visibleWhen.equals);
}

function sameValue(actual: unknown, expected: string | number | boolean): boolean {
  if (actual === undefined || actual === null) return expected === false;
  if (typeof expected === 'boolean') return normaliseBoolean(actual) === expected;
  return String(actual) === String(expected);
}

function normaliseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'on' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '' || value === '0' || value === 'no') return false;
  return undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Normalises and checks every visible field. With `complete` false (saving a draft) missing
 * required answers are allowed, but whatever was typed must still be well formed.
 */
export function checkForm(fields: readonly FormField[], raw: Record<string, unknown>, options: { complete: boolean; today: string }): FormCheck {
  const values: FormValues = {};
  const problems: FieldProblem[] = [];
  // Visibility depends on the raw answers of the fields it refers to, which are simple choices.
  for (const field of fields) {
    if (!isVisible(field, raw)) continue;
    const pointer = `/form/${field.key}`;
    const input = raw[field.key];
    if (field.type === 'checkbox') {
      const checked = isEmpty(input) ? false : normaliseBoolean(input);
      if (checked === undefined) problems.push({ field: pointer, message: 'applications.form.checkbox' });
      else if (field.required && !checked && options.complete) problems.push({ field: pointer, message: 'applications.form.mustConfirm' });
      else values[field.key] = checked;
      continue;
    }
    if (isEmpty(input)) {
      if (field.required && options.complete) problems.push({ field: pointer, message: 'applications.form.required', params: { label: field.label['zh-CN'] } });
      continue;
    }
    if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'boolean') {
      problems.push({ field: pointer, message: 'applications.form.wrongType' });
      continue;
    }
    const checked = checkValue(field, input, options.today);
    if ('problem' in checked) problems.push({ field: pointer, ...checked.problem });
    else values[field.key] = checked.value;
  }
  return { values, problems };
}

type Checked = { value: FormValue } | { problem: Omit<FieldProblem, 'field'> };

function checkValue(field: FormField, input: string | number | boolean, today: string): Checked {
  const text = String(input).trim();
  switch (field.type) {
    case 'integer':
    case 'number': {
      const number = typeof input === 'number' ? input : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(number) || (field.type === 'integer' && !Number.isInteger(number))) {
        return { problem: { message: field.type === 'integer' ? 'applications.form.integer' : 'applications.form.number' } };
      }
      if (field.minimum !== undefined && number < field.minimum) return { problem: { message: 'applications.form.minimum', params: { minimum: field.minimum } } };
      if (field.maximum !== undefined && number > field.maximum) return { problem: { message: 'applications.form.maximum', params: { maximum: field.maximum } } };
      return { value: number };
    }
    case 'date':
      if (!isIsoDate(text)) return { problem: { message: 'applications.form.date' } };
      return { value: text };
    case 'select':
      if (!field.options?.some((option) => option.value === text)) return { problem: { message: 'applications.form.option' } };
      return { value: text };
    case 'region':
      if (!/^\d{6}$/.test(text) || !isKnownRegion(text)) return { problem: { message: 'applications.form.region' } };
      return { value: text };
    case 'industry':
      if (!/^\d{4}$/.test(text) || !isKnownIndustryClass(text)) return { problem: { message: 'applications.form.industry' } };
      return { value: text };
    case 'idNumber': {
      const result = validateResidentId(text, { today });
      if (!result.valid) return { problem: { message: 'applications.form.idNumber' } };
      return { value: result.normalized };
    }
    case 'uscc': {
      const result = validateUscc(text);
      if (!result.valid) return { problem: { message: 'applications.form.uscc' } };
      return { value: result.normalized };
    }
    case 'phone':
      if (!PHONE.test(text)) return { problem: { message: 'applications.form.phone' } };
      return { value: text };
    case 'email':
      if (!EMAIL.test(text) || text.length > 254) return { problem: { message: 'applications.form.email' } };
      return { value: text };
    case 'text':
    case 'textarea': {
      const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type];
      if ([...text].length > max) return { problem: { message: 'applications.form.tooLong', params: { max } } };
      // The pattern was compiled when the item was saved; a bad one never reaches here.
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(text)) return { problem: { message: 'applications.form.pattern' } };
      return { value: text };
    }
    case 'checkbox':
      return { problem: { message: 'applications.form.checkbox' } };
  }
}

/** Whether a material is needed, given the answers (conditional materials name the field that decides). */
export function isMaterialNeeded(material: Material, values: Record<string, unknown>): boolean {
  if (material.requirement === 'required') return true;
  if (!material.requiredWhen) return false;
  return sameValue(values[material.requiredWhen.field], material.requiredWhen.equals);
}

/** The materials the applicant must still provide for a complete application. */
export function missingMaterials(definition: ItemDefinition, values: FormValues, provided: Record<string, unknown>): Material[] {
  return definition.materials.filter((material) => isMaterialNeeded(material, values) && !provided[material.key]);
}
