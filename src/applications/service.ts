import { randomInt } from 'node:crypto';
import type { AuditEntry } from '../core/audit.js';
import type { SessionPrincipal } from '../core/auth.js';
import type { Tx } from '../core/db.js';
import { AppError, conflict, forbidden, invalid, notFound, type FieldProblem } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Platform } from '../core/platform.js';
import { commitmentTextOf } from '../catalog/model.js';
import type { ItemDefinition, ItemVersionView, LocalizedText, Material } from '../catalog/schema.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import type { CalendarService, DeadlineCalendar } from '../reference/calendar-service.js';
import { shanghaiDate } from '../reference/dates.js';
import { isWithin, NATIONWIDE_REGION_CODE, provinceOf } from '../reference/regions.js';
import { checkForm, isMaterialNeeded, type FormValues } from './form.js';
import type { GovernmentDataExchange, GovernmentDataRecord } from './government-data.js';
import type { CertificatePort, CertificateSnapshot, CreditPort, CreditStanding, FilePort, Holder, ItemSource, NotifierPort, StoredFile } from './ports.js';
import { ApplicationStore, type ApplicationEventRow, type ApplicationListRow, type ApplicationRow, type QueueFilters, type SupervisionOpenFilter } from './store.js';
import { DUE_SOON_DAYS, deadlines, pauseLength, type ClockState, type Deadlines } from './time-limits.js';
import {
  availableActions,
  checkTransition,
  CLOSED_STATUSES,
  type Action,
  type ApplicantAction,
  type ApplicationStatus,
  type OfficerAction,
} from './workflow.js';
import './messages.js';

/** How the applicant provides one material. */
export type MaterialInput = { fileIds: string[] } | { certificateId: string; consent: boolean } | { governmentData: true; consent: boolean } | { commitment: true };

/**
 * A credit commitment (信用承诺) made in place of a material: the words committed to, who made it
 * and when, and the applicant's credit standing at that moment. `broken` is set when the handling
 * department finds it false (the credit record it became is `recordId`).
 */
export interface CommitmentMaterial {
  kind: 'commitment';
  text: LocalizedText;
  committedAt: string;
  committedBy: { personId: string; name: string };
  /** Only whether the applicant could commit: the counts behind a standing are not every reader's to see. */
  standing: Pick<CreditStanding, 'status' | 'mayCommit'>;
  broken?: { at: string; decidedOn: string; reason: string; by: string; recordId: string };
}

export type ProvidedMaterial =
  | { kind: 'upload'; files: StoredFile[] }
  | { kind: 'certificate'; certificate: CertificateSnapshot; consentedAt: string }
  | { kind: 'governmentData'; record: GovernmentDataRecord; consentedAt: string }
  | CommitmentMaterial;

/** On a draft a chosen certificate is only a choice; it is shared with the department on submission. */
export type StoredMaterial = ProvidedMaterial | { kind: 'certificateChoice'; certificateId: string; consentedAt: string };

interface PreparedSubmission {
  values: FormValues;
  materials: Record<string, StoredMaterial>;
  problems: FieldProblem[];
  /** When commitments are made: the applicant's standing read again in the writing transaction. */
  standingIn?: (tx: Tx) => Promise<CreditStanding>;
}

export interface ApplicationInput {
  form?: Record<string, unknown>;
  materials?: Record<string, MaterialInput | null>;
}

export interface OfficerActionInput {
  opinion?: string;
  /** For a supplement request: every missing or wrong material and field, asked at once. */
  missing?: { materials?: string[]; fields?: string[] };
  procedure?: 'hearing' | 'expertReview' | 'inspection';
}

/** What the officer's credit panel shows: the applicant's standing now and the commitments made in this application. */
export interface ApplicantCredit {
  /** The counts of records only for the handling department; the collecting office sees the status alone. */
  standing: Omit<CreditStanding, 'counts'> & Partial<Pick<CreditStanding, 'counts'>>;
  /** The full credit record page for staff, when the credit capability has one. */
  recordPage: string | null;
  commitments: (CommitmentMaterial & { materialKey: string })[];
}

export interface ApplicationEventView {
  at: string;
  action: string;
  fromStatus: string;
  toStatus: string;
  actor: string;
  actorType: string;
  step: string | null;
  opinion: string | null;
  detail: Record<string, unknown> | null;
}

export interface ApplicationView {
  id: string;
  trackingNumber: string | null;
  status: ApplicationStatus;
  item: { id: string; versionId: string; version: number; name: { 'zh-CN': string; en: string }; departmentId: string; departmentName: { 'zh-CN': string; en: string }; regionCode: string };
  applicant: { personId: string; name: string; regionCode: string; enterpriseId: string | null; enterpriseName: string | null };
  collectingDepartmentId: string | null;
  collectedAt: string | null;
  bundleSubmissionId: string | null;
  form: FormValues;
  materials: Record<string, StoredMaterial>;
  supplementRequest: SupplementRequest | null;
  timeLimits: Deadlines & { unit: string; promisedDays: number; legalDays: number };
  decision: 'approved' | 'rejected' | null;
  decisionReason: string | null;
  certificateId: string | null;
  claimedByStaffId: string | null;
  submittedAt: string | null;
  concludedAt: string | null;
  createdAt: string;
  updatedAt: string;
  events: ApplicationEventView[];
  /** What the viewer may do now: officer actions for staff, applicant actions for the applicant. */
  actions: string[];
}

export interface SupplementRequest {
  requestedAt: string;
  materials: string[];
  fields: string[];
  note: string | null;
}

export interface QueueRow {
  id: string;
  trackingNumber: string | null;
  status: ApplicationStatus;
  itemName: { 'zh-CN': string; en: string };
  applicantName: string;
  submittedAt: string | null;
  promisedDueOn: string | null;
  legalDueOn: string | null;
  daysLeft: number | null;
  /** Whether days are working days or calendar days. */
  unit: 'workingDays' | 'calendarDays';
  flag: Deadlines['flag'];
  claimedByStaffId: string | null;
  collected: boolean;
}

const MAX_OPINION = 1000;
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const OPEN_STATUSES: ApplicationStatus[] = ['submitted', 'accepted', 'supplementRequested', 'underReview', 'specialProcedure', 'approved', 'rejected'];

export type BundleStatus = 'inProgress' | 'actionNeeded' | 'completed' | 'partlyRejected' | 'withdrawn';

export interface BundleSubmissionView {
  id: string;
  trackingNumber: string;
  bundleCode: string;
  name: { 'zh-CN': string; en: string };
  createdAt: string;
  status: BundleStatus;
  applications: (QueueRow & { departmentId: string; certificateId: string | null })[];
  certificateIds: string[];
}

/** One status for the whole bundle: the applicant's next move first, then how far it has come. */
export function combinedStatus(applications: { status: ApplicationStatus; decision: 'approved' | 'rejected' | null }[]): BundleStatus {
  const statuses = applications.map((a) => a.status);
  if (statuses.includes('supplementRequested')) return 'actionNeeded';
  if (statuses.length > 0 && statuses.every((s) => s === 'withdrawn')) return 'withdrawn';
  // A refusal stays visible after it is concluded: the bundle did not all come through.
  if (applications.some((a) => a.decision === 'rejected')) return 'partlyRejected';
  const finished = statuses.every((s) => s === 'concluded' || s === 'delivered' || s === 'withdrawn');
  return finished ? 'completed' : 'inProgress';
}

