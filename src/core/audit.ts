import { createHash } from 'node:crypto';
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

  private pending: { entry: AuditEntry; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  /**
   * Appends an event. Inside a caller's transaction it is written there; otherwise concurrent
   * events are group-committed: each caller's promise resolves only once its event is durable, but
   * the chain head is read and the lock taken once per batch rather than once per event.
   */
  record(entry: AuditEntry, tx?: Tx): Promise<void> {
    if (tx) return this.append(tx, [entry]);
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
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
