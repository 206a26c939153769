import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { AuditActor } from '../core/audit.js';

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

export const MAX_FIELDS = 50;
export const MAX_FIELD_VALUE = 2000;
export const MAX_PURPOSE = 200;
export const MAX_REASON = 500;
export const MAX_VALIDITY_MONTHS = 1200;
export const CERTIFICATE_TYPE_PATTERN = '^[a-z][a-zA-Z0-9]{0,59}$';
export const FIELD_KEY_PATTERN = '^[a-z][a-zA-Z0-9]{0,39}$';

/** Text in both languages the portal speaks. */
export const LocalizedText = Type.Object(
  { 'zh-CN': Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LocalizedText = Static<typeof LocalizedText>;

/** One line of the certificate. Only fields marked public are shown to whoever verifies it. */
export const CertificateField = Type.Object(
  {
    key: Type.String({ pattern: FIELD_KEY_PATTERN, description: 'camelCase identifier, unique within the certificate' }),
    label: LocalizedText,
    value: Type.String({ maxLength: MAX_FIELD_VALUE }),
    public: Type.Boolean({ description: 'Shown on the public verification page and API' }),
  },
  { additionalProperties: false },
);
export type CertificateField = Static<typeof CertificateField>;

export const PublicField = Type.Object({ key: Type.String(), label: LocalizedText, value: Type.String() });
export type PublicField = Static<typeof PublicField>;

export const CertificateStatus = Type.Union([Type.Literal('current'), Type.Literal('revoked'), Type.Literal('expired')], {
  description: 'current: valid today; revoked by the issuing department; expired: past validUntil (Asia/Shanghai)',
});
export type CertificateStatus = Static<typeof CertificateStatus>;

export const Issuer = Type.Object({ departmentId: Type.String(), name: LocalizedText });
export type Issuer = Static<typeof Issuer>;

export const Holder = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  personId: nullable(Type.String()),
  enterpriseId: nullable(Type.String()),
  name: Type.String(),
  idMasked: Type.String({ description: 'ID number or unified social credit code, masked' }),
});
export type Holder = Static<typeof Holder>;

/** The certificate as its holder (and authorised staff) see it: every field, public or not. */
export const CertificateView = Type.Object({
  id: Type.String(),
  certificateType: Type.String(),
  number: Type.String(),
  verificationCode: Type.String({ description: 'Grouped for reading: XXXX-XXXX-XXXX-XXXX-XXXX' }),
  verificationUrl: Type.String(),
  title: LocalizedText,
  holder: Holder,
  fields: Type.Array(CertificateField),
  issuer: Issuer,
  issuedAt: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validUntil: nullable(Type.String({ format: 'date', description: 'Last day of validity; null: no expiry' })),
  status: CertificateStatus,
  revokedAt: nullable(Type.String()),
  revokedReason: nullable(Type.String()),
  sourceApplicationId: nullable(Type.String()),
  jws: Type.String({ description: 'The certificate as compact JWS (EdDSA), verifiable offline with the keys at jwksUri' }),
  kid: Type.String(),
  jwksUri: Type.String(),
});
export type CertificateView = Static<typeof CertificateView>;

/** What anyone holding the verification code (or the JWS) learns: genuine or not, status, public fields. */
export const PublicVerification = Type.Object({
  genuine: Type.Literal(true),
  status: CertificateStatus,
  certificateType: Type.String(),
  title: LocalizedText,
  number: Type.String(),
  holderName: Type.String({ description: "A person's name masked (王*); an enterprise's name in full" }),
  issuer: Issuer,
  issuedAt: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validUntil: nullable(Type.String({ format: 'date' })),
  revokedAt: nullable(Type.String()),
  fields: Type.Array(PublicField),
  kid: Type.String({ description: 'The key that signed the certificate, in the JWKS at jwksUri' }),
  jwksUri: Type.String(),
});
export type PublicVerification = Static<typeof PublicVerification>;

export const ShareView = Type.Object({
  id: Type.String(),
  certificateId: Type.String(),
  department: Type.Object({ id: Type.String(), name: LocalizedText }),
  kind: Type.Union([Type.Literal('share'), Type.Literal('material')], { description: 'material: reused as a material of an application' }),
  purpose: Type.String(),
  applicationId: nullable(Type.String()),
  consentedAt: Type.String(),
  revokedAt: nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
});
export type ShareView = Static<typeof ShareView>;

export const ShareBody = Type.Object(
  {
    departmentId: Type.String({ minLength: 1, maxLength: 64 }),
    purpose: Type.String({ minLength: 1, maxLength: MAX_PURPOSE, description: 'Why the department may see it, in the holder’s words' }),
    applicationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ShareBody = Static<typeof ShareBody>;

export const RevocationBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: MAX_REASON }) }, { additionalProperties: false });
export type RevocationBody = Static<typeof RevocationBody>;

export const JwsBody = Type.Object({ jws: Type.String({ minLength: 1, maxLength: 65_536 }) }, { additionalProperties: false });

export const CertificateParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const ShareParams = Type.Object({ id: Type.String({ maxLength: 64 }), shareId: Type.String({ maxLength: 64 }) });
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 64 }) });

/** Which holder: exactly one of a person or an enterprise. */
export type HolderRef = { personId: string } | { enterpriseId: string };

/** What the applications capability hands to `issue` when an application is approved. */
export interface IssueInput {
  certificateType: string;
  holder: HolderRef;
  holderName: string;
  title: LocalizedText;
  fields: CertificateField[];
  issuedByDepartmentId: string;
  /** Whole months from today; omitted: no expiry. */
  validityMonths?: number;
  sourceApplicationId?: string | null;
  /** Printed before the year in the number, e.g. 沪市监个字 gives 沪市监个字〔2026〕第000123号. */
  numberPrefix?: string;
  /** Who approved it, for the audit trail; the issuing department as a system actor when omitted. */
  actor?: AuditActor;
}

/** What an application keeps of a certificate reused as a material. */
export interface MaterialSnapshot {
  certificateId: string;
  type: string;
  number: string;
  verificationCode: string;
  title: LocalizedText;
  validUntil: string | null;
  fields: CertificateField[];
}
