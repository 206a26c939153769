import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditVerification } from '../core/audit.js';
import { newId } from '../core/ids.js';
import type { Platform } from '../core/platform.js';
import { CertificateSigner, SignatureInvalid } from '../certificates/signing.js';
import { TransparencyStore } from './store.js';

/** The JWS type of a checkpoint, so that neither a certificate nor an ID token passes for one. */
export const AUDIT_CHECKPOINT_JWS_TYPE = 'tongban-audit-checkpoint+jws';
export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';
export const AUDIT_CHECKPOINT_INTERVAL_MS = 3_600_000;

/** What a checkpoint signs: the chain ended at event `seq`, whose hash was `headHash`, at time `at`. */
export interface CheckpointPayload {
  iss: string;
  seq: number;
  headHash: string;
  at: string;
}

export interface CheckpointView extends CheckpointPayload {
  kid: string;
  jws: string;
}

/**
 * What can be wrong with a checkpoint: its signature is not the platform's (`badSignature`), the
 * row says something other than what was signed (`rowAltered`), the chain no longer reaches the
 * signed length (`truncated`), or the event at that position now has another hash (`rewritten`).
 */
export interface CheckpointProblem {
  source: string;
  seq: number | null;
  problem: 'badSignature' | 'rowAltered' | 'truncated' | 'rewritten';
  chainEndsAt?: number;
}

export interface AuditReport {
  chain: AuditVerification;
  /** Checkpoints checked (the database's and any external copies). */
  checkpoints: number;
  /** The longest checkpoint that verified, if any. */
  latest: CheckpointView | null;
  problems: CheckpointProblem[];
  ok: boolean;
}

/**
 * Signed checkpoints of the audit trail. The hash chain alone shows a changed or removed event
 * but not a cut-off tail: the shorter chain is still a valid chain. A checkpoint signs the chain's
 * length and head hash with the platform's Ed25519 key, so a cut is seen as long as one checkpoint
 * past it survives; the copy in the log (and in AUDIT_CHECKPOINT_DIR) survives deleting the rows.
 */
export class AuditCheckpoints {
  private readonly store: TransparencyStore;
  private readonly signer: CertificateSigner;

  constructor(
    private readonly platform: Platform,
    private readonly options: { dir?: string } = {},
  ) {
    this.store = new TransparencyStore(platform.db);
    this.signer = new CertificateSigner(platform.config.secrets.signingJwks, AUDIT_CHECKPOINT_JWS_TYPE);
  }

  /**
   * Signs the chain's current head unless the last checkpoint already covers it (so the job can
   * run as often as it likes, on any number of server copies, without writing duplicates).
   *
   * The latest checkpoint is checked first (its signature, that its row says what was signed, and
   * that the chain still holds the signed hash at its position): signing on top of a forged or
   * broken checkpoint would either stop checkpoints for good (a forged row with a huge `seq`
   * "covers" every future head) or put a signature on a tampered chain. Then nothing is signed,
   * an error is logged and `refused` names the problem; `tongban audit verify` tells the rest.
   */
  async write(): Promise<{ created: boolean; checkpoint: CheckpointView | null; refused?: CheckpointProblem }> {
    const head = await this.platform.audit.head();
    if (!head) return { created: false, checkpoint: null };
    const latest = await this.store.latestCheckpoint();
    if (latest) {
      const checked = await this.check(`checkpoint #${latest.seq}`, latest.jws, head, latest);
      if ('problem' in checked) {
        this.platform.logger.error({ auditCheckpointRefused: checked }, 'audit checkpoint refused: the latest checkpoint does not verify; run tongban audit verify');
        return { created: false, checkpoint: null, refused: checked };
      }
      if (latest.seq >= head.seq) {
        const checkpoint = this.viewOf(latest);
        // A run that could not write the file (full or read-only disk) is made good by the next one.
        this.writeFile(checkpoint);
        return { created: false, checkpoint };
      }
    }
    const payload: CheckpointPayload = { iss: this.platform.config.publicUrl, seq: head.seq, headHash: head.hash, at: this.platform.clock.now().toISOString() };
    const jws = await this.signer.sign({ ...payload });
    const kid = await this.signer.kid();
    const created = await this.store.insertCheckpoint({ id: newId(), seq: payload.seq, headHash: payload.headHash, createdAt: payload.at, kid, jws });
    const checkpoint = { ...payload, kid, jws };
    if (created) this.emit(checkpoint);
    return { created, checkpoint };
  }

  /** The copies that outlive the database: one log line, and a file when AUDIT_CHECKPOINT_DIR is set. */
  private emit(checkpoint: CheckpointView): void {
    this.platform.logger.info({ auditCheckpoint: { seq: checkpoint.seq, headHash: checkpoint.headHash, at: checkpoint.at, jws: checkpoint.jws } }, 'audit checkpoint');
    this.writeFile(checkpoint);
  }

  /** Writes the checkpoint's file unless it is there already (never overwrites: the directory may be append-only). */
  private writeFile(checkpoint: CheckpointView): void {
    if (!this.options.dir) return;
    try {
      mkdirSync(this.options.dir, { recursive: true });
      writeFileSync(path.join(this.options.dir, checkpointFileName(checkpoint.seq)), `${checkpoint.jws}\n`, { flag: 'wx' });
    } catch (error) {
      // The row and the log line are written; a full or read-only disk must not stop the job, and the next run retries.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') this.platform.logger.error({ err: error, dir: this.options.dir }, 'audit checkpoint file not written');
    }
  }

