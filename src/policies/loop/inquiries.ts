import type { SessionPrincipal } from '../../core/auth.js';
import { conflict, forbidden, invalid, notFound, type FieldProblem } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Platform } from '../../core/platform.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { actorOf } from '../../identity/service.js';
import { shanghaiDate } from '../../reference/dates.js';
import { appliesIn, inForce } from '../library/compiled.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { PushNotifier } from './push.js';
import { ANSWER_MAX, COMMENT_MAX, INQUIRY_WORKING_DAYS, QUESTION_MAX, type InquiryState, type InquiryView } from './schema.js';
import type { InquiryWithPolicy, PolicyLoopStore } from './store.js';
import './messages.js';

/** What inquiries need of the working-day calendar (services.calendar's deadline calendar). */
export interface InquiryCalendar {
  addWorkingDays(from: string, days: number): Promise<string>;
}

export interface InquiryDeps {
  library: PolicyLibraryService;
  enterprises: EnterpriseService;
  calendar: InquiryCalendar;
  notifier: PushNotifier;
}

export interface AskInput {
  policyCode: string;
  question: string;
}

export interface RateInput {
  /** How good the answer was, 1 to 5. */
  rating: number;
  /** Whether it settled the question (a form may leave it unanswered, which is refused). */
  resolved?: boolean | undefined;
  /** Optionally, the policy itself, 1 to 5, with a comment. */
  policySatisfaction?: number | undefined;
  comment?: string | undefined;
}

export interface FeedbackInput {
  policyCode: string;
  satisfaction: number;
  comment?: string;
}

const textLength = (text: string) => [...text].length;
const isScore = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;

function requiredText(field: string, value: unknown, max: number, problems: FieldProblem[]): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) problems.push({ field, message: 'policies.loop.text.required' });
  else if (textLength(text) > max) problems.push({ field, message: 'policies.loop.text.tooLong', params: { max, length: textLength(text) } });
  return text;
}

function optionalText(field: string, value: unknown, max: number, problems: FieldProblem[]): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (textLength(text) > max) problems.push({ field, message: 'policies.loop.text.tooLong', params: { max, length: textLength(text) } });
  return text || null;
}

function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length) throw invalid('validation', problems);
}

/**
 * The loop's first half: an enterprise asks about a policy; the policy officers of the department
 * that issued it answer within INQUIRY_WORKING_DAYS working days (counted on the official
 * calendar, holidays and adjusted weekends included), and open ones past their last day are
 * flagged; the enterprise is told of the answer, rates it (and whether it settled the question),
 * and may rate the policy itself.
 */
export class PolicyInquiryService {
  constructor(
    private readonly platform: Platform,
    private readonly store: PolicyLoopStore,
    private readonly deps: InquiryDeps,
  ) {}

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  private view(row: InquiryWithPolicy, today = this.today()): InquiryView {
    const state: InquiryState = row.answeredAt ? 'answered' : 'open';
    return {
      id: row.id,
      policy: { code: row.policyCode, title: { 'zh-CN': row.policyTitleZh, en: row.policyTitleEn } },
      enterprise: { id: row.enterpriseId, name: row.enterpriseName, uscc: row.uscc },
      question: row.question,
      askedAt: row.askedAt,
      dueOn: row.dueOn,
      state,
      overdue: state === 'open' && row.dueOn < today,
      answer: row.answeredAt ? { text: row.answer!, answeredAt: row.answeredAt, answeredBy: row.answeredByName ?? '', inTime: row.answeredOn! <= row.dueOn } : null,
      rating: row.ratedAt ? { rating: row.answerRating!, resolved: row.resolved === 1, ratedAt: row.ratedAt } : null,
    };
  }

  private async published(code: unknown) {
    return typeof code === 'string' ? (await this.deps.library.library()).find((policy) => policy.document.code === code) : undefined;
  }

  // The enterprise