export class ApplicationService {
  readonly store: ApplicationStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: {
      items: ItemSource;
      identity: IdentityService;
      enterprises: EnterpriseService;
      calendar: CalendarService;
      certificates: CertificatePort;
      files: FilePort;
      notifier: NotifierPort;
      governmentData: GovernmentDataExchange;
      credit: CreditPort;
    },
  ) {
    this.store = new ApplicationStore(platform.db);
  }

  private now(): Date {
    return this.platform.clock.now();
  }

  private today(): string {
    return shanghaiDate(this.now());
  }

  // The applicant's side

  /**
   * Starts a draft for an item, prefilled from the applicant's real-name profile (and the
   * enterprise's, when applying for one), so that only what is new has to be typed.
   */
  async startDraft(principal: SessionPrincipal, input: { itemId: string; enterpriseId?: string | null; collectingDepartmentId?: string | null }): Promise<ApplicationView> {
    const row = await this.newApplicationRow(principal, input, null);
    await this.store.insert(this.platform.db, row);
    return this.view(row, principal);
  }

  private async newApplicationRow(
    principal: SessionPrincipal,
    input: { itemId: string; enterpriseId?: string | null; collectingDepartmentId?: string | null },
    idempotencyKey: string | null,
    item?: ItemVersionView,
  ): Promise<ApplicationRow> {
    const personId = requirePersonId(principal);
    item ??= (await this.deps.items.publishedItem(input.itemId)) ?? undefined;
    if (!item || item.status !== 'published') throw notFound('itemNotFound', 'applications.item.notFound');
    const person = await this.deps.identity.personById(personId);
    if (!person) throw forbidden('personOnly');
    if (person.realNameLevel < 2) throw forbidden('realNameLevelRequired', 'applications.realNameLevelRequired');
    let enterprise: { id: string; name: string; regionCode: string } | null = null;
    if (input.enterpriseId) {
      if (!item.definition.audiences.includes('enterprise')) throw invalid('audienceMismatch', [{ field: '/enterpriseId', message: 'applications.audience.personOnly' }]);
      const access = await this.deps.enterprises.authorize(principal, input.enterpriseId, 'applications');
      enterprise = { id: access.enterprise.id, name: access.enterprise.name, regionCode: access.enterprise.regionCode };
    } else if (!item.definition.audiences.includes('person')) {
      throw invalid('audienceMismatch', [{ field: '/enterpriseId', message: 'applications.audience.enterpriseOnly' }]);
    }
    const applicantRegion = enterprise?.regionCode ?? person.regionCode;
    this.checkCrossRegion(item, applicantRegion);
    const collectingDepartmentId = input.collectingDepartmentId ? await this.checkCollectingDepartment(item, input.collectingDepartmentId) : null;
    const nowIso = this.now().toISOString();
    const form = await this.prefill(item.definition, person, enterprise?.id ?? null);
    return {
      id: newId(),
      trackingNumber: null,
      itemId: item.itemId,
      itemVersionId: item.versionId,
      itemNameZh: item.definition.name['zh-CN'],
      itemNameEn: item.definition.name.en,
      departmentId: item.departmentId,
      regionCode: item.regionCode,
      collectingDepartmentId,
      collectedAt: null,
      bundleSubmissionId: null,
      applicantPersonId: personId,
      applicantName: enterprise?.name ?? person.name,
      applicantRegionCode: applicantRegion,
      enterpriseId: enterprise?.id ?? null,
      createdByAccountId: principal.accountId,
      idempotencyKey,
      status: 'draft',
      formData: this.platform.vault.encrypt(JSON.stringify(form)),
      materials: '{}',
      supplementRequest: null,
      resumeStatus: null,
      claimedByStaffId: null,
      timeUnit: item.definition.timeLimitUnit,
      promisedDays: item.definition.promisedLimitDays,
      legalDays: item.definition.legalLimitDays,
      clockStartedOn: null,
      clockPausedDays: 0,
      clockPausedSince: null,
      clockStoppedOn: null,
      promisedDueOn: null,
      legalDueOn: null,
      isOpen: 0,
      queueDue: NO_DEADLINE,
      decision: null,
      decisionReason: null,
      certificateId: null,
      submittedAt: null,
      concludedAt: null,
      createdAt: nowIso,
      updatedAt: nowIso,
      revision: 0,
    };
  }

  /**
   * 跨省通办: an item serves its own region and everything below it; beyond that only as far as its
   * cross-region scope reaches (the applicant's province, or the whole country).
   */
  private checkCrossRegion(item: ItemVersionView, applicantRegion: string): void {
    if (item.regionCode === NATIONWIDE_REGION_CODE || applicantRegion === item.regionCode || isWithin(applicantRegion, item.regionCode)) return;
    const scope = item.definition.crossRegion;
    if (scope === 'national') return;
    if (scope === 'province' && provinceOf(applicantRegion)?.code === provinceOf(item.regionCode)?.code) return;
    throw forbidden('crossRegionNotOffered', 'applications.crossRegion.notOffered');
  }

  /** 异地代收: a department elsewhere may take the application in, if the item allows it there. */
  private async checkCollectingDepartment(item: ItemVersionView, departmentId: string): Promise<string> {
    const field = [{ field: '/collectingDepartmentId', message: 'applications.collecting.notAllowed' as const }];
    if (!item.definition.collectElsewhere || item.definition.crossRegion === 'none') throw invalid('collectingNotAllowed', field);
    const department = await this.deps.identity.department(departmentId);
    if (!department || department.id === item.departmentId) throw invalid('collectingNotAllowed', field);
    if (item.definition.crossRegion === 'province' && provinceOf(department.regionCode)?.code !== provinceOf(item.regionCode)?.code) throw invalid('collectingNotAllowed', field);
    return department.id;
  }

  /**
   * What a form would be prefilled with for this applicant, before anything is created: the bundle
   * page shows the combined form with these answers, as a draft of a single item shows its own.
   */
  async prefillFor(principal: SessionPrincipal, fields: ItemDefinition['form']['fields'], enterpriseId?: string | null): Promise<FormValues> {
    const person = await this.deps.identity.personById(requirePersonId(principal));
    if (!person) throw forbidden('personOnly');
    if (enterpriseId) await this.deps.enterprises.authorize(principal, enterpriseId, 'applications');
    return this.prefill({ form: { fields } }, person, enterpriseId ?? null);
  }

  private async prefill(definition: Pick<ItemDefinition, 'form'>, person: NonNullable<Awaited<ReturnType<IdentityService['personById']>>>, enterpriseId: string | null): Promise<FormValues> {
    const values: FormValues = {};
    const enterprise = enterpriseId ? await this.deps.enterprises.registrationRecord(enterpriseId) : null;
    const facts = enterpriseId ? await this.deps.enterprises.factsFor(enterpriseId) : null;
    for (const field of definition.form.fields) {
      let value: string | number | null | undefined;
      switch (field.prefill) {
        case 'person.name':
          value = person.name;
          break;
        case 'person.idNumber':
          value = this.deps.identity.decryptIdNumber(person);
          break;
        case 'person.phone':
          value = this.deps.identity.decryptPhone(person);
          break;
        case 'person.regionCode':
          value = person.regionCode;
          break;
        case 'person.birthDate':
          value = person.birthDate;
          break;
        case 'enterprise.name':
          value = enterprise?.name;
          break;
        case 'enterprise.uscc':
          value = enterprise?.uscc;
          break;
        case 'enterprise.regionCode':
          value = enterprise?.regionCode;
          break;
        case 'enterprise.industryCode':
          value = enterprise?.industryCode;
          break;
        case 'enterprise.employees':
          value = facts?.employees;
          break;
        default:
          value = undefined;
      }
      if (value !== undefined && value !== null) values[field.key] = value;
    }
    return values;
  }

  /**
   * The applicant's own credit standing (the person's, or that of an enterprise they may apply
   * for), so the form offers a commitment only to those who may make one. Not a staff read.
   */
  async applicantStanding(principal: SessionPrincipal, enterpriseId?: string | null): Promise<CreditStanding> {
    const personId = requirePersonId(principal);
    if (enterpriseId) await this.deps.enterprises.authorize(principal, enterpriseId, 'applications');
    return this.deps.credit.standing(enterpriseId ? { enterpriseId } : { personId });
  }

  /** Saves answers and materials on a draft. Consent to reuse is recorded when it is submitted. */
  async saveDraft(principal: SessionPrincipal, applicationId: string, input: ApplicationInput): Promise<ApplicationView> {
    const row = await this.ownApplication(principal, applicationId);
    if (row.status !== 'draft') throw conflict('notDraft', 'applications.notDraft');
    const item = await this.itemVersion(row);
    const check = checkForm(item.definition.form.fields, this.mergedForm(row, input.form), { complete: false, today: this.today() });
    const prepared = await this.prepareMaterials(principal, row, item, input.materials ?? {});
    const problems = [...check.problems, ...prepared.problems];
    if (problems.length) throw invalid('formInvalid', problems, 'applications.form.invalid');
    await this.store.transaction(async (tx) => {
      await this.write(tx, row, {
        formData: this.platform.vault.encrypt(JSON.stringify(check.values)),
        materials: JSON.stringify(prepared.materials),
        updatedAt: this.now().toISOString(),
      });
      // Uploads kept on a draft belong to it, so the clean-up of abandoned uploads leaves them alone.
      await this.attachUploads(tx, row.id, prepared.materials);
    });
    return this.get(principal, applicationId);
  }

  /**
   * Submits a draft. Submitting again (a retried request, a double click) answers with the same
   * application and tracking number and changes nothing.
   */
  async submit(principal: SessionPrincipal, applicationId: string, input: ApplicationInput = {}): Promise<ApplicationView> {
    const row = await this.ownApplication(principal, applicationId);
    if (row.status !== 'draft') {
      if (row.trackingNumber) return this.view(row, principal);
      throw conflict('notDraft', 'applications.notDraft');
    }
    // A draft is not yet under way: it is submitted under the item as published now. The answers
    // are kept by key; whatever the new version asks in addition is reported like any gap.
    const item = await this.deps.items.publishedItem(row.itemId);
    if (!item || item.status !== 'published') throw conflict('itemWithdrawn', 'applications.item.withdrawn');
    if (item.versionId !== row.itemVersionId) Object.assign(row, versionColumns(item));
    const submission = await this.prepareSubmission(principal, row, item, input);
    await this.renewCommitments(principal, row, item, input, submission);
    if (submission.problems.length) throw invalid('applicationIncomplete', submission.problems, 'applications.incomplete');
    const audits: AuditEntry[] = [];
    await this.store.transaction(async (tx) => {
      await this.commitSubmission(tx, principal, row, submission, audits);
    });
    await this.recordAudits(audits);
    this.deps.notifier.deliverSoon();
    return this.get(principal, applicationId);
  }

  /**
   * Applies in one request: draft and submission at once. The Idempotency-Key makes a retry
   * return the application the first request created instead of creating a second one.
   */
  async apply(
    principal: SessionPrincipal,
    input: ApplicationInput & { itemId: string; enterpriseId?: string | null; collectingDepartmentId?: string | null },
    idempotencyKey: string,
  ): Promise<{ created: boolean; application: ApplicationView }> {
    const existing = await this.store.byIdempotencyKey(this.platform.db, principal.accountId, idempotencyKey);
    if (existing) return { created: false, application: await this.view(existing, principal) };
    const row = await this.newApplicationRow(principal, input, idempotencyKey);
    const audits: AuditEntry[] = [];
    try {
      const item = await this.itemVersion(row);
      const submission = await this.prepareSubmission(principal, row, item, input);
      if (submission.problems.length) throw invalid('applicationIncomplete', submission.problems, 'applications.incomplete');
      await this.store.transaction(async (tx) => {
        await this.store.insert(tx, row);
        await this.commitSubmission(tx, principal, row, submission, audits);
      });
    } catch (error) {
      // Two identical requests raced. The one that committed holds the key and has consumed the
      // uploads, so the other fails in any of several ways (unique key, file already attached);
      // a retry answers with the first one's application whatever the failure was.
      const winner = await this.store.byIdempotencyKey(this.platform.db, principal.accountId, idempotencyKey);
      if (winner) return { created: false, application: await this.view(winner, principal) };
      throw error;
    }
    await this.recordAudits(audits);
    this.deps.notifier.deliverSoon();
    return { created: true, application: await this.get(principal, row.id) };
  }

  private mergedForm(row: ApplicationRow, form: Record<string, unknown> | undefined): Record<string, unknown> {
    return { ...this.formOf(row), ...(form ?? {}) };
  }

  /**
   * Everything a submission needs that must be read first: the checked answers and the chosen
   * materials, with every problem at once. Reads happen here, outside the writing transaction
   * (SQLite has one connection, which the transaction holds).
   */
  private async prepareSubmission(principal: SessionPrincipal, row: ApplicationRow, item: ItemVersionView, input: ApplicationInput): Promise<PreparedSubmission> {
    const check = checkForm(item.definition.form.fields, this.mergedForm(row, input.form), { complete: true, today: this.today() });
    const prepared = await this.prepareMaterials(principal, row, item, input.materials ?? {});
    const problems: FieldProblem[] = [...check.problems, ...prepared.problems];
    for (const material of item.definition.materials) {
      if (isMaterialNeeded(material, check.values) && !prepared.materials[material.key] && !problems.some((p) => p.field === `/materials/${material.key}`)) {
        problems.push({ field: `/materials/${material.key}`, message: 'applications.material.missing', params: { name: material.name['zh-CN'] } });
      }
    }
    const commits = Object.values(prepared.materials).some((m) => m.kind === 'commitment' && !m.broken);
    return { values: check.values, materials: prepared.materials, problems, ...(commits ? { standingIn: await this.deps.credit.prepareStanding(holderOf(row)) } : {}) };
  }

  /**
   * A commitment chosen on a draft is made when the draft is submitted: the item (perhaps a newer
   * version) must still accept one and the applicant must still be in good standing, and the
   * standing recorded is the one at submission. A commitment for a material the item no longer
   * lists, or no longer needs given the answers, is dropped: there is nothing left for it to replace.
   */
  private async renewCommitments(principal: SessionPrincipal, row: ApplicationRow, item: ItemVersionView, input: ApplicationInput, submission: PreparedSubmission): Promise<void> {
    const byKey = new Map(item.definition.materials.map((m) => [m.key, m]));
    const standing = this.standingOnce(row);
    for (const [key, stored] of Object.entries(submission.materials)) {
      if (stored.kind !== 'commitment' || (input.materials && key in input.materials)) continue;
      const material = byKey.get(key);
      if (!material || !isMaterialNeeded(material, submission.values)) {
        delete submission.materials[key];
        continue;
      }
      try {
        submission.materials[key] = await this.prepareMaterial(principal, row, material, { commitment: true }, standing);
      } catch (error) {
        if (!(error instanceof AppError) || error.fields.length > 0 || error.status >= 500) throw error;
        delete submission.materials[key];
        submission.problems.push({ field: `/materials/${key}`, message: (error.detailKey ?? 'applications.material.invalid') as FieldProblem['message'], params: error.params });
      }
    }
  }

  private async commitSubmission(tx: Tx, principal: SessionPrincipal, row: ApplicationRow, submission: PreparedSubmission, audits: AuditEntry[]): Promise<void> {
    await this.recheckCommitments(tx, submission);
    const materials = await this.finishMaterials(tx, principal, row, submission.materials, () => true, audits);
    const nowIso = this.now().toISOString();
    const trackingNumber = this.newTrackingNumber(row.regionCode);
    await this.write(tx, row, {
      ...versionColumnsOf(row),
      status: 'submitted',
      trackingNumber,
      formData: this.platform.vault.encrypt(JSON.stringify(submission.values)),
      materials: JSON.stringify(materials),
      submittedAt: nowIso,
      updatedAt: nowIso,
    });
    await this.attachUploads(tx, row.id, materials);
    await this.recordEvent(tx, row.id, 'submit', 'draft', 'submitted', this.personActor(principal), null, null, null);
    await this.notify(tx, row, 'submitted', { trackingNumber });
  }

  /**
   * The standing was read before the transaction; a penalty or listing recorded meanwhile must not
   * let a commitment through. Read again where the submission is written, and recorded as it is now.
   */
  private async recheckCommitments(tx: Tx, submission: PreparedSubmission): Promise<void> {
    const keys = Object.entries(submission.materials).flatMap(([key, m]) => (m.kind === 'commitment' && !m.broken ? [key] : []));
    if (!keys.length || !submission.standingIn) return;
    const standing = await submission.standingIn(tx);
    if (!standing.mayCommit) {
      const message = standing.status === 'listed' ? 'applications.commitment.listed' : 'applications.commitment.notInGoodStanding';
      throw invalid('applicationIncomplete', keys.map((key) => ({ field: `/materials/${key}`, message })), 'applications.incomplete');
    }
    for (const key of keys) {
      const made = submission.materials[key] as CommitmentMaterial;
      submission.materials[key] = { ...made, standing: { status: standing.status, mayCommit: standing.mayCommit } };
    }
  }

  private async attachUploads(tx: Tx, applicationId: string, materials: Record<string, StoredMaterial>): Promise<void> {
    const fileIds = Object.values(materials).flatMap((m) => (m.kind === 'upload' ? m.files.map((f) => f.id) : []));
    if (fileIds.length) await this.deps.files.attach(tx, fileIds, applicationId);
  }

  /**
   * Checks what the applicant chose for each material: their own uploads of an accepted type and
   * size, a certificate they hold and may reuse, or a record the government holds. Reuse needs the
   * applicant's explicit consent. Returns the materials as they stand after the choices.
   */
  private async prepareMaterials(
    principal: SessionPrincipal,
    row: ApplicationRow,
    item: ItemVersionView,
    input: Record<string, MaterialInput | null>,
  ): Promise<{ materials: Record<string, StoredMaterial>; problems: FieldProblem[] }> {
    const materials: Record<string, StoredMaterial> = { ...(JSON.parse(row.materials) as Record<string, StoredMaterial>) };
    const problems: FieldProblem[] = [];
    const byKey = new Map(item.definition.materials.map((m) => [m.key, m]));
    const standing = this.standingOnce(row);
    for (const [key, choice] of Object.entries(input)) {
      const material = byKey.get(key);
      const pointer = `/materials/${key}`;
      if (!material) {
        problems.push({ field: pointer, message: 'applications.material.unknown' });
        continue;
      }
      if (choice === null) {
        delete materials[key];
        continue;
      }
      try {
        materials[key] = await this.prepareMaterial(principal, row, material, choice, standing);
      } catch (error) {
        if (error instanceof AppError && error.fields.length === 0 && error.status < 500) {
          problems.push({ field: pointer, message: (error.detailKey ?? 'applications.material.invalid') as FieldProblem['message'], params: error.params });
        } else throw error;
      }
    }
    return { materials, problems };
  }

  /** The applicant's credit standing, read at most once however many materials a request commits to. */
  private standingOnce(row: ApplicationRow): () => Promise<CreditStanding> {
    let read: Promise<CreditStanding> | undefined;
    return () => (read ??= this.deps.credit.standing(holderOf(row)));
  }

  private async prepareMaterial(principal: SessionPrincipal, row: ApplicationRow, material: Material, choice: MaterialInput, standing: () => Promise<CreditStanding>): Promise<StoredMaterial> {
    const consentedAt = this.now().toISOString();
    if ('commitment' in choice) return this.prepareCommitment(principal, material, standing);
    if ('fileIds' in choice) {
      if (!material.uploadAllowed) throw new AppError(422, 'uploadNotAccepted', 'error.validation.title', 'applications.material.uploadNotAccepted');
      if (choice.fileIds.length === 0 || choice.fileIds.length > 10) throw new AppError(422, 'fileCount', 'error.validation.title', 'applications.material.fileCount');
      const files: StoredFile[] = [];
      for (const fileId of choice.fileIds) {
        const file = await this.deps.files.ownUpload(principal.accountId, fileId);
        if (!file) throw new AppError(422, 'fileNotFound', 'error.validation.title', 'applications.material.fileNotFound');
        if (!(material.acceptedTypes as string[]).includes(file.type)) throw new AppError(422, 'fileType', 'error.validation.title', 'applications.material.fileType', { types: material.acceptedTypes.join(', ').toUpperCase() });
        if (file.size > material.maxSizeMb * 1024 * 1024) throw new AppError(422, 'fileSize', 'error.validation.title', 'applications.material.fileSize', { max: material.maxSizeMb });
        files.push({ id: file.id, sha256: file.sha256, type: file.type, size: file.size, filename: file.filename });
      }
      return { kind: 'upload', files };
    }
    if (!choice.consent) throw new AppError(422, 'consentRequired', 'error.validation.title', 'applications.material.consentRequired');
    if ('certificateId' in choice) {
      if (material.source !== 'certificate' || !material.certificateType) throw new AppError(422, 'reuseNotOffered', 'error.validation.title', 'applications.material.reuseNotOffered');
      const reusable = await this.deps.certificates.findReusable(holderOf(row), material.certificateType);
      if (!reusable.some((c) => c.id === choice.certificateId)) throw new AppError(422, 'certificateNotReusable', 'error.validation.title', 'applications.material.certificateNotReusable');
      return { kind: 'certificateChoice', certificateId: choice.certificateId, consentedAt };
    }
    if (material.source !== 'governmentData' || !material.dataset) throw new AppError(422, 'reuseNotOffered', 'error.validation.title', 'applications.material.reuseNotOffered');
    const record = await this.deps.governmentData.fetch(material.dataset, { personId: row.applicantPersonId, enterpriseId: row.enterpriseId }, this.now());
    if (!record) throw new AppError(422, 'governmentDataNotHeld', 'error.validation.title', 'applications.material.notHeld');
    return { kind: 'governmentData', record, consentedAt };
  }

  /**
   * 信用承诺: the item must accept a commitment for this material, and the applicant (the person, or
   * the enterprise applied for) must be in good standing; otherwise the material must be provided.
   */
  private async prepareCommitment(principal: SessionPrincipal, material: Material, standingOf: () => Promise<CreditStanding>): Promise<CommitmentMaterial> {
    const text = commitmentTextOf(material);
    if (!text) throw new AppError(422, 'commitmentNotOffered', 'error.validation.title', 'applications.commitment.notOffered');
    const standing = await standingOf();
    if (!standing.mayCommit) {
      throw new AppError(422, 'commitmentNotInGoodStanding', 'error.validation.title', standing.status === 'listed' ? 'applications.commitment.listed' : 'applications.commitment.notInGoodStanding');
    }
    return {
      kind: 'commitment',
      text,
      committedAt: this.now().toISOString(),
      committedBy: { personId: requirePersonId(principal), name: principal.displayName },
      standing: { status: standing.status, mayCommit: standing.mayCommit },
    };
  }

  /**
   * In the submitting transaction: a chosen certificate becomes a snapshot shared with the
   * handling department, and each reuse the applicant consented to is recorded with that
   * department, so the consent exists exactly when the application does.
   */
  private async finishMaterials(
    tx: Tx,
    principal: SessionPrincipal,
    row: ApplicationRow,
    stored: Record<string, StoredMaterial>,
    recordConsentFor: (key: string) => boolean,
    audits: AuditEntry[],
  ): Promise<Record<string, ProvidedMaterial>> {
    const result: Record<string, ProvidedMaterial> = {};
    for (const [key, material] of Object.entries(stored)) {
      let provided: ProvidedMaterial;
      if (material.kind === 'certificateChoice') {
        const certificate = await this.deps.certificates.useAsMaterial(tx, {
          certificateId: material.certificateId,
          holder: holderOf(row),
          departmentId: row.departmentId,
          applicationId: row.id,
          consentedByPersonId: requirePersonId(principal),
        });
        provided = { kind: 'certificate', certificate, consentedAt: material.consentedAt };
      } else {
        provided = material;
      }
      if (provided.kind !== 'upload' && provided.kind !== 'commitment' && recordConsentFor(key)) await this.recordConsent(tx, row, key, provided, audits);
      result[key] = provided;
    }
    return result;
  }

  private async recordConsent(tx: Tx, row: ApplicationRow, materialKey: string, provided: ProvidedMaterial, audits: AuditEntry[]): Promise<void> {
    if (provided.kind === 'upload' || provided.kind === 'commitment') return;
    const reference = provided.kind === 'certificate' ? provided.certificate.certificateId : provided.record.dataset;
    await this.store.addConsent(tx, {
      id: newId(),
      applicationId: row.id,
      personId: row.applicantPersonId,
      materialKey,
      source: provided.kind,
      reference,
      departmentId: row.departmentId,
      consentedAt: provided.consentedAt,
    });
    audits.push({
      action: 'consent.dataReuse',
      actor: { type: 'person', id: row.applicantPersonId },
      subjectPersonId: row.applicantPersonId,
      ...(row.enterpriseId ? { subjectEnterpriseId: row.enterpriseId } : {}),
      purpose: `application ${row.id}`,
      detail: { materialKey, source: provided.kind, reference, departmentId: row.departmentId },
    });
  }

  /**
   * The audit trail's copy of consents, appended after the commit that recorded them in
   * `application_consents` (group-committed with other requests' events): appending inside the
   * submission would hold the trail's lock through every submission's commit.
   */
  private async recordAudits(audits: AuditEntry[]): Promise<void> {
    await Promise.all(audits.map((entry) => this.platform.audit.record(entry)));
  }

  /** Answers a supplement request in one go: the clock resumes from where it stopped. */
  async supplement(principal: SessionPrincipal, applicationId: string, input: ApplicationInput): Promise<ApplicationView> {
    const row = await this.ownApplication(principal, applicationId);
    const item = await this.itemVersion(row);
    this.assertApplicantTransition('supplement', row, item);
    const request = row.supplementRequest ? (JSON.parse(row.supplementRequest) as SupplementRequest) : null;
    const submission = await this.prepareSubmission(principal, row, item, input);
    const problems = [...submission.problems];
    // The notice lists what to supplement: all of it must come, and nothing else may change.
    for (const key of request?.materials ?? []) {
      // Removing a requested material (null) does not supply it.
      if (!input.materials?.[key]) problems.push({ field: `/materials/${key}`, message: 'applications.supplement.materialNeeded' });
    }
    for (const key of request?.fields ?? []) {
      const given = input.form?.[key];
      if (given === undefined || given === null || (typeof given === 'string' && given.trim() === '')) problems.push({ field: `/form/${key}`, message: 'applications.supplement.fieldNeeded' });
    }
    for (const [key, choice] of Object.entries(input.materials ?? {})) {
      if (!request?.materials.includes(key)) problems.push({ field: `/materials/${key}`, message: 'applications.supplement.notRequested' });
      // The department asks for the material itself: a commitment does not answer a supplement request.
      else if (choice && 'commitment' in choice) problems.unshift({ field: `/materials/${key}`, message: 'applications.commitment.notInSupplement' });
    }
    for (const key of Object.keys(input.form ?? {})) {
      if (!request?.fields.includes(key)) problems.push({ field: `/form/${key}`, message: 'applications.supplement.notRequested' });
    }
    if (problems.length) throw invalid('supplementIncomplete', uniqueProblems(problems), 'applications.supplement.incomplete');
    const calendar = await this.deps.calendar.deadlineCalendar();
    const to = (row.resumeStatus ?? 'submitted') as ApplicationStatus;
    const clock = this.resumeClock(calendar, row);
    const due = this.dueDates(calendar, { ...row, ...clock });
    const changedMaterials = new Set(Object.keys(input.materials ?? {}));
    const audits: AuditEntry[] = [];
    await this.store.transaction(async (tx) => {
      const materials = await this.finishMaterials(tx, principal, row, submission.materials, (key) => changedMaterials.has(key), audits);
      await this.write(tx, row, {
        status: to,
        resumeStatus: null,
        supplementRequest: null,
        formData: this.platform.vault.encrypt(JSON.stringify(submission.values)),
        materials: JSON.stringify(materials),
        ...clock,
        ...due,
        updatedAt: this.now().toISOString(),
      });
      await this.attachUploads(tx, row.id, materials);
      await this.recordEvent(tx, row.id, 'supplement', row.status, to, this.personActor(principal), null, null, { materials: [...changedMaterials], fields: Object.keys(input.form ?? {}) });
      await this.notify(tx, row, 'supplemented', { trackingNumber: row.trackingNumber ?? '' });
    });
    await this.recordAudits(audits);
    this.deps.notifier.deliverSoon();
    return this.get(principal, applicationId);
  }

  async withdraw(principal: SessionPrincipal, applicationId: string, reason?: string): Promise<ApplicationView> {
    const row = await this.ownApplication(principal, applicationId);
    const item = await this.itemVersion(row);
    this.assertApplicantTransition('withdraw', row, item);
    const calendar = await this.deps.calendar.deadlineCalendar();
    const clock = { ...this.resumeClock(calendar, row), clockStoppedOn: row.clockStartedOn ? this.today() : null };
    await this.store.transaction(async (tx) => {
      await this.write(tx, row, { status: 'withdrawn', ...clock, supplementRequest: null, updatedAt: this.now().toISOString() });
      await this.recordEvent(tx, row.id, 'withdraw', row.status, 'withdrawn', this.personActor(principal), null, cleanOpinion(reason), null);
      await this.notify(tx, row, 'withdrawn', { trackingNumber: row.trackingNumber ?? '' });
    });
    this.deps.notifier.deliverSoon();
    return this.get(principal, applicationId);
  }

  private assertApplicantTransition(action: ApplicantAction, row: ApplicationRow, item: ItemVersionView): void {
    const check = checkTransition(action, row.status, { steps: item.definition.flow.steps, resumeStatus: row.resumeStatus });
    if (!check.ok) throw illegalTransition(action, row.status);
  }

  /** The applicant's own applications and those of the enterprises they act for. */
  async listMine(principal: SessionPrincipal): Promise<QueueRow[]> {
    const personId = requirePersonId(principal);
    const enterprises = await this.deps.enterprises.myEnterprises(principal);
    const enterpriseIds = enterprises.filter((e) => e.role === 'legalRepresentative' || e.scopes.includes('applications')).map((e) => e.id);
    const rows = await this.store.forApplicant(personId, enterpriseIds, 200);
    const calendar = await this.deps.calendar.deadlineCalendar();
    return rows.map((row) => this.queueRow(calendar, row));
  }

  // Reading

  /**
   * One application, for whoever may see it: the applicant (or an agent of the enterprise that
   * applied), or staff of the handling or collecting department. Staff reads of the applicant's
   * personal data are written to the audit trail, where the applicant sees them. Everyone else
   * gets 404, and the attempt is audited.
   */
  async get(principal: SessionPrincipal, applicationId: string, purpose?: string | ((trackingNumber: string) => string)): Promise<ApplicationView> {
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (principal.staffId) {
      if (!this.staffMaySee(principal, row)) return this.refuse(principal, row);
      const department = principal.departmentId ? await this.deps.identity.department(principal.departmentId) : undefined;
      await this.platform.audit.record({
        action: 'personalData.read',
        actor: { type: 'staff', id: principal.staffId, label: `${department?.nameZh ?? ''} · ${principal.displayName}` },
        subjectPersonId: row.applicantPersonId,
        ...(row.enterpriseId ? { subjectEnterpriseId: row.enterpriseId } : {}),
        purpose: typeof purpose === 'function' ? purpose(row.trackingNumber ?? row.id) : (purpose ?? `application ${row.trackingNumber ?? row.id}`),
        detail: { applicationId: row.id, fields: ['form', 'materials'] },
      });
      return this.view(row, principal);
    }
    if (!(await this.applicantMaySee(principal, row))) return this.refuse(principal, row);
    return this.view(row, principal);
  }

  private staffMaySee(principal: SessionPrincipal, row: ApplicationRow): boolean {
    if (row.status === 'draft') return false;
    if (!principal.roles.some((role) => role === 'officer' || role === 'approver')) return false;
    return principal.departmentId === row.departmentId || (row.collectingDepartmentId !== null && principal.departmentId === row.collectingDepartmentId);
  }

  private async applicantMaySee(principal: SessionPrincipal, row: ApplicationRow): Promise<boolean> {
    if (!principal.personId) return false;
    if (!row.enterpriseId) return row.applicantPersonId === principal.personId;
    try {
      await this.deps.enterprises.authorize(principal, row.enterpriseId, 'applications');
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  }

  /** A refused attempt, audited against the application's applicant (and enterprise) so that they see it; 404 either way. */
  private async refuse(principal: SessionPrincipal, application: string | Pick<ApplicationRow, 'id' | 'applicantPersonId' | 'enterpriseId'>): Promise<never> {
    const applicationId = typeof application === 'string' ? application : application.id;
    await this.platform.audit.record({
      action: 'application.accessDenied',
      actor: { type: principal.staffId ? 'staff' : 'person', id: principal.staffId ?? principal.personId ?? undefined, label: principal.displayName },
      ...(typeof application === 'string' ? {} : subjectsOfRow(application)),
      outcome: 'denied',
      detail: { applicationId },
    });
    throw notFound('applicationNotFound', 'applications.notFound');
  }

  /** Whom an application concerns, for auditing a refused attempt on something attached to it; reads no personal data. */
  async subjectsOf(applicationId: string): Promise<{ subjectPersonId?: string; subjectEnterpriseId?: string }> {
    const row = await this.store.byId(applicationId);
    return row ? subjectsOfRow(row) : {};
  }

  private async ownApplication(principal: SessionPrincipal, applicationId: string): Promise<ApplicationRow> {
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (principal.staffId || !(await this.applicantMaySee(principal, row))) return this.refuse(principal, row);
    return row;
  }

  private async itemVersion(row: Pick<ApplicationRow, 'itemVersionId'>): Promise<ItemVersionView> {
    const item = await this.deps.items.version(row.itemVersionId);
    if (!item) throw new Error(`item version ${row.itemVersionId} is missing`);
    return item;
  }

  private formOf(row: ApplicationRow): FormValues {
    return JSON.parse(this.platform.vault.decrypt(row.formData)) as FormValues;
  }

  async view(row: ApplicationRow, viewer: SessionPrincipal): Promise<ApplicationView> {
    const [item, events, calendar] = await Promise.all([this.itemVersion(row), this.store.events(row.id), this.deps.calendar.deadlineCalendar()]);
    const flow = { steps: item.definition.flow.steps, resumeStatus: row.resumeStatus };
    let actions: string[];
    if (viewer.staffId) {
      actions = viewer.departmentId === row.departmentId ? availableActions(row.status, flow, viewer.roles) : [];
      if (viewer.departmentId === row.collectingDepartmentId && row.status === 'submitted' && !row.collectedAt) actions = ['forward'];
      if (viewer.departmentId === row.departmentId && row.collectingDepartmentId && !row.collectedAt) actions = actions.filter((a) => a !== 'accept');
    } else {
      actions = (['submit', 'supplement', 'withdraw'] as const).filter((a) => checkTransition(a, row.status, flow).ok);
    }
    return {
      id: row.id,
      trackingNumber: row.trackingNumber,
      status: row.status,
      item: { id: item.itemId, versionId: item.versionId, version: item.version, name: item.definition.name, departmentId: item.departmentId, departmentName: item.departmentName, regionCode: item.regionCode },
      applicant: { personId: row.applicantPersonId, name: row.applicantName, regionCode: row.applicantRegionCode, enterpriseId: row.enterpriseId, enterpriseName: row.enterpriseId ? row.applicantName : null },
      collectingDepartmentId: row.collectingDepartmentId,
      collectedAt: row.collectedAt,
      bundleSubmissionId: row.bundleSubmissionId,
      form: this.formOf(row),
      materials: JSON.parse(row.materials) as Record<string, StoredMaterial>,
      supplementRequest: row.supplementRequest ? (JSON.parse(row.supplementRequest) as SupplementRequest) : null,
      timeLimits: { ...deadlines(calendar, clockOf(row), this.today()), unit: row.timeUnit, promisedDays: row.promisedDays, legalDays: row.legalDays },
      decision: row.decision,
      decisionReason: row.decisionReason,
      certificateId: row.certificateId,
      claimedByStaffId: row.claimedByStaffId,
      submittedAt: row.submittedAt,
      concludedAt: row.concludedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      events: events.map(eventView),
      actions,
    };
  }

  // The officer's side

  /** The department's queue, least time left first. */
  async queue(principal: SessionPrincipal, filters: { status?: ApplicationStatus; due?: 'soon' | 'overdue'; itemId?: string; mine?: boolean; trackingNumber?: string; limit?: number; offset?: number }) {
    const departmentId = this.officerDepartment(principal);
    const calendar = await this.deps.calendar.deadlineCalendar();
    const today = this.today();
    const query: QueueFilters = {
      departmentId,
      open: filters.status ? OPEN_STATUSES.includes(filters.status) : true,
      ...(filters.status ? { statuses: [filters.status] } : {}),
      limit: Math.min(filters.limit ?? 50, 200),
      offset: filters.offset ?? 0,
    };
    if (filters.due === 'overdue') query.dueOnOrBefore = previousDay(today);
    if (filters.due === 'soon') query.dueOnOrBefore = calendar.calendar.addWorkingDays(today, 2);
    if (filters.itemId) query.itemId = filters.itemId;
    if (filters.mine && principal.staffId) query.claimedByStaffId = principal.staffId;
    if (filters.trackingNumber) query.trackingNumber = filters.trackingNumber;
    const { rows, total } = await this.store.queue(query);
    return { total, items: rows.map((row) => this.queueRow(calendar, row)) };
  }

  /** Applications this department took in for other regions (异地代收). */
  async collected(principal: SessionPrincipal) {
    const departmentId = this.officerDepartment(principal);
    const calendar = await this.deps.calendar.deadlineCalendar();
    return (await this.store.collectedBy(departmentId, 100)).map((row) => this.queueRow(calendar, row));
  }

  private officerDepartment(principal: SessionPrincipal): string {
    if (!principal.departmentId || !principal.roles.some((role) => role === 'officer' || role === 'approver')) throw forbidden('roleRequired');
    return principal.departmentId;
  }

  private queueRow(calendar: DeadlineCalendar, row: ApplicationListRow): QueueRow {
    const limits = deadlines(calendar, clockOf(row), this.today());
    return {
      id: row.id,
      trackingNumber: row.trackingNumber,
      status: row.status,
      itemName: { 'zh-CN': row.itemNameZh, en: row.itemNameEn },
      applicantName: row.applicantName,
      submittedAt: row.submittedAt,
      promisedDueOn: limits.promisedDue,
      legalDueOn: limits.legalDue,
      daysLeft: limits.daysLeft,
      unit: row.timeUnit,
      flag: limits.flag,
      claimedByStaffId: row.claimedByStaffId,
      collected: Boolean(row.collectedAt),
    };
  }

  /** An officer takes an application into their own hands; anyone of the department can still see it. */
  async claim(principal: SessionPrincipal, applicationId: string): Promise<ApplicationView> {
    const departmentId = this.officerDepartment(principal);
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (row.departmentId !== departmentId || row.status === 'draft') return this.refuse(principal, row);
    if (CLOSED_STATUSES.includes(row.status)) throw illegalTransition('claim', row.status);
    const actor = await this.staffActor(principal);
    await this.store.transaction(async (tx) => {
      await this.write(tx, row, { claimedByStaffId: principal.staffId, updatedAt: this.now().toISOString() });
      await this.recordEvent(tx, row.id, 'claim', row.status, row.status, actor, null, null, null);
    });
    return this.get(principal, applicationId);
  }

  /**
   * An officer's action on an application. The item's flow decides which roles may take it; an
   * action the current status does not allow is a 409 conflict. Every step records who, when and
   * the opinion; the applicant is notified.
   */
  async act(principal: SessionPrincipal, applicationId: string, action: OfficerAction, input: OfficerActionInput = {}): Promise<ApplicationView> {
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (!this.staffMaySee(principal, row)) return this.refuse(principal, row);
    const item = await this.itemVersion(row);
    const flow = { steps: item.definition.flow.steps, resumeStatus: row.resumeStatus };
    const opinion = cleanOpinion(input.opinion);

    if (action === 'forward') return this.forward(principal, row, opinion);
    if (principal.departmentId !== row.departmentId) throw forbidden('notHandlingDepartment', 'applications.notHandlingDepartment');
    const check = checkTransition(action, row.status, flow, principal.roles);
    if (!check.ok) {
      if (check.reason === 'roleNotInStep') throw forbidden('roleNotInStep', 'applications.roleNotInStep');
      throw illegalTransition(action, row.status);
    }
    if (action === 'accept' && row.collectingDepartmentId && !row.collectedAt) throw conflict('notYetForwarded', 'applications.notYetForwarded');
    if ((action === 'reject' || action === 'refuse' || action === 'requestSupplement') && !opinion) {
      throw invalid('opinionRequired', [{ field: '/opinion', message: 'applications.opinion.required' }]);
    }
    if (action === 'requestSupplement' && (await this.store.events(row.id)).some((event) => event.action === 'requestSupplement' && !causedByBreach(event))) {
      // 一次性告知: what is missing is asked for once, all of it. A breach's demand for the material does not use that once up.
      throw conflict('supplementAlreadyRequested', 'applications.supplement.alreadyRequested');
    }
    const supplementRequest = action === 'requestSupplement' ? this.supplementRequestOf(item.definition, input, opinion) : null;

    const calendar = await this.deps.calendar.deadlineCalendar();
    const today = this.today();
    const nowIso = this.now().toISOString();
    const to = check.to;
    let changes: Partial<ApplicationRow> = { status: to, updatedAt: nowIso };
    switch (action) {
      case 'accept':
        changes.clockStartedOn = row.clockStartedOn ?? today;
        break;
      case 'requestSupplement':
        changes.supplementRequest = JSON.stringify(supplementRequest);
        changes.resumeStatus = row.status;
        if (row.clockStartedOn && !row.clockPausedSince) changes.clockPausedSince = today;
        break;
      case 'startSpecialProcedure':
        changes.clockPausedSince = today;
        break;
      case 'endSpecialProcedure':
        changes = { ...changes, ...this.resumeClock(calendar, row) };
        break;
      case 'approve':
      case 'reject':
      case 'refuse':
        changes.decision = action === 'approve' ? 'approved' : 'rejected';
        changes.decisionReason = opinion;
        break;
      default:
        break;
    }
    if (to === 'concluded' && !row.concludedAt) {
      changes.concludedAt = nowIso;
      changes.clockStoppedOn = row.clockStartedOn || changes.clockStartedOn ? today : null;
    }
    const merged = { ...row, ...changes } as ApplicationRow;
    changes = { ...changes, ...this.dueDates(calendar, merged) };

    const actor = await this.staffActor(principal);
    await this.store.transaction(async (tx) => {
      if (action === 'approve' && item.definition.result.certificateType) {
        const certificate = await this.issueCertificate(tx, row, item);
        changes.certificateId = certificate.id;
      }
      await this.write(tx, row, changes);
      const detail: Record<string, unknown> | null =
        action === 'requestSupplement' ? { ...supplementRequest } : action === 'startSpecialProcedure' ? { procedure: input.procedure ?? 'inspection' } : null;
      await this.recordEvent(tx, row.id, action, row.status, to, actor, check.step, opinion, detail);
      await this.notify(tx, row, action, { trackingNumber: row.trackingNumber ?? '' });
    });
    this.deps.notifier.deliverSoon();
    return this.get(principal, applicationId, `application ${row.trackingNumber} ${action}`);
  }

  /**
   * The applicant's credit standing for the officer's panel, with the commitments made in this
   * application. A staff read of the applicant's credit data: audited like the application itself,
   * against the person or the enterprise the standing is about.
   */
  async applicantCredit(principal: SessionPrincipal, applicationId: string): Promise<ApplicantCredit> {
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (!principal.staffId || !this.staffMaySee(principal, row)) return this.refuse(principal, row);
    const holder = holderOf(row);
    const [{ counts, ...status }, recordPage, actor] = await Promise.all([this.deps.credit.standing(holder), this.deps.credit.recordPage(holder), this.staffActor(principal)]);
    // The counts tell of other departments' records: only the department deciding the application sees them.
    const handling = principal.departmentId === row.departmentId;
    const standing = handling ? { ...status, counts } : status;
    await this.platform.audit.record({
      action: 'personalData.read',
      actor: { type: 'staff', id: principal.staffId, label: actor.label },
      ...(row.enterpriseId ? { subjectEnterpriseId: row.enterpriseId } : { subjectPersonId: row.applicantPersonId }),
      purpose: `credit standing for application ${row.trackingNumber ?? row.id}`,
      detail: { applicationId: row.id, fields: handling ? ['creditStanding', 'creditCounts'] : ['creditStanding'] },
    });
    const commitments = Object.entries(JSON.parse(row.materials) as Record<string, StoredMaterial>).flatMap(([materialKey, m]) => (m.kind === 'commitment' ? [{ ...m, materialKey }] : []));
    return { standing, recordPage: handling ? recordPage : null, commitments };
  }

  /**
   * The handling department found a commitment false (承诺不实): the breach becomes a credit record
   * of the applicant, in the same transaction as the application's event. On an open application
   * the department may at once require the material itself (`requireMaterial`): a supplement
   * request listing it, allowed even after an earlier supplement request, since the breach is a new
   * fact. The applicant is notified.
   */
  async recordBrokenCommitment(principal: SessionPrincipal, applicationId: string, materialKey: string, input: { reason: string; requireMaterial?: boolean }): Promise<ApplicationView> {
    const row = await this.store.byId(applicationId);
    if (!row) throw notFound('applicationNotFound', 'applications.notFound');
    if (!principal.staffId || !this.staffMaySee(principal, row)) return this.refuse(principal, row);
    if (principal.departmentId !== row.departmentId) throw forbidden('notHandlingDepartment', 'applications.notHandlingDepartment');
    const materials = JSON.parse(row.materials) as Record<string, StoredMaterial>;
    const commitment = materials[materialKey];
    if (!commitment || commitment.kind !== 'commitment') throw notFound('commitmentNotFound', 'applications.commitment.notFound');
    if (commitment.broken) throw conflict('commitmentAlreadyBroken', 'applications.commitment.alreadyBroken');
    if (row.status === 'withdrawn') throw conflict('commitmentApplicationWithdrawn', 'applications.commitment.withdrawn');
    const reason = cleanOpinion(input.reason);
    if (!reason) throw invalid('reasonRequired', [{ field: '/reason', message: 'applications.commitment.reasonRequired' }]);
    const item = await this.itemVersion(row);
    const flow = { steps: item.definition.flow.steps, resumeStatus: row.resumeStatus };
    let supplement: { request: SupplementRequest; step: string | null } | null = null;
    if (input.requireMaterial) {
      const check = checkTransition('requestSupplement', row.status, flow, principal.roles);
      if (!check.ok) {
        if (check.reason === 'roleNotInStep') throw forbidden('roleNotInStep', 'applications.roleNotInStep');
        throw conflict('cannotRequireMaterial', 'applications.commitment.cannotRequire', { status: `{applications.status.${row.status}}` }, [{ field: '/requireMaterial', message: 'applications.commitment.cannotRequire', params: { status: `{applications.status.${row.status}}` } }]);
      }
      supplement = { request: { requestedAt: this.now().toISOString(), materials: [materialKey], fields: [], note: reason }, step: check.step };
    }
    const [write, actor, calendar] = await Promise.all([this.deps.credit.prepareBrokenCommitment(holderOf(row)), this.staffActor(principal), this.deps.calendar.deadlineCalendar()]);
    const nowIso = this.now().toISOString();
    const today = this.today();
    await this.store.transaction(async (tx) => {
      const { recordId } = await write(tx, {
        holder: holderOf(row),
        holderName: row.applicantName,
        departmentId: row.departmentId,
        applicationId: row.id,
        trackingNumber: row.trackingNumber ?? row.id,
        materialKey,
        reason,
        decidedOn: today,
        actor: { staffId: principal.staffId!, label: actor.label },
      });
      materials[materialKey] = { ...commitment, broken: { at: nowIso, decidedOn: today, reason, by: actor.label, recordId } };
      let changes: Partial<ApplicationRow> = { materials: JSON.stringify(materials), updatedAt: nowIso };
      if (supplement) {
        changes = { ...changes, status: 'supplementRequested', supplementRequest: JSON.stringify(supplement.request), resumeStatus: row.status };
        if (row.clockStartedOn && !row.clockPausedSince) changes.clockPausedSince = today;
        changes = { ...changes, ...this.dueDates(calendar, { ...row, ...changes } as ApplicationRow) };
      }
      await this.write(tx, row, changes);
      await this.recordEvent(tx, row.id, 'commitmentBroken', row.status, row.status, actor, null, reason, { materialKey, recordId });
      await this.notify(tx, row, 'commitmentBroken', { trackingNumber: row.trackingNumber ?? '' });
      if (supplement) {
        await this.recordEvent(tx, row.id, 'requestSupplement', row.status, 'supplementRequested', actor, supplement.step, reason, { ...supplement.request, cause: 'commitmentBroken' });
        await this.notify(tx, row, 'requestSupplement', { trackingNumber: row.trackingNumber ?? '' });
      }
    });
    this.deps.notifier.deliverSoon();
    return this.get(principal, applicationId, `application ${row.trackingNumber} commitmentBroken`);
  }

  /** 异地代收: the collecting office checked the application and passes it to the handling region. */
  private async forward(principal: SessionPrincipal, row: ApplicationRow, opinion: string | null): Promise<ApplicationView> {
    if (!row.collectingDepartmentId || principal.departmentId !== row.collectingDepartmentId) throw forbidden('notCollectingDepartment', 'applications.notCollectingDepartment');
    if (row.status !== 'submitted' || row.collectedAt) throw illegalTransition('forward', row.status);
    const actor = await this.staffActor(principal);
    await this.store.transaction(async (tx) => {
      await this.write(tx, row, { collectedAt: this.now().toISOString(), updatedAt: this.now().toISOString() });
      await this.recordEvent(tx, row.id, 'forward', row.status, row.status, actor, null, opinion, null);
      await this.notify(tx, row, 'forward', { trackingNumber: row.trackingNumber ?? '' });
    });
    this.deps.notifier.deliverSoon();
    return this.get(principal, row.id);
  }

  private supplementRequestOf(definition: ItemDefinition, input: OfficerActionInput, opinion: string | null): SupplementRequest {
    const materials = [...new Set(input.missing?.materials ?? [])];
    const fields = [...new Set(input.missing?.fields ?? [])];
    const problems: FieldProblem[] = [];
    materials.forEach((key, index) => {
      if (!definition.materials.some((m) => m.key === key)) problems.push({ field: `/missing/materials/${index}`, message: 'applications.material.unknown' });
    });
    fields.forEach((key, index) => {
      if (!definition.form.fields.some((f) => f.key === key)) problems.push({ field: `/missing/fields/${index}`, message: 'applications.form.unknownField' });
    });
    if (materials.length + fields.length === 0) problems.push({ field: '/missing', message: 'applications.supplement.nothingListed' });
    if (problems.length) throw invalid('supplementRequestInvalid', problems);
    return { requestedAt: this.now().toISOString(), materials, fields, note: opinion };
  }

  private async issueCertificate(tx: Tx, row: ApplicationRow, item: ItemVersionView) {
    const definition = item.definition;
    const form = this.formOf(row);
    const personal = new Set(['idNumber', 'phone', 'email']);
    const fields = [
      // A person's full name is not shown to verifiers (the certificate shows it masked); an enterprise's is registration data.
      { key: 'holder', label: { 'zh-CN': '持证主体', en: 'Holder' }, value: row.applicantName, public: row.enterpriseId !== null },
      { key: 'trackingNumber', label: { 'zh-CN': '办件编号', en: 'Application number' }, value: row.trackingNumber ?? '', public: false },
      ...definition.form.fields
        .filter((field) => form[field.key] !== undefined && !personal.has(field.type))
        .map((field) => ({ key: field.key, label: field.label, value: String(form[field.key]), public: false })),
    ];
    return this.deps.certificates.issue(tx, {
      certificateType: definition.result.certificateType!,
      holder: holderOf(row),
      holderName: row.applicantName,
      title: definition.result.name,
      fields,
      issuedByDepartmentId: row.departmentId,
      ...(definition.result.validityMonths ? { validityMonths: definition.result.validityMonths } : {}),
      sourceApplicationId: row.id,
    });
  }

  // Shared plumbing

  private resumeClock(calendar: DeadlineCalendar, row: ApplicationRow): Pick<ApplicationRow, 'clockPausedDays' | 'clockPausedSince'> {
    if (!row.clockPausedSince) return { clockPausedDays: row.clockPausedDays, clockPausedSince: null };
    return { clockPausedDays: row.clockPausedDays + pauseLength(calendar, clockOf(row), this.today()), clockPausedSince: null };
  }

  private dueDates(calendar: DeadlineCalendar, row: ApplicationRow): Pick<ApplicationRow, 'promisedDueOn' | 'legalDueOn'> {
    const limits = deadlines(calendar, clockOf(row), this.today());
    return { promisedDueOn: limits.promisedDue, legalDueOn: limits.legalDue };
  }

  private async write(tx: Tx, row: ApplicationRow, changes: Partial<ApplicationRow>): Promise<void> {
    const after = { ...row, ...changes };
    const written = await this.store.update(tx, row.id, row.revision, { ...changes, ...queueKeys(after) });
    if (!written) throw conflict('applicationChanged', 'applications.changedMeanwhile');
  }

  private async recordEvent(
    tx: Tx,
    applicationId: string,
    action: Action | 'claim' | 'commitmentBroken',
    from: ApplicationStatus,
    to: ApplicationStatus,
    actor: { type: 'person' | 'staff' | 'system'; id: string | null; label: string },
    step: string | null,
    opinion: string | null,
    detail: Record<string, unknown> | null,
  ): Promise<void> {
    const event: ApplicationEventRow = {
      id: newId(),
      applicationId,
      at: this.now().toISOString(),
      action,
      fromStatus: from,
      toStatus: to,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      step,
      opinion,
      detail: detail ? JSON.stringify(detail) : null,
    };
    await this.store.addEvent(tx, event);
  }

  private personActor(principal: SessionPrincipal) {
    return { type: 'person' as const, id: principal.personId, label: principal.displayName };
  }

  private async staffActor(principal: SessionPrincipal) {
    const department = principal.departmentId ? await this.deps.identity.department(principal.departmentId) : undefined;
    return { type: 'staff' as const, id: principal.staffId, label: `${department?.nameZh ?? ''} · ${principal.displayName}` };
  }

  private async notify(tx: Tx, row: ApplicationRow, event: string, params: Record<string, string>): Promise<void> {
    await this.deps.notifier.notify(tx, {
      personId: row.applicantPersonId,
      kind: `application.${event}`,
      titleKey: `applications.notify.${event}.title`,
      bodyKey: `applications.notify.${event}.body`,
      params: { ...params, item: { 'zh-CN': row.itemNameZh, en: row.itemNameEn } },
      link: `/applications/${row.id}`,
    });
  }

  private newTrackingNumber(regionCode: string): string {
    const day = this.today().replaceAll('-', '');
    let suffix = '';
    for (let i = 0; i < 8; i++) suffix += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)];
    return `${regionCode}-${day}-${suffix}`;
  }

  // "One thing" bundles (一件事一次办)

  /**
   * One combined form and one submission fan out into an application at each department of the
   * bundle, in one transaction: either every department receives its application or none does.
   * A question asked by several items is answered once (same field key), and so is a material.
   */
  async applyBundle(
    principal: SessionPrincipal,
    input: { bundleCode: string; enterpriseId?: string | null; form?: Record<string, unknown>; materials?: Record<string, MaterialInput | null> },
    idempotencyKey: string,
  ): Promise<{ created: boolean; bundle: BundleSubmissionView }> {
    const existing = await this.store.bundleSubmissionByKey(this.platform.db, principal.accountId, idempotencyKey);
    if (existing) return { created: false, bundle: await this.bundleView(existing.id) };
    let committed: { submissionId: string; audits: AuditEntry[] };
    try {
      committed = await this.commitBundle(principal, input, idempotencyKey);
    } catch (error) {
      // As for a single application: a racing twin that committed first answers the retry.
      const winner = await this.store.bundleSubmissionByKey(this.platform.db, principal.accountId, idempotencyKey);
      if (winner) return { created: false, bundle: await this.bundleView(winner.id) };
      throw error;
    }
    await this.recordAudits(committed.audits);
    this.deps.notifier.deliverSoon();
    return { created: true, bundle: await this.bundleView(committed.submissionId) };
  }

  private async commitBundle(
    principal: SessionPrincipal,
    input: { bundleCode: string; enterpriseId?: string | null; form?: Record<string, unknown>; materials?: Record<string, MaterialInput | null> },
    idempotencyKey: string,
  ): Promise<{ submissionId: string; audits: AuditEntry[] }> {
    const bundle = await this.deps.items.bundle(input.bundleCode);
    if (!bundle) throw notFound('bundleNotFound', 'applications.bundle.notFound');
    const personId = requirePersonId(principal);
    const rows: { row: ApplicationRow; item: ItemVersionView }[] = [];
    for (const item of bundle.items) {
      rows.push({ row: await this.newApplicationRow(principal, { itemId: item.itemId, enterpriseId: input.enterpriseId ?? null }, null, item), item });
    }
    // Each department's application gets the answers and materials its own item asks for.
    const prepared: PreparedSubmission[] = [];
    const problems: FieldProblem[] = [];
    for (const { row, item } of rows) {
      const fieldKeys = new Set(item.definition.form.fields.map((f) => f.key));
      const materialKeys = new Set(item.definition.materials.map((m) => m.key));
      const form = Object.fromEntries(Object.entries(input.form ?? {}).filter(([key]) => fieldKeys.has(key)));
      const materials = Object.fromEntries(Object.entries(input.materials ?? {}).filter(([key]) => materialKeys.has(key)));
      const submission = await this.prepareSubmission(principal, row, item, { form, materials });
      problems.push(...submission.problems);
      prepared.push(submission);
    }
    const unknown = Object.keys(input.materials ?? {}).filter((key) => !rows.some(({ item }) => item.definition.materials.some((m) => m.key === key)));
    for (const key of unknown) problems.push({ field: `/materials/${key}`, message: 'applications.material.unknown' });
    if (problems.length) throw invalid('applicationIncomplete', uniqueProblems(problems), 'applications.incomplete');
    const submissionId = newId();
    const nowIso = this.now().toISOString();
    const audits: AuditEntry[] = [];
    await this.store.transaction(async (tx) => {
      await this.store.insertBundleSubmission(tx, {
        id: submissionId,
        bundleId: bundle.id,
        bundleCode: bundle.code,
        trackingNumber: this.newTrackingNumber(rows[0]?.row.applicantRegionCode ?? NATIONWIDE_REGION_CODE),
        applicantPersonId: personId,
        enterpriseId: input.enterpriseId ?? null,
        createdByAccountId: principal.accountId,
        idempotencyKey,
        createdAt: nowIso,
      });
      // An upload answers a material for every department that asks it; each gets its own copy.
      const usedFiles = new Set<string>();
      for (const [index, { row }] of rows.entries()) {
        row.bundleSubmissionId = submissionId;
        await this.store.insert(tx, row);
        const submission = prepared[index]!;
        for (const [key, material] of Object.entries(submission.materials)) {
          if (material.kind !== 'upload') continue;
          const files: StoredFile[] = [];
          for (const file of material.files) {
            if (!usedFiles.has(file.id)) {
              usedFiles.add(file.id);
              files.push(file);
              continue;
            }
            const copy = await this.deps.files.copyUpload(tx, file.id, principal.accountId);
            files.push({ id: copy.id, sha256: copy.sha256, type: copy.type, size: copy.size, filename: copy.filename });
          }
          submission.materials[key] = { kind: 'upload', files };
        }
        await this.commitSubmission(tx, principal, row, submission, audits);
      }
    });
    return { submissionId, audits };
  }

  async getBundleSubmission(principal: SessionPrincipal, submissionId: string): Promise<BundleSubmissionView> {
    const submission = await this.store.bundleSubmission(submissionId);
    if (!submission) throw notFound('bundleSubmissionNotFound', 'applications.notFound');
    const sample = (await this.store.bundleApplications(submissionId))[0];
    if (!sample || principal.staffId || !(await this.applicantMaySee(principal, sample))) return this.refuse(principal, submissionId);
    return this.bundleView(submissionId);
  }

  private async bundleView(submissionId: string): Promise<BundleSubmissionView> {
    const submission = (await this.store.bundleSubmission(submissionId))!;
    const rows = await this.store.bundleApplications(submissionId);
    const calendar = await this.deps.calendar.deadlineCalendar();
    const bundle = await this.deps.items.bundle(submission.bundleCode);
    return {
      id: submission.id,
      trackingNumber: submission.trackingNumber,
      bundleCode: submission.bundleCode,
      name: bundle?.name ?? { 'zh-CN': submission.bundleCode, en: submission.bundleCode },
      createdAt: submission.createdAt,
      status: combinedStatus(rows),
      applications: rows.map((row) => ({ ...this.queueRow(calendar, row), departmentId: row.departmentId, certificateId: row.certificateId })),
      certificateIds: rows.flatMap((row) => (row.certificateId ? [row.certificateId] : [])),
    };
  }

  async listMyBundles(principal: SessionPrincipal) {
    const personId = requirePersonId(principal);
    const enterprises = await this.deps.enterprises.myEnterprises(principal);
    const enterpriseIds = enterprises.filter((e) => e.role === 'legalRepresentative' || e.scopes.includes('applications')).map((e) => e.id);
    const submissions = await this.store.bundleSubmissionsFor(personId, enterpriseIds);
    return Promise.all(submissions.map((s) => this.bundleView(s.id)));
  }

  /**
   * For supervision alerts: every open application, in any department, whose running clock is due
   * soon or past its promised (and perhaps its legal) deadline, with its deadlines as of today.
   */
  async deadlineWatch() {
    const calendar = await this.deps.calendar.deadlineCalendar();
    const today = this.today();
    const rows = await this.store.dueAcrossDepartments(calendar.calendar.addWorkingDays(today, DUE_SOON_DAYS));
    return rows.map((row) => ({ ...this.queueRow(calendar, row), departmentId: row.departmentId }));
  }

  /** Supervision read port: submitted applications changed after a keyset, narrow columns (see ApplicationStore). */
  supervisionChanges(after: { updatedAt: string; id: string }, limit: number) {
    return this.store.supervisionChanges(after, limit);
  }

  /** Supervision read port: the clock's pause, resume and withdrawal events of these applications (see ApplicationStore). */
  supervisionClockEvents(applicationIds: string[]) {
    return this.store.supervisionClockEvents(applicationIds);
  }

  /** Supervision read port: live counts of open, overdue and due-soon applications by region, department and item. */
  supervisionOpenCounts(filter: SupervisionOpenFilter, by?: 'item' | 'department') {
    return this.store.supervisionOpenCounts(filter, by);
  }

  /** Supervision read port: the open applications overdue or due soon, least time left first (no personal data). */
  supervisionDueList(filter: SupervisionOpenFilter, which: 'overdue' | 'dueSoon', limit: number) {
    return this.store.supervisionDueList(filter, which, limit);
  }

  /** For reviews: what the evaluation capability needs to know about a concluded application. */
  async reviewable(applicationId: string) {
    const row = await this.store.byId(applicationId);
    if (!row) return null;
    return {
      id: row.id,
      trackingNumber: row.trackingNumber ?? '',
      applicantPersonId: row.applicantPersonId,
      enterpriseId: row.enterpriseId,
      departmentId: row.departmentId,
      itemId: row.itemId,
      itemName: { 'zh-CN': row.itemNameZh, en: row.itemNameEn },
      status: row.status,
      concludedAt: row.concludedAt,
    };
  }
}

