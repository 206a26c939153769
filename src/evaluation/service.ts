import type { AuditActor } from '../core/audit.js';
import type { Role, SessionPrincipal } from '../core/auth.js';
import { conflict, forbidden, invalid, notFound, type FieldProblem } from '../core/errors.js';
import type { MessageKey } from '../core/i18n.js';
import { newId } from '../core/ids.js';
import type { Tx } from '../core/db.js';
import type { Platform } from '../core/platform.js';
import { shanghaiDate } from '../reference/dates.js';
import { isWithin, regionCodePrefix } from '../reference/regions.js';
import {
  AWAITING_RESPONSE,
  BAD_RATING_MAX,
  COMMENT_MAX,
  DECISIONS,
  GOOD_RATING_MIN,
  INDICATORS,
  OUTCOMES,
  TEXT_MAX,
  type ApplicantContact,
  type ApplicantRectificationView,
  type Decision,
  type Indicators,
  type Outcome,
  type RectificationList,
  type RectificationStatus,
  type RectificationView,
  type ReviewView,
  type SatisfactionView,
} from './schema.js';
import { EvaluationStore, type CaseRow, type RectificationRow, type ReviewRow, type SatisfactionFilter } from './store.js';
import './messages.js';

// Ports: what this capability needs from others, so that it depends on no one's tables.

/** What a review needs to know about an application (the applications capability provides it). */
export interface ReviewableApplication {
  id: string;
  trackingNumber: string;
  applicantPersonId: string;
  enterpriseId: string | null;
  departmentId: string;
  itemId: string;
  itemName: { 'zh-CN': string; en: string };
  status: string;
  concludedAt: string | null;
}

export interface ApplicationLookup {
  find(applicationId: string): Promise<ReviewableApplication | null>;
}

export interface DepartmentInfo {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
}

export interface DepartmentDirectory {
  find(departmentId: string): Promise<DepartmentInfo | null>;
}

/**
 * The applicant's name and phone for the department's call back. The implementation must record
 * the read in the audit trail with the purpose given (identity's `readPersonForStaff` does).
 */
export interface ApplicantDirectory {
  contactForStaff(staff: SessionPrincipal, personId: string, purpose: string): Promise<ApplicantContact>;
}

/** Sent after the commit that opened or answered a case (for the inbox and messages). */
export interface RectificationEvent {
  rectificationId: string;
  reviewId: string;
  applicationId: string;
  trackingNumber: string;
  applicantPersonId: string;
  departmentId: string;
  dueOn: string;
}

export interface EvaluationDeps {
  calendar: { addWorkingDays(from: string, days: number): Promise<string>; workingDaysBetween(from: string, to: string): Promise<number> };
  applications: ApplicationLookup;
  departments: DepartmentDirectory;
  applicants: ApplicantDirectory;
  /** Called after a bad review opened a case; a failure is logged and does not undo the review. */
  onRectificationOpened?: (event: RectificationEvent) => Promise<void> | void;
  /**
   * Called inside the transaction that records the department's response, so that telling the
   * applicant commits with it (write through `tx` only).
   */
  onRectificationResponded?: (event: RectificationEvent, tx: Tx) => Promise<void>;
  /** Called after a commit that wrote notifications, to send them without waiting for the job. */
  afterCommit?: () => void;
}

export interface ReviewInput {
  rating: number;
  indicators: Partial<Indicators>;
  comment?: string;
}

/** An application as its applicant sees it on the review page, with the review when there is one. */
export interface ReviewContext {
  application: ReviewableApplication;
  reviewable: boolean;
  review: ReviewView | null;
}

/** Statuses after which an application can be reviewed: it has been decided and closed. */
const REVIEWABLE_STATUSES = ['concluded', 'delivered'];
const DEPARTMENT_ROLES: Role[] = ['officer', 'approver'];
// Shown as it stands to the applicant in "who looked at my data", so it names the case.
const callbackPurpose = (trackingNumber: string) => `差评整改回访（办件 ${trackingNumber}）`;

const isRating = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

/** Text limits are counted in characters as a person counts them (a Chinese character is one). */
const lengthOf = (text: string) => [...text].length;

