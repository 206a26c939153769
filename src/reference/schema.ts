import { Type, type Static } from '@sinclair/typebox';

const CodeAndName = Type.Object({ code: Type.String(), name: Type.String() });

export const ValidateQuery = Type.Object({
  type: Type.Unsafe<'resident-id' | 'uscc'>({
    type: 'string',
    enum: ['resident-id', 'uscc'],
    description: 'resident-id: citizen identity number (GB 11643-1999); uscc: unified social credit code (GB 32100-2015)',
  }),
  value: Type.String({ maxLength: 64, description: 'The number to check, as typed; surrounding white space is ignored' }),
});
export type ValidateQuery = Static<typeof ValidateQuery>;

const ResidentIdInfo = Type.Object(
  {
    region: Type.String({ description: 'Address code (GB/T 2260) where the number was first issued' }),
    regionName: Type.Optional(Type.String({ description: 'Present when the code is in the current list' })),
    residencePermitFor: Type.Optional(Type.Union([Type.Literal('hongKong'), Type.Literal('macao'), Type.Literal('taiwan')])),
    birthDate: Type.String({ format: 'date' }),
    sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
    upgradedFrom15: Type.Optional(Type.Boolean({ description: 'The value was a 15-digit number, upgraded to `normalized`' })),
  },
  { title: 'ResidentIdInfo' },
);

const UsccInfo = Type.Object(
  {
    registrationAuthority: CodeAndName,
    category: CodeAndName,
    region: Type.String({ description: 'Region code (GB/T 2260) of the registering office; 100000 for national registration' }),
    regionName: Type.Optional(Type.String()),
    organizationCode: Type.String({ description: 'Organisation code (GB 11714), characters 9-17' }),
    entityType: Type.Optional(
      Type.String({ description: 'The platform entity type: enterprise, individualBusiness, farmerCooperative, publicInstitution, socialOrganization' }),
    ),
  },
  { title: 'UsccInfo' },
);

export const ValidateResult = Type.Object({
  valid: Type.Boolean(),
  normalized: Type.Optional(Type.String({ description: 'The number as it should be stored (upper-case X, 15 digits upgraded to 18)' })),
  reason: Type.Optional(Type.String({ description: 'Stable reason code when invalid, e.g. checkCharacter, invalidBirthDate, unknownRegion' })),
  message: Type.String({ description: 'A human explanation in the language of Accept-Language' }),
  info: Type.Optional(Type.Union([ResidentIdInfo, UsccInfo], { description: 'What a valid number encodes' })),
});
export type ValidateResult = Static<typeof ValidateResult>;

export const RegionParams = Type.Object({ code: Type.String({ pattern: '^\\d{6}$', description: 'Six-digit GB/T 2260 code; 100000 is the whole country' }) });
export const RegionContainsParams = Type.Object({
  code: Type.String({ pattern: '^\\d{6}$', description: 'The larger region' }),
  other: Type.String({ pattern: '^\\d{6}$', description: 'The region that may lie within it' }),
});

export const RegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal('country'), Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]),
  parentCode: Type.Union([Type.String(), Type.Null()], { description: 'The governing region one level up; null for a province and the country' }),
  administrative: Type.Boolean({ description: 'False for groupings such as 市辖区 and 省直辖县级行政区划, which have no government of their own' }),
  path: Type.Array(CodeAndName, { description: 'From the province down to the region itself' }),
});
export type RegionView = Static<typeof RegionView>;

export const ContainsResult = Type.Object({ within: Type.Boolean() });

export const IndustryParams = Type.Object({
  code: Type.String({ pattern: '^(?:[A-T]|\\d{2,4})$', description: 'Section letter, 2-digit division, 3-digit group or 4-digit class (GB/T 4754-2017)' }),
});

export const IndustryView = Type.Object({
  code: Type.String(),
  level: Type.Union([Type.Literal('section'), Type.Literal('division'), Type.Literal('group'), Type.Literal('class')]),
  name: Type.String(),
  note: Type.Optional(Type.String()),
  section: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  path: Type.Array(CodeAndName, { description: 'From the section down to the industry itself' }),
});
export type IndustryView = Static<typeof IndustryView>;

const MAX_FEN = Number.MAX_SAFE_INTEGER;

export const SizeClassBody = Type.Object(
  {
    industry: Type.String({ pattern: '^\\d{4}$', description: 'GB/T 4754-2017 class (4 digits) of the main activity' }),
    employees: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Persons employed at period end' })),
    operatingRevenue: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FEN, description: 'Operating revenue in fen (分)' })),
    totalAssets: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FEN, description: 'Total assets in fen (分)' })),
  },
  { additionalProperties: false },
);
export type SizeClassBody = Static<typeof SizeClassBody>;

const SizeIndicator = Type.Union([Type.Literal('employees'), Type.Literal('operatingRevenue'), Type.Literal('totalAssets')]);

export const SizeClassResult = Type.Object({
  status: Type.Union([Type.Literal('classified'), Type.Literal('insufficientData'), Type.Literal('notCovered')], {
    description: 'notCovered: the 2017 rule does not classify this industry (e.g. finance, railway transport)',
  }),
  sizeClass: Type.Optional(Type.Union([Type.Literal('large'), Type.Literal('medium'), Type.Literal('small'), Type.Literal('micro')])),
  industryGroup: Type.Optional(Type.String({ description: 'Row of the standard that applies, e.g. 零售业' })),
  indicatorsUsed: Type.Optional(Type.Array(SizeIndicator)),
  missingIndicators: Type.Optional(Type.Array(SizeIndicator, { description: 'Indicators the row needs that were not given' })),
});

export const CalendarYearParams = Type.Object({ year: Type.Integer({ minimum: 1949, maximum: 2999 }) });

const HolidayEntry = Type.Object({ date: Type.String({ format: 'date' }), name: Type.String({ maxLength: 100 }) });

/** The administrator's upload; documented here, checked by validateCalendarYear so that every error is listed at once. */
export const CalendarYearUpload = Type.Object(
  {
    year: Type.Integer({ minimum: 1949, maximum: 2999 }),
    holidays: Type.Array(HolidayEntry, { description: 'Days off, including the weekend days inside a holiday period' }),
    workdays: Type.Array(Type.String({ format: 'date' }), { description: 'Adjusted working days (调休): Saturdays or Sundays that are worked' }),
  },
  { additionalProperties: false },
);

export const CalendarYearView = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('chinese-days'), Type.Literal('administrator')], {
    description: 'chinese-days: the packaged arrangement; administrator: loaded into this platform by an administrator',
  }),
  loadedAt: Type.Optional(Type.String({ format: 'date-time' })),
  holidays: Type.Array(HolidayEntry),
  workdays: Type.Array(Type.String({ format: 'date' })),
});

export const AddWorkingDaysQuery = Type.Object({
  from: Type.String({ format: 'date', description: 'YYYY-MM-DD; counting starts the day after' }),
  days: Type.Integer({ minimum: -3660, maximum: 3660, description: 'Working days to add; negative counts back' }),
});
export const AddWorkingDaysResult = Type.Object({ from: Type.String(), days: Type.Integer(), date: Type.String({ format: 'date' }) });

export const WorkingDaysBetweenQuery = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
});
export const WorkingDaysBetweenResult = Type.Object({
  from: Type.String(),
  to: Type.String(),
  workingDays: Type.Integer({ description: 'Working days after `from` up to and including `to`; negative when `to` is earlier' }),
});
