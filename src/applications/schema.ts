import { Type, type Static } from '@sinclair/typebox';
import { APPLICATION_STATUSES, OFFICER_ACTIONS } from './workflow.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const FormValue = Type.Union([Type.String({ maxLength: 4000 }), Type.Number(), Type.Boolean()]);

export const FormValues = Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z0-9]{0,39}$' }), FormValue, {
  maxProperties: 60,
  description: 'Answers by form field key, as the item version defines them',
});

export const MaterialInputSchema = Type.Union([
  Type.Object({ fileIds: Type.Array(Id, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false, description: 'Files uploaded with POST /api/v1/files' }),
  Type.Object({ certificateId: Id, consent: Type.Boolean() }, { additionalProperties: false, description: 'Reuse an electronic certificate the applicant holds' }),
  Type.Object({ governmentData: Type.Literal(true), consent: Type.Boolean() }, { additionalProperties: false, description: 'Data the government already holds' }),
  Type.Object(
    { commitment: Type.Literal(true) },
    { additionalProperties: false, description: 'A credit commitment (信用承诺) instead of the material, where the item version allows one and the applicant is in good credit standing' },
  ),
  Type.Null(),
]);

export const MaterialsInput = Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z0-9]{0,39}$' }), MaterialInputSchema, { maxProperties: 30 });

export const ApplicationContent = Type.Object({ form: Type.Optional(FormValues), materials: Type.Optional(MaterialsInput) }, { additionalProperties: false });
export type ApplicationContent = Static<typeof ApplicationContent>;

const Target = {
  itemId: Id,
  enterpriseId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Apply in the name of an enterprise you represent or are an agent of (scope applications)' })),
  collectingDepartmentId: Type.Optional(Type.Union([Id, Type.Null()], { description: '异地代收: the office elsewhere that takes the application in' })),
};

export const DraftBody = Type.Object(Target, { additionalProperties: false });
export const ApplyBody = Type.Object({ ...Target, form: Type.Optional(FormValues), materials: Type.Optional(MaterialsInput) }, { additionalProperties: false });
export const BundleApplyBody = Type.Object(
  { bundleCode: Type.String({ minLength: 1, maxLength: 60 }), enterpriseId: Type.Optional(Type.Union([Id, Type.Null()])), form: Type.Optional(FormValues), materials: Type.Optional(MaterialsInput) },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[\\x21-\\x7e]+$', description: 'A unique key per intended submission; a retry with the same key returns the first result' }),
});

export const ApplicationParams = Type.Object({ id: Id });
export const ActionParams = Type.Object({ id: Id, action: Type.Union(OFFICER_ACTIONS.map((a) => Type.Literal(a))) });

export const OfficerActionBody = Type.Object(
  {
    opinion: Type.Optional(Type.String({ maxLength: 1000 })),
    missing: Type.Optional(
      Type.Object(
        { materials: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30 })), fields: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 60 })) },
        { additionalProperties: false },
      ),
    ),
    procedure: Type.Optional(Type.Union([Type.Literal('hearing'), Type.Literal('expertReview'), Type.Literal('inspection')])),
  },
  { additionalProperties: false },
);

export const WithdrawBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

const Status = Type.Union(APPLICATION_STATUSES.map((s) => Type.Literal(s)));

