import type { FastifyReply, FastifyRequest } from 'fastify';
import { requirePerson } from '../../core/auth.js';
import { notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { Button, Form, InsetText, Radios, SummaryList, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { COMMENT_MAX, INDICATORS } from '../schema.js';
import type { EvaluationService, ReviewContext } from '../service.js';
import { CaseProgress, ID_PATTERN, Notice, ReviewSummary, TextArea, flattenIndicatorFields, indicatorKey, nameIn, ratingKey, useRatingOptions, useScoreOptions } from './components.js';

function ReviewForm({ action }: { action: string }) {
  const { t } = usePage();
  const ratingOptions = useRatingOptions();
  const scoreOptions = useScoreOptions();
  return (
    <Form action={action}>
      <Radios name="rating" legend={t('evaluation.page.review.rating')} options={ratingOptions} />
      <h2>{t('evaluation.page.review.indicators')}</h2>
      <p className="hint">{t('evaluation.page.review.indicatorHint')}</p>
      {INDICATORS.map((indicator) => (
        <Radios key={indicator} name={indicator} legend={t(indicatorKey(indicator))} options={scoreOptions} />
      ))}
      <TextArea name="comment" label={t('evaluation.page.review.comment')} hint={t('evaluation.page.review.commentHint', { max: COMMENT_MAX })} optional />
      <Button>{t('evaluation.page.review.submit')}</Button>
    </Form>
  );
}

function RectificationSection({ context, base }: { context: ReviewContext; base: string }) {
  const { t } = usePage();
  const ratingOptions = useRatingOptions();
  const rectification = context.review?.rectification;
  if (!rectification) return null;
  return (
    <>
      <h2 id="rectification">{t('evaluation.page.rectification.title')}</h2>
      {rectification.status === 'open' || rectification.status === 'dismissed' ? (
        <InsetText>{t('evaluation.page.rectification.waiting', { date: rectification.dueOn })}</InsetText>
      ) : null}
      {rectification.status === 'appealed' ? <InsetText>{t('evaluation.page.rectification.appealPending')}</InsetText> : null}
      <CaseProgress rectification={rectification} />
      {rectification.applicantRating !== null ? (
        <SummaryList
          rows={[
            {
              key: t('evaluation.page.rectification.yourRating'),
              value: `${rectification.applicantRating} ${t(ratingKey(rectification.applicantRating))}`,
            },
            ...(rectification.applicantComment ? [{ key: t('evaluation.page.rectification.comment'), value: rectification.applicantComment }] : []),
          ]}
        />
      ) : rectification.status === 'responded' ? (
        <>
          <h2 id="rate">{t('evaluation.page.rectification.rate')}</h2>
          <Form action={`${base}/rectification-rating`}>
            <Radios name="rating" legend={t('evaluation.page.rectification.rating')} options={ratingOptions} />
            <TextArea name="comment" label={t('evaluation.page.rectification.comment')} hint={t('evaluation.page.review.commentHint', { max: COMMENT_MAX })} rows={3} optional />
            <Button>{t('evaluation.page.rectification.submit')}</Button>
          </Form>
        </>
      ) : null}
    </>
  );
}

function ReviewPage({ context, base, notice, workingDays }: { context: ReviewContext; base: string; notice?: string; workingDays: number }) {
  const { t, locale } = usePage();
  const { application, review } = context;
  return (
    <>
      <h1>{t('evaluation.page.review.title')}</h1>
      <Notice text={notice} />
      <SummaryList
        rows={[
          { key: t('evaluation.page.review.trackingNumber'), value: application.trackingNumber },
          { key: t('evaluation.page.review.item'), value: nameIn(application.itemName, locale) },
        ]}
      />
      {review ? (
        <>
          <h2 id="review">{t('evaluation.page.review.yours')}</h2>
          <ReviewSummary rating={review.rating} indicators={review.indicators} comment={review.comment} createdAt={review.createdAt} />
          <RectificationSection context={context} base={base} />
        </>
      ) : context.reviewable ? (
        <>
          <p className="lead">{t('evaluation.page.review.lead', { days: workingDays })}</p>
          <ReviewForm action={base} />
        </>
      ) : (
        <InsetText>{t('evaluation.page.review.notYet')}</InsetText>
      )}
    </>
  );
}

/** The applicant's page for rating an application, following the rectification, and rating that. */
export function reviewPages(app: HttpApp, evaluation: EvaluationService): void {
  const baseOf = (id: string) => `/applications/${encodeURIComponent(id)}/review`;

  const show = async (request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState & { status?: number }) => {
    const principal = requirePerson(request);
    if (!ID_PATTERN.test(id)) throw notFound('applicationNotFound', 'evaluation.application.notFound');
    const context = await evaluation.reviewContext(principal, id);
    const t = tr(request);
    const query = queryOf(request);
    const notice = query.done === '1' ? t('evaluation.page.review.done') : query.rated === '1' ? t('evaluation.page.rectification.rated') : undefined;
    return sendPage(request, reply, {
      title: t('evaluation.page.review.title'),
      form,
      status: form?.status,
      children: <ReviewPage context={context} base={baseOf(id)} notice={notice} workingDays={evaluation.workingDays} />,
    });
  };

  app.get<{ Params: { id: string } }>('/applications/:id/review', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    return show(request, reply, request.params.id);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/review', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const id = request.params.id;
    const values = formBody(request);
    const score = (name: string) => (values[name] ? Number(values[name]) : Number.NaN);
    try {
      await evaluation.review(requirePerson(request), id, {
        rating: score('rating'),
        indicators: { efficiency: score('efficiency'), guidanceAccuracy: score('guidanceAccuracy'), convenience: score('convenience') },
        comment: values.comment,
      });
      return seeOther(reply, `${baseOf(id)}?done=1`);
    } catch (error) {
      return show(request, reply, id, formStateFrom(flattenIndicatorFields(error), request, values));
    }
  });

  app.post<{ Params: { id: string } }>('/applications/:id/review/rectification-rating', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const id = request.params.id;
    const values = formBody(request);
    try {
      const person = requirePerson(request);
      const review = await evaluation.getReviewForApplicant(person, id);
      await evaluation.rateRectification(person, review.id, { rating: values.rating ? Number(values.rating) : Number.NaN, comment: values.comment });
      return seeOther(reply, `${baseOf(id)}?rated=1#rectification`);
    } catch (error) {
      return show(request, reply, id, formStateFrom(error, request, values));
    }
  });
}
