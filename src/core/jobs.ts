import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Db, Dialect, Tx } from './db.js';
import { newId } from './ids.js';
import type { PlatformMigration } from './migrate.js';

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  runAt: string;
  /** Recurring jobs run again this long after each run; null for one-off jobs. */
  intervalMs: number | null;
  attempts: number;
  lockedUntil: string | null;
  lockedBy: string | null;
  lastError: string | null;
  doneAt: string | null;
  failedAt: string | null;
  createdAt: string;
}

declare module './db.js' {
  interface Tables {
    jobs: JobsTable;
  }
}

export const jobsMigration: PlatformMigration = {
  name: '0010-core-jobs',
  async up(db) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('run_at', 'text', (c) => c.notNull())
      .addColumn('interval_ms', 'integer')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('locked_by', 'text')
      .addColumn('last_error', 'text')
      .addColumn('done_at', 'text')
      .addColumn('failed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['done_at', 'failed_at', 'run_at']).execute();
  },
};

export type JobHandler = (payload: unknown, job: JobsTable) => Promise<void>;

const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 10;

/**
 * Background work kept in the database, so any number of server copies can share it: a due job is
 * claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), run once, and retried with
 * back-off if it fails. Recurring jobs are one row each that reschedules itself.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly worker = newId();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async enqueue(kind: string, payload: unknown = {}, options: { runAt?: Date; tx?: Tx } = {}): Promise<string> {
    const id = newId();
    const now = this.clock.now();
    await (options.tx ?? this.db)
      .insertInto('jobs')
      .values({
        id,
        kind,
        payload: JSON.stringify(payload),
        runAt: (options.runAt ?? now).toISOString(),
        intervalMs: null,
        attempts: 0,
        lockedUntil: null,
        lockedBy: null,
        lastError: null,
        doneAt: null,
        failedAt: null,
        createdAt: now.toISOString(),
      })
      .execute();
    return id;
  }

  /** Ensures a recurring job exists (one row per kind, whichever server copy creates it first). */
  async every(kind: string, intervalMs: number): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto('jobs')
      .values({ id: `recurring:${kind}`, kind, payload: '{}', runAt: now, intervalMs, attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, failedAt: null, createdAt: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ intervalMs }))
      .execute();
  }

  private async claim(limit: number): Promise<JobsTable[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const due = this.dialect.skipLocked(
      this.db
        .selectFrom('jobs')
        .select('id')
        .where('doneAt', 'is', null)
        .where('failedAt', 'is', null)
        .where('runAt', '<=', nowIso)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', nowIso)]))
        .orderBy('runAt')
        .limit(limit),
    );
    return this.db
      .updateTable('jobs')
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS).toISOString(), lockedBy: this.worker })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  }

  /** Runs what is due now; returns how many jobs ran (successfully or not). */
  async runDue(limit = 20): Promise<number> {
    // One pass at a time per process; concurrent callers share it.
    this.running ??= this.pass(limit).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(limit: number): Promise<number> {
    const jobs = await this.claim(limit);
    for (const job of jobs) {
      const handler = this.handlers.get(job.kind);
      const now = this.clock.now();
      try {
        if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
        await handler(JSON.parse(job.payload), job);
        await this.db
          .updateTable('jobs')
          .set(
            job.intervalMs
              ? { runAt: new Date(now.getTime() + job.intervalMs).toISOString(), lockedUntil: null, lockedBy: null, attempts: 0, lastError: null }
              : { doneAt: now.toISOString(), lockedUntil: null, lockedBy: null },
          )
          .where('id', '=', job.id)
          .execute();
      } catch (error) {
        const attempts = job.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn({ job: job.kind, attempts, error: message }, 'background job failed');
        const retryMs = Math.min(2 ** attempts * 1000, 3_600_000);
        const giveUp = !job.intervalMs && attempts >= MAX_ATTEMPTS;
        await this.db
          .updateTable('jobs')
          .set({
            attempts,
            lastError: message.slice(0, 500),
            lockedUntil: null,
            lockedBy: null,
            runAt: new Date(now.getTime() + (job.intervalMs ? Math.max(job.intervalMs, retryMs) : retryMs)).toISOString(),
            failedAt: giveUp ? now.toISOString() : null,
          })
          .where('id', '=', job.id)
          .execute();
      }
    }
    return jobs.length;
  }

  start(pollMs = 2000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runDue().catch((error: unknown) => this.logger.error({ error: String(error) }, 'job runner pass failed'));
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
