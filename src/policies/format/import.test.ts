import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate } from '../../core/i18n.js';
import { explain, type Condition, type Facts } from '../rules/evaluate.js';
import { computeBenefit } from './benefit.js';
import { exportPolicyFile, IMPORT_PROBLEM_CODES, parsePolicyFile, type ImportProblem } from './import.js';
import { describeImportProblem } from './messages.js';
import { policyFileJsonSchema, type DeclaredFact, type PolicyDocument, type PolicyFile } from './schema.js';

const docsPath = (name: string) => new URL(`../../../docs/${name}`, import.meta.url);

/** The complete file of docs/policy-format.md: the json block after the sample-file marker. */
function documentedSample(): PolicyFile {
  const text = readFileSync(docsPath('policy-format.md'), 'utf8');
  const block = /<!-- sample-file[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(text);
  if (!block) throw new Error('docs/policy-format.md has no sample file block');
  return JSON.parse(block[1]!) as PolicyFile;
}

type Mutation = [pointer: string, value: unknown];

/** The documented sample with values replaced at JSON Pointers (undefined removes the member). */
function sampleWith(...mutations: Mutation[]): unknown {
  const file = structuredClone(documentedSample()) as unknown as Record<string, unknown>;
  for (const [pointer, value] of mutations) {
    const segments = pointer.split('/').slice(1);
    const last = segments.pop()!;
    let node = file as Record<string, unknown>;
    for (const segment of segments) node = node[segment] as Record<string, unknown>;
    if (value === undefined) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else node[last] = value;
  }
  return file;
}

const knownCodes = new Set<string>(IMPORT_PROBLEM_CODES);

function problemsOf(input: unknown): ImportProblem[] {
  const parsed = parsePolicyFile(input);
  if (parsed.ok) return [];
  for (const problem of parsed.problems) expect(knownCodes, `unlisted code ${problem.code}`).toContain(problem.code);
  return parsed.problems;
}
const summary = (input: unknown) => problemsOf(input).map((p) => `${p.path} ${p.code}`);

const retention = '/policies/0';
const rentRelief = '/policies/1';

describe('a good file', () => {
  it('the complete file of the documentation is accepted as it is', () => {
    const parsed = parsePolicyFile(documentedSample());
    expect(parsed).toEqual({ ok: true, file: documentedSample() });
  });

  it('the published JSON Schema is the one generated from the TypeBox schema (npm run docs:policy-schema)', () => {
    expect(readFileSync(docsPath('policy-format.schema.json'), 'utf8')).toBe(policyFileJsonSchema());
  });

  it('the published JSON Schema works on its own, for authors outside the platform', () => {
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    addFormatsModule.default(ajv, ['uri']);
    const validate = ajv.compile(JSON.parse(readFileSync(docsPath('policy-format.schema.json'), 'utf8')) as object);
    expect(validate(documentedSample())).toBe(true);
    expect(validate(sampleWith([`${retention}/mode`, 'sometimes']))).toBe(false);
  });
});

describe('bad input named in the issue: refused with the JSON path, nothing else reported', () => {
  it.each<[string, Mutation[], string]>([
    ['an unknown fact', [[`${retention}/eligibility/all/0/fact`, 'profitMargin']], `${retention}/eligibility/all/0/fact unknownFact`],
    ['an unknown operator', [[`${retention}/eligibility/all/0/op`, 'approximately']], `${retention}/eligibility/all/0/op unknownOperator`],
    ['a value of the wrong type', [[`${retention}/eligibility/all/0/value`, '0']], `${retention}/eligibility/all/0/value wrongValueType`],
    ['an operator that does not fit the fact', [[`${retention}/eligibility/all/2/op`, 'gt']], `${retention}/eligibility/all/2/op operatorNotForFact`],
    ['an unknown region where the policy applies', [[`${retention}/regions/0`, '999999']], `${retention}/regions/0 unknownRegion`],
    ['an unknown region in a rule', [[`${rentRelief}/eligibility/all/3`, { fact: 'region', op: 'within', value: ['310000', '319999'] }]], `${rentRelief}/eligibility/all/3/value/1 unknownRegion`],
    ['an unknown region overriding a parameter', [[`${retention}/parameters/refundRatio/byRegion/339999`, 0.8]], `${retention}/parameters/refundRatio/byRegion/339999 unknownRegion`],
    ['an unknown industry', [[`${rentRelief}/eligibility/all/1`, { fact: 'industry', op: 'prefix', value: ['62', '9999'] }]], `${rentRelief}/eligibility/all/1/value/1 unknownIndustry`],
    ['an unknown industry section', [[`${rentRelief}/eligibility/all/1/value/0`, '62']], `${rentRelief}/eligibility/all/1/value/0 unknownIndustry`],
    ['a malformed formula', [[`${retention}/benefit/formula`, 'unemploymentInsurancePaid * (refundRatio']], `${retention}/benefit/formula unexpectedEnd`],
    ['a formula with an unknown function', [[`${retention}/benefit/formula`, 'round(unemploymentInsurancePaid * refundRatio)']], `${retention}/benefit/formula unknownFunction`],
    ['a formula reading an unknown parameter', [[`${retention}/benefit/formula`, 'unemploymentInsurancePaid * refundRate']], `${retention}/benefit/formula unknownIdentifier`],
    ['a formula dividing by zero', [[`${retention}/benefit/formula`, 'unemploymentInsurancePaid / (1 - 1)']], `${retention}/benefit/formula divisionByZero`],
    [
      'a formula dividing by a parameter that is zero in one region',
      [
        [`${retention}/benefit/formula`, 'unemploymentInsurancePaid / refundRatio'],
        [`${retention}/parameters/refundRatio/byRegion/440000`, 0],
      ],
      `${retention}/benefit/formula divisionByZero`,
    ],
  ])('%s', (_name, mutations, expected) => {
    expect(summary(sampleWith(...mutations))).toEqual([expected]);
  });

  it('a formula problem carries its position, and reads as a sentence in both languages', () => {
    const [problem] = problemsOf(sampleWith([`${retention}/benefit/formula`, 'unemploymentInsurancePaid * $refundRatio']));
    expect(problem).toEqual({ path: `${retention}/benefit/formula`, code: 'unexpectedToken', detail: { position: 28, column: 29, token: '$' } });
    expect(describeImportProblem(problem!, 'en')).toBe('Unexpected "$" at character 29 of the formula.');
    expect(describeImportProblem(problem!, 'zh-CN')).toBe('公式第 29 个字符处不应出现 “$”。');
  });

  it('a parameter zero in one region says which region', () => {
    const [problem] = problemsOf(sampleWith([`${retention}/benefit/formula`, 'unemploymentInsurancePaid / refundRatio'], [`${retention}/parameters/refundRatio/byRegion/440000`, 0]));
    expect(problem?.detail).toEqual({ position: 28, column: 29, region: '440000' });
    expect(describeImportProblem(problem!, 'en')).toBe('The divisor at character 29 of the formula is zero with the parameter values of 440000.');
  });
});

describe('every problem of a file, in one pass', () => {
  it('reports problems of several kinds in several policies at once, in path order', () => {
    const problems = summary(
      sampleWith(
        ['/facts/2', { name: 'employees', type: 'number', label: { 'zh-CN': '职工人数', en: 'Employees' } }],
        [`${retention}/code`, 'SH-2022-RENT-RELIEF'],
        [`${retention}/mode`, 'sometimes'],
        [`${retention}/effective/to`, '2021-12-31'],
        [`${retention}/eligibility/all/0/fact`, 'profitMargin'],
        [`${retention}/eligibility/all/1/any/1/all/1/value`, [20, 5]],
        [`${retention}/benefit/formula`, 'unemploymentInsurancePaid *'],
        [`${rentRelief}/regions/0`, '319999'],
        [`${rentRelief}/titel`, { 'zh-CN': '拼错', en: 'Misspelt' }],
        [`${rentRelief}/eligibility/all/2/op`, 'is'],
        [`${rentRelief}/examples/0/facts/industrySection`, 'Z'],
      ),
    );
    expect(problems).toEqual([
      '/facts/2/name factNameTaken',
      `${retention}/benefit/formula unexpectedEnd`,
      `${retention}/effective/to badPeriod`,
      `${retention}/eligibility/all/0/fact unknownFact`,
      `${retention}/eligibility/all/1/any/1/all/1/value wrongValueType`,
      `${retention}/mode notAllowed`,
      `${rentRelief}/code duplicateCode`,
      `${rentRelief}/eligibility/all/2/op unknownOperator`,
      `${rentRelief}/examples/0/facts/industrySection unknownIndustry`,
      `${rentRelief}/regions/0 unknownRegion`,
      `${rentRelief}/titel unexpectedProperty`,
    ]);
  });

  it('names the first use of a duplicated code, and the allowed values of a closed list', () => {
    const problems = problemsOf(sampleWith([`${rentRelief}/code`, 'CN-2022-UI-RETENTION'], [`${rentRelief}/level`, 'municipal']));
    expect(problems).toEqual([
      { path: `${rentRelief}/code`, code: 'duplicateCode', detail: { code: 'CN-2022-UI-RETENTION', firstPath: `${retention}/code` } },
      { path: `${rentRelief}/level`, code: 'notAllowed', detail: { allowed: ['national', 'provincial', 'city', 'county'] } },
    ]);
  });

  it('refuses another format version outright, and anything that is not a file', () => {
    expect(problemsOf(sampleWith(['/format', 'tongban-policy/2']))).toEqual([{ path: '/format', code: 'unsupportedFormat', detail: { expected: 'tongban-policy/1', actual: 'tongban-policy/2' } }]);
    expect(summary(sampleWith(['/format', undefined]))).toEqual(['/format required']);
    expect(summary(null)).toEqual([' wrongType']);
    expect(summary([documentedSample()])).toEqual([' wrongType']);
    expect(summary({ format: 'tongban-policy/1' })).toEqual(['/policies required']);
  });

  it.each<[string, Mutation[], string[]]>([
    ['a missing required field', [[`${retention}/title`, undefined]], [`${retention}/title required`]],
    ['a title without English', [[`${retention}/title/en`, undefined]], [`${retention}/title/en required`]],
    ['a date that does not exist', [[`${retention}/effective/from`, '2022-02-29']], [`${retention}/effective/from badDate`]],
    ['a date in another notation', [[`${retention}/effective/to`, '2022/12/31']], [`${retention}/effective/to pattern`]],
    ['an end date of the wrong type', [[`${retention}/effective/to`, 20221231]], [`${retention}/effective/to wrongType`]],
    ['an application window ending before it opens', [[`${retention}/applicationWindow/to`, '2022-04-30']], [`${retention}/applicationWindow/to badPeriod`]],
    ['a code of the wrong form', [[`${retention}/code`, '-x']], [`${retention}/code pattern`]],
    ['a region code of the wrong form', [[`${retention}/regions/0`, '1000']], [`${retention}/regions/0 pattern`]],
    ['no region', [[`${retention}/regions`, []]], [`${retention}/regions tooFew`]],
    ['a link that is not a web address', [[`${retention}/links/0/url`, 'ftp://example.org/']], [`${retention}/links/0/url pattern`]],
    ['a parameter name a formula cannot read', [[`${retention}/parameters/refund-ratio`, { default: 1 }]], [`${retention}/parameters/refund-ratio badName`]],
    ['a parameter named like a fact', [[`${retention}/parameters/employees`, { default: 1 }]], [`${retention}/parameters/employees parameterNameTaken`]],
    ['a parameter without a default', [[`${retention}/parameters/refundRatio/default`, undefined]], [`${retention}/parameters/refundRatio/default required`]],
    ['an eligibility rule that is not an object', [[`${retention}/eligibility`, 'always']], [`${retention}/eligibility wrongType`]],
    ['an empty group', [[`${retention}/eligibility/all/1/any`, []]], [`${retention}/eligibility/all/1/any emptyGroup`]],
    ['a declared fact of an unknown type', [['/facts/0/type', 'yesNo']], ['/facts/0/type notAllowed']],
    ['a fact declared twice', [['/facts/2', { name: 'monthlyRent', type: 'number', label: { 'zh-CN': '月租', en: 'Rent' } }]], ['/facts/2/name duplicateFact']],
    ['a declared fact whose name is taken by a parameter', [[`${rentRelief}/parameters/monthlyRent`, { default: 1 }]], [`${rentRelief}/parameters/monthlyRent parameterNameTaken`]],
    ['a set fact without values', [['/facts/0/type', { oneOf: [] }]], ['/facts/0/type/oneOf tooFew']],
  ])('%s', (_name, mutations, expected) => {
    expect(summary(sampleWith(...mutations))).toEqual(expected);
  });

  it('a rule over a fact the file does not declare', () => {
    expect(summary(sampleWith(['/facts', undefined]))).toEqual([
      `${rentRelief}/benefit/formula unknownIdentifier`,
      `${rentRelief}/eligibility/all/2/fact unknownFact`,
      `${rentRelief}/examples/0/facts/monthlyRent unknownFact`,
      `${rentRelief}/examples/0/facts/rentsStateOwnedProperty unknownFact`,
      `${rentRelief}/examples/1/facts/monthlyRent unknownFact`,
      `${rentRelief}/examples/1/facts/rentsStateOwnedProperty unknownFact`,
    ]);
  });
});

describe('examples are run at import', () => {
  it('an example whose outcome differs is refused, with what was expected and what the rule gives', () => {
    expect(problemsOf(sampleWith([`${retention}/examples/1/expected`, 'eligible']))).toEqual([
      { path: `${retention}/examples/1/expected`, code: 'exampleMismatch', detail: { expected: 'eligible', actual: 'ineligible' } },
    ]);
    expect(problemsOf(sampleWith([`${retention}/examples/2/expected`, 'ineligible']))).toEqual([
      { path: `${retention}/examples/2/expected`, code: 'exampleMismatch', detail: { expected: 'ineligible', actual: 'undetermined', missingFacts: ['layoffRate'] } },
    ]);
  });

  it('an example whose amount differs is refused, computed with the parameters of its region', () => {
    // 86,400 × 0.9 in Zhejiang, not × 0.6 as elsewhere.
    expect(problemsOf(sampleWith([`${retention}/examples/0/benefitAmount`, 51_840]))).toEqual([
      { path: `${retention}/examples/0/benefitAmount`, code: 'exampleMismatch', detail: { expected: 51_840, actual: 77_760 } },
    ]);
    expect(problemsOf(sampleWith([`${retention}/examples/0/benefitAmount`, 77_760.001]))).toEqual([]);
    expect(problemsOf(sampleWith([`${retention}/examples/0/facts/unemploymentInsurancePaid`, undefined], [`${retention}/examples/0/expected`, 'undetermined']))).toEqual([
      { path: `${retention}/examples/0/benefitAmount`, code: 'exampleMismatch', detail: { expected: 77_760, actual: 'missingFacts', missingFacts: ['unemploymentInsurancePaid'] } },
    ]);
    expect(problemsOf(sampleWith([`${retention}/benefit/formula`, undefined]))).toEqual([
      { path: `${retention}/examples/0/benefitAmount`, code: 'exampleMismatch', detail: { expected: 77_760, actual: 'noFormula' } },
    ]);
  });

  it('example facts must be known and fit their type; such an example is not run', () => {
    expect(
      summary(
        sampleWith(
          [`${retention}/examples/0/facts/profitMargin`, 3],
          [`${retention}/examples/1/facts/layoffRate`, '8'],
          [`${retention}/examples/2/facts/region`, '119999'],
          [`${rentRelief}/examples/0/facts/sizeClass`, 'tiny'],
          [`${rentRelief}/examples/1/facts/qualifications`, '高新技术企业'],
        ),
      ),
    ).toEqual([
      `${retention}/examples/0/facts/profitMargin unknownFact`,
      `${retention}/examples/1/facts/layoffRate wrongValueType`,
      `${retention}/examples/2/facts/region unknownRegion`,
      `${rentRelief}/examples/0/facts/sizeClass wrongValueType`,
      `${rentRelief}/examples/1/facts/qualifications wrongValueType`,
    ]);
  });

  it('reads example facts as written, unless the caller completes them as matching does', () => {
    const withClassOnly = sampleWith([`${rentRelief}/examples/0/facts/industrySection`, undefined], [`${rentRelief}/examples/0/facts/industry`, '6513']);
    expect(summary(withClassOnly)).toEqual([`${rentRelief}/examples/0/expected exampleMismatch`]);
    const completeExampleFacts = (facts: Facts): Facts => (typeof facts.industry === 'string' ? { ...facts, industrySection: 'I' } : facts);
    expect(parsePolicyFile(withClassOnly, { completeExampleFacts }).ok).toBe(true);
  });
});

describe('robustness and messages', () => {
  it('never throws on arbitrary JSON, and reports only listed codes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        problemsOf(value);
        problemsOf({ format: 'tongban-policy/1', policies: [value] });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any value of a good file is replaced by arbitrary JSON', () => {
    const pointers: string[] = [];
    const collect = (node: unknown, pointer: string) => {
      if (pointer) pointers.push(pointer);
      if (typeof node === 'object' && node !== null) for (const [key, child] of Object.entries(node)) collect(child, `${pointer}/${key}`);
    };
    collect(documentedSample(), '');
    fc.assert(
      fc.property(fc.constantFrom(...pointers), fc.jsonValue({ maxDepth: 3 }), (pointer, value) => {
        const problems = problemsOf(sampleWith([pointer, value]));
        for (const problem of problems) expect(problem.path.startsWith('/')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('has a text for every problem code in both languages', () => {
    for (const code of new Set<string>(IMPORT_PROBLEM_CODES)) {
      for (const locale of ['zh-CN', 'en'] as const) expect(translate(locale, `policies.problem.${code}`)).not.toBe(`policies.problem.${code}`);
    }
    expect(translate('en', 'policies.problem.badPeriod', { from: '2022-05-01', to: '2022-04-30' })).toBe('The end date 2022-04-30 is before the start date 2022-05-01.');
  });
});

// ---------------------------------------------------------------------------------------------
// Export and import again

const declaredFacts: DeclaredFact[] = [
  { name: 'monthlyRent', type: 'number', label: { 'zh-CN': '月租金', en: 'Monthly rent' } },
  { name: 'rentsStateOwnedProperty', type: 'boolean', label: { 'zh-CN': '承租国有房屋', en: 'Rents state-owned premises' }, source: 'declared' },
  { name: 'sector', type: { oneOf: ['retail', 'catering'] }, label: { 'zh-CN': '行业', en: 'Sector' }, source: 'registry' },
];

const REGIONS = ['100000', '310000', '310115', '330000', '330100', '330106', '440305'];
const text = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const localized = (max = 20) => fc.record({ 'zh-CN': text(max), en: text(max) });
const date = fc.integer({ min: 18_000, max: 21_000 }).map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
const period = fc.tuple(date, date, fc.boolean()).map(([a, b, open]) => ({ from: a < b ? a : b, to: open ? null : a < b ? b : a }));

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constant('employees'), op: fc.constantFrom('lt', 'gte', 'eq'), value: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ fact: fc.constant('region'), op: fc.constant('within'), value: fc.constantFrom(...REGIONS) }),
  fc.record({ fact: fc.constant('sizeClass'), op: fc.constantFrom('in', 'notIn'), value: fc.subarray(['large', 'medium', 'small', 'micro'], { minLength: 1 }) }),
  fc.record({ fact: fc.constant('industry'), op: fc.constant('prefix'), value: fc.constantFrom('62', 'I', '6513') }),
  fc.record({ fact: fc.constant('monthlyRent'), op: fc.constant('between'), value: fc.constantFrom([0, 10_000], [5_000, 50_000]) }),
  fc.record({ fact: fc.constant('rentsStateOwnedProperty'), op: fc.constant('eq'), value: fc.boolean() }),
  fc.record(
    { fact: fc.constant('sector'), op: fc.constant('eq'), value: fc.constantFrom('retail', 'catering'), label: localized() },
    { requiredKeys: ['fact', 'op', 'value'] },
  ),
) as fc.Arbitrary<Condition>;

const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
}));

