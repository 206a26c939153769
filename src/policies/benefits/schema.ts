import { Type, type TSchema } from '@sinclair/typebox';
import { FormValues, MaterialsInput } from '../../applications/schema.js';
import { APPLICATION_STATUSES } from '../../applications/workflow.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
const Yuan = (description: string) => Type.Number({ description: `${description} (yuan)` });

const PolicyRef = Type.Object({
  code: Type.String(),
  title: Localized,
  versionId: Type.String({ description: 'The policy version whose rule and formula were applied' }),
  version: Type.Integer(),
});

export const EnterpriseParams = Type.Object({ id: Id });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const BatchParams = Type.Object({ id: Id });

export const ClaimHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 80,
    pattern: '^[\\x21-\\x7e]+$',
    description: 'A unique key per intended claim; a retry with the same key returns the first claim (200) instead of a second one',
  }),
});

export const ClaimBody = Type.Object(
  {
    policyCode: Type.String({ minLength: 1, maxLength: 64, description: 'An apply-mode policy' }),
    // Answers the enterprise's profile cannot give; the rest is prefilled from it.
    form: Type.Optional(FormValues),
    materials: Type.Optional(MaterialsInput),
    reuseHeldMaterials: Type.Optional(
      Type.Boolean({
        description: 'Consent to reuse every material the government holds (its data, a certificate the enterprise holds) that `materials` does not choose otherwise',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ClaimSchema = Type.Object({
  id: Type.String(),
  policy: PolicyRef,
  enterpriseId: Type.String(),
  uscc: Type.String(),
  outcome: Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('undetermined')], { description: 'The eligibility re-check when the claim was made' }),
  benefit: nullable(Type.Object({ amount: Yuan('Amount the formula gave at the claim') })),
  applicationId: Type.String({ description: 'The application on the policy’s service item' }),
  application: nullable(
    Type.Object({
      trackingNumber: nullable(Type.String()),
      status: Type.Union(APPLICATION_STATUSES.map((s) => Type.Literal(s))),
      decision: nullable(Type.Union([Type.Literal('approved'), Type.Literal('rejected')])),
    }),
  ),
  createdAt: Type.String(),
});

export const GrantSchema = Type.Object({ policy: PolicyRef, amount: nullable(Yuan('Amount granted')), grantedAt: Type.String() });

const BATCH_STATUSES = ['scanning', 'review', 'approved', 'discarded'] as const;

export const BatchSchema = Type.Object({
  id: Type.String(),
  policy: PolicyRef,
  status: Type.Union(BATCH_STATUSES.map((s) => Type.Literal(s))),
  scannedOn: Type.String({ description: 'The date the rule was evaluated on' }),
  eligibleCount: Type.Integer({ description: 'Eligible enterprises not granted under this version before' }),
  totalAmount: Yuan('Sum of the amounts'),
  unpricedCount: Type.Integer({ description: 'Eligible enterprises whose amount the formula could not give (a figure missing)' }),
  alreadyGrantedCount: Type.Integer({ description: 'Eligible enterprises left out because they were granted under this version already' }),
  createdAt: Type.String(),
  completedAt: nullable(Type.String()),
  decidedAt: nullable(Type.String()),
  grantedCount: nullable(Type.Integer({ description: 'Grants the approval created' })),
  grantedAmount: nullable(Yuan('Sum of the grants the approval created')),
});

export const BatchPageQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const BatchPageSchema = Type.Object({
  batch: BatchSchema,
  total: Type.Integer(),
  rows: Type.Array(Type.Object({ uscc: Type.String(), name: nullable(Type.String()), amount: nullable(Yuan('Amount')), granted: Type.Boolean() })),
});