const NO_DEADLINE = '9999-12-31';

/** The queue columns follow from status and deadline; every write keeps them in step. */
export function queueKeys(row: Pick<ApplicationRow, 'status' | 'promisedDueOn' | 'clockPausedSince'>): Pick<ApplicationRow, 'isOpen' | 'queueDue'> {
  // A paused clock has no deadline to run into: it waits at the end of the queue until it resumes.
  return { isOpen: OPEN_STATUSES.includes(row.status) ? 1 : 0, queueDue: row.clockPausedSince ? NO_DEADLINE : (row.promisedDueOn ?? NO_DEADLINE) };
}

/** The columns an application copies from the item version it is submitted under. */
function versionColumns(item: ItemVersionView): Pick<ApplicationRow, 'itemVersionId' | 'itemNameZh' | 'itemNameEn' | 'timeUnit' | 'promisedDays' | 'legalDays'> {
  return {
    itemVersionId: item.versionId,
    itemNameZh: item.definition.name['zh-CN'],
    itemNameEn: item.definition.name.en,
    timeUnit: item.definition.timeLimitUnit,
    promisedDays: item.definition.promisedLimitDays,
    legalDays: item.definition.legalLimitDays,
  };
}

function versionColumnsOf(row: ApplicationRow): Pick<ApplicationRow, 'itemVersionId' | 'itemNameZh' | 'itemNameEn' | 'timeUnit' | 'promisedDays' | 'legalDays'> {
  return { itemVersionId: row.itemVersionId, itemNameZh: row.itemNameZh, itemNameEn: row.itemNameEn, timeUnit: row.timeUnit, promisedDays: row.promisedDays, legalDays: row.legalDays };
}

