import { Type, type Static } from '@sinclair/typebox';

/**
 * What supervision watches. Applications: due soon (within DUE_SOON_DAYS of the promised limit) and
 * overdue (stage `promised` or `legal`); bad reviews whose rectification is past its due day;
 * policy inquiries unanswered past their due day; supervision flags whose response is late.
 */
export const ALERT_KINDS = ['application.dueSoon', 'application.overdue', 'rectification.overdue', 'inquiry.overdue', 'flag.overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const RESOLUTIONS = ['cleared', 'superseded'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const RECIPIENT_ROLES = ['responsible', 'escalation'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

export const AlertView = Type.Object({
  id: Type.String(),
  kind: Type.Union(ALERT_KINDS.map((k) => Type.Literal(k))),
  stage: Type.String({ description: '`promised` or `legal` for overdue applications; the due day or round for the others' }),
  title: Type.String({ description: 'In the reader’s language' }),
  body: Type.String(),
  subjectId: Type.String(),
  department: Type.Object({ id: Type.String(), name: Type.Union([Localized, Type.Null()]), regionCode: Type.String() }),
  dueOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  raisedAt: Type.String({ format: 'date-time' }),
  reopenedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the condition last came back after clearing; escalation counts from here' }),
  escalatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  escalatedRegionCode: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolution: Type.Union([Type.Literal('cleared'), Type.Literal('superseded'), Type.Null()]),
  /** For the reader's own list: why they were told, and whether they have read it. */
  role: Type.Optional(Type.Union([Type.Literal('responsible'), Type.Literal('escalation')])),
  readAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
});
export type AlertView = Static<typeof AlertView>;

export const AlertList = Type.Object({ total: Type.Integer(), unread: Type.Optional(Type.Integer()), items: Type.Array(AlertView) });
export type AlertList = Static<typeof AlertList>;

export const AlertQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], { default: 'open' })),
  kind: Type.Optional(Type.Union(ALERT_KINDS.map((k) => Type.Literal(k)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export type AlertQuery = Static<typeof AlertQuery>;

export const AlertParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{1,64}$' }) });

export const SweepResult = Type.Object({ raised: Type.Integer(), reopened: Type.Integer(), escalated: Type.Integer(), resolved: Type.Integer() });
export type SweepResult = Static<typeof SweepResult>;