function optionalText(field: string, value: string | undefined, max: number, problems: FieldProblem[]): string | null {
  const text = (value ?? '').trim();
  if (lengthOf(text) > max) problems.push({ field, message: 'evaluation.comment.tooLong', params: { max, length: lengthOf(text) } });
  return text || null;
}

function requiredText(field: string, value: string | undefined, label: MessageKey, problems: FieldProblem[]): string {
  const text = (value ?? '').trim();
  if (!text) problems.push({ field, message: 'evaluation.text.required', params: { label: `{${label}}` } });
  else if (lengthOf(text) > TEXT_MAX) problems.push({ field, message: 'evaluation.text.tooLong', params: { label: `{${label}}`, max: TEXT_MAX } });
  return text;
}

function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length) throw invalid('validation', problems);
}

const statusParam = (status: RectificationStatus) => `{evaluation.status.${status}}`;

/**
 * Good/bad reviews (好差评): the applicant rates a concluded application once; a bad rating (1 or
 * 2) opens a rectification case that the handling department must answer within a configurable
 * number of working days, or appeal to a supervisor of its region; public satisfaction per item
 * and department leaves out reviews an upheld appeal excluded. Knows nothing of HTTP.
 */
export class EvaluationService {
  readonly store: EvaluationStore;

  constructor(
    private readonly platform: Platform,
    private readonly deps: EvaluationDeps,
  ) {
    this.store = new EvaluationStore(platform.db);
  }

  private now(): Date {
    return this.platform.clock.now();
  }

  private today(): string {
    return shanghaiDate(this.now());
  }

  get workingDays(): number {
    return this.platform.config.rectificationWorkingDays;
  }

  // The applicant

  /** The applicant's own application, or 404 for anyone else (so others learn nothing of it). */
  private async ownApplication(principal: SessionPrincipal, applicationId: string): Promise<ReviewableApplication> {
    if (!principal.personId) throw forbidden('personOnly');
    const application = await this.deps.applications.find(applicationId);
    if (!application || application.applicantPersonId !== principal.personId) throw notFound('applicationNotFound', 'evaluation.application.notFound');
    return application;
  }

  private static isReviewable(application: ReviewableApplication): boolean {
    return REVIEWABLE_STATUSES.includes(application.status) && Boolean(application.concludedAt);
  }

  private validateReview(input: ReviewInput): { rating: number; indicators: Indicators; comment: string | null } {
    const problems: FieldProblem[] = [];
    if (!isRating(input.rating)) problems.push({ field: '/rating', message: 'evaluation.rating.choose' });
    for (const indicator of INDICATORS) {
      if (!isRating(input.indicators?.[indicator])) {
        problems.push({ field: `/indicators/${indicator}`, message: 'evaluation.indicator.choose', params: { indicator: `{evaluation.indicator.${indicator}}` } });
      }
    }
    const comment = optionalText('/comment', input.comment, COMMENT_MAX, problems);
    if (isRating(input.rating) && input.rating <= BAD_RATING_MAX && !comment) problems.push({ field: '/comment', message: 'evaluation.comment.requiredForBad' });
    throwIfAny(problems);
    return { rating: input.rating, indicators: input.indicators as Indicators, comment };
  }

