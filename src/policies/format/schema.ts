import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Condition } from '../rules/evaluate.js';

/**
 * The policy interchange format `tongban-policy/1` (docs/policy-format.md). This schema checks the
 * shape of a file; what a shape cannot say (known regions, real dates, rules over known facts,
 * formulas, examples that come out as expected) is checked by `parsePolicyFile` in import.ts.
 * docs/policy-format.schema.json is generated from it (`npm run docs:policy-schema`).
 */

export const POLICY_FORMAT = 'tongban-policy/1';

/** A string enum as JSON Schema's `enum`, which reads better in the published schema than anyOf. */
const StringEnum = <const Values extends readonly string[]>(values: Values, options: { description?: string } = {}) =>
  Type.Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

export const PolicyLocalizedText = (max = 200) =>
  Type.Object({ 'zh-CN': Text(max), en: Text(max) }, { additionalProperties: false, description: 'The same text in Chinese and English' });
export type PolicyLocalizedText = Static<ReturnType<typeof PolicyLocalizedText>>;

export const POLICY_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$';
export const REGION_CODE_PATTERN = '^[0-9]{6}$';
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
/** Names a formula can read, so parameters and declared facts follow the formula's name rule. */
export const PARAMETER_NAME_PATTERN = '^[a-z][A-Za-z0-9]{0,40}$';
export const DECLARED_FACT_NAME_PATTERN = '^[a-z][A-Za-z0-9]{1,40}$';

export const POLICY_LEVELS = ['national', 'provincial', 'city', 'county'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];
export const POLICY_CATEGORIES = ['tax', 'fees', 'socialInsurance', 'employment', 'rent', 'finance', 'subsidy', 'other'] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];
/** `apply`: claimed through a service item; `automatic`: granted without application (免申即享); `info`: information only. */
export const POLICY_MODES = ['apply', 'automatic', 'info'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
export const EXAMPLE_OUTCOMES = ['eligible', 'ineligible', 'undetermined'] as const;
export const DECLARED_FACT_TYPES = ['number', 'boolean', 'date', 'list'] as const;
export const DECLARED_FACT_SOURCES = ['declared', 'registry', 'tax', 'socialInsurance', 'credit'] as const;

const IsoDateText = (description: string) => Type.String({ pattern: DATE_PATTERN, description: `${description} (YYYY-MM-DD)` });

const Period = (what: string) =>
  Type.Object(
    { from: IsoDateText(`First day of ${what}`), to: nullable(IsoDateText(`Last day of ${what}, or null while open-ended`)) },
    { additionalProperties: false },
  );

export const DeclaredFactSchema = Type.Object(
  {
    name: Type.String({ pattern: DECLARED_FACT_NAME_PATTERN, description: 'camelCase name, not one of the built-in facts' }),
    type: Type.Union([
      StringEnum(DECLARED_FACT_TYPES),
      Type.Object({ oneOf: Type.Array(Text(100), { minItems: 1, maxItems: 100, uniqueItems: true }) }, { additionalProperties: false }),
    ]),
    label: PolicyLocalizedText(),
    source: Type.Optional(StringEnum(DECLARED_FACT_SOURCES, { description: 'Who vouches for the value; "declared" (the enterprise itself) when absent' })),
  },
  { additionalProperties: false },
);
export type DeclaredFact = Static<typeof DeclaredFactSchema>;

export const ParameterSchema = Type.Object(
  {
    default: Type.Number({ description: 'Value wherever no region below overrides it' }),
    byRegion: Type.Optional(
      Type.Record(Type.String({ pattern: REGION_CODE_PATTERN }), Type.Number(), {
        additionalProperties: false,
        description: 'Region code → value; the most specific region containing the enterprise wins',
      }),
    ),
  },
  { additionalProperties: false },
);

const ExampleFactValue = Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })]);

