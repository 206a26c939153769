import { Type, type Static } from '@sinclair/typebox';

const Text = (maxLength: number, description?: string) => Type.Optional(Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) }));
const Id = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$', description }));
const Day = (description: string) => Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description }));

/** The administrators' search of the audit trail: every filter optional, newest first. */
export const AuditSearchQuery = Type.Object(
  {
    from: Day('First calendar day (Asia/Shanghai), inclusive'),
    to: Day('Last calendar day (Asia/Shanghai), inclusive'),
    action: Text(80, 'Exact action, e.g. personalData.read'),
    actorType: Type.Optional(Type.Union(['person', 'staff', 'admin', 'client', 'system', 'anonymous'].map((value) => Type.Literal(value)))),
    actorId: Id('Staff, person or client id'),
    actor: Text(80, 'Part of the actor label: department or officer name'),
    subjectPersonId: Id('Events about this person'),
    subjectEnterpriseId: Id('Events about this enterprise'),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
    purpose: Text(200, 'Why the trail is searched (an inquiry, a complaint, an inspection); recorded with the search. Required with subjectPersonId, subjectEnterpriseId, or actorId of a person (actorType person or none)'),
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'The `seq` of the last event already seen' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditSearchQuery = Static<typeof AuditSearchQuery>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AuditEventView = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  occurredAt: Type.String(),
  action: Type.String(),
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  actorLabel: Nullable(Type.String()),
  subjectPersonId: Nullable(Type.String()),
  subjectEnterpriseId: Nullable(Type.String()),
  purpose: Nullable(Type.String()),
  outcome: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
export type AuditEventView = Static<typeof AuditEventView>;

export const AuditSearchResult = Type.Object({
  items: Type.Array(AuditEventView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `before` for the next (older) page; null on the last page' }),
});
export type AuditSearchResult = Static<typeof AuditSearchResult>;

export const CheckpointView = Type.Object({
  seq: Type.Integer({ description: 'The chain ended at this event when signed' }),
  headHash: Type.String(),
  at: Type.String(),
  kid: Type.String(),
  jws: Type.String({ description: 'Compact JWS (EdDSA, typ tongban-audit-checkpoint+jws) over {iss, seq, headHash, at}' }),
});

export const AuditVerifyResult = Type.Object({
  ok: Type.Boolean(),
  lines: Type.Array(Type.String()),
  latest: Type.Union([CheckpointView, Type.Null()]),
});
