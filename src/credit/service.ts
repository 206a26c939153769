import { createHash } from 'node:crypto';
import type { AuditActor } from '../core/audit.js';
import type { ClientPrincipal, Role, SessionPrincipal } from '../core/auth.js';
import type { Tx } from '../core/db.js';
import { conflict, forbidden, invalid, notFound, type FieldProblem } from '../core/errors.js';
import type { MessageKey } from '../core/i18n.js';
import { newId } from '../core/ids.js';
import { maskIdNumber } from '../core/personal-data.js';
import type { Platform } from '../core/platform.js';
import type { FileContent, StaffFileAccess } from '../files/service.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import { addMonths, isIsoDate, shanghaiDate } from '../reference/dates.js';
import { isWithin } from '../reference/regions.js';
import { validateResidentId } from '../reference/resident-id.js';
import { validateUscc } from '../reference/uscc.js';
import { publicEnd, publicStart, repairableFrom } from './rules.js';
import {
  CATEGORIES,
  DEFAULT_PUBLIC_FIELDS,
  DOCUMENT_NUMBER_MAX,
  NAME_MAX,
  OPTIONAL_PUBLIC_FIELDS,
  REPAIR_FILES_MAX,
  SEVERITIES,
  TEXT_MAX,
  TITLE_MAX,
  type Category,
  type PublicField,
  type PublicLookup,
  type PublicRecord,
  type PublicSubject,
  type RecordInput,
  type RecordView,
  type RepairBody,
  type RepairDecisionBody,
  type RepairView,
  type Severity,
} from './schema.js';
import { CreditStore, parsePublicFields, type RecordRow, type RepairRow } from './store.js';
import './messages.js';

export type CreditSubject = { kind: 'enterprise'; uscc: string } | { kind: 'person'; personId: string };

export interface CreditStanding {
  /** listed: on the seriously-untrustworthy list now; caution: a penalty or broken commitment still in force; good otherwise. */
  status: 'good' | 'caution' | 'listed';
  listed: boolean;
  /** May make a credit commitment (信用承诺) instead of materials: status === 'good'. */
  mayCommit: boolean;
  counts: { licences: number; penalties: number; honours: number; commitmentsKept: number; commitmentsBroken: number };
  asOf: string;
}

/** The standing as staff outside the issuing department see it: no counts of other departments' records. */
export type StaffStanding = Omit<CreditStanding, 'counts'> & Partial<Pick<CreditStanding, 'counts'>>;

/** Where the policy zone's `untrustworthy` fact is kept (the profile store implements it). */
export interface UntrustworthyFacts {
  /** Sets the fact for the USCC and bumps its authority-data timestamp; false when the enterprise is not in the population. */
  setUntrustworthy(tx: Tx, uscc: string, value: boolean, updatedAt: string): Promise<boolean>;
}

/** What credit needs of the files capability: the evidence scans of repair applications. */
export interface EvidenceFiles {
  ownUpload(accountId: string, fileId: string): Promise<{ id: string } | null>;
  attach(tx: Tx, fileIds: string[], ownerId: string): Promise<void>;
  attachedToEach(ownerIds: string[]): Promise<Map<string, { id: string; filename: string; type: string; size: number }[]>>;
  readForStaff(principal: SessionPrincipal, fileId: string, check: (ownerId: string, upload: { filename: string }) => Promise<StaffFileAccess>): Promise<FileContent>;
}

export interface CreditDeps {
  identity: IdentityService;
  enterprises: EnterpriseService;
  facts: UntrustworthyFacts;
  files: EvidenceFiles;
}

/** Who reported a record: a departmental system (client credentials) or a staff member on a page. */
export interface Reporter {
  departmentId: string;
  actor: AuditActor;
  source: RecordRow['source'];
}

/** The latest date a record may carry: later ones are placeholders for "no end", or mistakes. */
const LATEST_DATE = '2099-12-31';

export const LISTINGS_JOB = 'credit.listings';
/** The listings job runs hourly; a listing starts and ends on calendar days. */
export const LISTINGS_INTERVAL_MS = 3_600_000;

const REPORTING_ROLES: Role[] = ['officer', 'approver'];
const lengthOf = (text: string) => [...text].length;
/** Enterprises shown by one public lookup, each with all its public records. */
const PUBLIC_LOOKUP_SUBJECTS = 50;
/** Purpose recorded when staff of the issuing department read records to review repair applications. */
const REPAIR_REVIEW_PURPOSE = '信用修复申请审核 / credit repair review';

export interface CheckedRecord {
  category: Category;
  severity: Severity | null;
  subject: { kind: 'enterprise'; uscc: string; name: string } | { kind: 'person'; personId: string; name: string; idNumber: string | null };
  title: string;
  content: string;
  legalBasis: string;
  documentNumber: string;
  decidedOn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  publicFields: PublicField[];
}

/**
 * Credit records (行政许可, 行政处罚, 荣誉, 信用承诺履行/违背, 严重失信主体名单) of enterprises and persons,
 * reported by departments; the public lookup of what is public; full records for authorised staff
 * (audited); credit repair; and the standing other capabilities ask about. Keeps the policy zone's
 * `untrustworthy` fact in step with the list. Knows nothing of HTTP.
 */