export const QueueQuery = Type.Object(
  {
    status: Type.Optional(Status),
    due: Type.Optional(Type.Union([Type.Literal('soon'), Type.Literal('overdue')])),
    itemId: Type.Optional(Id),
    mine: Type.Optional(Type.Boolean()),
    trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

const Flag = Type.Union(['notStarted', 'onTrack', 'dueSoon', 'overdue', 'paused', 'stopped'].map((f) => Type.Literal(f)));

export const QueueRowSchema = Type.Object({
  id: Type.String(),
  trackingNumber: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  itemName: Localized,
  applicantName: Type.String(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  promisedDueOn: Type.Union([Type.String(), Type.Null()]),
  legalDueOn: Type.Union([Type.String(), Type.Null()]),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  unit: Type.Union([Type.Literal('workingDays'), Type.Literal('calendarDays')]),
  flag: Flag,
  claimedByStaffId: Type.Union([Type.String(), Type.Null()]),
  collected: Type.Boolean(),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ApplicationViewSchema = Type.Object({
  id: Type.String(),
  trackingNumber: Nullable(Type.String()),
  status: Status,
  item: Type.Object({ id: Type.String(), versionId: Type.String(), version: Type.Integer(), name: Localized, departmentId: Type.String(), departmentName: Localized, regionCode: Type.String() }),
  applicant: Type.Object({ personId: Type.String(), name: Type.String(), regionCode: Type.String(), enterpriseId: Nullable(Type.String()), enterpriseName: Nullable(Type.String()) }),
  collectingDepartmentId: Nullable(Type.String()),
  collectedAt: Nullable(Type.String()),
  bundleSubmissionId: Nullable(Type.String()),
  form: Type.Record(Type.String(), FormValue),
  materials: Type.Record(Type.String(), Type.Object({ kind: Type.String() }, { additionalProperties: true })),
  supplementRequest: Type.Union([
    Type.Object({ requestedAt: Type.String(), materials: Type.Array(Type.String()), fields: Type.Array(Type.String()), note: Nullable(Type.String()) }),
    Type.Null(),
  ]),
  timeLimits: Type.Object({
    unit: Type.String(),
    promisedDays: Type.Integer(),
    legalDays: Type.Integer(),
    promisedDue: Nullable(Type.String()),
    legalDue: Nullable(Type.String()),
    daysLeft: Type.Union([Type.Integer(), Type.Null()]),
    daysLeftLegal: Type.Union([Type.Integer(), Type.Null()]),
    daysUsed: Type.Union([Type.Integer(), Type.Null()]),
    flag: Flag,
    provisional: Type.Boolean({ description: 'A due date falls in a year whose holiday arrangement is not published yet (weekends only for now)' }),
  }),
  decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Null()]),
  decisionReason: Nullable(Type.String()),
  certificateId: Nullable(Type.String()),
  claimedByStaffId: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  concludedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  events: Type.Array(
    Type.Object({
      at: Type.String(),
      action: Type.String(),
      fromStatus: Type.String(),
      toStatus: Type.String(),
      actor: Type.String(),
      actorType: Type.String(),
      step: Nullable(Type.String()),
      opinion: Nullable(Type.String()),
      detail: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    }),
  ),
  actions: Type.Array(Type.String()),
});

export const BundleSubmissionSchema = Type.Object({
  id: Type.String(),
  trackingNumber: Type.String(),
  bundleCode: Type.String(),
  name: Localized,
  createdAt: Type.String(),
  status: Type.Union(['inProgress', 'actionNeeded', 'completed', 'partlyRejected', 'withdrawn'].map((s) => Type.Literal(s))),
  applications: Type.Array(Type.Intersect([QueueRowSchema, Type.Object({ departmentId: Type.String(), certificateId: Nullable(Type.String()) })])),
  certificateIds: Type.Array(Type.String()),
});

// Credit in the flow (信用承诺)

export const CommitmentParams = Type.Object({ id: Id, materialKey: Type.String({ pattern: '^[a-z][a-zA-Z0-9]{0,39}$' }) });

export const BrokenCommitmentBody = Type.Object(
  {
    reason: Type.String({ maxLength: 1000, description: 'The facts and reasons the commitment is false; shown to the applicant and kept in the credit record' }),
    requireMaterial: Type.Optional(Type.Boolean({ description: 'Also require the material itself now (a supplement request listing it); only while a supplement may be requested' })),
  },
  { additionalProperties: false },
);

const CreditCounts = Type.Object({ licences: Type.Integer(), penalties: Type.Integer(), honours: Type.Integer(), commitmentsKept: Type.Integer(), commitmentsBroken: Type.Integer() });
const CreditStatus = Type.Union([Type.Literal('good'), Type.Literal('caution'), Type.Literal('listed')]);

export const ApplicantCreditSchema = Type.Object({
  standing: Type.Object({
    status: CreditStatus,
    listed: Type.Boolean(),
    mayCommit: Type.Boolean(),
    counts: Type.Optional(Type.Object(CreditCounts.properties, { description: "The applicant's credit records by kind: for the handling department only, not the collecting office" })),
    asOf: Type.String(),
  }),
  recordPage: Nullable(Type.String()),
  commitments: Type.Array(
    Type.Object({
      materialKey: Type.String(),
      kind: Type.Literal('commitment'),
      text: Localized,
      committedAt: Type.String(),
      committedBy: Type.Object({ personId: Type.String(), name: Type.String() }),
      standing: Type.Object({ status: CreditStatus, mayCommit: Type.Boolean() }),
      broken: Type.Optional(Type.Object({ at: Type.String(), decidedOn: Type.String(), reason: Type.String(), by: Type.String(), recordId: Type.String() })),
    }),
  ),
});
