import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema, Static } from '@sinclair/typebox';
import type { FieldProblem } from './errors.js';
import { invalid } from './errors.js';
import type { MessageKey } from './i18n.js';

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

function makeAjv(coerceTypes: boolean) {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  });
  addFormats(ajv, ['date', 'date-time', 'email', 'uri', 'uuid']);
  return ajv;
}

/** JSON bodies are taken as typed; query strings and path parameters are text and get coerced. */
export const bodyAjv = makeAjv(false);
export const queryAjv = makeAjv(true);

const ajvTypeKeys: Record<string, MessageKey> = {
  string: 'type.string',
  number: 'type.number',
  integer: 'type.integer',
  boolean: 'type.boolean',
  object: 'type.object',
  array: 'type.array',
};

/** A property name as one JSON Pointer segment (RFC 6901), so that a key such as "a/b" names one field. */
export const pointerSegment = (name: unknown) => String(name).replace(/~/g, '~0').replace(/\//g, '~1');

/** Turns ajv's errors into field problems a person can read (one per field, the first wins). */
export function fieldProblems(errors: ErrorObject[] | null | undefined, prefix = ''): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const error of errors ?? []) {
    const params = error.params as Record<string, unknown>;
    let field = prefix + error.instancePath;
    let problem: Omit<FieldProblem, 'field'>;
    switch (error.keyword) {
      case 'required':
        field = `${field}/${pointerSegment(params.missingProperty)}`;
        problem = { message: 'field.required' };
        break;
      case 'additionalProperties':
        field = `${field}/${pointerSegment(params.additionalProperty)}`;
        problem = { message: 'field.unexpected' };
        break;
      case 'type': {
        const expected = String(params.type).split(',')[0] ?? 'string';
        problem = { message: 'field.type', params: { expected: `{${ajvTypeKeys[expected] ?? 'type.string'}}` } };
        break;
      }
      case 'minLength':
        problem = { message: 'field.tooShort', params: { limit: Number(params.limit) } };
        break;
      case 'maxLength':
        problem = { message: 'field.tooLong', params: { limit: Number(params.limit) } };
        break;
      case 'pattern':
        problem = { message: 'field.pattern' };
        break;
      case 'format':
        problem = { message: 'field.format', params: { format: `{format.${String(params.format)}}` } };
        break;
      case 'enum':
      case 'const':
        problem = { message: 'field.enum' };
        break;
      case 'minimum':
      case 'exclusiveMinimum':
      case 'minItems':
        problem = { message: 'field.minimum', params: { limit: Number(params.limit) } };
        break;
      case 'maximum':
      case 'exclusiveMaximum':
      case 'maxItems':
        problem = { message: 'field.maximum', params: { limit: Number(params.limit) } };
        break;
      default:
        problem = { message: 'field.invalid' };
    }
    field = field || '/';
    if (!byField.has(field)) byField.set(field, { field, ...problem });
  }
  return [...byField.values()];
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/**
 * Validates data that did not come through a route schema (HTML forms, CLI files): returns the
 * typed value or throws the same 400 problem the API would.
 */
export function parseWith<S extends TSchema>(schema: S, data: unknown, code = 'invalidInput'): Static<S> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = bodyAjv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(data)) throw invalid(code, fieldProblems(validate.errors));
  return data as Static<S>;
}
