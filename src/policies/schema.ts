import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DATE_PATTERN, POLICY_CATEGORIES, POLICY_FORMAT, POLICY_MODES, PolicySchema, DeclaredFactSchema } from './format/schema.js';

/**
 * A policy as answers carry it. The rule is recursive, which the serializer's schema cannot
 * follow, so it is passed through whole (it was validated on import).
 */
const PolicyResponse = Type.Composite([Type.Omit(PolicySchema, ['eligibility']), Type.Object({ eligibility: Type.Object({}, { additionalProperties: true }) })]);
export const PolicyFileSchema = Type.Object({
  format: Type.Literal(POLICY_FORMAT),
  facts: Type.Optional(Type.Array(DeclaredFactSchema)),
  policies: Type.Array(PolicyResponse),
});

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const FactValue = Type.Union([Scalar, Type.Array(Type.String())]);
const Outcome = Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('undetermined')]);

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const EnterpriseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const OnQuery = Type.Object({ on: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'Match as of this date (YYYY-MM-DD); today in China when omitted' })) });

export const ConditionResult = Type.Object({
  fact: Type.String(),
  op: Type.String(),
  expected: Type.Union([Scalar, Type.Array(Scalar)]),
  actual: nullable(FactValue),
  result: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('unknown')]),
  label: nullable(Localized),
});

export const MatchResultSchema = Type.Object({
  code: Type.String(),
  policyId: Type.String(),
  versionId: Type.String({ description: 'The policy version whose rule was applied' }),
  version: Type.Integer(),
  title: Localized,
  category: Type.Optional(Type.String()),
  mode: Type.String(),
  outcome: Outcome,
  conditions: Type.Array(ConditionResult, { description: 'Every condition in rule order; for an ineligible enterprise the failing ones first' }),
  missingFacts: Type.Array(Type.String()),
  nearMiss: Type.Boolean({ description: 'Ineligible because of exactly one condition' }),
  benefit: nullable(Type.Object({ amount: Type.Number({ description: 'Yuan' }) })),
});

const Question = Type.Object({ fact: Type.String(), type: Type.Unknown(), label: nullable(Localized), policies: Type.Integer() });

export const MatchReportSchema = Type.Object({
  on: Type.String(),
  facts: Type.Record(Type.String(), FactValue, { description: 'The facts the match used, derived ones included' }),
  results: Type.Array(MatchResultSchema),
  nearMisses: Type.Array(Type.String()),
  questions: Type.Array(Question, { description: 'Missing facts, most useful first: answering them decides undetermined policies' }),
});

export const EnterpriseMatchReportSchema = Type.Composite([
  MatchReportSchema,
  Type.Object({ enterprise: Type.Object({ id: Type.String(), uscc: Type.String(), name: Type.String() }) }),
]);

export const ScreenBody = Type.Object(
  {
    answers: Type.Record(Type.String({ maxLength: 41 }), Type.Union([FactValue, Type.Null()]), {
      maxProperties: 60,
      description: 'Facts by name, e.g. {"region": "310115", "industry": "6210", "employees": 12}',
    }),
    on: Type.Optional(Type.String({ pattern: DATE_PATTERN })),
  },
  { additionalProperties: false },
);
export type ScreenBody = Static<typeof ScreenBody>;

export const DeclareBody = Type.Object(
  { answers: Type.Record(Type.String({ maxLength: 41 }), Type.Union([FactValue, Type.Null()]), { maxProperties: 60 }) },
  { additionalProperties: false },
);

export const ImportReportSchema = Type.Object({ created: Type.Array(Type.String()), revised: Type.Array(Type.String()), unchanged: Type.Array(Type.String()) });

export const ReviewBody = Type.Object(
  { approve: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const PolicyVersionSchema = Type.Object({
  policyId: Type.String(),
  code: Type.String(),
  departmentId: Type.String(),
  status: Type.String(),
  publishedVersionId: nullable(Type.String()),
  versionId: Type.String(),
  version: Type.Integer(),
  versionStatus: Type.String(),
  document: PolicyResponse,
  declaredFacts: Type.Array(DeclaredFactSchema),
  createdAt: Type.String(),
  submittedAt: nullable(Type.String()),
  reviewedAt: nullable(Type.String()),
  reviewComment: nullable(Type.String()),
  publishedAt: nullable(Type.String()),
});

export const PolicyListQuery = Type.Object({
  category: Type.Optional(Type.Union(POLICY_CATEGORIES.map((c) => Type.Literal(c)))),
  mode: Type.Optional(Type.Union(POLICY_MODES.map((m) => Type.Literal(m)))),
  region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Only policies that apply in this region' })),
  on: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'Only policies in force on this date' })),
});

export const PolicySummarySchema = Type.Object({
  code: Type.String(),
  title: Localized,
  summary: Type.Optional(Localized),
  category: Type.Optional(Type.String()),
  mode: Type.String(),
  level: Type.String(),
  regions: Type.Array(Type.String()),
  effective: Type.Object({ from: Type.String(), to: nullable(Type.String()) }),
  version: Type.Integer(),
});

export const ExportQuery = Type.Object({ codes: Type.Optional(Type.String({ maxLength: 4000, description: 'Comma-separated codes; all when omitted' })) });

