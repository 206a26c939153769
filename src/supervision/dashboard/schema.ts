import { Type, type Static } from '@sinclair/typebox';

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Rate = Type.Union([Type.Number(), Type.Null()], { description: 'A fraction from 0 to 1 (4 decimals); null when there is nothing to divide by.' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, Asia/Shanghai' });

export const ScopeKindSchema = Type.Union([Type.Literal('region'), Type.Literal('department'), Type.Literal('item')]);
export type ScopeKind = Static<typeof ScopeKindSchema>;

export const ScopeRef = Type.Object({ kind: ScopeKindSchema, id: Type.String(), name: Localized });
export type ScopeRef = Static<typeof ScopeRef>;

export const Period = Type.Object({ from: Month, to: Month });
export type Period = Static<typeof Period>;

/** Every figure of a dashboard row; docs/supervision.md defines each. */
export const Figures = Type.Object({
  received: Type.Integer(),
  concluded: Type.Integer(),
  withdrawn: Type.Integer(),
  inProgress: Type.Integer(),
  overdue: Type.Integer(),
  dueSoon: Type.Integer(),
  timed: Type.Integer({ description: 'Concluded applications with a running clock: the base of the on-time rates and the average.' }),
  onTimePromisedRate: Rate,
  onTimeLegalRate: Rate,
  averageHandlingDays: Type.Union([Type.Number(), Type.Null()]),
  items: Type.Integer(),
  oneVisitRate: Rate,
  fullyOnlineRate: Rate,
  reviews: Type.Integer(),
  good: Type.Integer(),
  bad: Type.Integer(),
  goodRate: Rate,
  rectificationCases: Type.Integer(),
  rectified: Type.Integer(),
  rectificationRate: Rate,
  rectifiedOnTime: Type.Integer(),
  rectificationTimelyRate: Rate,
  rectificationOverdue: Type.Integer(),
  policyEligible: Type.Integer(),
  policyClaims: Type.Integer(),
  policyClaimedFen: Type.Integer(),
  policyGrants: Type.Integer(),
  policyGrantedFen: Type.Integer(),
  openInquiries: Type.Integer(),
  overdueInquiries: Type.Integer(),
});
export type Figures = Static<typeof Figures>;

/** The figures of the period before: the current ones (live as of today) are null there, not applicable. */
const NotApplicable = Type.Null({ description: 'A current figure: not applicable to a past period.' });
export const PreviousFigures = Type.Composite([
  Type.Omit(Figures, ['inProgress', 'overdue', 'dueSoon', 'items', 'oneVisitRate', 'fullyOnlineRate', 'policyEligible', 'openInquiries', 'overdueInquiries']),
  Type.Object({
    inProgress: NotApplicable,
    overdue: NotApplicable,
    dueSoon: NotApplicable,
    items: NotApplicable,
    oneVisitRate: NotApplicable,
    fullyOnlineRate: NotApplicable,
    policyEligible: NotApplicable,
    openInquiries: NotApplicable,
    overdueInquiries: NotApplicable,
  }),
]);
export type PreviousFigures = Static<typeof PreviousFigures>;

export const DueRow = Type.Object({
  applicationId: Type.String(),
  trackingNumber: Type.String(),
  itemId: Type.String(),
  itemName: Localized,
  departmentId: Type.String(),
  departmentName: Localized,
  regionCode: Type.String(),
  status: Type.String(),
  dueOn: Type.String(),
  daysLeft: Type.Integer({ description: "Days to the promised deadline in the item's unit; negative when overdue." }),
  timeUnit: Type.Union([Type.Literal('workingDays'), Type.Literal('calendarDays')]),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
});
export type DueRow = Static<typeof DueRow>;

export const DashboardView = Type.Object({
  scope: ScopeRef,
  /** From the supervisor's own region down to (not including) the scope. */
  path: Type.Array(ScopeRef),
  period: Period,
  previousPeriod: Period,
  today: Type.String(),
  asOf: Type.Union([Type.String(), Type.Null()], { description: 'When the rollup behind the period figures was last refreshed; null before the first refresh.' }),
  totals: Figures,
  previous: PreviousFigures,
  rows: Type.Array(Type.Intersect([ScopeRef, Type.Object({ figures: Figures })])),
  overdue: Type.Array(DueRow),
  dueSoon: Type.Array(DueRow),
});
export type DashboardView = Static<typeof DashboardView>;

export const PeriodQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 7 })),
    to: Type.Optional(Type.String({ maxLength: 7 })),
    lang: Type.Optional(Type.String({ maxLength: 8 })),
  },
  { additionalProperties: false },
);
export const RegionParams = Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) });
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });
export const RefreshResult = Type.Object({ applications: Type.Integer(), months: Type.Array(Type.String()), reviewMonths: Type.Array(Type.String()), items: Type.Integer(), refreshedAt: Type.String() });