export class CreditService {
  readonly store: CreditStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: CreditDeps,
  ) {
    this.store = new CreditStore(platform.db);
  }

  private now(): Date {
    return this.platform.clock.now();
  }

  private today(): string {
    return shanghaiDate(this.now());
  }

  // For other capabilities

  /**
   * The subject's standing today. Reads only (no audit entry: the caller that shows it to staff
   * records that read). Inside a transaction pass it, as SQLite has one connection.
   */
  async standing(subject: CreditSubject, tx?: Tx): Promise<CreditStanding> {
    const rows = await this.store.recordsOf(subject.kind === 'enterprise' ? { uscc: subject.uscc } : { personId: subject.personId }, tx);
    const today = this.today();
    return standingOf(rows, today, this.now().toISOString());
  }

  /**
   * A commitment made on an application turned out false: becomes a credit record of the deciding
   * department, in the caller's transaction. Idempotent per application and material (the document
   * number is `tracking number/material key`). Takes the department's credit lock (as report()
   * does), so call it before the transaction writes to the audit trail: locks are taken in the
   * order credit department, credit listing, audit trail.
   */
  async recordBrokenCommitment(
    tx: Tx,
    input: {
      subject: CreditSubject;
      subjectName: string;
      departmentId: string;
      applicationId: string;
      trackingNumber: string;
      materialKey: string;
      reason: string;
      decidedOn: string;
      actor: { staffId: string; label: string };
    },
  ): Promise<{ recordId: string }> {
    if (!isIsoDate(input.decidedOn)) throw invalid('validation', [{ field: '/decidedOn', message: 'credit.date.invalid' }]);
    const reason = input.reason.trim();
    if (!reason) throw invalid('validation', [{ field: '/reason', message: 'credit.field.required', params: { label: '{credit.field.content}' } }]);
    const documentNumber = `${input.trackingNumber}/${input.materialKey}`.slice(0, DOCUMENT_NUMBER_MAX);
    await this.lockDepartment(tx, input.departmentId);
    const existing = await this.store.byDocument(input.departmentId, documentNumber, tx);
    if (existing) return { recordId: existing.id };
    const checked: CheckedRecord = {
      category: 'commitmentBroken',
      severity: null,
      subject:
        input.subject.kind === 'enterprise'
          ? { kind: 'enterprise', uscc: input.subject.uscc, name: input.subjectName }
          : { kind: 'person', personId: input.subject.personId, name: input.subjectName, idNumber: null },
      title: `违背信用承诺（办件 ${input.trackingNumber}）`,
      content: reason.slice(0, TEXT_MAX),
      legalBasis: '《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）',
      documentNumber,
      decidedOn: input.decidedOn,
      effectiveFrom: input.decidedOn,
      effectiveTo: null,
      publicFields: ['title'],
    };
    const row = this.rowOf(checked, input.departmentId, 'application', input.actor.label, input.applicationId);
    await this.insert(tx, row, { type: 'staff', id: input.actor.staffId, label: input.actor.label });
    return { recordId: row.id };
  }

  // Reporting

  /** A departmental system reports a record (client credentials with scope credit:report). */
  async reportFromClient(client: ClientPrincipal, input: RecordInput): Promise<{ created: boolean; record: RecordView }> {
    return this.report(await this.clientReporter(client, 'api'), input);
  }

  async clientReporter(client: ClientPrincipal, source: RecordRow['source']): Promise<Reporter> {
    if (!client.departmentId) throw forbidden('departmentClientOnly', 'credit.client.noDepartment');
    const department = await this.deps.identity.department(client.departmentId);
    return { departmentId: client.departmentId, actor: { type: 'client', id: client.clientId, label: `${department?.nameZh ?? ''} · ${client.clientName}` }, source };
  }

  /** A staff member (officer or approver) enters a record for their own department. */
  async reportFromStaff(staff: SessionPrincipal, input: RecordInput): Promise<{ created: boolean; record: RecordView }> {
    return this.report(await this.staffReporter(staff, 'page'), input);
  }

  async staffReporter(staff: SessionPrincipal, source: RecordRow['source']): Promise<Reporter> {
    if (!staff.staffId || !staff.departmentId || !staff.roles.some((r) => REPORTING_ROLES.includes(r))) throw forbidden('creditReporterOnly', 'credit.report.staffOnly');
    return { departmentId: staff.departmentId, actor: await this.staffActor(staff), source };
  }

  /**
   * Records a decision, idempotent by (department, document number): the same report again
   * answers the existing record (created: false); a different report under a number already used
   * is 409.
   */
  async report(reporter: Reporter, input: RecordInput): Promise<{ created: boolean; record: RecordView }> {
    const checked = await this.check(input, reporter);
    const row = this.rowOf(checked, reporter.departmentId, reporter.source, reporter.actor.label ?? '', null);
    const outcome = await this.platform.db.transaction().execute(async (tx) => {
      await this.lockDepartment(tx, reporter.departmentId);
      const existing = await this.store.byDocument(reporter.departmentId, row.documentNumber, tx);
      if (existing) {
        if (existing.fingerprint !== row.fingerprint) throw conflict('documentNumberTaken', 'credit.document.taken', { documentNumber: row.documentNumber }, [{ field: '/documentNumber', message: 'credit.document.taken', params: { documentNumber: row.documentNumber } }]);
        return { created: false, row: existing };
      }
      await this.insert(tx, row, reporter.actor);
      return { created: true, row };
    });
    return { created: outcome.created, record: await this.view(outcome.row) };
  }

  /**
   * Several checked reports in one transaction (the CSV import): all are written, or, when any
   * document number is already used for a different record, none and the conflicts are named.
   * One lock for the department, not one per row (thousands of advisory locks exhaust
   * PostgreSQL's lock table, and two imports locking rows in different orders deadlock). Imported
   * listings bring the `untrustworthy` fact into line right after the commit, one transaction
   * each, as the hourly job does (which catches any left over should the process stop between).
   */
  async reportMany(reporter: Reporter, checkedRows: { row: number; checked: CheckedRecord }[]): Promise<{ imported: number; unchanged: number; conflicts: { row: number; documentNumber: string }[] }> {
    const rows = checkedRows.map(({ row, checked }) => ({ row, record: this.rowOf(checked, reporter.departmentId, reporter.source, reporter.actor.label ?? '', null) }));
    const conflicts: { row: number; documentNumber: string }[] = [];
    let imported = 0;
    let unchanged = 0;
    const listings: RecordRow[] = [];
    const rollBack = new Error('credit import rolled back');
    try {
      await this.platform.db.transaction().execute(async (tx) => {
        await this.lockDepartment(tx, reporter.departmentId);
        for (const { row, record } of rows) {
          const existing = await this.store.byDocument(reporter.departmentId, record.documentNumber, tx);
          if (existing) {
            if (existing.fingerprint === record.fingerprint) unchanged++;
            else conflicts.push({ row, documentNumber: record.documentNumber });
            continue;
          }
          await this.insert(tx, record, reporter.actor, { syncListing: false });
          if (record.category === 'listing') listings.push(record);
          imported++;
        }
        if (conflicts.length) throw rollBack;
      });
    } catch (error) {
      if (error !== rollBack) throw error;
      return { imported: 0, unchanged: 0, conflicts };
    }
    for (const listing of listings) await this.platform.db.transaction().execute((tx) => this.syncListing(tx, listing.id, listing.uscc!));
    return { imported, unchanged, conflicts };
  }

  /**
   * Every problem of one report at once, fields named as JSON pointers into RecordInput. A person
   * is looked up by name and ID number only once everything else is right, and each lookup is
   * recorded against them as an identity verification by the reporter, matched or not: a report
   * (or a file of thousands) must not tell anyone unseen whether a name and ID number belong together.
   */
  async check(input: Partial<Record<keyof RecordInput, unknown>>, reporter: Reporter, prefix = ''): Promise<CheckedRecord> {
    const problems: FieldProblem[] = [];
    const at = (field: string) => `${prefix}/${field}`;
    const text = (field: 'title' | 'content' | 'legalBasis' | 'documentNumber', max: number): string => {
      const value = typeof input[field] === 'string' ? (input[field] as string).trim() : '';
      if (!value) problems.push({ field: at(field), message: 'credit.field.required', params: { label: `{credit.field.${field}}` } });
      else if (lengthOf(value) > max) problems.push({ field: at(field), message: 'credit.field.tooLong', params: { label: `{credit.field.${field}}`, max } });
      return value;
    };
    const date = (field: 'decidedOn' | 'effectiveFrom' | 'effectiveTo', required: boolean): string | null => {
      const value = input[field];
      if (value === undefined || value === null || value === '') {
        if (required) problems.push({ field: at(field), message: 'credit.field.required', params: { label: `{credit.field.${field}}` } });
        return null;
      }
      if (!isIsoDate(value)) {
        problems.push({ field: at(field), message: 'credit.date.invalid' });
        return null;
      }
      // 9999-12-31 ("长期") and the like: an open-ended period is an empty "effective to".
      if (value > LATEST_DATE) {
        problems.push({ field: at(field), message: 'credit.date.tooLate', params: { latest: LATEST_DATE } });
        return null;
      }
      return value;
    };
    const category = CATEGORIES.includes(input.category as Category) ? (input.category as Category) : undefined;
    if (!category) problems.push({ field: at('category'), message: 'credit.category.choose' });
    let severity: Severity | null = null;
    if (category === 'penalty') {
      if (input.severity === undefined || input.severity === null || input.severity === '') severity = 'general';
      else if (SEVERITIES.includes(input.severity as Severity)) severity = input.severity as Severity;
      else problems.push({ field: at('severity'), message: 'credit.severity.choose' });
    }
    const title = text('title', TITLE_MAX);
    const content = text('content', TEXT_MAX);
    const legalBasis = text('legalBasis', TEXT_MAX);
    const documentNumber = text('documentNumber', DOCUMENT_NUMBER_MAX);
    const decidedOn = date('decidedOn', true);
    const today = this.today();
    if (decidedOn && decidedOn > today) problems.push({ field: at('decidedOn'), message: 'credit.decidedOn.future' });
    const effectiveFrom = date('effectiveFrom', false) ?? decidedOn;
    let effectiveTo = date('effectiveTo', false);
    if (effectiveFrom && effectiveTo && effectiveTo < effectiveFrom) problems.push({ field: at('effectiveTo'), message: 'credit.effectiveTo.beforeFrom' });
    // A listing lasts three years unless the decision says otherwise.
    if (category === 'listing' && !effectiveTo && effectiveFrom) effectiveTo = dayBefore(addMonths(effectiveFrom, 36));

    let publicFields: PublicField[] = DEFAULT_PUBLIC_FIELDS;
    if (input.publicFields !== undefined) {
      if (!Array.isArray(input.publicFields) || input.publicFields.some((f) => !OPTIONAL_PUBLIC_FIELDS.includes(f as PublicField))) {
        problems.push({ field: at('publicFields'), message: 'credit.publicFields.invalid' });
      } else publicFields = OPTIONAL_PUBLIC_FIELDS.filter((f) => (input.publicFields as string[]).includes(f));
    }

    let subject: CheckedRecord['subject'] | undefined;
    const given = (input.subject ?? {}) as Record<string, unknown>;
    const name = typeof given.name === 'string' ? given.name.trim() : '';
    if (!name) problems.push({ field: at('subject/name'), message: 'credit.field.required', params: { label: '{credit.field.subjectName}' } });
    else if (lengthOf(name) > NAME_MAX) problems.push({ field: at('subject/name'), message: 'credit.field.tooLong', params: { label: '{credit.field.subjectName}', max: NAME_MAX } });
    if (given.kind === 'enterprise') {
      const code = validateUscc(typeof given.uscc === 'string' ? given.uscc : '');
      if (!code.valid) problems.push({ field: at('subject/uscc'), message: `enterprise.uscc.${code.reason}` as MessageKey });
      else subject = { kind: 'enterprise', uscc: code.normalized, name };
    } else if (given.kind === 'person') {
      if (category === 'listing') problems.push({ field: at('category'), message: 'credit.listing.enterpriseOnly' });
      const id = validateResidentId(typeof given.idNumber === 'string' ? given.idNumber : '', { today });
      if (!id.valid) problems.push({ field: at('subject/idNumber'), message: `identity.idNumber.${id.reason}` as MessageKey });
      else if (name && problems.length === 0) {
        const person = await this.deps.identity.verifyRecorded(reporter.actor, name, id.normalized, `credit record ${documentNumber}`);
        if (!person) problems.push({ field: at('subject/idNumber'), message: 'credit.person.notFound' });
        else subject = { kind: 'person', personId: person.id, name, idNumber: id.normalized };
      }
    } else {
      problems.push({ field: at('subject/kind'), message: 'credit.subject.choose' });
    }
    if (problems.length) throw invalid('validation', problems);
    return { category: category!, severity, subject: subject!, title, content, legalBasis, documentNumber, decidedOn: decidedOn!, effectiveFrom: effectiveFrom!, effectiveTo, publicFields };
  }

  private rowOf(checked: CheckedRecord, departmentId: string, source: RecordRow['source'], createdBy: string, applicationId: string | null): RecordRow {
    const now = this.now();
    const nowIso = now.toISOString();
    const s = checked.subject;
    const idNumber = s.kind === 'person' ? s.idNumber : null;
    // What makes two reports "the same": everything the department said, not when it said it.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([checked.category, checked.severity, s.kind, s.kind === 'enterprise' ? s.uscc : s.personId, s.name, checked.title, checked.content, checked.legalBasis, checked.decidedOn, checked.effectiveFrom, checked.effectiveTo, checked.publicFields]))
      .digest('hex');
    return {
      id: newId(now.getTime()),
      category: checked.category,
      severity: checked.severity,
      subjectKind: s.kind,
      uscc: s.kind === 'enterprise' ? s.uscc : null,
      subjectName: s.name,
      personId: s.kind === 'person' ? s.personId : null,
      idNumberEnc: idNumber ? this.platform.vault.encrypt(idNumber) : null,
      idNumberHash: idNumber ? this.platform.vault.lookupHash('resident-id', idNumber) : null,
      departmentId,
      title: checked.title,
      content: checked.content,
      legalBasis: checked.legalBasis,
      documentNumber: checked.documentNumber,
      decidedOn: checked.decidedOn,
      effectiveFrom: checked.effectiveFrom,
      effectiveTo: checked.effectiveTo,
      publicFields: JSON.stringify(checked.publicFields),
      publicUntil: publicEnd(checked.category, checked.severity, checked.decidedOn, checked.effectiveFrom, checked.effectiveTo),
      status: 'active',
      repairedOn: null,
      factState: checked.category === 'listing' ? 'pending' : null,
      fingerprint,
      source,
      applicationId,
      createdBy,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
  }

  /**
   * Writes a record with its audit entry; a listing in force now sets the fact at once (unless the
   * caller syncs it after its commit). The listing lock is taken before the audit trail's lock,
   * the order every credit transaction keeps.
   */
  private async insert(tx: Tx, row: RecordRow, actor: AuditActor, options: { syncListing: boolean } = { syncListing: true }): Promise<void> {
    await this.store.insertRecord(tx, row);
    if (options.syncListing && row.category === 'listing' && row.uscc) await this.syncListing(tx, row.id, row.uscc);
    const enterprise = row.uscc ? await this.deps.enterprises.store.byUscc(row.uscc, tx) : undefined;
    await this.platform.audit.record(
      {
        action: 'credit.recorded',
        actor,
        subjectPersonId: row.personId ?? undefined,
        subjectEnterpriseId: enterprise?.id,
        detail: { recordId: row.id, category: row.category, documentNumber: row.documentNumber, ...(row.applicationId ? { applicationId: row.applicationId } : {}) },
      },
      tx,
    );
  }

  /** Serialises the reports of one department (idempotency by document number is check-then-insert). */
  private lockDepartment(tx: Tx, departmentId: string): Promise<void> {
    return this.platform.dialect.lockName(tx, `credit:${departmentId}`);
  }

  /**
   * Brings one listing's fact into line with today: the enterprise is untrustworthy while any of
   * its listings is active and in its period. Called when a listing is written or repaired, and by
   * the hourly job for listings that start or end by the calendar. The enterprise's listings are
   * serialised by a lock on its USCC taken first, so that two transactions (a new listing and a
   * repaired one) never each miss the other's listing and leave the fact false while one is in
   * force. The fact is touched only when the listing enters or leaves the list: a historical
   * listing reported after it ended (pending to ended) leaves it alone.
   */
  private async syncListing(tx: Tx, recordId: string, uscc: string): Promise<void> {
    await this.platform.dialect.lockName(tx, `credit-listing:${uscc}`);
    const today = this.today();
    const row = await this.store.recordById(recordId, tx);
    if (!row) return;
    const inForce = row.status === 'active' && row.effectiveFrom <= today && (row.effectiveTo === null || row.effectiveTo >= today);
    const state: RecordRow['factState'] = inForce ? 'listed' : row.status === 'active' && row.effectiveFrom > today ? 'pending' : 'ended';
    if (state === row.factState) return;
    if (state === 'listed' || row.factState === 'listed') {
      const listed = await this.store.isListed(uscc, today, tx);
      await this.deps.facts.setUntrustworthy(tx, uscc, listed, this.now().toISOString());
    }
    await this.store.updateRecord(tx, recordId, { factState: state, updatedAt: this.now().toISOString() });
  }

  /** The recurring job: listings that began or ended since the last run update the fact. */
  async syncListings(): Promise<number> {
    let done = 0;
    for (;;) {
      const due = await this.store.listingsToSync(this.today());
      if (due.length === 0) return done;
      for (const listing of due) {
        await this.platform.db.transaction().execute((tx) => this.syncListing(tx, listing.id, listing.uscc!));
        done++;
      }
    }
  }

  // The public

  /**
   * The public lookup by USCC (exact) or enterprise name (part of it): enterprises' records in
   * their public period, with only the always-public fields and those the department published.
   * Persons' records are never shown here.
   */
  async publicLookup(query: string): Promise<PublicLookup> {
    const q = query.trim();
    const today = this.today();
    const code = validateUscc(q.toUpperCase());
    if (lengthOf(q) < 2) throw invalid('validation', [{ field: '/q', message: 'credit.lookup.tooShort' }]);
    const found = await this.store.publicSubjects(code.valid ? { uscc: code.normalized } : { nameContains: q }, today, PUBLIC_LOOKUP_SUBJECTS + 1);
    const usccs = found.slice(0, PUBLIC_LOOKUP_SUBJECTS);
    const rows = await this.store.publicRecordsOf(usccs, today);
    const listed = await this.store.listedAmong(usccs, today);
    const names = await this.departmentNames(rows.map((r) => r.departmentId));
    const subjects = new Map<string, PublicSubject>(usccs.map((uscc) => [uscc, { uscc, name: '', listed: listed.has(uscc), records: [] }]));
    for (const row of rows) {
      const subject = subjects.get(row.uscc!)!;
      if (!subject.name) subject.name = row.subjectName;
      subject.records.push(publicRecordOf(row, names.get(row.departmentId)!));
    }
    return { query: q, subjects: [...subjects.values()].filter((s) => s.records.length > 0), more: found.length > usccs.length, asOf: this.now().toISOString() };
  }

  // Staff

  /**
   * Full records of one subject for authorised staff, with a stated purpose, audited (the subject
   * sees the read). Least privilege: a supervisor sees every record of subjects in their region;
   * an officer or approver sees the records their own department issued, and of the standing only
   * the status and whether the subject may commit (the counts would tell of other departments'
   * records). Others: 403.
   */
  async staffRecords(staff: SessionPrincipal, subject: { uscc?: string; personId?: string }, purpose: string): Promise<{ standing: StaffStanding; records: RecordView[] }> {
    if (!staff.staffId) throw forbidden();
    const why = purpose.trim();
    if (!why) throw invalid('purposeRequired', [{ field: '/purpose', message: 'credit.purpose.required' }]);
    let key: { uscc: string } | { personId: string };
    let subjectRegion: string | null;
    if (subject.uscc) {
      const code = validateUscc(subject.uscc.trim().toUpperCase());
      if (!code.valid) throw invalid('validation', [{ field: '/uscc', message: `enterprise.uscc.${code.reason}` as MessageKey }]);
      key = { uscc: code.normalized };
      subjectRegion = code.info.region;
    } else if (subject.personId) {
      const person = await this.deps.identity.personById(subject.personId);
      if (!person) throw notFound('personNotFound', 'identity.person.notFound');
      key = { personId: person.id };
      subjectRegion = person.regionCode;
    } else {
      throw invalid('validation', [{ field: '/uscc', message: 'credit.subject.required' }]);
    }
    const supervisor = staff.roles.includes('supervisor') && staff.regionCode !== null && subjectRegion !== null && isWithin(subjectRegion, staff.regionCode);
    const departmental = staff.roles.some((r) => REPORTING_ROLES.includes(r)) && staff.departmentId !== null;
    if (!supervisor && !departmental) throw forbidden('creditReadForbidden', 'credit.read.forbidden');
    const all = await this.store.recordsOf(key);
    const visible = supervisor ? all : all.filter((r) => r.departmentId === staff.departmentId);
    await this.auditReads(await this.staffActor(staff), [{ key, records: visible.length }], why, { scope: supervisor ? 'region' : 'department' });
    const standing = standingOf(all, this.today(), this.now().toISOString());
    return { standing: supervisor ? standing : { status: standing.status, listed: standing.listed, mayCommit: standing.mayCommit, asOf: standing.asOf }, records: await this.views(visible) };
  }

  /**
   * One `credit.read` audit entry per subject whose records staff were shown, with the subject's
   * ids (the enterprise's account when it has opened one, else its USCC in the detail) and the
   * purpose, so that each read shows on that subject's "who accessed my data" page.
   */
  private async auditReads(actor: AuditActor, shown: { key: { uscc: string } | { personId: string }; records: number; detail?: Record<string, unknown> }[], purpose: string, detail: Record<string, unknown>): Promise<void> {
    await Promise.all(
      shown.map(async ({ key, records, detail: own }) =>
        this.platform.audit.record({
          action: 'credit.read',
          actor,
          ...('uscc' in key ? { subjectEnterpriseId: (await this.deps.enterprises.store.byUscc(key.uscc))?.id } : { subjectPersonId: key.personId }),
          purpose: purpose.slice(0, 200),
          detail: { records, ...detail, ...own, ...('uscc' in key ? { uscc: key.uscc } : {}) },
        }),
      ),
    );
  }

  // The subject

  /** A person's own records. */
  async myRecords(person: SessionPrincipal): Promise<{ standing: CreditStanding; records: RecordView[] }> {
    if (!person.personId) throw forbidden('personOnly');
    const rows = await this.store.recordsOf({ personId: person.personId });
    return { standing: standingOf(rows, this.today(), this.now().toISOString()), records: await this.views(rows) };
  }

  /** An enterprise's records, for its legal representative or an agent with the credit scope. */
  async enterpriseRecords(person: SessionPrincipal, enterpriseId: string): Promise<{ standing: CreditStanding; records: RecordView[]; enterprise: { id: string; uscc: string; name: string } }> {
    const access = await this.deps.enterprises.authorize(person, enterpriseId, 'credit');
    const rows = await this.store.recordsOf({ uscc: access.enterprise.uscc });
    return {
      standing: standingOf(rows, this.today(), this.now().toISOString()),
      records: await this.views(rows),
      enterprise: { id: access.enterprise.id, uscc: access.enterprise.uscc, name: access.enterprise.name },
    };
  }

  /** Checks the caller may act on the record: the person it is about, or someone acting for its enterprise (scope credit). */
  private async ownRecord(person: SessionPrincipal, recordId: string): Promise<RecordRow> {
    if (!person.personId) throw forbidden('personOnly');
    const row = await this.store.recordById(recordId);
    if (!row) throw notFound('creditRecordNotFound', 'credit.record.notFound');
    if (row.subjectKind === 'person') {
      if (row.personId !== person.personId) throw notFound('creditRecordNotFound', 'credit.record.notFound');
      return row;
    }
    const enterprise = await this.deps.enterprises.store.byUscc(row.uscc!);
    if (!enterprise) throw notFound('creditRecordNotFound', 'credit.record.notFound');
    await this.deps.enterprises.authorize(person, enterprise.id, 'credit');
    return row;
  }

  /** A record of the subject's with their repair applications, newest first, each with the names of its scans. */
  async recordForSubject(person: SessionPrincipal, recordId: string): Promise<{ record: RecordView; repairs: (RepairRow & { filenames: string[] })[] }> {
    const row = await this.ownRecord(person, recordId);
    const repairs = await this.store.repairsOfRecords([row.id]);
    const files = await this.deps.files.attachedToEach(repairs.map((r) => r.id));
    return { record: await this.view(row), repairs: repairs.map((r) => ({ ...r, filenames: (files.get(r.id) ?? []).map((f) => f.filename) })) };
  }

  // Repair

  /**
   * Whether this repair application would be accepted as far as its text and the record go (not
   * its files): the page asks before it stores any scans, so a refused post leaves none behind.
   * A pending application is checked again, under the lock, when the application is recorded.
   */
  async checkRepair(person: SessionPrincipal, recordId: string, body: Omit<RepairBody, 'files'>): Promise<void> {
    const { row } = await this.validRepair(person, recordId, body);
    if (await this.store.pendingRepairFor(row.id)) throw conflict('repairPending', 'credit.repair.pending');
  }

  private async validRepair(person: SessionPrincipal, recordId: string, body: RepairBody): Promise<{ row: RecordRow; reason: string; evidence: string; fileIds: string[] }> {
    const row = await this.ownRecord(person, recordId);
    const problems: FieldProblem[] = [];
    const reason = (body.reason ?? '').trim();
    const evidence = (body.evidence ?? '').trim();
    if (!reason) problems.push({ field: '/reason', message: 'credit.field.required', params: { label: '{credit.field.repairReason}' } });
    else if (lengthOf(reason) > TEXT_MAX) problems.push({ field: '/reason', message: 'credit.field.tooLong', params: { label: '{credit.field.repairReason}', max: TEXT_MAX } });
    if (!evidence) problems.push({ field: '/evidence', message: 'credit.field.required', params: { label: '{credit.field.evidence}' } });
    else if (lengthOf(evidence) > TEXT_MAX) problems.push({ field: '/evidence', message: 'credit.field.tooLong', params: { label: '{credit.field.evidence}', max: TEXT_MAX } });
    const listed = body.files ?? [];
    const fileIds = [...new Set(listed)];
    if (listed.length > REPAIR_FILES_MAX) problems.push({ field: '/files', message: 'credit.repair.tooManyFiles', params: { max: REPAIR_FILES_MAX } });
    else {
      const usable = new Map(await Promise.all(fileIds.map(async (id) => [id, Boolean(await this.deps.files.ownUpload(person.accountId, id))] as const)));
      listed.forEach((id, i) => {
        if (!usable.get(id)) problems.push({ field: `/files/${i}`, message: 'credit.repair.fileNotAvailable' });
      });
    }
    const from = repairableFrom(row.category, row.severity, row.decidedOn, row.effectiveFrom);
    if (from === null) throw conflict('notRepairable', 'credit.repair.notRepairable');
    if (row.status === 'repaired') throw conflict('alreadyRepaired', 'credit.repair.already');
    if (this.today() < from) throw conflict('repairTooEarly', 'credit.repair.tooEarly', { date: from });
    if (problems.length) throw invalid('validation', problems);
    return { row, reason, evidence, fileIds };
  }

  /** The subject applies for repair of a record, after the minimum period, once at a time. */
  async applyRepair(person: SessionPrincipal, recordId: string, body: RepairBody): Promise<RepairView> {
    const { row, reason, evidence, fileIds } = await this.validRepair(person, recordId, body);
    const now = this.now();
    const repair: RepairRow = {
      id: newId(now.getTime()),
      recordId: row.id,
      departmentId: row.departmentId,
      status: 'pending',
      reason,
      evidence,
      applicantPersonId: person.personId!,
      appliedAt: now.toISOString(),
      decisionReason: null,
      decidedBy: null,
      decidedAt: null,
    };
    const enterprise = row.uscc ? await this.deps.enterprises.store.byUscc(row.uscc) : undefined;
    await this.platform.db.transaction().execute(async (tx) => {
      await this.platform.dialect.lockName(tx, `credit-repair:${row.id}`);
      // Decided on what the record is now: a repair approved since it was read above counts.
      const current = await this.store.recordById(row.id, tx);
      if (!current || current.status === 'repaired') throw conflict('alreadyRepaired', 'credit.repair.already');
      if (await this.store.pendingRepairFor(row.id, tx)) throw conflict('repairPending', 'credit.repair.pending');
      await this.store.insertRepair(tx, repair);
      await this.deps.files.attach(tx, fileIds, repair.id);
      await this.platform.audit.record(
        {
          action: 'credit.repairApplied',
          actor: { type: 'person', id: person.personId!, label: person.displayName },
          subjectPersonId: row.personId ?? undefined,
          subjectEnterpriseId: enterprise?.id,
          detail: { recordId: row.id, repairId: repair.id, files: fileIds.length },
        },
        tx,
      );
    });
    return (await this.repairViews([repair], new Map([[row.id, await this.view(row)]])))[0]!;
  }

  /**
   * Repair applications to the staff member's department (the issuing department reviews them).
   * The list names each subject, so each subject shown gets a `credit.read` audit entry with the
   * purpose "credit repair review".
   */
  async departmentRepairs(staff: SessionPrincipal, status: RepairRow['status'] | undefined = 'pending'): Promise<RepairView[]> {
    const reporter = await this.staffReporter(staff, 'page');
    const repairs = await this.store.repairsOfDepartment(reporter.departmentId, status);
    const rows = await this.store.recordsByIds(repairs.map((r) => r.recordId));
    const shown = repairs.filter((r) => rows.has(r.recordId));
    const records = new Map((await this.views([...rows.values()])).map((v) => [v.id, v]));
    const bySubject = new Map<string, { key: { uscc: string } | { personId: string }; records: number; detail: { repairIds: string[] } }>();
    for (const repair of shown) {
      const row = rows.get(repair.recordId)!;
      const key = subjectKeyOf(row);
      const id = 'uscc' in key ? `e:${key.uscc}` : `p:${key.personId}`;
      const entry = bySubject.get(id) ?? { key, records: 0, detail: { repairIds: [] } };
      entry.records++;
      entry.detail.repairIds.push(repair.id);
      bySubject.set(id, entry);
    }
    await this.auditReads(reporter.actor, [...bySubject.values()], REPAIR_REVIEW_PURPOSE, { scope: 'repairQueue' });
    return this.repairViews(shown, records);
  }

  /** One repair application with its record, for the issuing department; the read is audited. */
  async departmentRepair(staff: SessionPrincipal, repairId: string): Promise<RepairView> {
    const reporter = await this.staffReporter(staff, 'page');
    const repair = await this.store.repairById(repairId);
    if (!repair || repair.departmentId !== reporter.departmentId) throw notFound('repairNotFound', 'credit.repair.notFound');
    const row = await this.store.recordById(repair.recordId);
    if (!row) throw notFound('repairNotFound', 'credit.repair.notFound');
    await this.auditReads(reporter.actor, [{ key: subjectKeyOf(row), records: 1, detail: { repairId, recordId: row.id } }], REPAIR_REVIEW_PURPOSE, { scope: 'repair' });
    return (await this.repairViews([repair], new Map([[row.id, await this.view(row)]])))[0]!;
  }

  /**
   * An evidence file of a repair application, for the issuing department. The files capability
   * audits the read (or the refusal) against the record's subject, with the purpose.
   */
  async repairFileForStaff(staff: SessionPrincipal, repairId: string, fileId: string): Promise<FileContent> {
    const reporter = await this.staffReporter(staff, 'page');
    // A file of anything else is refused here; the files capability then names whom it concerns.
    return this.deps.files.readForStaff(staff, fileId, async (ownerId, upload) => {
      if (ownerId !== repairId) return { allowed: false };
      const repair = await this.store.repairById(ownerId);
      const record = repair ? await this.store.recordById(repair.recordId) : undefined;
      const subjects = record ? await this.subjectIdsOf(record) : {};
      if (!repair || repair.departmentId !== reporter.departmentId || !record) return { allowed: false, ...subjects };
      return { allowed: true, ...subjects, purpose: `${REPAIR_REVIEW_PURPOSE}: evidence ${upload.filename}` };
    });
  }

  /** Whom a repair application concerns (for auditing a refused read of its evidence); empty when there is no such application. */
  async repairSubjects(repairId: string): Promise<{ subjectPersonId?: string; subjectEnterpriseId?: string }> {
    const repair = await this.store.repairById(repairId);
    const record = repair ? await this.store.recordById(repair.recordId) : undefined;
    return record ? this.subjectIdsOf(record) : {};
  }

  private async subjectIdsOf(record: RecordRow): Promise<{ subjectPersonId?: string; subjectEnterpriseId?: string }> {
    if (record.personId) return { subjectPersonId: record.personId };
    const enterprise = record.uscc ? await this.deps.enterprises.store.byUscc(record.uscc) : undefined;
    return enterprise ? { subjectEnterpriseId: enterprise.id } : {};
  }

  private async repairViews(repairs: RepairRow[], records: Map<string, RecordView>): Promise<RepairView[]> {
    const files = await this.deps.files.attachedToEach(repairs.map((r) => r.id));
    return repairs.map((repair) => ({
      ...repairViewOf(repair),
      files: (files.get(repair.id) ?? []).map(({ id, filename, type, size }) => ({ id, filename, type, size })),
      record: records.get(repair.recordId)!,
    }));
  }

  /**
   * The issuing department decides. Approved: the record is marked repaired and leaves the public
   * view (its public period ends today, never before the minimum period); a repaired listing
   * leaves the list and the `untrustworthy` fact follows in the same transaction. The record is
   * read again inside the transaction, under the record's repair lock, and marked repaired only
   * while still active. The decision's audit entry carries the subjects' ids and the purpose; it is
   * the record of this read too.
   */
  async decideRepair(staff: SessionPrincipal, repairId: string, body: RepairDecisionBody): Promise<RepairView> {
    const reporter = await this.staffReporter(staff, 'page');
    const found = await this.store.repairById(repairId);
    if (!found || found.departmentId !== reporter.departmentId) throw notFound('repairNotFound', 'credit.repair.notFound');
    const problems: FieldProblem[] = [];
    if (body.decision !== 'approved' && body.decision !== 'rejected') problems.push({ field: '/decision', message: 'credit.decision.choose' });
    const reason = (body.reason ?? '').trim();
    if (!reason) problems.push({ field: '/reason', message: 'credit.field.required', params: { label: '{credit.field.decisionReason}' } });
    else if (lengthOf(reason) > TEXT_MAX) problems.push({ field: '/reason', message: 'credit.field.tooLong', params: { label: '{credit.field.decisionReason}', max: TEXT_MAX } });
    if (problems.length) throw invalid('validation', problems);
    const now = this.now();
    const nowIso = now.toISOString();
    const today = this.today();
    const outcome = await this.platform.db.transaction().execute(async (tx) => {
      await this.platform.dialect.lockName(tx, `credit-repair:${found.recordId}`);
      const record = await this.store.recordById(found.recordId, tx);
      if (!record) throw notFound('repairNotFound', 'credit.repair.notFound');
      const decided = await this.store.decideRepair(tx, found.id, { status: body.decision, decisionReason: reason, decidedBy: staff.staffId, decidedAt: nowIso });
      if (!decided) throw conflict('repairDecided', 'credit.repair.decided');
      if (body.decision === 'approved') {
        const minimum = repairableFrom(record.category, record.severity, record.decidedOn, record.effectiveFrom) ?? today;
        const end = [today, minimum].sort()[1]!;
        const publicUntil = record.publicUntil === null || end < record.publicUntil ? end : record.publicUntil;
        if (!(await this.store.markRepaired(tx, record.id, { repairedOn: today, publicUntil, updatedAt: nowIso }))) throw conflict('alreadyRepaired', 'credit.repair.already');
        if (record.category === 'listing' && record.uscc) await this.syncListing(tx, record.id, record.uscc);
      }
      const enterprise = record.uscc ? await this.deps.enterprises.store.byUscc(record.uscc, tx) : undefined;
      await this.platform.audit.record(
        {
          action: 'credit.repairDecided',
          actor: reporter.actor,
          subjectPersonId: record.personId ?? undefined,
          subjectEnterpriseId: enterprise?.id,
          purpose: REPAIR_REVIEW_PURPOSE,
          detail: { recordId: record.id, repairId: found.id, decision: body.decision, ...(record.uscc ? { uscc: record.uscc } : {}) },
        },
        tx,
      );
      return { repair: (await this.store.repairById(found.id, tx))!, record: (await this.store.recordById(record.id, tx))! };
    });
    return (await this.repairViews([outcome.repair], new Map([[outcome.record.id, await this.view(outcome.record)]])))[0]!;
  }

  // Views

  private async staffActor(staff: SessionPrincipal): Promise<AuditActor> {
    const department = staff.departmentId ? await this.deps.identity.department(staff.departmentId) : undefined;
    return { type: 'staff', id: staff.staffId ?? undefined, label: `${department?.nameZh ?? ''} · ${staff.displayName}` };
  }

  private async departmentNames(ids: string[]): Promise<Map<string, { 'zh-CN': string; en: string }>> {
    const found = new Map((await this.deps.identity.departmentsByIds([...new Set(ids)])).map((d) => [d.id, d]));
    return new Map(ids.map((id) => [id, { 'zh-CN': found.get(id)?.nameZh ?? '', en: found.get(id)?.nameEn ?? '' }]));
  }

  private async view(row: RecordRow): Promise<RecordView> {
    return (await this.views([row]))[0]!;
  }

  private async views(rows: RecordRow[]): Promise<RecordView[]> {
    const names = await this.departmentNames(rows.map((r) => r.departmentId));
    const today = this.today();
    return rows.map((row) => ({
      id: row.id,
      category: row.category,
      severity: row.severity,
      subjectKind: row.subjectKind,
      uscc: row.uscc,
      subjectName: row.subjectName,
      idNumberMasked: row.idNumberEnc ? maskIdNumber(this.platform.vault.decrypt(row.idNumberEnc)) : null,
      departmentId: row.departmentId,
      departmentName: names.get(row.departmentId)!,
      title: row.title,
      content: row.content,
      legalBasis: row.legalBasis,
      documentNumber: row.documentNumber,
      decidedOn: row.decidedOn,
      effectiveFrom: row.effectiveFrom,
      effectiveTo: row.effectiveTo,
      publicFields: parsePublicFields(row.publicFields),
      publicUntil: row.publicUntil,
      isPublicNow: isPublicOn(row, today),
      status: row.status,
      repairedOn: row.repairedOn,
      repairableFrom: row.status === 'active' ? repairableFrom(row.category, row.severity, row.decidedOn, row.effectiveFrom) : null,
      source: row.source,
      applicationId: row.applicationId,
      createdAt: row.createdAt,
    }));
  }
}

