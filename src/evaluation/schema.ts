import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Good/bad reviews (好差评) and their rectification. One schema per shape: request validation, the
 * TypeScript types and the OpenAPI document. The service checks the same limits again, because
 * the portal's forms reach it without going through these schemas.
 */

/** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const RATINGS = [5, 4, 3, 2, 1] as const;
export type Rating = (typeof RATINGS)[number];
/** A rating at or below this opens a rectification case for the handling department. */
export const BAD_RATING_MAX = 2;
/** Ratings at or above this count as good (好评); 3 is basic (基本满意). */
export const GOOD_RATING_MIN = 4;

export const INDICATORS = ['efficiency', 'guidanceAccuracy', 'convenience'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const COMMENT_MAX = 500;
export const TEXT_MAX = 1000;

export const RECTIFICATION_STATUSES = ['open', 'responded', 'closed', 'appealed', 'upheld', 'dismissed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
/** Statuses in which the department still owes the applicant a response (and can be overdue). */
export const AWAITING_RESPONSE: readonly RectificationStatus[] = ['open', 'dismissed'];

export const OUTCOMES = ['explained', 'fixed', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DECISIONS = ['upheld', 'dismissed'] as const;
export type Decision = (typeof DECISIONS)[number];

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

const RatingSchema = Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意' });
export const StatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('responded'),
  Type.Literal('closed'),
  Type.Literal('appealed'),
  Type.Literal('upheld'),
  Type.Literal('dismissed'),
]);
export const OutcomeSchema = Type.Union([Type.Literal('explained'), Type.Literal('fixed'), Type.Literal('other')]);
export const DecisionSchema = Type.Union([Type.Literal('upheld'), Type.Literal('dismissed')]);
const LocalizedName = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

export const Indicators = Type.Object(
  {
    efficiency: Type.Integer({ minimum: 1, maximum: 5, description: 'Speed of handling, 1 to 5' }),
    guidanceAccuracy: Type.Integer({ minimum: 1, maximum: 5, description: 'Whether the service guide was accurate, 1 to 5' }),
    convenience: Type.Integer({ minimum: 1, maximum: 5, description: 'How easy it was to apply, 1 to 5' }),
  },
  { additionalProperties: false },
);
export type Indicators = Static<typeof Indicators>;

export const ReviewBody = Type.Object(
  {
    rating: RatingSchema,
    indicators: Indicators,
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX, description: 'Required (not blank) for a rating of 1 or 2, so the department knows what to put right' })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const RectificationRatingBody = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5, description: 'How satisfied the applicant is with the rectification' }),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })),
  },
  { additionalProperties: false },
);
export type RectificationRatingBody = Static<typeof RectificationRatingBody>;

export const ResponseBody = Type.Object(
  {
    callbackAt: Type.String({ format: 'date-time', description: 'When the department called the applicant back; not in the future, not before the review' }),
    outcome: OutcomeSchema,
    response: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'What the department explained or put right, shown to the applicant' }),
  },
  { additionalProperties: false },
);
export type ResponseBody = Static<typeof ResponseBody>;

export const AppealBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'Why the review is unfounded or malicious, shown to the supervisor and the applicant' }) },
  { additionalProperties: false },
);
export type AppealBody = Static<typeof AppealBody>;

export const DecisionBody = Type.Object(
  {
    decision: DecisionSchema,
    note: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: "The supervisor's reasons, shown to the department and the applicant" }),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const ItemParams = Type.Object({ itemId: Type.String({ maxLength: 64 }) });
export const DepartmentParams = Type.Object({ departmentId: Type.String({ maxLength: 64 }) });

