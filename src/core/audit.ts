import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from './clock.js';
import type { Db, Dialect, Tx } from './db.js';
import { newId } from './ids.js';
import type { PlatformMigration } from './migrate.js';

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurredAt: string;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  subjectPersonId: string | null;
  subjectEnterpriseId: string | null;
  purpose: string | null;
  detail: string;
  outcome: string;
  prevHash: string;
  hash: string;
}

declare module './db.js' {
  interface Tables {
    auditEvents: AuditEventsTable;
  }
}

/** Who did it: a person, a staff member, an administrator, a departmental client, or the system. */
export interface AuditActor {
  type: 'person' | 'staff' | 'admin' | 'client' | 'system' | 'anonymous';
  id?: string;
  /** Shown to the person concerned, e.g. "上海市浦东新区市场监督管理局 · 王芳". */
  label?: string;
}

export interface AuditEntry {
  action: string;
  actor: AuditActor;
  subjectPersonId?: string;
  subjectEnterpriseId?: string;
  purpose?: string;
  outcome?: 'success' | 'failure' | 'denied';
  detail?: Record<string, unknown>;
}

/**
 * Names the staff member behind a staff or administrator actor as "department · officer", given
 * their staff id; the identity capability supplies it. Inside a caller's transaction it is handed
 * that transaction (SQLite has one connection, which the transaction holds).
 */
export type StaffLabeller = (staffId: string, tx?: Tx) => Promise<string | undefined>;

/** The actor types whose events about a person or enterprise are shown to them as accesses. */
const ACCESSING_ACTORS = ['staff', 'admin', 'client'] as const;

/** Filters of the administrators' search of the trail. Dates are ISO instants, `to` exclusive. */
export interface AuditSearchFilter {
  from?: string;
  to?: string;
  action?: string;
  actorType?: string;
  actorId?: string;
  /** Part of the actor label (department or officer name), case-insensitive. */
  actorLabel?: string;
  subjectPersonId?: string;
  subjectEnterpriseId?: string;
  outcome?: string;
  /** Keyset cursor: only events with a smaller sequence number (older). */
  beforeSeq?: number;
  limit: number;
}

/** One line of a "who accessed my data" page. `cursor` continues the list after this line. */
export interface AccessEntry {
  cursor: string;
  at: string;
  action: string;
  who: string;
  actorType: string;
  purpose: string | null;
  outcome: string;
  applicationId: string | null;
}

export function accessEntry(row: AuditEventsTable): AccessEntry {
  let applicationId: string | null = null;
  try {
    const detail = JSON.parse(row.detail) as { applicationId?: unknown };
    if (typeof detail.applicationId === 'string') applicationId = detail.applicationId;
  } catch {
    // An unreadable detail has no application to name; the event itself still shows.
  }
  return {
    cursor: String(row.seq),
    at: row.occurredAt,
    action: row.action,
    who: row.actorLabel ?? row.actorType,
    actorType: row.actorType,
    purpose: row.purpose,
    outcome: row.outcome,
    applicationId,
  };
}