  /**
   * The checkpoint files in AUDIT_CHECKPOINT_DIR (none when it is not set or does not exist yet),
   * oldest first: `verify` checks them all, so deleting the rows does not hide a cut tail.
   */
  directoryCopies(): { source: string; jws: string }[] {
    const dir = this.options.dir;
    if (!dir) return [];
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => CHECKPOINT_FILE.test(name))
      .sort()
      .map((name) => {
        const source = path.join(dir, name);
        return { source, jws: readFileSync(source, 'utf8').trim() };
      });
  }

  /** The newest checkpoint as stored (not verified: `verify` does that). */
  async latest(): Promise<CheckpointView | null> {
    const row = await this.store.latestCheckpoint();
    return row ? this.viewOf(row) : null;
  }

  private viewOf(row: { seq: number; headHash: string; createdAt: string; kid: string; jws: string }): CheckpointView {
    return { iss: this.platform.config.publicUrl, seq: row.seq, headHash: row.headHash, at: row.createdAt, kid: row.kid, jws: row.jws };
  }

  /**
   * One checkpoint against the chain as it is now: its signature, that the row (if it comes from
   * the table) says what was signed, and that the chain still holds the signed hash at the signed
   * position. The verified checkpoint, or what is wrong with it.
   */
  private async check(source: string, jws: string, head: { seq: number } | undefined, row?: { seq: number; headHash: string }): Promise<CheckpointView | CheckpointProblem> {
    let payload: CheckpointPayload;
    let kid: string;
    try {
      const verified = await this.signer.verify(jws);
      payload = checkpointPayload(verified.payload);
      kid = verified.kid;
    } catch (error) {
      if (!(error instanceof SignatureInvalid)) throw error;
      return { source, seq: row?.seq ?? null, problem: 'badSignature' };
    }
    if (row && (row.seq !== payload.seq || row.headHash !== payload.headHash)) return { source, seq: row.seq, problem: 'rowAltered' };
    const hash = await this.platform.audit.hashAt(payload.seq);
    if (hash === undefined && (!head || head.seq < payload.seq)) return { source, seq: payload.seq, problem: 'truncated', chainEndsAt: head?.seq ?? 0 };
    if (hash !== payload.headHash) return { source, seq: payload.seq, problem: 'rewritten', chainEndsAt: head?.seq ?? 0 };
    return { ...payload, kid, jws };
  }

  /**
   * Verifies the hash chain, then every checkpoint in the database, every file in
   * AUDIT_CHECKPOINT_DIR and every external copy given: its signature, that the row says what was
   * signed, and that the chain still holds the signed hash at the signed position.
   */
  async verify(external: { source: string; jws: string }[] = []): Promise<AuditReport> {
    const chain = await this.platform.audit.verify();
    const head = await this.platform.audit.head();
    const problems: CheckpointProblem[] = [];
    let latest: CheckpointView | null = null;
    const record = (result: CheckpointView | CheckpointProblem) => {
      if ('problem' in result) problems.push(result);
      else if (!latest || latest.seq < result.seq) latest = result;
    };
    const rows = await this.store.checkpoints();
    for (const row of rows) record(await this.check(`checkpoint #${row.seq}`, row.jws, head, row));
    // A file named on the command line that is also in the directory is checked once.
    const given = new Set(external.map((copy) => path.resolve(copy.source)));
    const copies = [...this.directoryCopies().filter((copy) => !given.has(path.resolve(copy.source))), ...external];
    for (const copy of copies) record(await this.check(copy.source, copy.jws, head));
    return { chain, checkpoints: rows.length + copies.length, latest, problems, ok: chain.ok && problems.length === 0 };
  }
}

const CHECKPOINT_FILE = /^audit-checkpoint-\d{12}\.jws$/;

export function checkpointFileName(seq: number): string {
  return `audit-checkpoint-${String(seq).padStart(12, '0')}.jws`;
}

function checkpointPayload(payload: Record<string, unknown>): CheckpointPayload {
  const { iss, seq, headHash, at } = payload;
  if (typeof iss !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof headHash !== 'string' || !/^[0-9a-f]{64}$/.test(headHash) || typeof at !== 'string') {
    throw new SignatureInvalid('not a checkpoint payload');
  }
  return { iss, seq, headHash, at };
}

/** The report as lines a person reads at the terminal (the CLI prints them). */
export function describeReport(report: AuditReport): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  const { chain } = report;
  if (chain.ok) {
    lines.push(`Hash chain intact: ${chain.checked} events, head ${chain.headHash}.`);
  } else if (chain.problem === 'alteredRow') {
    lines.push(`Audit trail broken: event #${chain.firstBadSeq} (${chain.firstBadId}) was changed. ${chain.checked} events before it are intact.`);
  } else {
    lines.push(
      `Audit trail broken at event #${chain.firstBadSeq} (${chain.firstBadId}): the event before it (after #${chain.afterSeq}) was changed or removed. ${chain.checked} events before it are intact.`,
    );
  }
  for (const problem of report.problems) {
    switch (problem.problem) {
      case 'badSignature':
        lines.push(`${problem.source}: the signature is not the platform's (forged or altered checkpoint).`);
        break;
      case 'rowAltered':
        lines.push(`${problem.source}: the row differs from what its signature covers (altered checkpoint).`);
        break;
      case 'truncated':
        lines.push(`${problem.source}: the chain was signed at event #${problem.seq}, but now ends at #${problem.chainEndsAt}: events were removed from the end (tail truncated).`);
        break;
      case 'rewritten':
        lines.push(`${problem.source}: event #${problem.seq} no longer has the hash signed for it: the chain was rewritten up to there.`);
        break;
    }
  }
  if (report.problems.length === 0) {
    lines.push(
      report.checkpoints === 0
        ? 'No signed checkpoints yet: a cut-off tail cannot be detected until the first one is written.'
        : `${report.checkpoints} signed checkpoint(s) verified; the chain still reaches the latest, event #${report.latest?.seq}.`,
    );
  }
  return { ok: report.ok, lines };
}
