import { Type, type Static } from '@sinclair/typebox';

export const FLAG_STATUSES = ['open', 'responded', 'closed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export const FLAG_ACTIONS = ['raised', 'responded', 'closed', 'reopened'] as const;
export type FlagAction = (typeof FLAG_ACTIONS)[number];
export const FLAG_TEXT_MAX = 2000;

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, Asia/Shanghai' });

export const RaiseFlagBody = Type.Object(
  {
    applicationId: Type.Optional(Type.String({ maxLength: 64 })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 64 })),
    departmentId: Type.Optional(Type.String({ maxLength: 64 })),
    reason: Type.String({ maxLength: 4000 }),
    dueOn: Type.String({ maxLength: 20 }),
  },
  { additionalProperties: false, description: 'An application (by id or tracking number) or a department, exactly one' },
);
export type RaiseFlagBody = Static<typeof RaiseFlagBody>;

export const FlagResponseBody = Type.Object({ response: Type.String({ maxLength: 4000 }) }, { additionalProperties: false });
export const CloseFlagBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
export const ReopenFlagBody = Type.Object({ note: Type.String({ maxLength: 4000 }), dueOn: Type.String({ maxLength: 20 }) }, { additionalProperties: false });

export const FlagQuery = Type.Object({
  scope: Type.Optional(Type.Union([Type.Literal('region'), Type.Literal('department')], { description: 'region: a supervisor’s region and below; department: the officer’s own department' })),
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('responded'), Type.Literal('closed'), Type.Literal('active'), Type.Literal('all')], { default: 'active' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export type FlagQuery = Static<typeof FlagQuery>;

export const FlagParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });

export const FlagEventView = Type.Object({
  action: Type.Union(FLAG_ACTIONS.map((a) => Type.Literal(a))),
  round: Type.Integer(),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
  note: Type.Union([Type.String(), Type.Null()]),
  dueOn: Type.Union([Day, Type.Null()]),
});

export const FlagView = Type.Object({
  id: Type.String(),
  target: Type.Union([Type.Literal('application'), Type.Literal('department')]),
  application: Type.Union([Type.Object({ id: Type.String(), trackingNumber: Type.String(), itemName: Localized }), Type.Null()]),
  department: Type.Object({ id: Type.String(), name: Type.Union([Localized, Type.Null()]), regionCode: Type.String() }),
  reason: Type.String(),
  dueOn: Day,
  status: Type.Union(FLAG_STATUSES.map((s) => Type.Literal(s))),
  round: Type.Integer({ description: '1, plus one for every reopening' }),
  overdue: Type.Boolean({ description: 'Open and past its due day' }),
  raisedBy: Type.String(),
  raisedAt: Type.String({ format: 'date-time' }),
  response: Type.Union([Type.Object({ text: Type.String(), by: Type.String(), at: Type.String({ format: 'date-time' }), onTime: Type.Boolean() }), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  history: Type.Array(FlagEventView),
  actions: Type.Array(Type.Union([Type.Literal('respond'), Type.Literal('close'), Type.Literal('reopen')]), { description: 'What the reader may do now' }),
});
export type FlagView = Static<typeof FlagView>;

export const FlagList = Type.Object({ total: Type.Integer(), items: Type.Array(FlagView) });
export type FlagList = Static<typeof FlagList>;