  /**
   * Rates a concluded application, once, by its applicant. A rating of 1 or 2 opens a case for the
   * handling department in the same transaction, due `RECTIFICATION_WORKING_DAYS` working days
   * after the day of the review.
   */
  async review(principal: SessionPrincipal, applicationId: string, input: ReviewInput): Promise<ReviewView> {
    const application = await this.ownApplication(principal, applicationId);
    if (!EvaluationService.isReviewable(application)) throw conflict('applicationNotConcluded', 'evaluation.application.notConcluded');
    if (await this.store.reviewByApplication(application.id)) throw conflict('alreadyReviewed', 'evaluation.review.already');
    const valid = this.validateReview(input);

    const now = this.now();
    const nowIso = now.toISOString();
    const review: ReviewRow = {
      id: newId(now.getTime()),
      applicationId: application.id,
      trackingNumber: application.trackingNumber,
      reviewerPersonId: principal.personId!,
      enterpriseId: application.enterpriseId,
      departmentId: application.departmentId,
      itemId: application.itemId,
      itemNameZh: application.itemName['zh-CN'],
      itemNameEn: application.itemName.en,
      rating: valid.rating,
      efficiency: valid.indicators.efficiency,
      guidanceAccuracy: valid.indicators.guidanceAccuracy,
      convenience: valid.indicators.convenience,
      comment: valid.comment,
      createdAt: nowIso,
    };
    let rectification: RectificationRow | null = null;
    if (valid.rating <= BAD_RATING_MAX) {
      const department = await this.deps.departments.find(application.departmentId);
      if (!department) throw new Error(`application ${application.id} names unknown department ${application.departmentId}`);
      rectification = {
        id: newId(now.getTime()),
        reviewId: review.id,
        departmentId: department.id,
        departmentRegionCode: department.regionCode,
        status: 'open',
        openedAt: nowIso,
        dueOn: await this.deps.calendar.addWorkingDays(shanghaiDate(now), this.workingDays),
        callbackAt: null,
        outcome: null,
        response: null,
        respondedBy: null,
        respondedAt: null,
        respondedOn: null,
        applicantRating: null,
        applicantComment: null,
        applicantRatedAt: null,
        appealReason: null,
        appealedBy: null,
        appealedAt: null,
        appealDecision: null,
        appealNote: null,
        appealDecidedBy: null,
        appealDecidedAt: null,
      };
    }
    const actor = personActor(principal);
    await this.store.transaction(async (tx) => {
      // The unique index decides between two simultaneous first reviews; the loser gets the 409.
      if (!(await this.store.insertReview(tx, review))) throw conflict('alreadyReviewed', 'evaluation.review.already');
      await this.platform.audit.record(
        {
          action: 'evaluation.reviewed',
          actor,
          subjectPersonId: review.reviewerPersonId,
          subjectEnterpriseId: review.enterpriseId ?? undefined,
          detail: { reviewId: review.id, applicationId: review.applicationId, rating: review.rating },
        },
        tx,
      );
      if (rectification) {
        await this.store.insertRectification(tx, rectification);
        await this.platform.audit.record(
          {
            action: 'evaluation.rectificationOpened',
            actor: { type: 'system' },
            subjectPersonId: review.reviewerPersonId,
            detail: { rectificationId: rectification.id, reviewId: review.id, departmentId: rectification.departmentId, dueOn: rectification.dueOn },
          },
          tx,
        );
      }
    });
    if (rectification) await this.notify('onRectificationOpened', eventOf({ ...rectification, review }));
    return reviewView(review, rectification);
  }

  /** The applicant's review of an application with the department's response, or 404. */
  async getReviewForApplicant(principal: SessionPrincipal, applicationId: string): Promise<ReviewView> {
    const context = await this.reviewContext(principal, applicationId);
    if (!context.review) throw notFound('reviewNotFound', 'evaluation.review.notFound');
    return context.review;
  }

  /** What the review page shows: the applicant's application, whether it can be rated, and the review. */
  async reviewContext(principal: SessionPrincipal, applicationId: string): Promise<ReviewContext> {
    const application = await this.ownApplication(principal, applicationId);
    const review = await this.store.reviewByApplication(application.id);
    // The application is the applicant's, so the review on it is theirs too; checked again all the same.
    if (!review || review.reviewerPersonId !== principal.personId) {
      return { application, reviewable: EvaluationService.isReviewable(application), review: null };
    }
    const rectification = await this.store.rectificationOfReview(review.id);
    return { application, reviewable: false, review: reviewView(review, rectification ?? null) };
  }

