import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Tables, Tx } from '../core/db.js';
import { PUBLIC_FROM_EFFECTIVE } from './rules.js';
import type { Category, PublicField, RepairDecision, Severity } from './schema.js';

export interface CreditRecordsTable {
  id: string;
  category: Category;
  severity: Severity | null;
  subjectKind: 'enterprise' | 'person';
  uscc: string | null;
  subjectName: string;
  personId: string | null;
  idNumberEnc: string | null;
  idNumberHash: string | null;
  departmentId: string;
  title: string;
  content: string;
  legalBasis: string;
  documentNumber: string;
  decidedOn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** JSON array of PublicField. */
  publicFields: string;
  /** First day no longer public (exclusive); null: no end. */
  publicUntil: string | null;
  status: 'active' | 'repaired';
  repairedOn: string | null;
  /** Listings only: pending (starts later), listed (fact set), ended (fact cleared). */
  factState: 'pending' | 'listed' | 'ended' | null;
  fingerprint: string;
  source: 'api' | 'csv' | 'page' | 'application' | 'demo';
  applicationId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CreditRepairsTable {
  id: string;
  recordId: string;
  departmentId: string;
  status: 'pending' | RepairDecision;
  reason: string;
  evidence: string;
  applicantPersonId: string;
  appliedAt: string;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

declare module '../core/db.js' {
  interface Tables {
    creditRecords: CreditRecordsTable;
    creditRepairs: CreditRepairsTable;
  }
}

export type RecordRow = CreditRecordsTable;
export type RepairRow = CreditRepairsTable;

export const parsePublicFields = (json: string): PublicField[] => JSON.parse(json) as PublicField[];

/**
 * An enterprise's record public on `today`: from its public start (rules.ts publicStart: the
 * effective day for licences and listings, the decision day otherwise) until `public_until`.
 */
function publicOn(today: string) {
  return (eb: ExpressionBuilder<Tables, 'creditRecords'>) =>
    eb.and([
      eb('subjectKind', '=', 'enterprise'),
      eb.or([
        eb.and([eb('category', 'in', [...PUBLIC_FROM_EFFECTIVE]), eb('effectiveFrom', '<=', today)]),
        eb.and([eb('category', 'not in', [...PUBLIC_FROM_EFFECTIVE]), eb('decidedOn', '<=', today)]),
      ]),
      eb.or([eb('publicUntil', 'is', null), eb('publicUntil', '>', today)]),
    ]);
}

/** The SQL of credit records and repairs; nothing outside this folder touches these tables. */
export class CreditStore {
  constructor(private readonly db: Db) {}

  insertRecord(tx: Tx | Db, row: RecordRow) {
    return tx.insertInto('creditRecords').values(row).execute();
  }

  byDocument(departmentId: string, documentNumber: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('creditRecords').selectAll().where('departmentId', '=', departmentId).where('documentNumber', '=', documentNumber).executeTakeFirst();
  }

  recordById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('creditRecords').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Records by id, as a map (ids not found are absent). */
  async recordsByIds(ids: string[]): Promise<Map<string, RecordRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('creditRecords').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  updateRecord(tx: Tx | Db, id: string, changes: Partial<Omit<RecordRow, 'id'>>) {
    return tx.updateTable('creditRecords').set(changes).where('id', '=', id).execute();
  }

  /** Every record of one enterprise or person, newest decision first. */
  recordsOf(subject: { uscc: string } | { personId: string }, tx: Tx | Db = this.db) {
    let query = tx.selectFrom('creditRecords').selectAll();
    query = 'uscc' in subject ? query.where('uscc', '=', subject.uscc) : query.where('personId', '=', subject.personId);
    return query.orderBy('decidedOn', 'desc').orderBy('id', 'desc').execute();
  }

  /**
   * USCCs of enterprises with a record public on `today` whose USCC is the query or whose name
   * contains it (case-insensitive on both engines: lower() on both sides), at most `limit`, in
   * code order. Subjects are limited, not records, so that no enterprise is shown with only part
   * of its public records. Persons' records are never in the public lookup.
   */
  async publicSubjects(query: { uscc?: string; nameContains?: string }, today: string, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('creditRecords').select('uscc').where(publicOn(today));
    if (query.uscc) q = q.where('uscc', '=', query.uscc);
    if (query.nameContains) {
      const pattern = `%${query.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`lower(${sql.ref('subjectName')}) LIKE lower(${pattern}) ESCAPE '\\'`);
    }
    const rows = await q.groupBy('uscc').orderBy('uscc').limit(limit).execute();
    return rows.map((r) => r.uscc!);
  }

  /** Every record of these enterprises that is public on `today`, by enterprise, newest decision first. */
  publicRecordsOf(usccs: string[], today: string) {
    if (usccs.length === 0) return Promise.resolve([] as RecordRow[]);
    return this.db
      .selectFrom('creditRecords')
      .selectAll()
      .where('uscc', 'in', usccs)
      .where(publicOn(today))
      .orderBy('uscc')
      .orderBy('decidedOn', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /** Listings whose fact must change on `today`: started (pending) or ended (listed, expired or repaired). */
  listingsToSync(today: string, limit = 500) {
    return this.db
      .selectFrom('creditRecords')
      .select(['id', 'uscc', 'factState'])
      .where('category', '=', 'listing')
      .where((eb) =>
        eb.or([
          eb.and([eb('factState', '=', 'pending'), eb('effectiveFrom', '<=', today)]),
          eb.and([eb('factState', '=', 'listed'), eb.or([eb('effectiveTo', '<', today), eb('status', '=', 'repaired')])]),
        ]),
      )
      .limit(limit)
      .execute();
  }

  /** Whether an enterprise is on the list on `today` (an active listing in its period). */
  async isListed(uscc: string, today: string, tx: Tx | Db = this.db): Promise<boolean> {
    return (await this.listedAmong([uscc], today, tx)).has(uscc);
  }

  /** Which of these enterprises are on the list on `today`. */
  async listedAmong(usccs: string[], today: string, tx: Tx | Db = this.db): Promise<Set<string>> {
    if (usccs.length === 0) return new Set();
    const rows = await tx
      .selectFrom('creditRecords')
      .select('uscc')
      .distinct()
      .where('uscc', 'in', usccs)
      .where('category', '=', 'listing')
      .where('status', '=', 'active')
      .where('effectiveFrom', '<=', today)
      .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>=', today)]))
      .execute();
    return new Set(rows.map((r) => r.uscc!));
  }

  /** Marks an active record repaired; false when it was repaired already (someone else got there first). */
  async markRepaired(tx: Tx, id: string, changes: Pick<RecordRow, 'repairedOn' | 'publicUntil' | 'updatedAt'>): Promise<boolean> {
    const result = await tx.updateTable('creditRecords').set({ ...changes, status: 'repaired' }).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  insertRepair(tx: Tx | Db, row: RepairRow) {
    return tx.insertInto('creditRepairs').values(row).execute();
  }

  repairById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('creditRepairs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  pendingRepairFor(recordId: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('creditRepairs').selectAll().where('recordId', '=', recordId).where('status', '=', 'pending').executeTakeFirst();
  }

  repairsOfRecords(recordIds: string[]) {
    if (recordIds.length === 0) return Promise.resolve([] as RepairRow[]);
    return this.db.selectFrom('creditRepairs').selectAll().where('recordId', 'in', recordIds).orderBy('appliedAt', 'desc').orderBy('id', 'desc').execute();
  }

  repairsOfDepartment(departmentId: string, status: RepairRow['status'] | undefined, limit = 200) {
    let q = this.db.selectFrom('creditRepairs').selectAll().where('departmentId', '=', departmentId);
    if (status) q = q.where('status', '=', status);
    return q.orderBy('appliedAt').orderBy('id').limit(limit).execute();
  }

  /** Settles a pending repair; false when someone else decided it first. */
  async decideRepair(tx: Tx, id: string, changes: Pick<RepairRow, 'status' | 'decisionReason' | 'decidedBy' | 'decidedAt'>): Promise<boolean> {
    const result = await tx.updateTable('creditRepairs').set(changes).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
