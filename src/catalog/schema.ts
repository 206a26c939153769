import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * The service item model, after the national implementation list (GB/T 39554 family). One schema
 * is the source for request validation, the TypeScript types and the OpenAPI document. A saved
 * definition is immutable: editing an item stores a new version, and an application keeps the
 * version it was submitted under.
 */

const nullable = <S extends TSchema>(schema: S) => Type.Union([schema, Type.Null()]);

/** Text in both languages the portal speaks. */
export const LocalizedText = (max = 200) =>
  Type.Object(
    { 'zh-CN': Type.String({ minLength: 1, maxLength: max }), en: Type.String({ minLength: 1, maxLength: max }) },
    { additionalProperties: false },
  );
export type LocalizedText = Static<ReturnType<typeof LocalizedText>>;

const Key = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-zA-Z0-9]*$', description: 'camelCase identifier' });

/** 行政许可, 行政给付, 行政确认, 行政征收, 行政奖励, 行政裁决, 其他行政权力, 公共服务. */
export const ITEM_TYPES = [
  'administrativeLicence',
  'administrativePayment',
  'administrativeConfirmation',
  'administrativeLevy',
  'administrativeAward',
  'administrativeAdjudication',
  'otherAdministrativePower',
  'publicService',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const ItemTypeSchema = Type.Union(ITEM_TYPES.map((value) => Type.Literal(value)));

export const AUDIENCES = ['person', 'enterprise'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AudienceSchema = Type.Union(AUDIENCES.map((value) => Type.Literal(value)));

export const HANDLING_FORMS = ['online', 'counter', 'post'] as const;
export const HandlingFormSchema = Type.Union(HANDLING_FORMS.map((value) => Type.Literal(value)));

/**
 * Online handling depth of the national standard: 1 information only, 2 forms to download,
 * 3 accepted online (the applicant still comes once), 4 fully online (全程网办).
 */
export const FULLY_ONLINE_DEPTH = 4;

/** 不跨区域, 省内通办, 跨省通办. */
export const CROSS_REGION_SCOPES = ['none', 'province', 'national'] as const;
export type CrossRegionScope = (typeof CROSS_REGION_SCOPES)[number];

/** Life events and themes people search by; labels live in the catalogue's messages. */
export const THEMES = [
  'startingBusiness',
  'havingBaby',
  'employment',
  'housing',
  'education',
  'healthcare',
  'socialSecurity',
  'retirement',
  'transport',
  'marriage',
  'taxes',
  'construction',
  'foodSafety',
  'culture',
] as const;
export type Theme = (typeof THEMES)[number];
export const ThemeSchema = Type.Union(THEMES.map((value) => Type.Literal(value)));

/** Roles that act in a handling step; `approver` signs decisions, `officer` does the rest. */
export const FLOW_ROLES = ['officer', 'approver'] as const;
export const FlowRoleSchema = Type.Union(FLOW_ROLES.map((value) => Type.Literal(value)));

/** Steps a flow is made of, in the order they happen. A licensing item needs every required one. */
export const FLOW_STEPS = ['accept', 'review', 'specialProcedure', 'approve', 'conclude', 'deliver'] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];
export const LICENSING_REQUIRED_STEPS: FlowStep[] = ['accept', 'review', 'approve', 'conclude', 'deliver'];
export const FlowStepSchema = Type.Union(FLOW_STEPS.map((value) => Type.Literal(value)));

/**
 * Data the government already holds and can hand to an application with the applicant's consent,
 * so that nobody is asked for it again.
 */
export const GOVERNMENT_DATASETS = ['residentIdentity', 'householdRegistration', 'businessRegistration', 'socialInsurance', 'marriageRegistration', 'birthMedicalCertificate'] as const;
export type GovernmentDataset = (typeof GOVERNMENT_DATASETS)[number];
export const GovernmentDatasetSchema = Type.Union(GOVERNMENT_DATASETS.map((value) => Type.Literal(value)));

export const UPLOAD_TYPES = ['pdf', 'jpeg', 'png'] as const;
export const UploadTypeSchema = Type.Union(UPLOAD_TYPES.map((value) => Type.Literal(value)));

export const MaterialSchema = Type.Object(
  {
    key: Key,
    name: LocalizedText(),
    requirement: Type.Union([Type.Literal('required'), Type.Literal('conditional')]),
    /** When conditional: the person-readable condition, and optionally the form field that makes it needed. */
    condition: Type.Optional(LocalizedText(300)),
    requiredWhen: Type.Optional(Type.Object({ field: Key, equals: Type.Union([Type.String(), Type.Boolean(), Type.Number()]) }, { additionalProperties: false })),
    medium: Type.Union([Type.Literal('electronic'), Type.Literal('paper'), Type.Literal('either')]),
    /**
     * Where it comes from: an upload by the applicant, an electronic certificate the applicant holds
     * (of `certificateType`), or data the government holds (`dataset`). The last two may also allow
     * an upload when the applicant has no such certificate.
     */
    source: Type.Union([Type.Literal('upload'), Type.Literal('certificate'), Type.Literal('governmentData')]),
    certificateType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    dataset: Type.Optional(GovernmentDatasetSchema),
    uploadAllowed: Type.Boolean({ description: 'An upload is accepted (always true for source upload)' }),
    acceptedTypes: Type.Array(UploadTypeSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
    maxSizeMb: Type.Integer({ minimum: 1, maximum: 20 }),
    /**
     * 信用承诺: an applicant in good credit standing may make a written commitment instead of
     * providing this material (upload or certificate materials only). Absent means false.
     */
    commitmentAllowed: Type.Optional(Type.Boolean({ description: 'A credit commitment (信用承诺) may replace this material for applicants in good standing' })),
    /** The commitment the applicant makes; the standard text naming the material when absent. */
    commitmentText: Type.Optional(LocalizedText(1000)),
  },
  { additionalProperties: false },
);
export type Material = Static<typeof MaterialSchema>;

export const FORM_FIELD_TYPES = ['text', 'textarea', 'integer', 'number', 'date', 'select', 'checkbox', 'region', 'industry', 'idNumber', 'uscc', 'phone', 'email'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** Profile values a form field can be prefilled from, so the applicant types only what is new. */
export const PREFILL_SOURCES = [
  'person.name',
  'person.idNumber',
  'person.phone',
  'person.regionCode',
  'person.birthDate',
  'enterprise.name',
  'enterprise.uscc',
  'enterprise.regionCode',
  'enterprise.industryCode',
  'enterprise.employees',
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

export const FormFieldSchema = Type.Object(
  {
    key: Key,
    label: LocalizedText(),
    hint: Type.Optional(LocalizedText(300)),
    type: Type.Union(FORM_FIELD_TYPES.map((value) => Type.Literal(value))),
    required: Type.Boolean(),
    options: Type.Optional(Type.Array(Type.Object({ value: Type.String({ minLength: 1, maxLength: 60 }), label: LocalizedText() }, { additionalProperties: false }), { minItems: 1, maxItems: 50 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 4000 })),
    pattern: Type.Optional(Type.String({ maxLength: 200, description: 'Regular expression the whole value must match' })),
    prefill: Type.Optional(Type.Union(PREFILL_SOURCES.map((value) => Type.Literal(value)))),
    /** Shown and validated only when another field has this value. */
    visibleWhen: Type.Optional(Type.Object({ field: Key, equals: Type.Union([Type.String(), Type.Boolean(), Type.Number()]) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type FormField = Static<typeof FormFieldSchema>;

export const FlowStepDefinition = Type.Object(
  {
    step: FlowStepSchema,
    roles: Type.Array(FlowRoleSchema, { minItems: 1, maxItems: 2, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type FlowStepDefinition = Static<typeof FlowStepDefinition>;

export const FeeSchema = Type.Object(
  {
    name: LocalizedText(),
    amount: Type.Number({ minimum: 0, maximum: 100_000_000, description: 'Yuan, at most two decimals' }),
    basis: Type.String({ maxLength: 300, description: 'The document that sets the fee; required for every fee' }),
  },
  { additionalProperties: false },
);

/** What a department writes when it publishes or edits an item. */
export const ItemDefinition = Type.Object(
  {
    basicCode: Type.String({ minLength: 4, maxLength: 40, pattern: '^[0-9A-Za-z-]+$', description: '基本编码 shared by every implementation of the item' }),
    implementationCode: Type.String({ minLength: 4, maxLength: 60, pattern: '^[0-9A-Za-z-]+$', description: '实施编码, unique to this department' }),
    name: LocalizedText(),
    itemType: ItemTypeSchema,
    audiences: Type.Array(AudienceSchema, { minItems: 1, maxItems: 2, uniqueItems: true }),
    themes: Type.Array(ThemeSchema, { maxItems: 5, uniqueItems: true }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20, description: 'Further search terms, e.g. 开饭店' }),
    legalBasis: Type.Array(
      Type.Object(
        { law: Type.String({ minLength: 1, maxLength: 200 }), documentNumber: Type.Optional(Type.String({ maxLength: 100 })), article: Type.Optional(Type.String({ maxLength: 100 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
    acceptanceConditions: LocalizedText(2000),
    timeLimitUnit: Type.Union([Type.Literal('workingDays'), Type.Literal('calendarDays')]),
    legalLimitDays: Type.Integer({ minimum: 0, maximum: 365 }),
    promisedLimitDays: Type.Integer({ minimum: 0, maximum: 365 }),
    visits: Type.Integer({ minimum: 0, maximum: 5, description: 'On-site visits required; 0 means fully online' }),
    visitReason: Type.Optional(LocalizedText(300)),
    onlineDepth: Type.Integer({ minimum: 1, maximum: 4 }),
    handlingForms: Type.Array(HandlingFormSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
    fees: Type.Array(FeeSchema, { maxItems: 10 }),
    crossRegion: Type.Union(CROSS_REGION_SCOPES.map((value) => Type.Literal(value))),
    /** 异地代收: an office elsewhere may collect the application and pass it on. */
    collectElsewhere: Type.Boolean(),
    result: Type.Object(
      {
        name: LocalizedText(),
        type: Type.Union([Type.Literal('licence'), Type.Literal('certificate'), Type.Literal('approvalDocument'), Type.Literal('payment'), Type.Literal('other')]),
        /** The electronic certificate type issued on approval, e.g. `individualBusinessLicence`. */
        certificateType: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
        validityMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 1200 })),
      },
      { additionalProperties: false },
    ),
    materials: Type.Array(MaterialSchema, { maxItems: 30 }),
    form: Type.Object({ fields: Type.Array(FormFieldSchema, { maxItems: 60 }) }, { additionalProperties: false }),
    flow: Type.Object({ steps: Type.Array(FlowStepDefinition, { minItems: 1, maxItems: 8 }) }, { additionalProperties: false }),
    contact: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ItemDefinition = Static<typeof ItemDefinition>;

export const ItemLevelSchema = Type.Union([Type.Literal('national'), Type.Literal('provincial'), Type.Literal('city'), Type.Literal('county')]);
export type ItemLevel = Static<typeof ItemLevelSchema>;

/** A published version as the rest of the platform sees it. */
export const ItemVersionView = Type.Object({
  itemId: Type.String(),
  versionId: Type.String(),
  version: Type.Integer(),
  departmentId: Type.String(),
  departmentName: LocalizedText(),
  regionCode: Type.String(),
  level: ItemLevelSchema,
  status: Type.Union([Type.Literal('published'), Type.Literal('withdrawn')]),
  definition: ItemDefinition,
  publishedAt: Type.String(),
  /** The item's newest version number; greater than `version` when this version has been superseded. */
  latestVersion: Type.Integer(),
  /** "At most one visit" figures, computed from the definition. */
  figures: Type.Object({
    visits: Type.Integer(),
    materialsAsked: Type.Integer(),
    materialsReused: Type.Integer(),
    materialsToProvide: Type.Integer(),
    promisedDays: Type.Integer(),
    legalDays: Type.Integer(),
    fullyOnline: Type.Boolean(),
  }),
});
export type ItemVersionView = Static<typeof ItemVersionView>;


export const ItemStatusSchema = Type.Union([Type.Literal('published'), Type.Literal('withdrawn')]);
export type ItemStatus = Static<typeof ItemStatusSchema>;
export type ItemFigures = ItemVersionView['figures'];

/** One search hit: enough to list the item with its "at most one visit" figures. */
export const ItemSummary = Type.Object({
  itemId: Type.String(),
  versionId: Type.String(),
  version: Type.Integer(),
  implementationCode: Type.String(),
  name: LocalizedText(),
  itemType: ItemTypeSchema,
  level: ItemLevelSchema,
  regionCode: Type.String(),
  departmentId: Type.String(),
  departmentName: LocalizedText(),
  audiences: Type.Array(AudienceSchema),
  themes: Type.Array(ThemeSchema),
  onlineDepth: Type.Integer(),
  crossRegion: Type.Union(CROSS_REGION_SCOPES.map((value) => Type.Literal(value))),
  figures: ItemVersionView.properties.figures,
});
export type ItemSummary = Static<typeof ItemSummary>;

export const SEARCH_MAX_LIMIT = 50;

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Keywords in Chinese or English; every word (Chinese: every pair of characters) must occur' })),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Items serving this region: those of the region, of the regions above it and national ones, plus those of regions within it' })),
    departmentId: Type.Optional(Type.String({ maxLength: 64 })),
    audience: Type.Optional(AudienceSchema),
    theme: Type.Optional(ThemeSchema),
    itemType: Type.Optional(ItemTypeSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_MAX_LIMIT, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResult = Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), items: Type.Array(ItemSummary) });
export type SearchResult = Static<typeof SearchResult>;

export const ItemParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ReviseItemQuery = Type.Object({
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'The version this edit was made from: if another version was saved since, 409 itemVersionChanged instead of overwriting it' })),
});
export const ItemVersionParams = Type.Object({ id: Type.String({ maxLength: 64 }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) });
export const VersionParams = Type.Object({ versionId: Type.String({ maxLength: 64 }) });

// "One thing" bundles (一件事一次办)

export const BUNDLE_MAX_ITEMS = 10;

/** What an editor writes to publish a bundle: several items handled together with one form. */
export const BundleDefinition = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$', description: 'Stable code used in addresses, e.g. open-restaurant' }),
    name: LocalizedText(),
    description: LocalizedText(1000),
    themes: Type.Array(ThemeSchema, { maxItems: 5, uniqueItems: true }),
    itemIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 2, maxItems: BUNDLE_MAX_ITEMS, uniqueItems: true, description: 'Items in the order they are handled' }),
  },
  { additionalProperties: false },
);
export type BundleDefinition = Static<typeof BundleDefinition>;

/** A form field of the combined form, with the items that ask it (the same key is asked once). */
export const BundleField = Type.Composite([FormFieldSchema, Type.Object({ itemIds: Type.Array(Type.String()) })]);
export type BundleField = Static<typeof BundleField>;
export const BundleMaterial = Type.Composite([
  MaterialSchema,
  Type.Object({
    itemIds: Type.Array(Type.String()),
    /**
     * When the items asking the material accept a commitment in different words: each distinct
     * text with the items (and their names) that use it, and no combined `commitmentText`.
     */
    commitmentTexts: Type.Optional(Type.Array(Type.Object({ itemIds: Type.Array(Type.String()), itemNames: Type.Array(LocalizedText()), text: LocalizedText(1000) }))),
  }),
]);
export type BundleMaterial = Static<typeof BundleMaterial>;

export const BundleSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: LocalizedText(),
  description: LocalizedText(1000),
  themes: Type.Array(ThemeSchema),
  status: ItemStatusSchema,
  itemIds: Type.Array(Type.String()),
});
export type BundleSummary = Static<typeof BundleSummary>;

export const BundleView = Type.Composite([
  BundleSummary,
  Type.Object({
    /** Each item's current version, in the bundle's order. */
    items: Type.Array(ItemVersionView),
    form: Type.Object({ fields: Type.Array(BundleField) }),
    materials: Type.Array(BundleMaterial),
    figures: Type.Object({
      items: Type.Integer(),
      departments: Type.Integer(),
      /** The most visits any one item needs: the visits can be made together. */
      visits: Type.Integer(),
      materialsAsked: Type.Integer(),
      materialsReused: Type.Integer(),
      materialsToProvide: Type.Integer(),
      /** The longest promised limit among the items (they run in parallel). */
      promisedDays: Type.Integer(),
      legalDays: Type.Integer(),
      fullyOnline: Type.Boolean(),
    }),
  }),
]);
export type BundleView = Static<typeof BundleView>;

export const BundleParams = Type.Object({ code: Type.String({ maxLength: 64 }) });

export { nullable };