  /** The applicant rates how the department dealt with their bad review, once, after its response. */
  async rateRectification(principal: SessionPrincipal, reviewId: string, input: { rating: number; comment?: string }): Promise<ReviewView> {
    if (!principal.personId) throw forbidden('personOnly');
    const review = await this.store.reviewById(reviewId);
    if (!review || review.reviewerPersonId !== principal.personId) throw notFound('reviewNotFound', 'evaluation.review.notFound');
    const rectification = await this.store.rectificationOfReview(review.id);
    if (!rectification) throw conflict('noRectification', 'evaluation.rectification.none');
    if (rectification.applicantRating !== null) throw conflict('rectificationAlreadyRated', 'evaluation.rectification.alreadyRated');
    if (rectification.status !== 'responded') throw conflict('rectificationNotResponded', 'evaluation.rectification.notResponded');
    const problems: FieldProblem[] = [];
    if (!isRating(input.rating)) problems.push({ field: '/rating', message: 'evaluation.rating.choose' });
    const comment = optionalText('/comment', input.comment, COMMENT_MAX, problems);
    throwIfAny(problems);
    const nowIso = this.now().toISOString();
    await this.store.transaction(async (tx) => {
      const rated = await this.store.rateCase(tx, rectification.id, { applicantRating: input.rating, applicantComment: comment, applicantRatedAt: nowIso });
      if (!rated) throw conflict('rectificationAlreadyRated', 'evaluation.rectification.alreadyRated');
      await this.platform.audit.record(
        {
          action: 'evaluation.rectificationRated',
          actor: personActor(principal),
          subjectPersonId: review.reviewerPersonId,
          detail: { rectificationId: rectification.id, rating: input.rating },
        },
        tx,
      );
    });
    return (await this.reviewContext(principal, review.applicationId)).review!;
  }

  // The department

  private requireDepartmentStaff(staff: SessionPrincipal): { staffId: string; departmentId: string } {
    if (!staff.staffId || !staff.departmentId || !staff.roles.some((role) => DEPARTMENT_ROLES.includes(role))) {
      throw forbidden('roleRequired', 'evaluation.rectification.staffOnly');
    }
    return { staffId: staff.staffId, departmentId: staff.departmentId };
  }

  private async caseOfMyDepartment(staff: SessionPrincipal, caseId: string): Promise<CaseRow> {
    const { departmentId } = this.requireDepartmentStaff(staff);
    const found = await this.store.caseById(caseId);
    if (!found) throw notFound('rectificationNotFound', 'evaluation.rectification.notFound');
    if (found.departmentId !== departmentId) {
      await this.platform.audit.record({ action: 'evaluation.rectificationRead', actor: staffActor(staff), ...reviewerSubjects(found), outcome: 'denied', detail: { rectificationId: caseId } });
      throw forbidden('otherDepartment', 'evaluation.rectification.otherDepartment');
    }
    return found;
  }

  /** The staff member's department's cases, soonest due first, each flagged when overdue. */
  async listRectifications(
    staff: SessionPrincipal,
    filter: { status?: RectificationStatus; statuses?: RectificationStatus[]; overdue?: boolean; limit?: number; offset?: number } = {},
  ): Promise<RectificationList> {
    const { departmentId } = this.requireDepartmentStaff(staff);
    const today = this.today();
    const { total, rows } = await this.store.casesOfDepartment(departmentId, {
      statuses: filter.status ? [filter.status] : filter.statuses,
      overdueBefore: filter.overdue ? today : undefined,
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      offset: Math.max(filter.offset ?? 0, 0),
    });
    const names = await this.departmentNames(rows);
    return { total, items: rows.map((row) => caseView(row, today, names.get(row.departmentId) ?? null)) };
  }

  async getRectification(staff: SessionPrincipal, caseId: string): Promise<RectificationView> {
    const found = await this.caseOfMyDepartment(staff, caseId);
    const names = await this.departmentNames([found]);
    return caseView(found, this.today(), names.get(found.departmentId) ?? null);
  }

  /** The applicant's name and phone for the call back; the read goes to the audit trail. */
  async applicantContact(staff: SessionPrincipal, caseId: string): Promise<ApplicantContact> {
    const found = await this.caseOfMyDepartment(staff, caseId);
    return this.deps.applicants.contactForStaff(staff, found.review.reviewerPersonId, callbackPurpose(found.review.trackingNumber));
  }

