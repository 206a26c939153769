import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAccount } from '../../../core/auth.js';
import type { MessageKey } from '../../../core/i18n.js';
import type { HttpApp } from '../../../core/http.js';
import { pageAccount, queryOf } from '../../../identity/pages/context.js';
import { Button, Checkboxes, Form, InsetText, Radios, Select, Table, TextArea, formBody, formList, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../../web/page.js';
import { inquiriesPath, inquiryPath, type PolicyInquiryService } from '../inquiries.js';
import type { PolicyPushService, PushSettings } from '../push.js';
import { COMMENT_MAX, INQUIRY_WORKING_DAYS, QUESTION_MAX, type InquiryView } from '../schema.js';
import { CODE_PATTERN, DueOn, InquirySummary, Notice, checkedId, inLocale, useScoreOptions, when } from './components.js';

type AskContext = Awaited<ReturnType<PolicyInquiryService['askContext']>>;

const settingsPath = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/policy-notifications`;

function InquiriesPage({ context, inquiries, selected, notice }: { context: AskContext; inquiries: InquiryView[]; selected?: string | undefined; notice?: string | undefined }) {
  const { t, locale } = usePage();
  const { enterprise } = context;
  return (
    <>
      <p className="caption">{enterprise.name}</p>
      <h1>{t('policies.loop.page.inquiries.title')}</h1>
      <Notice text={notice} />
      <p className="lead">{t('policies.loop.page.inquiries.lead', { days: INQUIRY_WORKING_DAYS })}</p>
      <h2 id="ask">{t('policies.loop.page.inquiries.ask')}</h2>
      {context.policies.length === 0 ? (
        <InsetText>{t('policies.loop.page.inquiries.noPolicies')}</InsetText>
      ) : (
        <Form action={inquiriesPath(enterprise.id)}>
          <Select
            name="policyCode"
            label={t('policies.loop.inquiry.policy')}
            placeholder={t('policies.loop.page.inquiries.choosePolicy')}
            value={selected}
            options={context.policies.map((policy) => ({ value: policy.code, label: inLocale(policy.title, locale) }))}
          />
          <TextArea name="question" label={t('policies.loop.inquiry.question')} hint={t('policies.loop.page.inquiries.questionHint', { max: QUESTION_MAX })} />
          <Button>{t('policies.loop.page.inquiries.submit')}</Button>
        </Form>
      )}
      <h2 id="mine">{t('policies.loop.page.inquiries.mine')}</h2>
      {inquiries.length === 0 ? (
        <p>{t('policies.loop.page.inquiries.none')}</p>
      ) : (
        <Table
          caption={t('policies.loop.page.inquiries.mine')}
          head={[t('policies.loop.inquiry.policy'), t('policies.loop.inquiry.askedAt'), t('policies.loop.inquiry.dueOn'), t('policies.loop.inquiry.state'), t('policies.loop.page.open')]}
          rows={inquiries.map((inquiry) => ({
            key: inquiry.id,
            cells: [
              inLocale(inquiry.policy.title, locale),
              when(inquiry.askedAt, locale),
              <DueOn inquiry={inquiry} />,
              t(inquiry.answer && !inquiry.rating ? 'policies.loop.page.inquiries.toRate' : (`policies.loop.inquiry.state.${inquiry.state}` as MessageKey)),
              <a href={inquiryPath(enterprise.id, inquiry.id)} aria-label={t('policies.loop.page.inquiries.openLabel', { policy: inLocale(inquiry.policy.title, locale), date: when(inquiry.askedAt, locale) })}>
                {t('policies.loop.page.open')}
              </a>,
            ],
          }))}
        />
      )}
      <p>
        <a href={settingsPath(enterprise.id)}>{t('policies.loop.page.settings.link')}</a>
      </p>
    </>
  );
}

function InquiryPage({ inquiry, enterpriseId, notice }: { inquiry: InquiryView; enterpriseId: string; notice?: string | undefined }) {
  const { t } = usePage();
  const scoreOptions = useScoreOptions();
  return (
    <>
      <p className="caption">{inquiry.enterprise.name}</p>
      <h1>{t('policies.loop.page.inquiry.title')}</h1>
      <Notice text={notice} />
      {!inquiry.answer ? <InsetText>{t('policies.loop.page.inquiry.waiting', { date: inquiry.dueOn })}</InsetText> : null}
      <InquirySummary inquiry={inquiry} />
      {inquiry.answer && !inquiry.rating ? (
        <>
          <h2 id="rate">{t('policies.loop.page.inquiry.rate')}</h2>
          <Form action={`${inquiryPath(enterpriseId, inquiry.id)}/rating`}>
            <Radios name="rating" legend={t('policies.loop.rate.rating')} options={scoreOptions} />
            <Radios
              name="resolved"
              legend={t('policies.loop.rate.resolved')}
              options={[
                { value: 'yes', label: t('policies.loop.rate.resolvedYes') },
                { value: 'no', label: t('policies.loop.rate.resolvedNo') },
              ]}
            />
            <h2 id="policy-satisfaction">{t('policies.loop.page.inquiry.policyHeading')}</h2>
            <Radios name="policySatisfaction" legend={t('policies.loop.rate.policySatisfaction')} hint={t('policies.loop.page.inquiry.policyHint')} options={scoreOptions} />
            <TextArea name="comment" label={t('policies.loop.rate.comment')} hint={t('policies.loop.page.inquiry.commentHint', { max: COMMENT_MAX })} rows={3} optional />
            <Button>{t('policies.loop.page.inquiry.submitRating')}</Button>
          </Form>
        </>
      ) : null}
      <p>
        <a href={inquiriesPath(enterpriseId)}>{t('policies.loop.page.inquiry.back')}</a>
      </p>
    </>
  );
}

function SettingsPage({ settings, enterpriseName, notice }: { settings: PushSettings; enterpriseName: string; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <>
      <p className="caption">{enterpriseName}</p>
      <h1>{t('policies.loop.page.settings.title')}</h1>
      <Notice text={notice} />
      <p className="lead">{t('policies.loop.page.settings.lead')}</p>
      <Form action={settingsPath(settings.enterpriseId)}>
        <Checkboxes
          name="notify"
          legend={t('policies.loop.page.settings.legend')}
          hint={t('policies.loop.page.settings.hint')}
          options={settings.categories.map(({ category }) => ({ value: category, label: t(`policies.category.${category}` as MessageKey) }))}
          selected={settings.categories.filter((c) => c.notify).map((c) => c.category)}
        />
        <Button>{t('policies.loop.page.settings.save')}</Button>
      </Form>
      <p>
        <a href={inquiriesPath(settings.enterpriseId)}>{t('policies.loop.page.inquiries.title')}</a>
      </p>
    </>
  );
}

const numberOrNaN = (value: string | undefined) => (value ? Number(value) : Number.NaN);

/** The enterprise's pages: its questions and their answers, rating them, and which policies to be told about. */
export function enterprisePages(app: HttpApp, { policyInquiries, policyPush }: { policyInquiries: PolicyInquiryService; policyPush: PolicyPushService }): void {
  const showInquiries = async (request: FastifyRequest, reply: FastifyReply, enterpriseId: string, form?: FormState & { status?: number }) => {
    const principal = requireAccount(request);
    const context = await policyInquiries.askContext(principal, enterpriseId);
    const { items } = await policyInquiries.forEnterprise(principal, enterpriseId, { limit: 100 });
    const t = tr(request);
    const query = queryOf(request);
    const selected = query.policy && CODE_PATTERN.test(query.policy) ? query.policy : undefined;
    return sendPage(request, reply, {
      title: t('policies.loop.page.inquiries.title'),
      form,
      status: form?.status,
      width: 'wide',
      children: <InquiriesPage context={context} inquiries={items} selected={selected} notice={query.asked === '1' ? t('policies.loop.page.inquiries.asked') : undefined} />,
    });
  };

  app.get<{ Params: { id: string } }>('/enterprises/:id/policy-inquiries', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    return showInquiries(request, reply, checkedId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/enterprises/:id/policy-inquiries', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    const enterpriseId = checkedId(request.params.id);
    const values = formBody(request);
    try {
      const inquiry = await policyInquiries.ask(requireAccount(request), enterpriseId, { policyCode: values.policyCode ?? '', question: values.question ?? '' });
      return seeOther(reply, `${inquiryPath(enterpriseId, inquiry.id)}?asked=1`);
    } catch (error) {
      return showInquiries(request, reply, enterpriseId, formStateFrom(error, request, values, 'question'));
    }
  });

  const showInquiry = async (request: FastifyRequest, reply: FastifyReply, enterpriseId: string, inquiryId: string, form?: FormState & { status?: number }) => {
    const inquiry = await policyInquiries.inquiryOfEnterprise(requireAccount(request), enterpriseId, inquiryId);
    const t = tr(request);
    const query = queryOf(request);
    const notice = query.asked === '1' ? t('policies.loop.page.inquiries.asked') : query.rated === '1' ? t('policies.loop.page.inquiry.rated') : undefined;
    return sendPage(request, reply, {
      title: t('policies.loop.page.inquiry.title'),
      form,
      status: form?.status,
      children: <InquiryPage inquiry={inquiry} enterpriseId={enterpriseId} notice={notice} />,
    });
  };

  app.get<{ Params: { id: string; inquiryId: string } }>('/enterprises/:id/policy-inquiries/:inquiryId', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    return showInquiry(request, reply, checkedId(request.params.id), checkedId(request.params.inquiryId));
  });

  app.post<{ Params: { id: string; inquiryId: string } }>('/enterprises/:id/policy-inquiries/:inquiryId/rating', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    const enterpriseId = checkedId(request.params.id);
    const inquiryId = checkedId(request.params.inquiryId);
    const values = formBody(request);
    try {
      await policyInquiries.rate(requireAccount(request), enterpriseId, inquiryId, {
        rating: numberOrNaN(values.rating),
        resolved: values.resolved === 'yes' ? true : values.resolved === 'no' ? false : undefined,
        policySatisfaction: values.policySatisfaction ? Number(values.policySatisfaction) : undefined,
        comment: values.comment,
      });
      return seeOther(reply, `${inquiryPath(enterpriseId, inquiryId)}?rated=1`);
    } catch (error) {
      return showInquiry(request, reply, enterpriseId, inquiryId, formStateFrom(error, request, values, 'rating'));
    }
  });

  const showSettings = async (request: FastifyRequest, reply: FastifyReply, enterpriseId: string, notice?: string) => {
    const principal = requireAccount(request);
    const [settings, context] = await Promise.all([policyPush.settings(principal, enterpriseId), policyInquiries.askContext(principal, enterpriseId)]);
    return sendPage(request, reply, {
      title: tr(request)('policies.loop.page.settings.title'),
      children: <SettingsPage settings={settings} enterpriseName={context.enterprise.name} notice={notice} />,
    });
  };

  app.get<{ Params: { id: string } }>('/enterprises/:id/policy-notifications', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    const enterpriseId = checkedId(request.params.id);
    return showSettings(request, reply, enterpriseId, queryOf(request).saved === '1' ? tr(request)('policies.loop.page.settings.saved') : undefined);
  });

  app.post<{ Params: { id: string } }>('/enterprises/:id/policy-notifications', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    const enterpriseId = checkedId(request.params.id);
    const principal = requireAccount(request);
    // The form lists the categories to be told about; the service keeps the ones left out.
    const notify = new Set(formList(request, 'notify'));
    const current = await policyPush.settings(principal, enterpriseId);
    await policyPush.updateSettings(principal, enterpriseId, { optedOut: current.categories.map((c) => c.category).filter((category) => !notify.has(category)) });
    return seeOther(reply, `${settingsPath(enterpriseId)}?saved=1`);
  });
}
