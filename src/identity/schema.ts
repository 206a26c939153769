import { Type, type Static } from '@sinclair/typebox';

// Lengths are generous upper bounds: the service checks the content and explains what is wrong.
export const RegistrationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: 'Name as on the identity card' }),
    idNumber: Type.String({ minLength: 1, maxLength: 24, description: 'Resident identity number (GB 11643), 18 or 15 characters' }),
    phone: Type.String({ minLength: 1, maxLength: 20, description: 'Mainland mobile number, 11 digits' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type RegistrationBody = Static<typeof RegistrationBody>;

export const RegistrationResult = Type.Object({
  personId: Type.String(),
  challengeId: Type.String({ description: 'Confirm the phone with the code sent to it' }),
  realNameLevel: Type.Integer(),
});

export const ConfirmPhoneBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false });
export const ChallengeParams = Type.Object({ challengeId: Type.String({ maxLength: 64 }) });

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64, description: 'ID number, confirmed mobile number, or staff user name' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const LoginResult = Type.Object({
  mfaRequired: Type.Boolean({ description: 'Send the TOTP code to /api/v1/identity/sessions/current/mfa next' }),
  mfaEnrollmentRequired: Type.Boolean({ description: 'Staff without an authenticator must enrol before acting' }),
  expiresAt: Type.String(),
  csrfToken: Type.String({ description: 'Send as x-csrf-token with form posts that use the session cookie' }),
});

export const TotpBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false });

export const TotpEnrolment = Type.Object({ secret: Type.String(), uri: Type.String() });

export const Profile = Type.Object({
  accountId: Type.String(),
  kind: Type.Union([Type.Literal('person'), Type.Literal('staff')]),
  name: Type.String(),
  idNumberMasked: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  realNameLevel: Type.Union([Type.Integer(), Type.Null()]),
  roles: Type.Array(Type.String()),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  mfaEnrolled: Type.Boolean(),
});

export const SessionSummary = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ipHint: Type.Union([Type.String(), Type.Null()]),
});

export const SessionParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }) });

export const AccessLogEntry = Type.Object({
  cursor: Type.String({ description: 'Pass as `before` to continue the list after this line' }),
  at: Type.String(),
  action: Type.String({ description: 'What was done, e.g. personalData.read, files.read, identity.verification' }),
  who: Type.String({ description: 'Department and officer ("department · officer"), or the departmental client' }),
  actorType: Type.String({ description: 'staff, admin or client' }),
  purpose: Type.Union([Type.String(), Type.Null()], { description: 'Why: usually the application tracking number' }),
  outcome: Type.String({ description: 'success, failure or denied' }),
  applicationId: Type.Union([Type.String(), Type.Null()]),
});

export const AccessLogQuery = Type.Object({
  before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'The `cursor` of the last line already seen' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const PersonParams = Type.Object({ personId: Type.String({ maxLength: 64 }) });
export const PurposeQuery = Type.Object(
  { purpose: Type.String({ minLength: 1, maxLength: 200, description: 'Why the data is read, e.g. an application number' }) },
);

export const StaffPersonView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumber: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  birthDate: Type.String(),
  sex: Type.String(),
  regionCode: Type.String(),
  realNameLevel: Type.Integer(),
});
