import type { Db } from '../core/db.js';

export interface AuditCheckpointsTable {
  id: string;
  /** The chain's length when signed: the sequence number of its last event. */
  seq: number;
  headHash: string;
  createdAt: string;
  kid: string;
  jws: string;
}

declare module '../core/db.js' {
  interface Tables {
    auditCheckpoints: AuditCheckpointsTable;
  }
}

/** The SQL of the audit checkpoints; nothing else touches the table. */
export class TransparencyStore {
  constructor(private readonly db: Db) {}

  async latestCheckpoint(): Promise<AuditCheckpointsTable | undefined> {
    const row = await this.db.selectFrom('auditCheckpoints').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && { ...row, seq: Number(row.seq) };
  }

  /** Inserts unless a checkpoint of the same length exists (another server copy wrote it): true when inserted. */
  async insertCheckpoint(row: AuditCheckpointsTable): Promise<boolean> {
    const result = await this.db
      .insertInto('auditCheckpoints')
      .values(row)
      .onConflict((oc) => oc.column('seq').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Every checkpoint, oldest first (one a day for a year is a few hundred rows). */
  async checkpoints(): Promise<AuditCheckpointsTable[]> {
    const rows = await this.db.selectFrom('auditCheckpoints').selectAll().orderBy('seq').execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }
}