export const PolicyExampleSchema = Type.Object(
  {
    name: Text(200, 'Who the example enterprise is, e.g. "Pudong software company, 46 staff"'),
    facts: Type.Record(Type.String({ maxLength: 64 }), ExampleFactValue, { description: 'Fact name → value, as an enterprise profile gives them' }),
    expected: StringEnum(EXAMPLE_OUTCOMES),
    benefitAmount: Type.Optional(Type.Number({ description: 'Expected benefit in yuan, rounded to fen' })),
  },
  { additionalProperties: false },
);
export type PolicyExample = Static<typeof PolicyExampleSchema>;

export const PolicySchema = Type.Object(
  {
    code: Type.String({ pattern: POLICY_CODE_PATTERN, description: 'Stable code, unique in the library' }),
    title: PolicyLocalizedText(),
    summary: Type.Optional(PolicyLocalizedText(2000)),
    documentNumber: Type.Optional(Text(100, '文号, e.g. 财政部 税务总局公告2022年第13号')),
    issuers: Type.Optional(Type.Array(Text(100), { minItems: 1, maxItems: 20, description: 'Issuing bodies' })),
    level: StringEnum(POLICY_LEVELS),
    legalBasis: Type.Optional(Type.Array(Text(500), { maxItems: 50 })),
    links: Type.Optional(
      Type.Array(
        Type.Object({ title: Text(200), url: Type.String({ maxLength: 2000, pattern: '^https?://', format: 'uri' }) }, { additionalProperties: false }),
        { maxItems: 50, description: 'The policy text, interpretations' },
      ),
    ),
    category: Type.Optional(StringEnum(POLICY_CATEGORIES)),
    regions: Type.Array(Type.String({ pattern: REGION_CODE_PATTERN }), {
      minItems: 1,
      maxItems: 500,
      description: 'GB/T 2260 codes where it applies; a region covers those below it; "100000" is the whole country',
    }),
    effective: Period('the benefit'),
    applicationWindow: Type.Optional(Period('the application window')),
    mode: StringEnum(POLICY_MODES),
    eligibility: Type.Unsafe<Condition>({
      type: 'object',
      description: 'A condition: {"all": [...]}, {"any": [...]}, {"not": c} or {"fact", "op", "value", "label"?} (see docs/policy-format.md)',
    }),
    benefit: Type.Optional(
      Type.Object(
        {
          description: PolicyLocalizedText(2000),
          formula: Type.Optional(Type.String({ description: 'Amount in yuan: + - * /, parentheses, min, max over numeric facts and parameters' })),
        },
        { additionalProperties: false },
      ),
    ),
    parameters: Type.Optional(
      Type.Record(Type.String({ pattern: PARAMETER_NAME_PATTERN }), ParameterSchema, {
        additionalProperties: false,
        description: 'Numbers the formula reads by name, which regions may set differently',
      }),
    ),
    materials: Type.Optional(
      Type.Array(Type.Object({ name: PolicyLocalizedText(), note: Type.Optional(PolicyLocalizedText(1000)) }, { additionalProperties: false }), { maxItems: 50 }),
    ),
    serviceItem: Type.Optional(Text(64, 'Code of the catalogue service item through which the benefit is claimed')),
    contact: Type.Optional(
      Type.Object(
        { name: Type.Optional(Text(100)), phone: Type.Optional(Text(40)), email: Type.Optional(Text(200)), address: Type.Optional(Text(300)) },
        { additionalProperties: false },
      ),
    ),
    examples: Type.Optional(Type.Array(PolicyExampleSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type PolicyDocument = Static<typeof PolicySchema>;

export const PolicyFileSchema = Type.Object(
  {
    format: Type.Literal(POLICY_FORMAT),
    facts: Type.Optional(Type.Array(DeclaredFactSchema, { maxItems: 200, description: 'Facts beyond the built-in ones that enterprises supply' })),
    policies: Type.Array(PolicySchema, { maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type PolicyFile = Static<typeof PolicyFileSchema>;

/** The published JSON Schema (docs/policy-format.schema.json), as text ending in a newline. */
export function policyFileJsonSchema(): string {
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Tongban policy interchange file (tongban-policy/1)',
    description: 'Generated from src/policies/format/schema.ts by `npm run docs:policy-schema`; do not edit. See docs/policy-format.md.',
    ...PolicyFileSchema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