const profile = fc.record(
  {
    region: fc.constantFrom('310115', '330106', '440305'),
    employees: fc.integer({ min: 0, max: 500 }),
    sizeClass: fc.constantFrom('large', 'medium', 'small', 'micro'),
    industry: fc.constantFrom('6513', '6210', '7211'),
    insuredEmployees: fc.integer({ min: 0, max: 500 }),
    monthlyRent: fc.integer({ min: 0, max: 100_000 }),
    rentsStateOwnedProperty: fc.boolean(),
    sector: fc.constantFrom('retail', 'catering'),
    qualifications: fc.subarray(['高新技术企业', '专精特新中小企业']),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Facts>;

const parameters = fc.record({
  ratio: fc.record({ default: fc.constantFrom(0.5, 0.6), byRegion: fc.dictionary(fc.constantFrom('330000', '310000'), fc.constantFrom(0.9, 1)) }, { requiredKeys: ['default'] }),
  months: fc.record({ default: fc.integer({ min: 1, max: 6 }) }),
  cap: fc.record({ default: fc.integer({ min: 1_000, max: 300_000 }) }),
});

const policyArbitrary = fc
  .record(
    {
      code: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{1,20}$/),
      title: localized(),
      summary: localized(60),
      documentNumber: text(30),
      issuers: fc.array(text(20), { minLength: 1, maxLength: 3 }),
      level: fc.constantFrom('national', 'provincial', 'city', 'county'),
      legalBasis: fc.array(text(40), { maxLength: 2 }),
      links: fc.array(fc.record({ title: text(20), url: fc.webUrl({ validSchemes: ['https'] }) }), { maxLength: 2 }),
      category: fc.constantFrom('tax', 'fees', 'socialInsurance', 'employment', 'rent', 'finance', 'subsidy', 'other'),
      regions: fc.subarray(REGIONS, { minLength: 1 }),
      effective: period,
      applicationWindow: period,
      mode: fc.constantFrom('apply', 'automatic', 'info'),
      eligibility: condition,
      benefit: fc.record(
        { description: localized(40), formula: fc.constantFrom('insuredEmployees * ratio * 100', 'min(monthlyRent * months, cap)', 'max(employees - 10, 0) * cap / 100') },
        { requiredKeys: ['description'] },
      ),
      parameters,
      materials: fc.array(fc.record({ name: localized(), note: localized() }, { requiredKeys: ['name'] }), { maxLength: 2 }),
      serviceItem: fc.stringMatching(/^[A-Z0-9-]{4,20}$/),
      contact: fc.record({ name: text(10), phone: fc.constantFrom('12333', '12366'), email: fc.constant('policy@example.org'), address: text(30) }, { requiredKeys: [] }),
      examples: fc.array(fc.tuple(text(30), profile, fc.boolean()), { maxLength: 3 }),
    },
    { requiredKeys: ['code', 'title', 'level', 'regions', 'effective', 'mode', 'eligibility'] },
  )
  .map(({ examples, ...rest }) => {
    const policy = rest as unknown as PolicyDocument;
    if (examples === undefined) return policy;
    return {
      ...policy,
      // Expectations come from the reference interpreter and the formula, so the examples hold.
      examples: examples.map(([name, facts, withAmount]) => {
        const amount = computeBenefit(policy, facts, typeof facts.region === 'string' ? facts.region : null);
        return {
          name,
          facts: facts as Record<string, string | number | boolean | string[]>,
          expected: explain(policy.eligibility, facts).outcome,
          ...(withAmount && amount && 'amount' in amount ? { benefitAmount: amount.amount } : {}),
        };
      }),
    };
  })
  // A formula names its parameters, so a policy with one always defines them.
  .filter((policy) => !policy.benefit?.formula || policy.parameters !== undefined);

describe('export and import again', () => {
  it('an exported library is read back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(policyArbitrary, { selector: (policy) => policy.code, maxLength: 4 }), fc.subarray(declaredFacts), (policies, facts) => {
        // A rule or example over a fact the file does not declare is rightly refused; declare what is used.
        const used = JSON.stringify(policies);
        const needed = declaredFacts.filter((fact) => facts.includes(fact) || used.includes(fact.name));
        const file = exportPolicyFile(policies, needed);
        const parsed = parsePolicyFile(JSON.parse(JSON.stringify(file)));
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
        expect(parsed.file).toEqual(file);
        expect(file.policies).toEqual(policies);
      }),
      { numRuns: 200 },
    );
  });

  it('writes only what the format has, in the documented order', () => {
    const [policy] = documentedSample().policies;
    const stored = { id: '0190f0c2-0000-7000-8000-000000000000', version: 3, ...policy!, status: 'published' } as unknown as PolicyDocument;
    const file = exportPolicyFile([stored]);
    expect(Object.keys(file)).toEqual(['format', 'policies']);
    expect(Object.keys(file.policies[0]!)).toEqual(Object.keys(policy!));
    expect(parsePolicyFile(file).ok).toBe(true);
  });
});
