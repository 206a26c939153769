import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Credit records (信用记录) and credit repair (信用修复). One schema per shape: request validation,
 * the TypeScript types and the OpenAPI document. The service checks the same rules again, because
 * the portal's forms and the CSV import reach it without going through these schemas.
 */

export const CATEGORIES = ['licence', 'penalty', 'honour', 'commitmentKept', 'commitmentBroken', 'listing'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Fields a reporting department may choose to publish. The category, the issuing department, the
 * enterprise's name and USCC and the decision date are always public for a record in its public
 * period; everything else is public only when listed here.
 */
export const OPTIONAL_PUBLIC_FIELDS = ['title', 'content', 'legalBasis', 'documentNumber', 'effectiveFrom', 'effectiveTo'] as const;
export type PublicField = (typeof OPTIONAL_PUBLIC_FIELDS)[number];
/** What is published when the department does not say. */
export const DEFAULT_PUBLIC_FIELDS: PublicField[] = ['title', 'legalBasis', 'documentNumber', 'effectiveFrom', 'effectiveTo'];

export const TITLE_MAX = 200;
export const TEXT_MAX = 2000;
export const DOCUMENT_NUMBER_MAX = 100;
export const NAME_MAX = 200;

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai calendar day)' });

export const CategorySchema = Type.Union(CATEGORIES.map((c) => Type.Literal(c)));
export const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));
export const PublicFieldSchema = Type.Union(OPTIONAL_PUBLIC_FIELDS.map((f) => Type.Literal(f)));

export const SubjectInput = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('enterprise'),
      uscc: Type.String({ minLength: 1, maxLength: 40, description: 'Unified social credit code (GB 32100)' }),
      name: Type.String({ minLength: 1, maxLength: NAME_MAX }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('person'),
      name: Type.String({ minLength: 1, maxLength: 40 }),
      idNumber: Type.String({ minLength: 1, maxLength: 40, description: 'Resident ID number (GB 11643); the person must be verified on the platform' }),
    },
    { additionalProperties: false },
  ),
]);
export type SubjectInput = Static<typeof SubjectInput>;

export const RecordInput = Type.Object(
  {
    category: CategorySchema,
    subject: SubjectInput,
    title: Type.String({ minLength: 1, maxLength: TITLE_MAX }),
    content: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'Reason or content of the decision' }),
    legalBasis: Type.String({ minLength: 1, maxLength: TEXT_MAX }),
    documentNumber: Type.String({ minLength: 1, maxLength: DOCUMENT_NUMBER_MAX, description: 'Decision document number; with the department, the idempotency key' }),
    decidedOn: IsoDate,
    effectiveFrom: Type.Optional(IsoDate),
    effectiveTo: Type.Optional(nullable(IsoDate)),
    severity: Type.Optional(SeveritySchema),
    publicFields: Type.Optional(Type.Array(PublicFieldSchema, { uniqueItems: true, maxItems: OPTIONAL_PUBLIC_FIELDS.length })),
  },
  { additionalProperties: false },
);
export type RecordInput = Static<typeof RecordInput>;

const LocalizedName = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

/** A record as authorised staff and the subject see it: every field. */
export const RecordView = Type.Object({
  id: Type.String(),
  category: CategorySchema,
  severity: nullable(SeveritySchema),
  subjectKind: Type.Union([Type.Literal('enterprise'), Type.Literal('person')]),
  uscc: nullable(Type.String()),
  subjectName: Type.String(),
  /** Masked; the full number is never returned. */
  idNumberMasked: nullable(Type.String()),
  departmentId: Type.String(),
  departmentName: LocalizedName,
  title: Type.String(),
  content: Type.String(),
  legalBasis: Type.String(),
  documentNumber: Type.String(),
  decidedOn: Type.String(),
  effectiveFrom: Type.String(),
  effectiveTo: nullable(Type.String()),
  publicFields: Type.Array(PublicFieldSchema),
  /** First day the record is no longer public (exclusive); null while it has no end. */
  publicUntil: nullable(Type.String()),
  isPublicNow: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('repaired')]),
  repairedOn: nullable(Type.String()),
  /** Earliest day a repair may be applied for; null when the category cannot be repaired. */
  repairableFrom: nullable(Type.String()),
  source: Type.String(),
  applicationId: nullable(Type.String()),
  createdAt: Type.String(),
});
export type RecordView = Static<typeof RecordView>;

