import { Type, type Static } from '@sinclair/typebox';

/** Scopes a person can grant a departmental system, and the claims each releases. */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name'],
  phone: ['phone_number', 'phone_number_verified'],
  realname: ['real_name_level'],
  id_number: ['id_number'],
} as const;
export type PersonScope = keyof typeof SCOPE_CLAIMS;
export const PERSON_SCOPES = Object.keys(SCOPE_CLAIMS) as PersonScope[];

/** Machine scope: ask whether a name and ID number belong to a verified person. */
export const VERIFY_SCOPE = 'identity:verify';
/** Machine scope: report credit records of the client's department (src/credit). */
export const CREDIT_REPORT_SCOPE = 'credit:report';
export const CLIENT_SCOPES = [...PERSON_SCOPES, 'offline_access', VERIFY_SCOPE, CREDIT_REPORT_SCOPE] as const;

export const VerificationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: 'Name as on the identity card' }),
    idNumber: Type.String({ minLength: 1, maxLength: 24, description: 'Resident identity number' }),
    purpose: Type.Optional(Type.String({ maxLength: 200, description: 'Why the department asks, e.g. its case number; shown to the person' })),
  },
  { additionalProperties: false },
);
export type VerificationBody = Static<typeof VerificationBody>;

export const VerificationResult = Type.Object({
  match: Type.Boolean({ description: 'Whether name and ID number belong to a real-name-verified person' }),
  realNameLevel: Type.Optional(Type.Integer({ description: 'Only when matching: 1 ID matched, 2 and phone confirmed, 3 and in person' })),
});
export type VerificationResult = Static<typeof VerificationResult>;

const GrantType = Type.Union([Type.Literal('authorization_code'), Type.Literal('client_credentials'), Type.Literal('refresh_token')], {
  description: 'authorization_code: signs people in (SSO); client_credentials: machine access such as the verification API',
});
const ClientScope = Type.Union(
  CLIENT_SCOPES.map((scope) => Type.Literal(scope)),
  { description: 'Person scopes for SSO (openid is always included); identity:verify for the verification API' },
);

export const ClientRegistrationBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 80, description: 'The system as people will see it on the consent page' }),
    departmentId: Type.String({ maxLength: 64 }),
    redirectUris: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10, default: [], description: 'https only in production; http://localhost otherwise' }),
    grantTypes: Type.Array(GrantType, { minItems: 1, maxItems: 3, uniqueItems: true }),
    scopes: Type.Array(ClientScope, { maxItems: CLIENT_SCOPES.length, uniqueItems: true, default: [] }),
  },
  { additionalProperties: false },
);
export type ClientRegistration = Static<typeof ClientRegistrationBody>;

export const ClientCredentials = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.String({ description: 'Shown this once; Tongban keeps it encrypted and cannot show it again' }),
});

export const ClientView = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  redirectUris: Type.Array(Type.String()),
  grantTypes: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
});
export type ClientView = Static<typeof ClientView>;

export const ClientParams = Type.Object({ clientId: Type.String({ maxLength: 64 }) });