  /**
   * The department records its call back and what it explained or put right. Allowed while the
   * case awaits a response: open, or after an appeal was dismissed.
   */
  async respond(staff: SessionPrincipal, caseId: string, input: { callbackAt: string; outcome: string; response: string }): Promise<RectificationView> {
    const found = await this.caseOfMyDepartment(staff, caseId);
    if (!AWAITING_RESPONSE.includes(found.status)) {
      throw conflict('rectificationNotAwaitingResponse', 'evaluation.rectification.notAwaitingResponse', { status: statusParam(found.status) });
    }
    const now = this.now();
    const problems: FieldProblem[] = [];
    const callbackAt = this.checkCallbackAt(input.callbackAt, found.review.createdAt, now, problems);
    if (!(OUTCOMES as readonly string[]).includes(input.outcome)) problems.push({ field: '/outcome', message: 'evaluation.outcome.choose' });
    const response = requiredText('/response', input.response, 'evaluation.label.response', problems);
    throwIfAny(problems);
    const nowIso = now.toISOString();
    await this.store.transaction(async (tx) => {
      const changed = await this.store.updateCase(tx, found.id, [...AWAITING_RESPONSE], {
        status: 'responded',
        callbackAt,
        outcome: input.outcome as Outcome,
        response,
        respondedBy: staff.staffId,
        respondedAt: nowIso,
        respondedOn: shanghaiDate(now),
      });
      if (!changed) throw conflict('rectificationNotAwaitingResponse', 'evaluation.rectification.notAwaitingResponse', { status: statusParam('responded') });
      await this.platform.audit.record(
        {
          action: 'evaluation.rectificationResponded',
          actor: staffActor(staff),
          subjectPersonId: found.review.reviewerPersonId,
          detail: { rectificationId: found.id, outcome: input.outcome, onTime: shanghaiDate(now) <= found.dueOn },
        },
        tx,
      );
      await this.deps.onRectificationResponded?.(eventOf(found), tx);
    });
    this.deps.afterCommit?.();
    return this.getRectification(staff, found.id);
  }