function requirePersonId(principal: SessionPrincipal): string {
  if (!principal.personId) throw forbidden('personOnly');
  return principal.personId;
}

function holderOf(row: Pick<ApplicationRow, 'enterpriseId' | 'applicantPersonId'>): Holder {
  return row.enterpriseId ? { enterpriseId: row.enterpriseId } : { personId: row.applicantPersonId };
}

export function clockOf(row: Pick<ApplicationRow, 'timeUnit' | 'promisedDays' | 'legalDays' | 'clockStartedOn' | 'clockPausedDays' | 'clockPausedSince' | 'clockStoppedOn'>): ClockState {
  return {
    unit: row.timeUnit,
    promisedDays: row.promisedDays,
    legalDays: row.legalDays,
    startedOn: row.clockStartedOn,
    pausedDays: row.clockPausedDays,
    pausedSince: row.clockPausedSince,
    stoppedOn: row.clockStoppedOn,
  };
}

/** A supplement request the department made on finding a commitment false, not its one-time request (一次性告知). */
function causedByBreach(event: ApplicationEventRow): boolean {
  return event.detail !== null && (JSON.parse(event.detail) as { cause?: unknown }).cause === 'commitmentBroken';
}

function eventView(event: ApplicationEventRow): ApplicationEventView {
  return {
    at: event.at,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actor: event.actorLabel,
    actorType: event.actorType,
    step: event.step,
    opinion: event.opinion,
    detail: event.detail ? (JSON.parse(event.detail) as Record<string, unknown>) : null,
  };
}

function cleanOpinion(text: string | undefined | null): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed.slice(0, MAX_OPINION) : null;
}

function illegalTransition(action: string, status: ApplicationStatus): AppError {
  return conflict('illegalTransition', 'applications.illegalTransition', { action: `{applications.action.${action}}`, status: `{applications.status.${status}}` });
}

function uniqueProblems(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The audit subjects of an application: its applicant, and the enterprise it was made for. */
function subjectsOfRow(row: Pick<ApplicationRow, 'applicantPersonId' | 'enterpriseId'>): { subjectPersonId: string; subjectEnterpriseId?: string } {
  return { subjectPersonId: row.applicantPersonId, ...(row.enterpriseId ? { subjectEnterpriseId: row.enterpriseId } : {}) };
}