  /** Asks a question about a published policy, for the enterprise; due INQUIRY_WORKING_DAYS working days after today. */
  async ask(principal: SessionPrincipal, enterpriseId: string, input: AskInput): Promise<InquiryView> {
    const access = await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const problems: FieldProblem[] = [];
    const policy = await this.published(input.policyCode);
    if (!policy) problems.push({ field: '/policyCode', message: 'policies.loop.inquiry.policyUnknown', params: { code: String(input.policyCode ?? '') } });
    const question = requiredText('/question', input.question, QUESTION_MAX, problems);
    throwIfAny(problems);
    const now = this.platform.clock.now();
    const today = shanghaiDate(now);
    const row = {
      id: newId(now.getTime()),
      policyId: policy!.policyId,
      versionId: policy!.versionId,
      departmentId: policy!.departmentId!,
      enterpriseId,
      uscc: access.enterprise.uscc,
      enterpriseName: access.enterprise.name,
      askedBy: principal.personId ?? principal.accountId,
      question,
      askedAt: now.toISOString(),
      dueOn: await this.deps.calendar.addWorkingDays(today, INQUIRY_WORKING_DAYS),
      answer: null,
      answeredBy: null,
      answeredByName: null,
      answeredAt: null,
      answeredOn: null,
      answerRating: null,
      resolved: null,
      ratedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await this.store.insertInquiry(tx, row);
      await this.platform.audit.record(
        { action: 'policies.inquiryAsked', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, detail: { inquiryId: row.id, code: policy!.document.code, dueOn: row.dueOn } },
        tx,
      );
    });
    return this.view({ ...row, policyCode: policy!.document.code, policyTitleZh: policy!.document.title['zh-CN'], policyTitleEn: policy!.document.title.en }, today);
  }

  /** The enterprise's questions, unanswered ones soonest due first. */
  async forEnterprise(principal: SessionPrincipal, enterpriseId: string, options: { limit?: number; offset?: number } = {}): Promise<{ total: number; items: InquiryView[] }> {
    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const { total, rows } = await this.store.inquiries({ enterpriseId, ...options });
    const today = this.today();
    return { total, items: rows.map((row) => this.view(row, today)) };
  }

  /** The enterprise, and the published policies in force where it is, which it may ask about. */
  async askContext(principal: SessionPrincipal, enterpriseId: string): Promise<{ enterprise: { id: string; name: string; uscc: string }; policies: { code: string; title: { 'zh-CN': string; en: string } }[] }> {
    const { enterprise } = await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const on = this.today();
    const policies = (await this.deps.library.library())
      .filter((policy) => inForce(policy.document, on) && appliesIn(policy.document, enterprise.regionCode))
      .map((policy) => ({ code: policy.document.code, title: policy.document.title }));
    return { enterprise: { id: enterprise.id, name: enterprise.name, uscc: enterprise.uscc }, policies };
  }

  /** One of the enterprise's questions. */
  async inquiryOfEnterprise(principal: SessionPrincipal, enterpriseId: string, inquiryId: string): Promise<InquiryView> {
    return this.view(await this.enterpriseInquiry(principal, enterpriseId, inquiryId));
  }

  private async enterpriseInquiry(principal: SessionPrincipal, enterpriseId: string, inquiryId: string): Promise<InquiryWithPolicy> {
    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const row = await this.store.inquiryWithPolicy(inquiryId);
    // Another enterprise's question is not found, so ids reveal nothing.
    if (!row || row.enterpriseId !== enterpriseId) throw notFound('inquiryNotFound', 'policies.loop.inquiry.notFound');
    return row;
  }

  /**
   * Rates an answer, once: how good it was and whether it settled the question; optionally the
   * policy itself (satisfaction and a comment) in the same step.
   */
  async rate(principal: SessionPrincipal, enterpriseId: string, inquiryId: string, input: RateInput): Promise<InquiryView> {
    const row = await this.enterpriseInquiry(principal, enterpriseId, inquiryId);
    if (!row.answeredAt) throw conflict('notAnswered', 'policies.loop.inquiry.notAnswered');
    if (row.ratedAt) throw conflict('alreadyRated', 'policies.loop.inquiry.alreadyRated');
    const problems: FieldProblem[] = [];
    if (!isScore(input.rating)) problems.push({ field: '/rating', message: 'policies.loop.rating.choose' });
    if (typeof input.resolved !== 'boolean') problems.push({ field: '/resolved', message: 'policies.loop.resolved.choose' });
    const hasSatisfaction = input.policySatisfaction !== undefined && input.policySatisfaction !== null;
    if (hasSatisfaction && !isScore(input.policySatisfaction)) problems.push({ field: '/policySatisfaction', message: 'policies.loop.rating.choose' });
    const comment = optionalText('/comment', input.comment, COMMENT_MAX, problems);
    if (comment && !hasSatisfaction) problems.push({ field: '/policySatisfaction', message: 'policies.loop.feedback.commentNeedsScore' });
    throwIfAny(problems);
    const nowIso = this.platform.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      if (!(await this.store.rateInquiry(tx, inquiryId, { answerRating: input.rating, resolved: input.resolved ? 1 : 0, ratedAt: nowIso }))) {
        throw conflict('alreadyRated', 'policies.loop.inquiry.alreadyRated');
      }
      if (hasSatisfaction) {
        await this.store.putFeedback(tx, { policyId: row.policyId, enterpriseId, satisfaction: input.policySatisfaction!, comment, givenBy: principal.personId ?? principal.accountId, givenAt: nowIso });
      }
      await this.platform.audit.record(
        {
          action: 'policies.inquiryRated',
          actor: actorOf(principal),
          subjectEnterpriseId: enterpriseId,
          detail: { inquiryId, rating: input.rating, resolved: input.resolved, policySatisfaction: input.policySatisfaction ?? null },
        },
        tx,
      );
    });
    return this.view((await this.store.inquiryWithPolicy(inquiryId))!);
  }

  /** The enterprise's satisfaction with a published policy (1 to 5, with a comment); a later one replaces it. */
  async feedback(principal: SessionPrincipal, enterpriseId: string, input: FeedbackInput): Promise<{ policyCode: string; satisfaction: number; comment: string | null; givenAt: string }> {
    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const problems: FieldProblem[] = [];
    const policy = await this.published(input.policyCode);
    if (!policy) problems.push({ field: '/policyCode', message: 'policies.loop.inquiry.policyUnknown', params: { code: String(input.policyCode ?? '') } });
    if (!isScore(input.satisfaction)) problems.push({ field: '/satisfaction', message: 'policies.loop.rating.choose' });
    const comment = optionalText('/comment', input.comment, COMMENT_MAX, problems);
    throwIfAny(problems);
    const givenAt = this.platform.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      await this.store.putFeedback(tx, { policyId: policy!.policyId, enterpriseId, satisfaction: input.satisfaction, comment, givenBy: principal.personId ?? principal.accountId, givenAt });
      await this.platform.audit.record(
        { action: 'policies.feedbackGiven', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, detail: { code: policy!.document.code, satisfaction: input.satisfaction } },
        tx,
      );
    });
    return { policyCode: policy!.document.code, satisfaction: input.satisfaction, comment, givenAt };
  }

  /** For supervision alerts: questions to any department still unanswered after their last day. */
  async overdueAcrossDepartments(): Promise<{ id: string; departmentId: string; dueOn: string; policyTitle: { 'zh-CN': string; en: string }; enterpriseName: string }[]> {
    const today = this.today();
    const found: InquiryWithPolicy[] = [];
    // Keyset pages on (due_on, id) through a partial index of the unanswered ones: no count, no OFFSET.
    for (let after: { dueOn: string; id: string } | null = null; ; ) {
      const rows = await this.store.overdueInquiriesAfter(today, after, 500);
      found.push(...rows);
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!;
    }
    return found.map((row) => ({ id: row.id, departmentId: row.departmentId, dueOn: row.dueOn, policyTitle: { 'zh-CN': row.policyTitleZh, en: row.policyTitleEn }, enterpriseName: row.enterpriseName }));
  }

  // The policy officers

  /** The questions about the officer's department's policies: open ones soonest due first, overdue ones flagged. */
  async forDepartment(
    officer: SessionPrincipal,
    filter: { state?: InquiryState; overdue?: boolean; limit?: number; offset?: number } = {},
  ): Promise<{ total: number; items: InquiryView[] }> {
    const departmentId = await this.deps.library.officerDepartmentId(officer);
    const today = this.today();
    const { total, rows } = await this.store.inquiries({
      departmentId,
      state: filter.state,
      overdueBefore: filter.overdue ? today : undefined,
      limit: filter.limit,
      offset: filter.offset,
    });
    return { total, items: rows.map((row) => this.view(row, today)) };
  }

  private async departmentInquiry(officer: SessionPrincipal, inquiryId: string): Promise<InquiryWithPolicy> {
    const departmentId = await this.deps.library.officerDepartmentId(officer);
    const row = await this.store.inquiryWithPolicy(inquiryId);
    if (!row) throw notFound('inquiryNotFound', 'policies.loop.inquiry.notFound');
    if (row.departmentId !== departmentId) throw forbidden('otherDepartment', 'policies.loop.inquiry.otherDepartment');
    return row;
  }

  /** One question, for an officer of the policy's department; the read is audited, so the enterprise and the asker see it. */
  async forOfficer(officer: SessionPrincipal, inquiryId: string): Promise<InquiryView> {
    const row = await this.departmentInquiry(officer, inquiryId);
    await this.platform.audit.record({
      action: 'enterpriseData.read',
      actor: actorOf(officer),
      subjectEnterpriseId: row.enterpriseId,
      subjectPersonId: row.askedBy,
      purpose: `policy inquiry ${row.policyCode}`,
      detail: { inquiryId: row.id, fields: ['question'] },
    });
    return this.view(row);
  }

  /** Answers a question, once; the person who asked is told through the inbox and SMS. */
  async answer(officer: SessionPrincipal, inquiryId: string, input: { answer: string }): Promise<InquiryView> {
    const row = await this.departmentInquiry(officer, inquiryId);
    if (row.answeredAt) throw conflict('alreadyAnswered', 'policies.loop.inquiry.alreadyAnswered');
    const problems: FieldProblem[] = [];
    const answer = requiredText('/answer', input.answer, ANSWER_MAX, problems);
    throwIfAny(problems);
    const now = this.platform.clock.now();
    const answeredOn = shanghaiDate(now);
    await this.store.transaction(async (tx) => {
      const answered = await this.store.answerInquiry(tx, inquiryId, {
        answer,
        answeredBy: officer.staffId ?? officer.accountId,
        answeredByName: officer.displayName,
        answeredAt: now.toISOString(),
        answeredOn,
      });
      if (!answered) throw conflict('alreadyAnswered', 'policies.loop.inquiry.alreadyAnswered');
      await this.deps.notifier.notify(tx, {
        personId: row.askedBy,
        kind: 'policies.inquiryAnswered',
        titleKey: 'policies.loop.notify.answered.title',
        bodyKey: 'policies.loop.notify.answered.body',
        params: { policy: { 'zh-CN': row.policyTitleZh, en: row.policyTitleEn }, enterprise: row.enterpriseName },
        link: inquiryPath(row.enterpriseId, row.id),
      });
      await this.platform.audit.record(
        {
          action: 'policies.inquiryAnswered',
          actor: actorOf(officer),
          subjectEnterpriseId: row.enterpriseId,
          detail: { inquiryId, code: row.policyCode, dueOn: row.dueOn, answeredOn, inTime: answeredOn <= row.dueOn },
        },
        tx,
      );
    });
    this.deps.notifier.deliverSoon();
    return this.view((await this.store.inquiryWithPolicy(inquiryId))!);
  }
}

/** The enterprise's page of questions and answers, and the page of one of them. */
export const inquiriesPath = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/policy-inquiries`;
export const inquiryPath = (enterpriseId: string, inquiryId: string) => `${inquiriesPath(enterpriseId)}/${encodeURIComponent(inquiryId)}`;
