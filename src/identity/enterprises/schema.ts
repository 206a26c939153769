import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * What an agent may do for an enterprise. The legal representative holds every scope.
 *  - profile:      edit the enterprise profile (employees, revenue, qualifications, ...)
 *  - applications: submit and follow applications in the enterprise's name
 *  - policies:     see matched policies, claim benefits and subsidies
 *  - credit:       see the enterprise's credit records and ask for corrections
 */
export const AGENT_SCOPES = ['profile', 'applications', 'policies', 'credit'] as const;
export type AgentScope = (typeof AGENT_SCOPES)[number];

export const ENTITY_TYPES = ['enterprise', 'individualBusiness', 'publicInstitution', 'socialOrganization', 'farmerCooperative'] as const;
export const TAXPAYER_TYPES = ['general', 'smallScale'] as const;
export const TAX_CREDIT_RATINGS = ['A', 'B', 'M', 'C', 'D'] as const;

/** The longest authorisation a legal representative can give in one grant. */
export const MAX_AGENT_YEARS = 3;
export const MAX_QUALIFICATIONS = 20;
export const MAX_QUALIFICATION_LENGTH = 40;
/** Amounts are yuan with at most two decimals; this bound keeps fen well inside 2^53. */
export const MAX_AMOUNT_YUAN = 10_000_000_000_000;

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

export const AgentScopeSchema = Type.Union([Type.Literal('profile'), Type.Literal('applications'), Type.Literal('policies'), Type.Literal('credit')]);
export const EntityTypeSchema = Type.Union([
  Type.Literal('enterprise'),
  Type.Literal('individualBusiness'),
  Type.Literal('publicInstitution'),
  Type.Literal('socialOrganization'),
  Type.Literal('farmerCooperative'),
]);
export const TaxpayerTypeSchema = Type.Union([Type.Literal('general'), Type.Literal('smallScale')]);
export const TaxCreditRatingSchema = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('M'), Type.Literal('C'), Type.Literal('D')]);
const SizeClassSchema = Type.Union([Type.Literal('large'), Type.Literal('medium'), Type.Literal('small'), Type.Literal('micro')]);
export const RoleSchema = Type.Union([Type.Literal('legalRepresentative'), Type.Literal('agent')]);
export type EnterpriseRole = Static<typeof RoleSchema>;

export const OpenEnterpriseBody = Type.Object(
  { uscc: Type.String({ minLength: 1, maxLength: 40, description: 'Unified social credit code (GB 32100), 18 characters' }) },
  { additionalProperties: false },
);
export type OpenEnterpriseBody = Static<typeof OpenEnterpriseBody>;

export const EnterpriseParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const AgentParams = Type.Object({ id: Type.String({ maxLength: 64 }), agentId: Type.String({ maxLength: 64 }) });

const YUAN_DESCRIPTION = 'Yuan, at most two decimals (stored as integer fen)';

/**
 * The part of the profile the enterprise keeps up to date itself. Name, USCC, entity type and
 * establishment date come from the registry and cannot be changed here. `null` clears a value.
 */
export const ProfilePatch = Type.Object(
  {
    regionCode: Type.Optional(Type.String({ maxLength: 6, description: 'GB/T 2260 region code of the place of business' })),
    industryCode: Type.Optional(nullable(Type.String({ maxLength: 4, description: 'GB/T 4754-2017 class, four digits' }))),
    employees: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
    insuredEmployees: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Employees covered by social insurance' }))),
    operatingRevenue: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: MAX_AMOUNT_YUAN, description: YUAN_DESCRIPTION }))),
    totalAssets: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: MAX_AMOUNT_YUAN, description: YUAN_DESCRIPTION }))),
    taxpayerType: Type.Optional(nullable(TaxpayerTypeSchema)),
    taxCreditRating: Type.Optional(nullable(TaxCreditRatingSchema)),
    qualifications: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: `Up to ${MAX_QUALIFICATIONS} short names, e.g. 高新技术企业, 专精特新中小企业` }),
    ),
  },
  { additionalProperties: false },
);
export type ProfilePatch = Static<typeof ProfilePatch>;

export const EnterpriseView = Type.Object({
  id: Type.String(),
  uscc: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  regionName: nullable(Type.String()),
  industryCode: nullable(Type.String()),
  industryName: nullable(Type.String()),
  industrySection: nullable(Type.String()),
  entityType: EntityTypeSchema,
  establishedOn: nullable(Type.String()),
  employees: nullable(Type.Integer()),
  insuredEmployees: nullable(Type.Integer()),
  operatingRevenue: nullable(Type.Number({ description: YUAN_DESCRIPTION })),
  totalAssets: nullable(Type.Number({ description: YUAN_DESCRIPTION })),
  taxpayerType: nullable(TaxpayerTypeSchema),
  taxCreditRating: nullable(TaxCreditRatingSchema),
  qualifications: Type.Array(Type.String()),
  sizeClass: nullable(SizeClassSchema),
  sizeClassStatus: Type.Union([Type.Literal('classified'), Type.Literal('insufficientData'), Type.Literal('notCovered')], {
    description: 'insufficientData: fill in sizeClassMissing; notCovered: the 2017 standard does not classify this industry',
  }),
  sizeClassMissing: Type.Array(Type.String()),
  legalRepresentativeName: Type.String(),
  role: RoleSchema,
  scopes: Type.Array(AgentScopeSchema, { description: 'What the caller may do for this enterprise' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type EnterpriseView = Static<typeof EnterpriseView>;

export const MyEnterprise = Type.Object({
  id: Type.String(),
  uscc: Type.String(),
  name: Type.String(),
  entityType: EntityTypeSchema,
  regionCode: Type.String(),
  role: RoleSchema,
  scopes: Type.Array(AgentScopeSchema),
  agencyExpiresAt: nullable(Type.String({ description: 'For an agent: when the authorisation ends' })),
});
export type MyEnterprise = Static<typeof MyEnterprise>;

export const GrantAgentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: "The agent's name as on the identity card" }),
    idNumber: Type.String({ minLength: 1, maxLength: 24, description: "The agent's resident identity number" }),
    scopes: Type.Array(AgentScopeSchema, { minItems: 1, maxItems: AGENT_SCOPES.length }),
    expiresOn: Type.String({ format: 'date', description: `Last day the authorisation holds (Asia/Shanghai), at most ${MAX_AGENT_YEARS} years ahead` }),
  },
  { additionalProperties: false },
);
export type GrantAgentBody = Static<typeof GrantAgentBody>;

export const AgentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  scopes: Type.Array(AgentScopeSchema),
  expiresOn: Type.String({ description: 'Last day the authorisation holds' }),
  expiresAt: Type.String({ description: 'First instant at which it no longer holds' }),
  grantedAt: Type.String(),
  revokedAt: nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export type AgentView = Static<typeof AgentView>;
