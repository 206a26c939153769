import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { pointerSegment } from '../../core/validation.js';
import { isIsoDate } from '../../reference/dates.js';
import { isKnownRegion, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { explain, type Condition, type Facts, type FactValue } from '../rules/evaluate.js';
import { BUILTIN_FACTS, validateCondition, validateFactValue, type FactType } from '../rules/validate.js';
import { compileFormula, FORMULA_PROBLEM_CODES, roundToFen, type FormulaEvaluator } from './formula.js';
import { resolveParameters, type ParameterDefinitions } from './parameters.js';
import {
  DATE_PATTERN,
  DECLARED_FACT_TYPES,
  EXAMPLE_OUTCOMES,
  POLICY_FORMAT,
  PolicyFileSchema,
  PolicySchema,
  DeclaredFactSchema,
  REGION_CODE_PATTERN,
  type DeclaredFact,
  type PolicyDocument,
  type PolicyFile,
} from './schema.js';

/**
 * Reads a policy interchange file (docs/policy-format.md) and reports every problem in it at once,
 * each with the JSON Pointer of the offending value, so that a whole file is fixed in one pass.
 * A file with any problem yields no policies: the caller imports all or nothing.
 */

export interface ImportProblem {
  /** JSON Pointer (RFC 6901) into the file, e.g. /policies/3/eligibility/all/0/fact; "" is the file. */
  path: string;
  /** A stable code with a text in messages.ts (`policies.problem.<code>`). */
  code: string;
  detail?: Record<string, unknown>;
}

/** Every code `parsePolicyFile` reports; each has a text in messages.ts. */
/** Codes that name pages of the portal (/policies/screener, /workbench/policies/import), not policies. */
const RESERVED_CODES = new Set(['screener', 'import', 'export']);

export const IMPORT_PROBLEM_CODES = [
  // the shape (JSON Schema)
  'unsupportedFormat',
  'required',
  'unexpectedProperty',
  'badName',
  'wrongType',
  'tooShort',
  'tooLong',
  'tooFew',
  'tooMany',
  'pattern',
  'notAllowed',
  'format',
  'duplicateItem',
  'invalid',
  // what the shape cannot say
  'duplicateCode',
  'reservedCode',
  'duplicateFact',
  'factNameTaken',
  'parameterNameTaken',
  'unknownRegion',
  'badDate',
  'badPeriod',
  'exampleMismatch',
  // eligibility rules (validateCondition) and example facts
  'shape',
  'emptyGroup',
  'unknownFact',
  'unknownOperator',
  'operatorNotForFact',
  'wrongValueType',
  'unknownIndustry',
  'badRange',
  'ruleTooDeep',
  'ruleTooLarge',
  'tooManyValues',
  'badLabel',
  // benefit formulas
  ...FORMULA_PROBLEM_CODES,
] as const;

export type ParsedPolicyFile = { ok: true; file: PolicyFile } | { ok: false; problems: ImportProblem[] };

export interface ParseOptions {
  /**
   * Completes an example's facts before its rule is evaluated, as matching completes a profile
   * (derived facts such as the industry section). Without it examples are read exactly as written.
   */
  completeExampleFacts?: (facts: Facts, policy: PolicyDocument) => Facts;
}

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

let validateShape: ValidateFunction | undefined;

function shapeValidator(): ValidateFunction {
  if (!validateShape) {
    // verbose: errors carry their schema and data, which the anyOf narrowing below needs.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv, ['uri']);
    validateShape = ajv.compile(PolicyFileSchema);
  }
  return validateShape;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const matches = (pattern: string) => {
  const expression = new RegExp(pattern);
  return (value: unknown): value is string => typeof value === 'string' && expression.test(value);
};
const isRegionCode = matches(REGION_CODE_PATTERN);
const isDateText = matches(DATE_PATTERN);

export function parsePolicyFile(input: unknown, options: ParseOptions = {}): ParsedPolicyFile {
  if (isObject(input) && typeof input.format === 'string' && input.format !== POLICY_FORMAT) {
    // Another version of the format: the rest would be read under rules it was not written for.
    return { ok: false, problems: [{ path: '/format', code: 'unsupportedFormat', detail: { expected: POLICY_FORMAT, actual: input.format } }] };
  }
  const validate = shapeValidator();
  const shapeProblems = validate(input) ? [] : shapeErrors(validate.errors ?? []);
  const meaningProblems = isObject(input) ? checkMeaning(input, options) : [];
  // Where the shape is already wrong, a second problem at the same place says nothing new.
  const shapePaths = new Set(shapeProblems.map((problem) => problem.path));
  const problems = [...shapeProblems, ...meaningProblems.filter((problem) => !shapePaths.has(problem.path))];
  if (problems.length) return { ok: false, problems: sortByPath(problems) };
  return { ok: true, file: input as PolicyFile };
}

// ---------------------------------------------------------------------------------------------
// Shape: ajv's errors as problems

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function branchAccepts(branch: Record<string, unknown>, value: unknown): boolean {
  const type = branch.type;
  const actual = jsonType(value);
  if (typeof type !== 'string') return true;
  return type === actual || (type === 'integer' && actual === 'number');
}

const within = (path: string, ancestor: string) => path === ancestor || path.startsWith(`${ancestor}/`);

/**
 * ajv reports a failed anyOf with the errors of every alternative, which mostly talk past the
 * author (a date that is not a date is "not null" too). When exactly one alternative has the
 * value's type, its errors alone are kept; when none has, one problem names what was expected.
 */
function narrowAlternatives(errors: ErrorObject[]): { kept: ErrorObject[]; problems: ImportProblem[] } {
  const dropped: { schemaPath: string; instancePath: string }[] = [];
  const isDropped = (error: ErrorObject) => dropped.some((d) => error.schemaPath.startsWith(d.schemaPath) && within(error.instancePath, d.instancePath));
  const problems: ImportProblem[] = [];
  const alternatives = errors.filter((error) => error.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const error of alternatives) {
    if (isDropped(error)) continue;
    const branches = (Array.isArray(error.schema) ? error.schema : []) as Record<string, unknown>[];
    const accepting = branches.map((branch, index) => (branchAccepts(branch, error.data) ? index : -1)).filter((index) => index >= 0);
    if (accepting.length === 1) {
      branches.forEach((_branch, index) => {
        if (index !== accepting[0]) dropped.push({ schemaPath: `${error.schemaPath}/${index}/`, instancePath: error.instancePath });
      });
    } else {
      dropped.push({ schemaPath: `${error.schemaPath}/`, instancePath: error.instancePath });
      const expected = [...new Set(branches.map((branch) => String(branch.type ?? 'value')))];
      problems.push({ path: error.instancePath, code: 'wrongType', detail: { expected } });
    }
  }
  const kept = errors.filter((error) => error.keyword !== 'anyOf' && !isDropped(error));
  return { kept, problems };
}

function shapeErrors(errors: ErrorObject[]): ImportProblem[] {
  const { kept, problems } = narrowAlternatives(errors);
  for (const error of kept) {
    const params = error.params as Record<string, unknown>;
    const path = error.instancePath;
    switch (error.keyword) {
      case 'required':
        problems.push({ path: `${path}/${pointerSegment(params.missingProperty)}`, code: 'required' });
        break;
      case 'additionalProperties': {
        const patterns = isObject(error.parentSchema) && isObject(error.parentSchema.patternProperties) ? Object.keys(error.parentSchema.patternProperties) : [];
        const at = `${path}/${pointerSegment(params.additionalProperty)}`;
        problems.push(patterns.length ? { path: at, code: 'badName', detail: { pattern: patterns[0] } } : { path: at, code: 'unexpectedProperty' });
        break;
      }
      case 'type':
        problems.push({ path, code: 'wrongType', detail: { expected: String(params.type).split(',') } });
        break;
      case 'minLength':
        problems.push({ path, code: 'tooShort', detail: { limit: params.limit } });
        break;
      case 'maxLength':
        problems.push({ path, code: 'tooLong', detail: { limit: params.limit } });
        break;
      case 'minItems':
        problems.push({ path, code: 'tooFew', detail: { limit: params.limit } });
        break;
      case 'maxItems':
        problems.push({ path, code: 'tooMany', detail: { limit: params.limit } });
        break;
      case 'pattern':
        problems.push({ path, code: 'pattern', detail: { pattern: params.pattern } });
        break;
      case 'enum':
        problems.push({ path, code: 'notAllowed', detail: { allowed: params.allowedValues } });
        break;
      case 'const':
        problems.push(path === '/format' ? { path, code: 'unsupportedFormat', detail: { expected: POLICY_FORMAT } } : { path, code: 'notAllowed', detail: { allowed: [params.allowedValue] } });
        break;
      case 'format':
        problems.push({ path, code: 'format', detail: { format: params.format } });
        break;
      case 'uniqueItems':
        problems.push({ path: `${path}/${String(params.i)}`, code: 'duplicateItem', detail: { other: params.j } });
        break;
      default:
        problems.push({ path, code: 'invalid', detail: { keyword: error.keyword } });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Meaning: what the schema cannot say

type FactTypes = Record<string, FactType>;

/** The value at a JSON Pointer below `root` ("" is `root` itself); undefined where there is none. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function checkMeaning(file: Record<string, unknown>, options: ParseOptions): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const facts = declaredFacts(file.facts, problems);
  const policies = Array.isArray(file.policies) ? file.policies : [];
  const firstCode = new Map<string, number>();
  policies.forEach((policy, index) => {
    if (!isObject(policy)) return;
    const path = `/policies/${index}`;
    if (typeof policy.code === 'string') {
      if (RESERVED_CODES.has(policy.code.toLowerCase())) problems.push({ path: `${path}/code`, code: 'reservedCode', detail: { code: policy.code } });
      const first = firstCode.get(policy.code);
      if (first === undefined) firstCode.set(policy.code, index);
      else problems.push({ path: `${path}/code`, code: 'duplicateCode', detail: { code: policy.code, firstPath: `/policies/${first}/code` } });
    }
    checkPolicy(policy, path, facts, options, problems);
  });
  return problems;
}

interface KnownFacts {
  types: FactTypes;
  /** Declared with a name but no valid type: reported once at the declaration, not at every use. */
  unusable: ReadonlySet<string>;
}

function declaredFacts(input: unknown, problems: ImportProblem[]): KnownFacts {
  // Null prototype: a name such as "__proto__" in a malformed file stays an ordinary key.
  const types: FactTypes = Object.assign(Object.create(null) as FactTypes, BUILTIN_FACTS);
  const unusable = new Set<string>();
  const firstIndex = new Map<string, number>();
  (Array.isArray(input) ? input : []).forEach((fact, index) => {
    if (!isObject(fact) || typeof fact.name !== 'string') return;
    const path = `/facts/${index}/name`;
    // Names Object.prototype carries (constructor, toString ...) would read as present on every
    // plain object of facts; they are taken like the built-in names.
    if (Object.hasOwn(BUILTIN_FACTS, fact.name) || fact.name in Object.prototype) return void problems.push({ path, code: 'factNameTaken', detail: { name: fact.name } });
    const first = firstIndex.get(fact.name);
    if (first !== undefined) return void problems.push({ path, code: 'duplicateFact', detail: { name: fact.name, firstPath: `/facts/${first}/name` } });
    firstIndex.set(fact.name, index);
    const type = declaredType(fact.type);
    if (type) types[fact.name] = type;
    else unusable.add(fact.name);
  });
  return { types, unusable };
}

function declaredType(type: unknown): FactType | undefined {
  if (typeof type === 'string') return (DECLARED_FACT_TYPES as readonly string[]).includes(type) ? (type as FactType) : undefined;
  if (isObject(type) && Array.isArray(type.oneOf) && type.oneOf.length > 0 && type.oneOf.every((value) => typeof value === 'string')) return { oneOf: type.oneOf as string[] };
  return undefined;
}

function checkRegion(code: unknown, path: string, problems: ImportProblem[]): void {
  if (isRegionCode(code) && code !== NATIONWIDE_REGION_CODE && !isKnownRegion(code)) problems.push({ path, code: 'unknownRegion', detail: { region: code } });
}

function checkPeriod(period: unknown, path: string, problems: ImportProblem[]): void {
  if (!isObject(period)) return;
  const from = period.from;
  const to = period.to;
  const fromValid = isDateText(from) && isIsoDate(from);
  const toValid = isDateText(to) && isIsoDate(to);
  if (isDateText(from) && !fromValid) problems.push({ path: `${path}/from`, code: 'badDate', detail: { date: from } });
  if (isDateText(to) && !toValid) problems.push({ path: `${path}/to`, code: 'badDate', detail: { date: to } });
  if (fromValid && toValid && to < from) problems.push({ path: `${path}/to`, code: 'badPeriod', detail: { from, to } });
}

/** Parameters as far as they are usable: a bad value never equals zero, so it raises nothing more. */
function usableParameters(input: unknown): ParameterDefinitions {
  const parameters: Record<string, { default: number; byRegion: Record<string, number> }> = Object.create(null);
  if (!isObject(input)) return parameters;
  for (const [name, definition] of Object.entries(input)) {
    if (!isObject(definition)) continue;
    const byRegion: Record<string, number> = Object.create(null);
    if (isObject(definition.byRegion)) for (const [region, value] of Object.entries(definition.byRegion)) if (typeof value === 'number') byRegion[region] = value;
    parameters[name] = { default: typeof definition.default === 'number' ? definition.default : Number.NaN, byRegion };
  }
  return parameters;
}

function checkPolicy(policy: Record<string, unknown>, path: string, known: KnownFacts, options: ParseOptions, problems: ImportProblem[]): void {
  const facts = known.types;
  if (Array.isArray(policy.regions)) policy.regions.forEach((region, index) => checkRegion(region, `${path}/regions/${index}`, problems));
  checkPeriod(policy.effective, `${path}/effective`, problems);
  checkPeriod(policy.applicationWindow, `${path}/applicationWindow`, problems);

  let condition: Condition | undefined;
  if (isObject(policy.eligibility)) {
    const checked = validateCondition(policy.eligibility, `${path}/eligibility`, facts);
    const prefix = `${path}/eligibility`;
    for (const { path: at, code, detail } of checked.problems) {
      const usesUnusableFact = code === 'unknownFact' && known.unusable.has(String(valueAt(policy.eligibility, at.slice(prefix.length))));
      if (!usesUnusableFact) problems.push({ path: at, code, ...(detail ? { detail } : {}) });
    }
    condition = checked.condition;
  }

  const parameters = usableParameters(policy.parameters);
  let parametersUsable = true;
  for (const [name, definition] of Object.entries(isObject(policy.parameters) ? policy.parameters : {})) {
    const at = `${path}/parameters/${pointerSegment(name)}`;
    if (Object.hasOwn(facts, name) || known.unusable.has(name)) {
      problems.push({ path: at, code: 'parameterNameTaken', detail: { name } });
      // The formula would read the parameter where its author meant the fact.
      parametersUsable = false;
    }
    const numbers = isObject(definition) ? [definition.default, ...(isObject(definition.byRegion) ? Object.values(definition.byRegion) : [])] : [];
    if (numbers.length === 0 || !numbers.every((value) => typeof value === 'number') || (isObject(definition) && definition.byRegion !== undefined && !isObject(definition.byRegion))) {
      parametersUsable = false;
    }
    if (isObject(definition) && isObject(definition.byRegion)) {
      for (const region of Object.keys(definition.byRegion)) checkRegion(region, `${at}/byRegion/${pointerSegment(region)}`, problems);
    }
  }

  let formula: FormulaEvaluator | null = null;
  let formulaUsable = true;
  const benefit = isObject(policy.benefit) ? policy.benefit : undefined;
  if (benefit && typeof benefit.formula === 'string') {
    const numeric = (name: string) => Object.hasOwn(facts, name) && facts[name] === 'number';
    const compiled = compileFormula(benefit.formula, { facts: numeric, parameters });
    if (compiled.ok) formula = compiled.evaluate;
    else {
      formulaUsable = false;
      for (const problem of compiled.problems) {
        if (problem.code === 'unknownIdentifier' && known.unusable.has(String(problem.detail?.name))) continue;
        problems.push({ path: `${path}/benefit/formula`, code: problem.code, detail: { position: problem.position, column: problem.position + 1, ...problem.detail } });
      }
    }
  } else if (benefit && benefit.formula !== undefined) {
    formulaUsable = false;
  }

  if (Array.isArray(policy.examples)) {
    policy.examples.forEach((example, index) => {
      if (isObject(example)) {
        const benefitCheck = formulaUsable && parametersUsable ? { formula, parameters } : undefined;
        checkExample(example, `${path}/examples/${index}`, known, condition, benefitCheck, policy as PolicyDocument, options, problems);
      }
    });
  }
}

function checkExample(
  example: Record<string, unknown>,
  path: string,
  known: KnownFacts,
  condition: Condition | undefined,
  benefit: { formula: FormulaEvaluator | null; parameters: ParameterDefinitions } | undefined,
  policy: PolicyDocument,
  options: ParseOptions,
  problems: ImportProblem[],
): void {
  if (!isObject(example.facts)) return;
  const before = problems.length;
  let runnable = true;
  for (const [name, value] of Object.entries(example.facts)) {
    const at = `${path}/facts/${pointerSegment(name)}`;
    const type = Object.hasOwn(known.types, name) ? known.types[name] : undefined;
    if (type) problems.push(...validateFactValue(value, type, at).map(({ path: where, code }) => ({ path: where, code })));
    else if (known.unusable.has(name)) runnable = false;
    else problems.push({ path: at, code: 'unknownFact', detail: { fact: name } });
  }
  // An example whose facts are wrong cannot say anything about the rule.
  if (!runnable || problems.length > before) return;
  const given = example.facts as Record<string, FactValue>;
  // Completing facts reads the policy (its start date); a policy whose shape is already wrong,
  // reported elsewhere, is not completed against.
  const effective = (policy as { effective?: unknown }).effective;
  const completable = isObject(effective) && isIsoDate(effective.from);
  if (options.completeExampleFacts && !completable) return;
  const completed = options.completeExampleFacts ? options.completeExampleFacts(given, policy) : given;

  if (condition && typeof example.expected === 'string' && (EXAMPLE_OUTCOMES as readonly string[]).includes(example.expected)) {
    const explained = explain(condition, completed);
    if (explained.outcome !== example.expected) {
      problems.push({
        path: `${path}/expected`,
        code: 'exampleMismatch',
        detail: { expected: example.expected, actual: explained.outcome, ...(explained.missingFacts.length ? { missingFacts: explained.missingFacts } : {}) },
      });
    }
  }

  if (benefit && typeof example.benefitAmount === 'number') {
    const expected = roundToFen(example.benefitAmount);
    let actual: number | string = 'noFormula';
    let missingFacts: string[] | undefined;
    if (benefit.formula) {
      const region = typeof completed.region === 'string' ? completed.region : undefined;
      const outcome = benefit.formula(completed, resolveParameters(benefit.parameters, region));
      if ('amount' in outcome) actual = outcome.amount;
      else if ('missingFacts' in outcome) {
        actual = 'missingFacts';
        missingFacts = outcome.missingFacts;
      } else actual = outcome.error;
    }
    if (actual !== expected) {
      problems.push({ path: `${path}/benefitAmount`, code: 'exampleMismatch', detail: { expected: example.benefitAmount, actual, ...(missingFacts ? { missingFacts } : {}) } });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Order and export

const INDEX = /^\d+$/;

/** Segment by segment: array indexes as numbers (so 10 follows 9), field names alphabetically. */
function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    const xIndex = INDEX.test(x);
    const yIndex = INDEX.test(y);
    if (xIndex && yIndex) return Number(x) - Number(y);
    if (xIndex !== yIndex) return xIndex ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function sortByPath(problems: ImportProblem[]): ImportProblem[] {
  // Stable: problems under the same field keep the order they were found in (rule order).
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => comparePaths(a.problem.path, b.problem.path) || a.index - b.index)
    .map(({ problem }) => problem);
}

function inSchemaOrder<T extends object>(value: T, keys: readonly string[]): T {
  const record = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of keys) if (record[key] !== undefined) ordered[key] = structuredClone(record[key]);
  return ordered as T;
}

const POLICY_KEYS = Object.keys(PolicySchema.properties);
const DECLARED_FACT_KEYS = Object.keys(DeclaredFactSchema.properties);

/**
 * Writes policies as an interchange file that `parsePolicyFile` reads back to the same policies:
 * fields in the documented order, anything that is not part of the format (ids, versions) left out.
 */
export function exportPolicyFile(policies: readonly PolicyDocument[], facts: readonly DeclaredFact[] = []): PolicyFile {
  return {
    format: POLICY_FORMAT,
    ...(facts.length ? { facts: facts.map((fact) => inSchemaOrder(fact, DECLARED_FACT_KEYS)) } : {}),
    policies: policies.map((policy) => inSchemaOrder(policy, POLICY_KEYS)),
  };
}
