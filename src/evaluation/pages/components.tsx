import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type Role, type SessionPrincipal } from '../../core/auth.js';
import { AppError } from '../../core/errors.js';
import type { Locale, MessageKey } from '../../core/i18n.js';
import { pageAccount } from '../../identity/pages/context.js';
import { formatDateTime } from '../../web/format.js';
import { SummaryList, usePage, type ChoiceOption } from '../../web/page.js';
import { INDICATORS, RATINGS, type ApplicantRectificationView, type Indicators, type RectificationStatus } from '../schema.js';
import '../messages.js';

export const ratingKey = (rating: number) => `evaluation.rating.${rating}` as MessageKey;
export const statusKey = (status: RectificationStatus) => `evaluation.status.${status}` as MessageKey;
export const indicatorKey = (indicator: string) => `evaluation.indicator.${indicator}` as MessageKey;
export const nameIn = (name: { 'zh-CN': string; en: string } | null, locale: Locale) => (name ? name[locale] : '');
export const when = (iso: string | null, locale: Locale) => (iso ? formatDateTime(iso, locale) : '');
export const ID_PATTERN = /^[\w-]{1,64}$/;

/** The signed-in staff member with one of the roles, through the second factor; undefined after a redirect to sign in. */
export function pageStaff(request: FastifyRequest, reply: FastifyReply, ...roles: Role[]): SessionPrincipal | undefined {
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, ...roles);
}

/**
 * The service names indicator problems `/indicators/efficiency`; on the form each indicator is its
 * own radio group named after the indicator, so the error summary must link there.
 */
export function flattenIndicatorFields(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.fields.some((f) => f.field.startsWith('/indicators/'))) return error;
  const fields = error.fields.map((f) => ({ ...f, field: f.field.replace(/^\/indicators\//, '/') }));
  return new AppError(error.status, error.code, error.titleKey, error.detailKey, error.params, fields, error.headers);
}

/** The five-point scale, best first, each with its words ("5 非常满意"). */
export function useRatingOptions(): ChoiceOption[] {
  const { t } = usePage();
  return RATINGS.map((rating) => ({ value: String(rating), label: `${rating} ${t(ratingKey(rating))}` }));
}

export function useScoreOptions(): ChoiceOption[] {
  const { t } = usePage();
  return RATINGS.map((rating) => ({ value: String(rating), label: t('evaluation.page.review.score', { score: rating }) }));
}

export { TextArea } from '../../web/page.js';

/** Rating, the three indicators and the comment, as the department and the supervisor read a review. */
export function ReviewSummary({ rating, indicators, comment, createdAt }: { rating: number; indicators: Indicators; comment: string | null; createdAt: string }) {
  const { t, locale } = usePage();
  return (
    <SummaryList
      rows={[
        { key: t('evaluation.page.review.rating'), value: `${rating} ${t(ratingKey(rating))}` },
        ...INDICATORS.map((indicator) => ({ key: t(indicatorKey(indicator)), value: t('evaluation.page.review.score', { score: indicators[indicator] }) })),
        { key: t('evaluation.page.review.comment'), value: comment ?? t('evaluation.page.review.noComment') },
        { key: t('evaluation.page.review.submittedAt'), value: when(createdAt, locale) },
      ]}
    />
  );
}

/** What the department did and what became of any appeal, as everyone involved sees it. */
export function CaseProgress({ rectification }: { rectification: Pick<ApplicantRectificationView, 'status' | 'dueOn' | 'callbackAt' | 'outcome' | 'response' | 'respondedAt' | 'appeal'> }) {
  const { t, locale } = usePage();
  const rows: { key: string; value: string }[] = [
    { key: t('evaluation.page.rectification.status'), value: t(statusKey(rectification.status)) },
    { key: t('evaluation.page.rectification.dueOn'), value: rectification.dueOn },
  ];
  if (rectification.appeal) {
    rows.push({ key: t('evaluation.page.rectification.appealReason'), value: rectification.appeal.reason });
    if (rectification.appeal.decision) {
      rows.push({ key: t('evaluation.page.rectification.decision'), value: t(`evaluation.decision.${rectification.appeal.decision}` as MessageKey) });
      rows.push({ key: t('evaluation.page.rectification.decisionNote'), value: rectification.appeal.note ?? '' });
    }
  }
  if (rectification.respondedAt) {
    rows.push({ key: t('evaluation.page.rectification.callbackAt'), value: when(rectification.callbackAt, locale) });
    rows.push({ key: t('evaluation.page.rectification.outcome'), value: rectification.outcome ? t(`evaluation.outcome.${rectification.outcome}` as MessageKey) : '' });
    rows.push({ key: t('evaluation.page.rectification.response'), value: rectification.response ?? '' });
    rows.push({ key: t('evaluation.page.rectification.respondedAt'), value: when(rectification.respondedAt, locale) });
  }
  return <SummaryList rows={rows} />;
}

/** A short confirmation after a Post/Redirect/Get, announced to screen readers. */
export function Notice({ text }: { text?: string }) {
  return text ? (
    <p className="tag" role="status">
      {text}
    </p>
  ) : null;
}