/** How the store finds a record's subject: by person id or by USCC. */
const subjectKeyOf = (row: RecordRow): { uscc: string } | { personId: string } => (row.subjectKind === 'person' ? { personId: row.personId! } : { uscc: row.uscc! });

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The same rule as the public lookup's SQL (store.ts publicOn). */
export function isPublicOn(row: Pick<RecordRow, 'subjectKind' | 'category' | 'decidedOn' | 'effectiveFrom' | 'publicUntil'>, today: string): boolean {
  return row.subjectKind === 'enterprise' && publicStart(row.category, row.decidedOn, row.effectiveFrom) <= today && (row.publicUntil === null || row.publicUntil > today);
}

/** A record in force on `today`: not repaired, and inside its period (a listing's effective period, otherwise its public period). */
function inForce(row: RecordRow, today: string): boolean {
  if (row.status !== 'active' || row.effectiveFrom > today) return false;
  if (row.category === 'listing') return row.effectiveTo === null || row.effectiveTo >= today;
  return row.publicUntil === null || row.publicUntil > today;
}

export function standingOf(rows: RecordRow[], today: string, asOf: string): CreditStanding {
  const counts = { licences: 0, penalties: 0, honours: 0, commitmentsKept: 0, commitmentsBroken: 0 };
  let listed = false;
  let caution = false;
  for (const row of rows) {
    if (row.category === 'licence') counts.licences++;
    else if (row.category === 'penalty') counts.penalties++;
    else if (row.category === 'honour') counts.honours++;
    else if (row.category === 'commitmentKept') counts.commitmentsKept++;
    else if (row.category === 'commitmentBroken') counts.commitmentsBroken++;
    if (!inForce(row, today)) continue;
    if (row.category === 'listing') listed = true;
    if (row.category === 'penalty' || row.category === 'commitmentBroken') caution = true;
  }
  const status = listed ? 'listed' : caution ? 'caution' : 'good';
  return { status, listed, mayCommit: status === 'good', counts, asOf };
}

/** Only the always-public fields and those the department chose to publish; nothing else is even copied. */
export function publicRecordOf(row: RecordRow, departmentName: { 'zh-CN': string; en: string }): PublicRecord {
  const published = new Set(parsePublicFields(row.publicFields));
  const record: PublicRecord = { id: row.id, category: row.category, departmentName, decidedOn: row.decidedOn };
  if (row.severity) record.severity = row.severity;
  if (published.has('title')) record.title = row.title;
  if (published.has('content')) record.content = row.content;
  if (published.has('legalBasis')) record.legalBasis = row.legalBasis;
  if (published.has('documentNumber')) record.documentNumber = row.documentNumber;
  if (published.has('effectiveFrom')) record.effectiveFrom = row.effectiveFrom;
  if (published.has('effectiveTo')) record.effectiveTo = row.effectiveTo;
  return record;
}

function repairViewOf(repair: RepairRow): Omit<RepairView, 'record' | 'files'> {
  return {
    id: repair.id,
    recordId: repair.recordId,
    status: repair.status,
    reason: repair.reason,
    evidence: repair.evidence,
    appliedAt: repair.appliedAt,
    decisionReason: repair.decisionReason,
    decidedAt: repair.decidedAt,
  };
}