export const RectificationQuery = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    overdue: Type.Optional(Type.Boolean({ description: 'Only cases past their due date that still await a response' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type RectificationQuery = Static<typeof RectificationQuery>;

export const AppealQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('decided'), Type.Literal('all')], { default: 'pending' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type AppealQuery = Static<typeof AppealQuery>;

export const AppealView = Type.Object({
  reason: Type.String(),
  appealedAt: Type.String(),
  decision: nullable(DecisionSchema),
  note: nullable(Type.String()),
  decidedAt: nullable(Type.String()),
});
export type AppealView = Static<typeof AppealView>;

/** What the applicant sees of the rectification of their review. */
export const ApplicantRectificationView = Type.Object({
  id: Type.String(),
  status: StatusSchema,
  dueOn: Type.String({ description: 'Last day (Asia/Shanghai) for the department to respond' }),
  callbackAt: nullable(Type.String()),
  outcome: nullable(OutcomeSchema),
  response: nullable(Type.String()),
  respondedAt: nullable(Type.String()),
  applicantRating: nullable(Type.Integer()),
  applicantComment: nullable(Type.String()),
  ratedAt: nullable(Type.String()),
  appeal: nullable(AppealView),
});
export type ApplicantRectificationView = Static<typeof ApplicantRectificationView>;

export const ReviewView = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  trackingNumber: Type.String(),
  itemId: Type.String(),
  itemName: LocalizedName,
  departmentId: Type.String(),
  rating: Type.Integer(),
  indicators: Indicators,
  comment: nullable(Type.String()),
  createdAt: Type.String(),
  rectification: nullable(ApplicantRectificationView),
});
export type ReviewView = Static<typeof ReviewView>;

/** A rectification case as the department and the supervisor see it. */
export const RectificationView = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  applicationId: Type.String(),
  trackingNumber: Type.String(),
  itemId: Type.String(),
  itemName: LocalizedName,
  departmentId: Type.String(),
  departmentName: nullable(LocalizedName),
  status: StatusSchema,
  openedAt: Type.String(),
  dueOn: Type.String(),
  overdue: Type.Boolean({ description: 'Past the due date and still awaiting a response' }),
  review: Type.Object({ rating: Type.Integer(), indicators: Indicators, comment: nullable(Type.String()), createdAt: Type.String() }),
  callbackAt: nullable(Type.String()),
  outcome: nullable(OutcomeSchema),
  response: nullable(Type.String()),
  respondedBy: nullable(Type.String({ description: 'Staff id' })),
  respondedAt: nullable(Type.String()),
  applicantRating: nullable(Type.Integer()),
  applicantComment: nullable(Type.String()),
  appeal: nullable(
    Type.Object({
      reason: Type.String(),
      appealedAt: Type.String(),
      appealedBy: Type.String({ description: 'Staff id' }),
      decision: nullable(DecisionSchema),
      note: nullable(Type.String()),
      decidedAt: nullable(Type.String()),
      decidedBy: nullable(Type.String({ description: 'Staff id' })),
    }),
  ),
});
export type RectificationView = Static<typeof RectificationView>;

export const RectificationList = Type.Object({ total: Type.Integer(), items: Type.Array(RectificationView) });
export type RectificationList = Static<typeof RectificationList>;

/** For the callback only: reading it is recorded in the audit trail. */
export const ApplicantContact = Type.Object({ name: Type.String(), phone: nullable(Type.String()) });
export type ApplicantContact = Static<typeof ApplicantContact>;

const Share = nullable(Type.Number({ description: 'Fraction of counted reviews, 0 to 1, four decimals; null when there are none' }));
const Rate = nullable(Type.Number({ description: 'Fraction, 0 to 1, four decimals; null when the denominator is 0' }));

export const SatisfactionView = Type.Object({
  scope: Type.Union([Type.Literal('item'), Type.Literal('department')]),
  id: Type.String(),
  name: nullable(LocalizedName),
  reviews: Type.Integer({ description: 'Reviews counted: every review except those an upheld appeal excluded' }),
  excluded: Type.Integer({ description: 'Reviews excluded after an upheld appeal' }),
  averageRating: nullable(Type.Number({ description: 'Two decimals' })),
  distribution: Type.Object({ '5': Type.Integer(), '4': Type.Integer(), '3': Type.Integer(), '2': Type.Integer(), '1': Type.Integer() }),
  shares: Type.Object({ good: Share, basic: Share, bad: Share }, { description: 'good: 4-5, basic: 3, bad: 1-2' }),
  indicators: Type.Object({ efficiency: nullable(Type.Number()), guidanceAccuracy: nullable(Type.Number()), convenience: nullable(Type.Number()) }),
  rectification: Type.Object({
    cases: Type.Integer({ description: 'Bad reviews (1-2) counted, each of which opened a case' }),
    rectified: Type.Integer({ description: 'Cases the department has responded to' }),
    rectificationRate: Rate,
    onTime: Type.Integer({ description: 'Responded on or before the due date' }),
    onTimeRate: Rate,
    overdue: Type.Integer({ description: 'Past the due date and still awaiting a response' }),
  }),
});
export type SatisfactionView = Static<typeof SatisfactionView>;