/** A keyset cursor from a request (the decimal sequence number of the last row seen), or undefined. */
export function parseCursor(cursor: string | undefined): number | undefined {
  return cursor && /^[1-9]\d{0,15}$/.test(cursor) ? Number(cursor) : undefined;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_414_101;

export const auditMigration: PlatformMigration = {
  name: '0000-core-audit',
  async up(db, dialect) {
    await db.schema
      .createTable('audit_events')
      .addColumn('seq', dialect.serial, (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_label', 'text')
      .addColumn('subject_person_id', 'text')
      .addColumn('subject_enterprise_id', 'text')
      .addColumn('purpose', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_subject_person').on('audit_events').columns(['subject_person_id', 'seq']).execute();
    await db.schema.createIndex('audit_events_subject_enterprise').on('audit_events').columns(['subject_enterprise_id', 'seq']).execute();
  },
};

type ChainedFields = Omit<AuditEventsTable, 'seq' | 'hash'>;

/** The hash covers every field but the sequence number, in a fixed order, so any edit shows. */
export function auditHash(row: ChainedFields): string {
  const canonical = JSON.stringify([
    row.id,
    row.occurredAt,
    row.action,
    row.actorType,
    row.actorId,
    row.actorLabel,
    row.subjectPersonId,
    row.subjectEnterpriseId,
    row.purpose,
    row.detail,
    row.outcome,
    row.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The append-only, hash-chained audit trail. Appends are serialised (an advisory lock on
 * PostgreSQL) because each row's hash includes its predecessor's.
 */
export class AuditTrail {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  private staffLabeller: StaffLabeller | undefined;

  /**
   * Every staff or administrator event is labelled "department · officer" from the staff record,
   * whatever label its writer passed, so the person concerned always sees who and from where.
   */
  labelStaffWith(labeller: StaffLabeller): void {
    this.staffLabeller = labeller;
  }

  private async labelled(entry: AuditEntry, tx?: Tx): Promise<AuditEntry> {
    const { actor } = entry;
    if (!this.staffLabeller || !actor.id || (actor.type !== 'staff' && actor.type !== 'admin')) return entry;
    const label = await this.staffLabeller(actor.id, tx);
    return label ? { ...entry, actor: { ...actor, label } } : entry;
  }

  private pending: { entry: AuditEntry; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  /**
   * Appends an event. Inside a caller's transaction it is written there; otherwise concurrent
   * events are group-committed: each caller's promise resolves only once its event is durable, but
   * the chain head is read and the lock taken once per batch rather than once per event.
   */
  async record(entry: AuditEntry, tx?: Tx): Promise<void> {
    if (tx) return this.append(tx, [await this.labelled(entry, tx)]);
    const labelled = await this.labelled(entry);
    return new Promise((resolve, reject) => {
      this.pending.push({ entry: labelled, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 500);
      try {
        await this.db.transaction().execute((tx) => this.append(tx, batch.map((item) => item.entry)));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.flushing = false;
  }

  private async append(tx: Tx, entries: AuditEntry[]): Promise<void> {
    await this.dialect.lockForTransaction(tx, AUDIT_LOCK_KEY);
    const last = await tx.selectFrom('auditEvents').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    let prevHash = last?.hash ?? GENESIS_HASH;
    const occurredAt = this.clock.now().toISOString();
    const rows = entries.map((entry) => {
      const fields: ChainedFields = {
        id: newId(),
        occurredAt,
        action: entry.action,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        actorLabel: entry.actor.label ?? null,
        subjectPersonId: entry.subjectPersonId ?? null,
        subjectEnterpriseId: entry.subjectEnterpriseId ?? null,
        purpose: entry.purpose ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
        outcome: entry.outcome ?? 'success',
        prevHash,
      };
      prevHash = auditHash(fields);
      return { ...fields, hash: prevHash };
    });
    await tx.insertInto('auditEvents').values(rows as never).execute();
  }

  /** Events about one person, newest first: what the "who accessed my data" page shows. */
  async forPerson(personId: string, actions?: string[], limit = 200) {
    let query = this.db.selectFrom('auditEvents').selectAll().where('subjectPersonId', '=', personId);
    if (actions) query = query.where('action', 'in', actions);
    return query.orderBy('seq', 'desc').limit(limit).execute();
  }

  /**
   * What the "who accessed my data" pages list: events about a person (or an enterprise) done by
   * staff, administrators or departmental clients, newest first, one keyset page at a time
   * (`beforeSeq` is the last row of the previous page). Nothing is filtered by action, so a new
   * kind of staff read shows here the moment it is audited with the subject.
   * `withoutApplications` leaves out events about an application (those naming an `applicationId`),
   * for an enterprise's agent who may not see its applications; `withoutActionsIn` the events of
   * these capabilities (action prefixes such as `credit`), for an agent who may not see them.
   */
  async accessesOf(
    subject: { personId: string } | { enterpriseId: string },
    options: { before?: string; limit: number; withoutApplications?: boolean; withoutActionsIn?: string[] },
  ): Promise<{ entries: AccessEntry[]; next: string | null }> {
    const beforeSeq = parseCursor(options.before);
    let query = this.db.selectFrom('auditEvents').selectAll();
    query = 'personId' in subject ? query.where('subjectPersonId', '=', subject.personId) : query.where('subjectEnterpriseId', '=', subject.enterpriseId);
    query = query.where('actorType', 'in', [...ACCESSING_ACTORS]);
    if (options.withoutApplications) query = query.where(this.dialect.jsonText('detail', 'applicationId'), 'is', null);
    for (const capability of options.withoutActionsIn ?? []) query = query.where('action', 'not like', `${capability}.%`);
    if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
    const rows = await query.orderBy('seq', 'desc').limit(options.limit + 1).execute();
    const entries = rows.slice(0, options.limit).map(accessEntry);
    return { entries, next: rows.length > options.limit ? entries.at(-1)!.cursor : null };
  }

  /** The administrators' search: every filter optional, newest first, keyset paged by sequence number. */
  async search(filter: AuditSearchFilter) {
    let query = this.db.selectFrom('auditEvents').selectAll();
    if (filter.from) query = query.where('occurredAt', '>=', filter.from);
    if (filter.to) query = query.where('occurredAt', '<', filter.to);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actorType) query = query.where('actorType', '=', filter.actorType);
    if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
    if (filter.actorLabel) query = query.where(sql<boolean>`lower(actor_label) like ${`%${escapeLike(filter.actorLabel.toLowerCase())}%`} escape '\\'`);
    if (filter.subjectPersonId) query = query.where('subjectPersonId', '=', filter.subjectPersonId);
    if (filter.subjectEnterpriseId) query = query.where('subjectEnterpriseId', '=', filter.subjectEnterpriseId);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
    return query.orderBy('seq', 'desc').limit(filter.limit).execute();
  }

  /** The last event of the chain (its length is its sequence number), or undefined when empty. */
  async head(): Promise<{ seq: number; hash: string; occurredAt: string } | undefined> {
    const row = await this.db.selectFrom('auditEvents').select(['seq', 'hash', 'occurredAt']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash, occurredAt: row.occurredAt } : undefined;
  }

  /** The hash stored at one position of the chain, or undefined when no row has that number. */
  async hashAt(seq: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('auditEvents').select('hash').where('seq', '=', seq).executeTakeFirst();
    return row?.hash;
  }

  /**
   * Walks the chain from the start and names the first row that was changed, removed or inserted
   * out of order. Reads in pages so that a long trail never sits in memory at once.
   */
  async verify(pageSize = 5000): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let prevSeq = 0;
    let checked = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('auditEvents')
        .selectAll()
        .where('seq', '>', prevSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        const { seq, hash, ...fields } = row;
        if (row.prevHash !== prevHash) {
          return { ok: false, checked, firstBadSeq: Number(seq), firstBadId: row.id, problem: 'brokenLink', afterSeq: prevSeq };
        }
        if (auditHash(fields) !== hash) {
          return { ok: false, checked, firstBadSeq: Number(seq), firstBadId: row.id, problem: 'alteredRow', afterSeq: prevSeq };
        }
        prevHash = hash;
        prevSeq = Number(seq);
        checked++;
      }
      if (rows.length < pageSize) return { ok: true, checked, headHash: prevHash };
    }
  }
}

/** LIKE pattern text matching `value` literally (the escape character is backslash on both engines). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type AuditVerification =
  | { ok: true; checked: number; headHash: string }
  | {
      ok: false;
      checked: number;
      firstBadSeq: number;
      firstBadId: string;
      /** brokenLink: a row before it was removed or changed; alteredRow: this row's fields were edited. */
      problem: 'brokenLink' | 'alteredRow';
      afterSeq: number;
    };
