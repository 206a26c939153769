import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../../../core/auth.js';
import { notFound } from '../../../core/errors.js';
import type { MessageKey, Translator } from '../../../core/i18n.js';
import type { HttpApp } from '../../../core/http.js';
import { queryOf } from '../../../identity/pages/context.js';
import { Button, Form, InsetText, SummaryList, Table, TextArea, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../../web/page.js';
import type { PolicyAnalyticsService } from '../analytics.js';
import type { PolicyInquiryService } from '../inquiries.js';
import { ANSWER_MAX, INQUIRY_WORKING_DAYS, type AnalyticsOverview, type InquiryView, type PolicyAnalyticsView } from '../schema.js';
import { CODE_PATTERN, DueOn, InquirySummary, Notice, OverdueTag, checkedId, inLocale, scoreKey, pageOfficer, when } from './components.js';

const FILTERS = {
  open: { state: 'open' as const, overdue: false },
  overdue: { state: 'open' as const, overdue: true },
  answered: { state: 'answered' as const, overdue: false },
  all: { state: undefined, overdue: false },
};
type FilterName = keyof typeof FILTERS;
const isFilter = (value: unknown): value is FilterName => typeof value === 'string' && value in FILTERS;

const INQUIRIES = '/department/policy-inquiries';
const ANALYTICS = '/department/policy-analytics';
const inquiryBase = (id: string) => `${INQUIRIES}/${encodeURIComponent(id)}`;
const analyticsOf = (code: string) => `${ANALYTICS}/${encodeURIComponent(code)}`;

function InquiryList({ inquiries, total, filter }: { inquiries: InquiryView[]; total: number; filter: FilterName }) {
  const { t, locale } = usePage();
  // The link's name starts with its visible words, as speech input expects.
  const action = (inquiry: InquiryView) => (inquiry.state === 'open' ? t('policies.loop.page.department.answer') : t('policies.loop.page.open'));
  return (
    <>
      <h1>{t('policies.loop.page.department.title')}</h1>
      <p className="lead">{t('policies.loop.page.department.lead', { days: INQUIRY_WORKING_DAYS })}</p>
      <nav aria-label={t('policies.loop.page.department.filters')}>
        <ul className="filter-links">
          {(Object.keys(FILTERS) as FilterName[]).map((name) => (
            <li key={name}>
              <a href={`${INQUIRIES}?show=${name}`} aria-current={name === filter ? 'page' : undefined}>
                {t(`policies.loop.page.department.filter.${name}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {inquiries.length === 0 ? (
        <p>{t('policies.loop.page.department.none')}</p>
      ) : (
        <>
          <p>{t('policies.loop.page.department.count', { total })}</p>
          <Table
            caption={t('policies.loop.page.department.caption')}
            head={[
              t('policies.loop.inquiry.policy'),
              t('policies.loop.inquiry.enterprise'),
              t('policies.loop.inquiry.askedAt'),
              t('policies.loop.inquiry.dueOn'),
              t('policies.loop.inquiry.state'),
              t('policies.loop.page.open'),
            ]}
            rows={inquiries.map((inquiry) => ({
              key: inquiry.id,
              cells: [
                inLocale(inquiry.policy.title, locale),
                inquiry.enterprise.name,
                when(inquiry.askedAt, locale),
                <DueOn inquiry={inquiry} />,
                t(`policies.loop.inquiry.state.${inquiry.state}` as MessageKey),
                <a
                  href={inquiryBase(inquiry.id)}
                  aria-label={t('policies.loop.page.department.openLabel', { action: action(inquiry), enterprise: inquiry.enterprise.name, policy: inLocale(inquiry.policy.title, locale) })}
                >
                  {action(inquiry)}
                </a>,
              ],
            }))}
          />
        </>
      )}
      <p>
        <a href={ANALYTICS}>{t('policies.loop.page.analytics.title')}</a>
      </p>
    </>
  );
}

function InquiryPage({ inquiry, notice }: { inquiry: InquiryView; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('policies.loop.page.department.inquiryTitle', { enterprise: inquiry.enterprise.name })}</h1>
      <Notice text={notice} />
      {inquiry.overdue ? <InsetText>{t('policies.loop.page.department.overdueHint', { date: inquiry.dueOn })}</InsetText> : null}
      <InquirySummary inquiry={inquiry} withEnterprise />
      {inquiry.state === 'open' ? (
        <>
          <h2 id="answer-heading">{t('policies.loop.page.department.answer')}</h2>
          <Form action={`${inquiryBase(inquiry.id)}/answer`}>
            <TextArea name="answer" label={t('policies.loop.inquiry.answer')} hint={t('policies.loop.page.department.answerHint', { max: ANSWER_MAX })} rows={8} />
            <Button>{t('policies.loop.page.department.submitAnswer')}</Button>
          </Form>
        </>
      ) : null}
      <p>
        <a href={INQUIRIES}>{t('policies.loop.page.department.back')}</a>
      </p>
    </>
  );
}

/** A condition as officers wrote it: its label, or the fact, the operator and the value in words. */
export function describeCondition(condition: Pick<PolicyAnalyticsView['nearMisses']['byCondition'][number], 'fact' | 'op' | 'value' | 'label'>, t: Translator, locale: 'zh-CN' | 'en'): string {
  if (condition.label) return condition.label[locale];
  const factKey = `policies.fact.${condition.fact}`;
  const fact = t(factKey as MessageKey);
  const value = (Array.isArray(condition.value) ? condition.value : [condition.value])
    .map((item) => (typeof item === 'boolean' ? t(item ? 'policies.loop.value.true' : 'policies.loop.value.false') : String(item)))
    .join(locale === 'en' ? ', ' : '、');
  return t('policies.loop.condition', { fact: fact === factKey ? condition.fact : fact, op: t(`policies.loop.op.${condition.op}` as MessageKey), value });
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

function AnalyticsPage({ analytics }: { analytics: PolicyAnalyticsView }) {
  const { t, locale } = usePage();
  const { matches, nearMisses, inquiries, satisfaction, benefits } = analytics;
  const top = nearMisses.byCondition[0];
  return (
    <>
      <p className="caption">{analytics.code}</p>
      <h1>{t('policies.loop.page.analytics.policyTitle', { title: inLocale(analytics.title, locale) })}</h1>
      <p className="lead">{t('policies.loop.page.analytics.asOf', { date: analytics.on })}</p>
      <SummaryList
        rows={[
          { key: t('policies.loop.page.analytics.status'), value: t(`policies.loop.status.${analytics.status}` as MessageKey) },
          { key: t('policies.loop.page.analytics.version'), value: analytics.version === null ? t('policies.loop.page.analytics.notPublished') : String(analytics.version) },
        ]}
      />

      <h2 id="reach">{t('policies.loop.page.analytics.reach')}</h2>
      <SummaryList
        rows={[
          { key: t('policies.loop.page.analytics.views'), value: String(analytics.views.total) },
          { key: t('policies.loop.page.analytics.views30'), value: String(analytics.views.last30Days) },
          { key: t('policies.loop.page.analytics.matched'), value: String(matches.total) },
          { key: t('policies.outcome.eligible'), value: String(matches.eligible) },
          { key: t('policies.outcome.ineligible'), value: String(matches.ineligible) },
          { key: t('policies.outcome.undetermined'), value: String(matches.undetermined) },
        ]}
      />

      <h2 id="near-misses">{t('policies.loop.page.analytics.nearMisses')}</h2>
      {top ? (
        <>
          <p>{t('policies.loop.page.analytics.topCondition', { condition: describeCondition(top, t, locale), count: top.enterprises, total: nearMisses.total })}</p>
          <Table
            caption={t('policies.loop.page.analytics.nearMissCaption')}
            head={[t('policies.loop.page.analytics.condition'), t('policies.loop.page.analytics.fact'), t('policies.loop.page.analytics.enterprises')]}
            rows={nearMisses.byCondition.map((condition) => ({
              key: JSON.stringify([condition.fact, condition.op, condition.value]),
              cells: [describeCondition(condition, t, locale), condition.fact, String(condition.enterprises)],
            }))}
          />
        </>
      ) : (
        <p>{t('policies.loop.page.analytics.noNearMisses')}</p>
      )}

      <h2 id="uptake">{t('policies.loop.page.analytics.uptake')}</h2>
      {benefits.available ? (
        <SummaryList
          rows={[
            { key: t('policies.loop.page.analytics.claims'), value: String(benefits.claims) },
            { key: t('policies.loop.page.analytics.grants'), value: String(benefits.grants) },
            { key: t('policies.loop.page.analytics.uptakeRate'), value: analytics.uptakeRate === null ? t('policies.loop.page.analytics.noRate') : percent(analytics.uptakeRate) },
          ]}
        />
      ) : (
        <InsetText>{t('policies.loop.page.analytics.benefitsUnavailable')}</InsetText>
      )}

      <h2 id="inquiries">{t('policies.loop.page.analytics.inquiries')}</h2>
      <SummaryList
        rows={[
          { key: t('policies.loop.page.analytics.inquiriesTotal'), value: String(inquiries.total) },
          {
            key: t('policies.loop.page.analytics.inquiriesOpen'),
            value: (
              <>
                {inquiries.open}
                {inquiries.overdue ? (
                  <>
                    {' '}
                    <OverdueTag /> {inquiries.overdue}
                  </>
                ) : null}
              </>
            ),
          },
          { key: t('policies.loop.page.analytics.answeredInTime'), value: String(inquiries.answeredInTime) },
          { key: t('policies.loop.page.analytics.answeredLate'), value: String(inquiries.answeredLate) },
          {
            key: t('policies.loop.page.analytics.answerRating'),
            value: inquiries.averageRating === null ? t('policies.loop.page.analytics.noRatings') : t('policies.loop.page.analytics.averageOf', { average: inquiries.averageRating, count: inquiries.rated }),
          },
          { key: t('policies.loop.page.analytics.resolved'), value: t('policies.loop.page.analytics.resolvedOf', { resolved: inquiries.resolved, rated: inquiries.rated }) },
        ]}
      />
      <p>
        <a href={`${INQUIRIES}?show=open`}>{t('policies.loop.page.department.title')}</a>
      </p>

      <h2 id="satisfaction">{t('policies.loop.page.analytics.satisfaction')}</h2>
      {satisfaction.responses === 0 ? (
        <p>{t('policies.loop.page.analytics.noRatings')}</p>
      ) : (
        <>
          <p>{t('policies.loop.page.analytics.averageOf', { average: satisfaction.average ?? 0, count: satisfaction.responses })}</p>
          <Table
            caption={t('policies.loop.page.analytics.distribution')}
            head={[t('policies.loop.page.analytics.score'), t('policies.loop.page.analytics.enterprises')]}
            rows={satisfaction.distribution.map(({ score, count }) => ({ key: String(score), cells: [t(scoreKey(score)), String(count)] }))}
          />
          {satisfaction.comments.length ? (
            <>
              <h3>{t('policies.loop.page.analytics.comments')}</h3>
              <ul className="plain-list">
                {satisfaction.comments.map((comment, index) => (
                  <li key={index}>
                    {t(scoreKey(comment.satisfaction))}（{when(comment.givenAt, locale)}）：{comment.comment}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      <p>
        <a href={ANALYTICS}>{t('policies.loop.page.analytics.back')}</a>
      </p>
    </>
  );
}

function OverviewPage({ overview }: { overview: AnalyticsOverview }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('policies.loop.page.analytics.title')}</h1>
      <p className="lead">{t('policies.loop.page.analytics.asOf', { date: overview.on })}</p>
      {overview.items.length === 0 ? (
        <p>{t('policies.loop.page.analytics.noPolicies')}</p>
      ) : (
        <Table
          caption={t('policies.loop.page.analytics.overviewCaption')}
          head={[
            t('policies.loop.page.analytics.policy'),
            t('policies.loop.page.analytics.status'),
            t('policies.loop.page.analytics.views'),
            t('policies.outcome.eligible'),
            t('policies.loop.page.analytics.nearMisses'),
            t('policies.loop.page.analytics.inquiriesOpen'),
            t('policies.loop.page.analytics.satisfaction'),
          ]}
          rows={overview.items.map((item) => ({
            key: item.code,
            cells: [
              <a href={analyticsOf(item.code)}>{inLocale(item.title, locale)}</a>,
              t(`policies.loop.status.${item.status}` as MessageKey),
              String(item.views),
              String(item.eligible),
              String(item.nearMisses),
              <>
                {item.openInquiries}
                {item.overdueInquiries ? (
                  <>
                    {' '}
                    <OverdueTag /> {item.overdueInquiries}
                  </>
                ) : null}
              </>,
              item.satisfaction === null ? '—' : String(item.satisfaction),
            ],
          }))}
        />
      )}
      <p>
        <a href={`${INQUIRIES}?show=open`}>{t('policies.loop.page.department.title')}</a>
      </p>
    </>
  );
}

/** The policy officers' pages: questions to answer, and each policy's analytics. */
export function departmentPages(app: HttpApp, { policyInquiries, policyAnalytics }: { policyInquiries: PolicyInquiryService; policyAnalytics: PolicyAnalyticsService }): void {
  app.get(INQUIRIES, { schema: { hide: true } }, async (request, reply) => {
    const officer = pageOfficer(request, reply);
    if (!officer) return reply;
    const show = queryOf(request).show;
    const filter: FilterName = isFilter(show) ? show : 'open';
    const { total, items } = await policyInquiries.forDepartment(officer, { ...FILTERS[filter], limit: 100 });
    return sendPage(request, reply, {
      title: tr(request)('policies.loop.page.department.title'),
      width: 'wide',
      children: <InquiryList inquiries={items} total={total} filter={filter} />,
    });
  });

  const showInquiry = async (request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState & { status?: number }) => {
    const inquiry = await policyInquiries.forOfficer(requireRole(request, 'policyOfficer'), id);
    const t = tr(request);
    return sendPage(request, reply, {
      title: t('policies.loop.page.department.inquiryTitle', { enterprise: inquiry.enterprise.name }),
      form,
      status: form?.status,
      children: <InquiryPage inquiry={inquiry} notice={queryOf(request).answered === '1' ? t('policies.loop.page.department.answered') : undefined} />,
    });
  };

  app.get<{ Params: { inquiryId: string } }>(`${INQUIRIES}/:inquiryId`, { schema: { hide: true } }, async (request, reply) => {
    if (!pageOfficer(request, reply)) return reply;
    return showInquiry(request, reply, checkedId(request.params.inquiryId));
  });

  app.post<{ Params: { inquiryId: string } }>(`${INQUIRIES}/:inquiryId/answer`, { schema: { hide: true } }, async (request, reply) => {
    const officer = pageOfficer(request, reply);
    if (!officer) return reply;
    const id = checkedId(request.params.inquiryId);
    const values = formBody(request);
    try {
      await policyInquiries.answer(officer, id, { answer: values.answer ?? '' });
      return seeOther(reply, `${inquiryBase(id)}?answered=1`);
    } catch (error) {
      return showInquiry(request, reply, id, formStateFrom(error, request, values, 'answer'));
    }
  });

  app.get(ANALYTICS, { schema: { hide: true } }, async (request, reply) => {
    const officer = pageOfficer(request, reply);
    if (!officer) return reply;
    const overview = await policyAnalytics.overview(officer);
    return sendPage(request, reply, { title: tr(request)('policies.loop.page.analytics.title'), width: 'wide', children: <OverviewPage overview={overview} /> });
  });

  app.get<{ Params: { code: string } }>(`${ANALYTICS}/:code`, { schema: { hide: true } }, async (request, reply) => {
    const officer = pageOfficer(request, reply);
    if (!officer) return reply;
    if (!CODE_PATTERN.test(request.params.code)) throw notFound();
    const analytics = await policyAnalytics.forPolicy(officer, request.params.code);
    return sendPage(request, reply, {
      title: tr(request)('policies.loop.page.analytics.policyTitle', { title: inLocale(analytics.title, request.locale ?? 'zh-CN') }),
      width: 'wide',
      children: <AnalyticsPage analytics={analytics} />,
    });
  });
}