  private checkCallbackAt(value: string, reviewedAt: string, now: Date, problems: FieldProblem[]): string {
    // Only full ISO instants with a zone: a bare local time would be read in the server's zone.
    const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value ?? '') ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(parsed.getTime())) {
      problems.push({ field: '/callbackAt', message: 'evaluation.callbackAt.invalid' });
      return '';
    }
    // A minute of grace: the form's time has no seconds, and clocks differ a little.
    if (parsed.getTime() > now.getTime() + 60_000) problems.push({ field: '/callbackAt', message: 'evaluation.callbackAt.future' });
    else if (parsed.getTime() < new Date(reviewedAt).getTime() - 60_000) {
      problems.push({ field: '/callbackAt', message: 'evaluation.callbackAt.beforeReview', params: { at: beijingMinute(reviewedAt) } });
    }
    return parsed.toISOString();
  }

  /**
   * The department appeals a review it holds unfounded or malicious, once, before it responds.
   * The response deadline stops while the appeal waits for a supervisor.
   */
  async appeal(staff: SessionPrincipal, caseId: string, input: { reason: string }): Promise<RectificationView> {
    const found = await this.caseOfMyDepartment(staff, caseId);
    if (found.status !== 'open') throw conflict('appealNotAllowed', 'evaluation.appeal.notAllowed', { status: statusParam(found.status) });
    const problems: FieldProblem[] = [];
    const reason = requiredText('/reason', input.reason, 'evaluation.label.reason', problems);
    throwIfAny(problems);
    const nowIso = this.now().toISOString();
    await this.store.transaction(async (tx) => {
      const changed = await this.store.updateCase(tx, found.id, ['open'], { status: 'appealed', appealReason: reason, appealedBy: staff.staffId, appealedAt: nowIso });
      if (!changed) throw conflict('appealNotAllowed', 'evaluation.appeal.notAllowed', { status: statusParam('appealed') });
      await this.platform.audit.record(
        { action: 'evaluation.appealed', actor: staffActor(staff), subjectPersonId: found.review.reviewerPersonId, detail: { rectificationId: found.id } },
        tx,
      );
    });
    return this.getRectification(staff, found.id);
  }

  // The supervisor

  private requireSupervisor(staff: SessionPrincipal): { staffId: string; regionCode: string } {
    if (!staff.staffId || !staff.regionCode || !staff.roles.includes('supervisor')) throw forbidden('roleRequired', 'evaluation.appeal.supervisorOnly');
    return { staffId: staff.staffId, regionCode: staff.regionCode };
  }

  /** Appeals of departments within the supervisor's region (pending by default), oldest first. */
  async listAppeals(staff: SessionPrincipal, state: 'pending' | 'decided' | 'all' = 'pending'): Promise<RectificationView[]> {
    const { regionCode } = this.requireSupervisor(staff);
    const rows = (await this.store.appeals(regionCodePrefix(regionCode), state)).filter((row) => isWithin(row.departmentRegionCode, regionCode));
    const names = await this.departmentNames(rows);
    const today = this.today();
    return rows.map((row) => caseView(row, today, names.get(row.departmentId) ?? null));
  }

  /**
   * One appeal with the review behind it (the reviewer's rating and words): the read is audited
   * with the reviewer as subject, so that they see which supervisor read it. The list above shows
   * the same reviews for triage and is not logged per reviewer (see docs/transparency.md).
   */
  async getAppeal(staff: SessionPrincipal, caseId: string): Promise<RectificationView> {
    const found = await this.appealInMyRegion(staff, caseId);
    await this.platform.audit.record({
      action: 'evaluation.appealRead',
      actor: staffActor(staff),
      ...reviewerSubjects(found),
      purpose: `appeal on application ${found.review.trackingNumber}`,
      detail: { rectificationId: found.id, applicationId: found.review.applicationId, fields: ['rating', 'comment'] },
    });
    const names = await this.departmentNames([found]);
    return caseView(found, this.today(), names.get(found.departmentId) ?? null);
  }

  private async appealInMyRegion(staff: SessionPrincipal, caseId: string): Promise<CaseRow> {
    const { regionCode } = this.requireSupervisor(staff);
    const found = await this.store.caseById(caseId);
    if (!found || !found.appealedAt) throw notFound('rectificationNotFound', 'evaluation.rectification.notFound');
    if (!isWithin(found.departmentRegionCode, regionCode)) {
      await this.platform.audit.record({ action: 'evaluation.appealRead', actor: staffActor(staff), ...reviewerSubjects(found), outcome: 'denied', detail: { rectificationId: caseId } });
      throw forbidden('outOfRegion', 'evaluation.appeal.outOfRegion');
    }
    return found;
  }

  /**
   * Upheld: the review no longer counts in public satisfaction and the case ends. Dismissed: the
   * department must still respond, with the working days it had left when it appealed.
   */
  async decideAppeal(staff: SessionPrincipal, caseId: string, input: { decision: string; note: string }): Promise<RectificationView> {
    const found = await this.appealInMyRegion(staff, caseId);
    if (found.status !== 'appealed') throw conflict('appealNotPending', 'evaluation.appeal.notPending');
    const problems: FieldProblem[] = [];
    if (!(DECISIONS as readonly string[]).includes(input.decision)) problems.push({ field: '/decision', message: 'evaluation.decision.choose' });
    const note = requiredText('/note', input.note, 'evaluation.label.note', problems);
    throwIfAny(problems);
    const decision = input.decision as Decision;
    const now = this.now();
    let dueOn = found.dueOn;
    if (decision === 'dismissed') {
      // The clock stopped on the day of the appeal; it runs again from the day of the decision.
      const left = await this.deps.calendar.workingDaysBetween(shanghaiDate(new Date(found.appealedAt!)), found.dueOn);
      dueOn = await this.deps.calendar.addWorkingDays(shanghaiDate(now), left);
    }
    await this.store.transaction(async (tx) => {
      const changed = await this.store.updateCase(tx, found.id, ['appealed'], {
        status: decision,
        dueOn,
        appealDecision: decision,
        appealNote: note,
        appealDecidedBy: staff.staffId,
        appealDecidedAt: now.toISOString(),
      });
      if (!changed) throw conflict('appealNotPending', 'evaluation.appeal.notPending');
      await this.platform.audit.record(
        {
          action: 'evaluation.appealDecided',
          actor: staffActor(staff),
          subjectPersonId: found.review.reviewerPersonId,
          detail: { rectificationId: found.id, decision, dueOn },
        },
        tx,
      );
    });
    return this.getAppeal(staff, found.id);
  }

  // Public satisfaction

  /** For supervision alerts: bad reviews of any department not responded to by their due day. */
  async overdueRectifications() {
    const rows = await this.store.overdueAcrossDepartments(this.today());
    return rows.map((row) => ({ id: row.id, departmentId: row.departmentId, dueOn: row.dueOn, trackingNumber: row.review.trackingNumber, itemName: { 'zh-CN': row.review.itemNameZh, en: row.review.itemNameEn } }));
  }

  /** Supervision read port: reviews by department and item, for the rollup (see EvaluationStore.supervisionReviewCounts). */
  supervisionReviewCounts(filter: { fromIso: string; toIso: string; until: string }) {
    return this.store.supervisionReviewCounts(filter);
  }

  /** Supervision read port: when the first review was made. */
  supervisionFirstReviewAt() {
    return this.store.supervisionFirstReviewAt();
  }

  /** Supervision read port: rectification figures and excluded reviews, live (see EvaluationStore.supervisionCaseFigures). */
  supervisionCaseFigures(filter: { departmentIds: string[] | null; itemId?: string; byItem?: boolean; total?: boolean; fromIso: string; toIso: string; until: string }) {
    return this.store.supervisionCaseFigures({ ...filter, today: this.today() });
  }

  async satisfactionByItem(itemId: string): Promise<SatisfactionView> {
    const name = await this.store.itemName(itemId);
    return this.satisfaction('item', itemId, { itemId }, name ? { 'zh-CN': name.itemNameZh, en: name.itemNameEn } : null);
  }

  async satisfactionByDepartment(departmentId: string): Promise<SatisfactionView> {
    const department = await this.deps.departments.find(departmentId);
    if (!department) throw notFound('departmentNotFound', 'evaluation.department.notFound');
    return this.satisfaction('department', departmentId, { departmentId }, { 'zh-CN': department.nameZh, en: department.nameEn });
  }

  private async satisfaction(scope: 'item' | 'department', id: string, filter: SatisfactionFilter, name: SatisfactionView['name']): Promise<SatisfactionView> {
    const figures = await this.store.satisfaction(filter, this.today());
    const distribution = { '5': 0, '4': 0, '3': 0, '2': 0, '1': 0 };
    let count = 0;
    let ratingSum = 0;
    const indicatorSums = { efficiency: 0, guidanceAccuracy: 0, convenience: 0 };
    for (const row of figures.byRating) {
      distribution[String(row.rating) as keyof typeof distribution] = row.n;
      count += row.n;
      ratingSum += row.rating * row.n;
      indicatorSums.efficiency += row.efficiency;
      indicatorSums.guidanceAccuracy += row.guidanceAccuracy;
      indicatorSums.convenience += row.convenience;
    }
    const sharesOf = (keep: (rating: number) => boolean) => figures.byRating.filter((row) => keep(row.rating)).reduce((sum, row) => sum + row.n, 0);
    const good = sharesOf((rating) => rating >= GOOD_RATING_MIN);
    const bad = sharesOf((rating) => rating <= BAD_RATING_MAX);
    const basic = count - good - bad;
    const average = (sum: number) => (count === 0 ? null : round(sum / count, 2));
    return {
      scope,
      id,
      name,
      reviews: count,
      excluded: figures.excluded,
      averageRating: average(ratingSum),
      distribution,
      shares: { good: ratio(good, count), basic: ratio(basic, count), bad: ratio(bad, count) },
      indicators: {
        efficiency: average(indicatorSums.efficiency),
        guidanceAccuracy: average(indicatorSums.guidanceAccuracy),
        convenience: average(indicatorSums.convenience),
      },
      rectification: {
        cases: figures.cases,
        rectified: figures.rectified,
        rectificationRate: ratio(figures.rectified, figures.cases),
        onTime: figures.onTime,
        onTimeRate: ratio(figures.onTime, figures.rectified),
        overdue: figures.overdue,
      },
    };
  }

  // Helpers

  private async departmentNames(rows: { departmentId: string }[]): Promise<Map<string, { 'zh-CN': string; en: string }>> {
    const names = new Map<string, { 'zh-CN': string; en: string }>();
    for (const id of new Set(rows.map((row) => row.departmentId))) {
      const department = await this.deps.departments.find(id);
      if (department) names.set(id, { 'zh-CN': department.nameZh, en: department.nameEn });
    }
    return names;
  }

  private async notify(hook: 'onRectificationOpened', event: RectificationEvent): Promise<void> {
    const handler = this.deps[hook];
    if (!handler) return;
    try {
      await handler(event);
    } catch (error) {
      // The review or response is committed; a notification that failed must not turn it into an error.
      this.platform.logger.error({ err: error, hook, rectificationId: event.rectificationId }, 'evaluation notification failed');
    }
  }
}

