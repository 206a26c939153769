import type { ReactNode } from 'react';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type SessionPrincipal } from '../../../core/auth.js';
import { notFound } from '../../../core/errors.js';
import type { Locale, MessageKey } from '../../../core/i18n.js';
import { pageAccount } from '../../../identity/pages/context.js';
import { formatDateTime } from '../../../web/format.js';
import { SummaryList, seeOther, usePage, type ChoiceOption } from '../../../web/page.js';
import type { InquiryView } from '../schema.js';
import '../messages.js';

export const ID_PATTERN = /^[\w-]{1,64}$/;
export const CODE_PATTERN = /^[\w.-]{1,64}$/;
export const SCORES = [5, 4, 3, 2, 1] as const;

export const scoreKey = (score: number) => `policies.loop.score.${score}` as MessageKey;
export const inLocale = (text: { 'zh-CN': string; en: string }, locale: Locale) => text[locale];
export const when = (iso: string, locale: Locale) => formatDateTime(iso, locale);

/** A path parameter that cannot be an id is a page that does not exist. */
export function checkedId(id: string): string {
  if (!ID_PATTERN.test(id)) throw notFound();
  return id;
}

/** The signed-in policy officer, through the second factor; anyone not signed in is sent to the staff sign-in. */
export function pageOfficer(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!request.principal || request.principal.kind !== 'account') {
    seeOther(reply, `/staff/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, 'policyOfficer');
}

/** The five-point scale, best first, each with its words ("5 非常满意"). */
export function useScoreOptions(): ChoiceOption[] {
  const { t } = usePage();
  return SCORES.map((score) => ({ value: String(score), label: t(scoreKey(score)) }));
}

/** A short confirmation after a Post/Redirect/Get, announced to screen readers. */
export function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p className="tag" role="status">
      {text}
    </p>
  ) : null;
}

/** Text typed with line breaks keeps them (the stylesheet and its policy allow no inline styles). */
export function MultiLine({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, index) => (
        <span key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}

/** "Overdue" in words, the colour only repeating them. */
export function OverdueTag() {
  const { t } = usePage();
  return <strong className="tag tag--flag-overdue">{t('policies.loop.inquiry.overdue')}</strong>;
}

/** The last day, flagged when it has passed without an answer. */
export function DueOn({ inquiry }: { inquiry: InquiryView }) {
  return (
    <>
      {inquiry.dueOn}
      {inquiry.overdue ? (
        <>
          {' '}
          <OverdueTag />
        </>
      ) : null}
    </>
  );
}

/** The question, its deadline and the answer, as the enterprise and the officers read them. */
export function InquirySummary({ inquiry, withEnterprise }: { inquiry: InquiryView; withEnterprise?: boolean }) {
  const { t, locale } = usePage();
  const rows: { key: string; value: ReactNode }[] = [
    { key: t('policies.loop.inquiry.policy'), value: `${inLocale(inquiry.policy.title, locale)}（${inquiry.policy.code}）` },
  ];
  if (withEnterprise) rows.push({ key: t('policies.loop.inquiry.enterprise'), value: `${inquiry.enterprise.name}（${inquiry.enterprise.uscc}）` });
  rows.push(
    { key: t('policies.loop.inquiry.question'), value: <MultiLine text={inquiry.question} /> },
    { key: t('policies.loop.inquiry.askedAt'), value: when(inquiry.askedAt, locale) },
    { key: t('policies.loop.inquiry.dueOn'), value: <DueOn inquiry={inquiry} /> },
    { key: t('policies.loop.inquiry.state'), value: t(`policies.loop.inquiry.state.${inquiry.state}` as MessageKey) },
  );
  if (inquiry.answer) {
    rows.push(
      { key: t('policies.loop.inquiry.answer'), value: <MultiLine text={inquiry.answer.text} /> },
      { key: t('policies.loop.inquiry.answeredBy'), value: inquiry.answer.answeredBy },
      {
        key: t('policies.loop.inquiry.answeredAt'),
        value: `${when(inquiry.answer.answeredAt, locale)} ${t(inquiry.answer.inTime ? 'policies.loop.inquiry.inTime' : 'policies.loop.inquiry.late')}`,
      },
    );
  }
  if (inquiry.rating) {
    rows.push(
      { key: t('policies.loop.rate.rating'), value: t(scoreKey(inquiry.rating.rating)) },
      { key: t('policies.loop.rate.resolved'), value: t(inquiry.rating.resolved ? 'policies.loop.rate.resolvedYes' : 'policies.loop.rate.resolvedNo') },
    );
  }
  return <SummaryList rows={rows} />;
}
