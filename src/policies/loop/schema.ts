import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { POLICY_CATEGORIES } from '../format/schema.js';

/**
 * The loop's API shapes: push settings, inquiries and feedback, the owner's analytics. One schema
 * per shape gives request validation, the TypeScript types and the OpenAPI document; the services
 * check the same limits again, because the portal's forms reach them without these schemas.
 */

/** Working days the issuing department has to answer a question (official calendar). */
export const INQUIRY_WORKING_DAYS = 5;
export const QUESTION_MAX = 1000;
export const ANSWER_MAX = 2000;
export const COMMENT_MAX = 500;

export const INQUIRY_STATES = ['open', 'answered'] as const;
export type InquiryState = (typeof INQUIRY_STATES)[number];

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Score = (description: string) => Type.Integer({ minimum: 1, maximum: 5, description });

export const EnterpriseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const EnterpriseInquiryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), inquiryId: Type.String({ minLength: 1, maxLength: 64 }) });
export const InquiryParams = Type.Object({ inquiryId: Type.String({ minLength: 1, maxLength: 64 }) });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });

export const PushSettingsView = Type.Object({
  enterpriseId: Type.String(),
  categories: Type.Array(Type.Object({ category: Type.String(), notify: Type.Boolean() }), { description: 'Every policy category and whether the enterprise is told of new eligibility in it' }),
});

export const PushSettingsBody = Type.Object(
  {
    optedOut: Type.Array(Type.String({ enum: [...POLICY_CATEGORIES] }), { maxItems: POLICY_CATEGORIES.length, description: 'Categories the enterprise is not to be told about; the rest are told' }),
  },
  { additionalProperties: false },
);

export const AskBody = Type.Object(
  {
    policyCode: Type.String({ minLength: 1, maxLength: 64, description: 'A published policy' }),
    question: Type.String({ maxLength: 4 * QUESTION_MAX, description: `The question, at most ${QUESTION_MAX} characters` }),
  },
  { additionalProperties: false },
);

export const AnswerBody = Type.Object({ answer: Type.String({ maxLength: 4 * ANSWER_MAX, description: `At most ${ANSWER_MAX} characters` }) }, { additionalProperties: false });

export const RateBody = Type.Object(
  {
    rating: Score('How good the answer was: 5 very satisfied … 1 very dissatisfied'),
    resolved: Type.Boolean({ description: 'Whether the answer settled the question' }),
    policySatisfaction: Type.Optional(Score('Optionally, satisfaction with the policy itself')),
    comment: Type.Optional(Type.String({ maxLength: 4 * COMMENT_MAX, description: `About the policy, with policySatisfaction; at most ${COMMENT_MAX} characters` })),
  },
  { additionalProperties: false },
);

export const FeedbackBody = Type.Object(
  {
    policyCode: Type.String({ minLength: 1, maxLength: 64 }),
    satisfaction: Score('Satisfaction with the policy: 5 very satisfied … 1 very dissatisfied'),
    comment: Type.Optional(Type.String({ maxLength: 4 * COMMENT_MAX })),
  },
  { additionalProperties: false },
);

export const FeedbackView = Type.Object({ policyCode: Type.String(), satisfaction: Type.Integer(), comment: nullable(Type.String()), givenAt: Type.String() });

export const InquiryView = Type.Object({
  id: Type.String(),
  policy: Type.Object({ code: Type.String(), title: Localized }),
  enterprise: Type.Object({ id: Type.String(), name: Type.String(), uscc: Type.String() }),
  question: Type.String(),
  askedAt: Type.String(),
  dueOn: Type.String({ description: `Last day (Asia/Shanghai) for the answer: ${INQUIRY_WORKING_DAYS} working days after the day asked` }),
  state: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  overdue: Type.Boolean({ description: 'Open and past its last day' }),
  answer: nullable(Type.Object({ text: Type.String(), answeredAt: Type.String(), answeredBy: Type.String(), inTime: Type.Boolean() })),
  rating: nullable(Type.Object({ rating: Type.Integer(), resolved: Type.Boolean(), ratedAt: Type.String() })),
});
export type InquiryView = Static<typeof InquiryView>;

export const InquiryList = Type.Object({ total: Type.Integer(), items: Type.Array(InquiryView) });

export const EnterpriseInquiryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const DepartmentInquiryQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])),
  overdue: Type.Optional(Type.Boolean({ description: 'Only open questions past their last day' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

const NearMissCondition = Type.Object({
  fact: Type.String(),
  op: Type.String(),
  value: Type.Unknown(),
  label: nullable(Localized),
  enterprises: Type.Integer({ description: 'Enterprises ineligible because of this condition alone' }),
});

export const PolicyAnalyticsView = Type.Object({
  code: Type.String(),
  title: Localized,
  status: Type.String(),
  version: nullable(Type.Integer({ description: 'The published version' })),
  on: Type.String({ description: 'The day the figures were read (Asia/Shanghai)' }),
  views: Type.Object({ total: Type.Integer(), last30Days: Type.Integer() }),
  matches: Type.Object(
    { eligible: Type.Integer(), ineligible: Type.Integer(), undetermined: Type.Integer(), total: Type.Integer() },
    { description: 'The latest outcome of every enterprise matched against the policy' },
  ),
  nearMisses: Type.Object({
    total: Type.Integer(),
    byCondition: Type.Array(NearMissCondition, { description: 'Most excluding first: the condition that alone keeps most enterprises out leads' }),
  }),
  benefits: Type.Object({
    available: Type.Boolean({ description: 'Whether claims and grants are counted yet' }),
    claims: nullable(Type.Integer()),
    grants: nullable(Type.Integer()),
  }),
  uptakeRate: nullable(Type.Number({ description: '(claims + grants) ÷ eligible enterprises' })),
  inquiries: Type.Object({
    total: Type.Integer(),
    open: Type.Integer(),
    overdue: Type.Integer(),
    answeredInTime: Type.Integer(),
    answeredLate: Type.Integer(),
    rated: Type.Integer(),
    averageRating: nullable(Type.Number()),
    resolved: Type.Integer({ description: 'Rated answers the enterprise said settled its question' }),
  }),
  satisfaction: Type.Object({
    responses: Type.Integer(),
    average: nullable(Type.Number()),
    distribution: Type.Array(Type.Object({ score: Type.Integer(), count: Type.Integer() })),
    comments: Type.Array(Type.Object({ satisfaction: Type.Integer(), comment: Type.String(), givenAt: Type.String() })),
  }),
});
export type PolicyAnalyticsView = Static<typeof PolicyAnalyticsView>;

export const AnalyticsOverview = Type.Object({
  on: Type.String(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Localized,
      status: Type.String(),
      views: Type.Integer(),
      eligible: Type.Integer(),
      nearMisses: Type.Integer(),
      openInquiries: Type.Integer(),
      overdueInquiries: Type.Integer(),
      satisfaction: nullable(Type.Number()),
    }),
  ),
});
export type AnalyticsOverview = Static<typeof AnalyticsOverview>;