function personActor(principal: SessionPrincipal): AuditActor {
  return { type: 'person', id: principal.personId ?? undefined, label: principal.displayName };
}

/** Whom a case concerns on the audit trail: the reviewer, and the enterprise they reviewed for. */
function reviewerSubjects(found: CaseRow): { subjectPersonId: string; subjectEnterpriseId?: string } {
  return { subjectPersonId: found.review.reviewerPersonId, ...(found.review.enterpriseId ? { subjectEnterpriseId: found.review.enterpriseId } : {}) };
}

function staffActor(principal: SessionPrincipal): AuditActor {
  return { type: 'staff', id: principal.staffId ?? undefined, label: principal.displayName };
}

function beijingMinute(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function eventOf(row: RectificationRow & { review: ReviewRow }): RectificationEvent {
  return {
    rectificationId: row.id,
    reviewId: row.reviewId,
    applicationId: row.review.applicationId,
    trackingNumber: row.review.trackingNumber,
    applicantPersonId: row.review.reviewerPersonId,
    departmentId: row.departmentId,
    dueOn: row.dueOn,
  };
}

function indicatorsOf(review: ReviewRow): Indicators {
  return { efficiency: review.efficiency, guidanceAccuracy: review.guidanceAccuracy, convenience: review.convenience };
}

function appealOf(row: RectificationRow) {
  if (!row.appealedAt || !row.appealReason) return null;
  return { reason: row.appealReason, appealedAt: row.appealedAt, decision: row.appealDecision, note: row.appealNote, decidedAt: row.appealDecidedAt };
}

function applicantRectificationView(row: RectificationRow): ApplicantRectificationView {
  return {
    id: row.id,
    status: row.status,
    dueOn: row.dueOn,
    callbackAt: row.callbackAt,
    outcome: row.outcome,
    response: row.response,
    respondedAt: row.respondedAt,
    applicantRating: row.applicantRating,
    applicantComment: row.applicantComment,
    ratedAt: row.applicantRatedAt,
    appeal: appealOf(row),
  };
}

function reviewView(review: ReviewRow, rectification: RectificationRow | null): ReviewView {
  return {
    id: review.id,
    applicationId: review.applicationId,
    trackingNumber: review.trackingNumber,
    itemId: review.itemId,
    itemName: { 'zh-CN': review.itemNameZh, en: review.itemNameEn },
    departmentId: review.departmentId,
    rating: review.rating,
    indicators: indicatorsOf(review),
    comment: review.comment,
    createdAt: review.createdAt,
    rectification: rectification ? applicantRectificationView(rectification) : null,
  };
}

function caseView(row: CaseRow, today: string, departmentName: { 'zh-CN': string; en: string } | null): RectificationView {
  const appeal = appealOf(row);
  return {
    id: row.id,
    reviewId: row.reviewId,
    applicationId: row.review.applicationId,
    trackingNumber: row.review.trackingNumber,
    itemId: row.review.itemId,
    itemName: { 'zh-CN': row.review.itemNameZh, en: row.review.itemNameEn },
    departmentId: row.departmentId,
    departmentName,
    status: row.status,
    openedAt: row.openedAt,
    dueOn: row.dueOn,
    overdue: AWAITING_RESPONSE.includes(row.status) && row.dueOn < today,
    review: { rating: row.review.rating, indicators: indicatorsOf(row.review), comment: row.review.comment, createdAt: row.review.createdAt },
    callbackAt: row.callbackAt,
    outcome: row.outcome,
    response: row.response,
    respondedBy: row.respondedBy,
    respondedAt: row.respondedAt,
    applicantRating: row.applicantRating,
    applicantComment: row.applicantComment,
    appeal: appeal ? { ...appeal, appealedBy: row.appealedBy!, decidedBy: row.appealDecidedBy } : null,
  };
}