/** A record as the public sees it: only the always-public fields and those the department published. */
export const PublicRecord = Type.Object(
  {
    id: Type.String(),
    category: CategorySchema,
    severity: Type.Optional(SeveritySchema),
    departmentName: LocalizedName,
    decidedOn: Type.String(),
    title: Type.Optional(Type.String()),
    content: Type.Optional(Type.String()),
    legalBasis: Type.Optional(Type.String()),
    documentNumber: Type.Optional(Type.String()),
    effectiveFrom: Type.Optional(Type.String()),
    effectiveTo: Type.Optional(nullable(Type.String())),
  },
  { additionalProperties: false },
);
export type PublicRecord = Static<typeof PublicRecord>;

export const PublicSubject = Type.Object(
  {
    uscc: Type.String(),
    name: Type.String(),
    listed: Type.Boolean(),
    records: Type.Array(PublicRecord),
  },
  { additionalProperties: false },
);
export type PublicSubject = Static<typeof PublicSubject>;

export const PublicLookup = Type.Object(
  {
    query: Type.String(),
    subjects: Type.Array(PublicSubject),
    /** More enterprises match than are shown: the query should be narrowed. */
    more: Type.Boolean(),
    asOf: Type.String(),
  },
  { additionalProperties: false },
);
export type PublicLookup = Static<typeof PublicLookup>;

export const LookupQuery = Type.Object({ q: Type.String({ minLength: 2, maxLength: NAME_MAX, description: 'A USCC, or part of an enterprise name' }) });

export const StaffQuery = Type.Object({
  uscc: Type.Optional(Type.String({ maxLength: 40 })),
  personId: Type.Optional(Type.String({ maxLength: 64 })),
  purpose: Type.String({ minLength: 1, maxLength: 200, description: 'Why the records are read; recorded in the audit trail and shown to the subject' }),
});

export const StandingView = Type.Object({
  status: Type.Union([Type.Literal('good'), Type.Literal('caution'), Type.Literal('listed')]),
  listed: Type.Boolean(),
  mayCommit: Type.Boolean(),
  /** Absent for staff who see only their own department's records of the subject. */
  counts: Type.Optional(Type.Object({ licences: Type.Integer(), penalties: Type.Integer(), honours: Type.Integer(), commitmentsKept: Type.Integer(), commitmentsBroken: Type.Integer() })),
  asOf: Type.String(),
});

export const SubjectRecords = Type.Object({ standing: StandingView, records: Type.Array(RecordView) });
export type SubjectRecords = Static<typeof SubjectRecords>;

export const ReportResult = Type.Object({ created: Type.Boolean(), record: RecordView });

/** Evidence files one repair application may carry. */
export const REPAIR_FILES_MAX = 10;

export const RepairBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'How the untrustworthy conduct was corrected' }),
    evidence: Type.String({ minLength: 1, maxLength: TEXT_MAX, description: 'The evidence: documents, payment receipts, commitments (description and references)' }),
    files: Type.Optional(
      Type.Array(Type.String({ pattern: '^[\\w-]{1,64}$' }), {
        maxItems: REPAIR_FILES_MAX,
        description: `Scans of the evidence (PDF, JPEG or PNG), uploaded first with POST /api/v1/files by the same account; at most ${REPAIR_FILES_MAX}`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type RepairBody = Static<typeof RepairBody>;

export const REPAIR_DECISIONS = ['approved', 'rejected'] as const;
export type RepairDecision = (typeof REPAIR_DECISIONS)[number];
export const RepairDecisionBody = Type.Object(
  { decision: Type.Union(REPAIR_DECISIONS.map((d) => Type.Literal(d))), reason: Type.String({ minLength: 1, maxLength: TEXT_MAX }) },
  { additionalProperties: false },
);
export type RepairDecisionBody = Static<typeof RepairDecisionBody>;

export const RepairFile = Type.Object({ id: Type.String(), filename: Type.String(), type: Type.String(), size: Type.Integer() });
export type RepairFile = Static<typeof RepairFile>;

export const RepairView = Type.Object({
  id: Type.String(),
  recordId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  reason: Type.String(),
  evidence: Type.String(),
  files: Type.Array(RepairFile, { description: 'Scans of the evidence; the issuing department downloads them from /api/v1/credit/repairs/{id}/files/{fileId}' }),
  appliedAt: Type.String(),
  decisionReason: nullable(Type.String()),
  decidedAt: nullable(Type.String()),
  record: RecordView,
});
export type RepairView = Static<typeof RepairView>;

export const ImportRowError = Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() });
export const ImportResult = Type.Object({ imported: Type.Integer(), unchanged: Type.Integer(), errors: Type.Array(ImportRowError) });
export type ImportResult = Static<typeof ImportResult>;

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });
export const RepairFileParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }), fileId: Type.String({ pattern: '^[\\w-]{1,64}$' }) });
