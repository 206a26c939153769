import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { queryOf } from '../../identity/pages/context.js';
import { Button, Form, InsetText, Radios, SummaryList, Table, TextInput, WarningText, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { DECISIONS, OUTCOMES, TEXT_MAX, type ApplicantContact, type RectificationStatus, type RectificationView } from '../schema.js';
import type { EvaluationService } from '../service.js';
import { CaseProgress, ID_PATTERN, Notice, ReviewSummary, TextArea, nameIn, pageStaff, ratingKey, statusKey, when } from './components.js';
import type { MessageKey } from '../../core/i18n.js';

const FILTERS: Record<'awaiting' | 'overdue' | 'appealed' | 'all', { statuses?: RectificationStatus[]; overdue: boolean }> = {
  awaiting: { statuses: ['open', 'dismissed'], overdue: false },
  overdue: { overdue: true },
  appealed: { statuses: ['appealed'], overdue: false },
  all: { overdue: false },
};
type FilterName = keyof typeof FILTERS;
const isFilter = (value: unknown): value is FilterName => typeof value === 'string' && value in FILTERS;

const caseBase = (id: string) => `/workbench/rectifications/${encodeURIComponent(id)}`;
const appealBase = (id: string) => `/workbench/appeals/${encodeURIComponent(id)}`;

/** "2026-10-09 14:30" in Beijing time as an ISO instant; anything else is passed on for the service to refuse. */
function beijingToIso(value: string | undefined): string {
  const match = /^\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})\s*$/.exec(value ?? '');
  if (!match) return value ?? '';
  const date = new Date(`${match[1]}T${match[2]!.padStart(2, '0')}:${match[3]}:00+08:00`);
  return Number.isNaN(date.getTime()) ? (value ?? '') : date.toISOString();
}

function CaseList({ cases, total, filter }: { cases: RectificationView[]; total: number; filter: FilterName }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('evaluation.page.workbench.title')}</h1>
      <p className="lead">{t('evaluation.page.workbench.lead')}</p>
      <nav aria-label={t('evaluation.page.workbench.filters')}>
        <ul className="filter-links">
          {(Object.keys(FILTERS) as FilterName[]).map((name) => (
            <li key={name}>
              <a href={`/workbench/rectifications?show=${name}`} aria-current={name === filter ? 'page' : undefined}>
                {t(`evaluation.page.workbench.filter.${name}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {cases.length === 0 ? (
        <p>{t('evaluation.page.workbench.none')}</p>
      ) : (
        <>
          <p>{t('evaluation.page.workbench.count', { total })}</p>
          <Table
            caption={t('evaluation.page.workbench.caption')}
            head={[
              t('evaluation.page.workbench.trackingNumber'),
              t('evaluation.page.workbench.item'),
              t('evaluation.page.workbench.rating'),
              t('evaluation.page.workbench.openedAt'),
              t('evaluation.page.workbench.dueOn'),
              t('evaluation.page.workbench.status'),
              t('evaluation.page.workbench.open'),
            ]}
            rows={cases.map((c) => ({
              key: c.id,
              cells: [
                c.trackingNumber,
                nameIn(c.itemName, locale),
                `${c.review.rating} ${t(ratingKey(c.review.rating))}`,
                when(c.openedAt, locale),
                <>
                  {c.dueOn}
                  {c.overdue ? (
                    <>
                      {' '}
                      <strong className="tag">{t('evaluation.page.workbench.overdue')}</strong>
                    </>
                  ) : null}
                </>,
                t(statusKey(c.status)),
                <a href={caseBase(c.id)} aria-label={t('evaluation.page.workbench.openLabel', { trackingNumber: c.trackingNumber })}>
                  {t('evaluation.page.workbench.open')}
                </a>,
              ],
            }))}
          />
        </>
      )}
    </>
  );
}

function CasePage({ rectification, contact, notice }: { rectification: RectificationView; contact?: ApplicantContact; notice?: string }) {
  const { t, locale } = usePage();
  const base = caseBase(rectification.id);
  const awaiting = rectification.status === 'open' || rectification.status === 'dismissed';
  return (
    <>
      <h1>{t('evaluation.page.case.title', { trackingNumber: rectification.trackingNumber })}</h1>
      <Notice text={notice} />
      {rectification.overdue ? <WarningText>{t('evaluation.page.workbench.overdue')}</WarningText> : null}
      <SummaryList
        rows={[
          { key: t('evaluation.page.review.trackingNumber'), value: rectification.trackingNumber },
          { key: t('evaluation.page.review.item'), value: nameIn(rectification.itemName, locale) },
        ]}
      />
      <h2 id="review">{t('evaluation.page.case.review')}</h2>
      <ReviewSummary {...rectification.review} />
      <h2 id="progress">{t('evaluation.page.rectification.title')}</h2>
      <CaseProgress rectification={rectification} />
      {rectification.applicantRating !== null ? (
        <SummaryList
          rows={[
            { key: t('evaluation.page.case.applicantRating'), value: `${rectification.applicantRating} ${t(ratingKey(rectification.applicantRating))}` },
            ...(rectification.applicantComment ? [{ key: t('evaluation.page.rectification.comment'), value: rectification.applicantComment }] : []),
          ]}
        />
      ) : null}
      {awaiting ? (
        <>
          <h2 id="contact">{t('evaluation.page.case.contact')}</h2>
          {contact ? (
            <SummaryList
              rows={[
                { key: t('evaluation.page.case.name'), value: contact.name },
                { key: t('evaluation.page.case.phone'), value: contact.phone ?? t('evaluation.page.case.noPhone') },
              ]}
            />
          ) : (
            <Form action={`${base}/contact`}>
              <p className="hint">{t('evaluation.page.case.contactHint')}</p>
              <Button variant="secondary">{t('evaluation.page.case.showContact')}</Button>
            </Form>
          )}
          <h2 id="respond">{t('evaluation.page.case.respond')}</h2>
          <Form action={`${base}/response`}>
            <TextInput name="callbackAt" label={t('evaluation.page.case.callbackAt')} hint={t('evaluation.page.case.callbackAtHint')} autoComplete="off" width={20} />
            <Radios name="outcome" legend={t('evaluation.page.case.outcome')} options={OUTCOMES.map((o) => ({ value: o, label: t(`evaluation.outcome.${o}` as MessageKey) }))} />
            <TextArea name="response" label={t('evaluation.page.case.response')} hint={t('evaluation.page.case.responseHint', { max: TEXT_MAX })} />
            <Button>{t('evaluation.page.case.submitResponse')}</Button>
          </Form>
        </>
      ) : null}
      {rectification.status === 'open' ? (
        <>
          <h2 id="appeal">{t('evaluation.page.case.appeal')}</h2>
          <InsetText>{t('evaluation.page.case.appealHint')}</InsetText>
          <Form action={`${base}/appeal`}>
            <TextArea name="reason" label={t('evaluation.page.case.reason')} rows={4} />
            <Button variant="warning">{t('evaluation.page.case.submitAppeal')}</Button>
          </Form>
        </>
      ) : null}
      <p>
        <a href="/workbench/rectifications">{t('evaluation.page.case.back')}</a>
      </p>
    </>
  );
}

function AppealList({ appeals }: { appeals: RectificationView[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('evaluation.page.appeals.title')}</h1>
      <p className="lead">{t('evaluation.page.appeals.lead')}</p>
      {appeals.length === 0 ? (
        <p>{t('evaluation.page.appeals.none')}</p>
      ) : (
        <Table
          caption={t('evaluation.page.appeals.caption')}
          head={[
            t('evaluation.page.workbench.trackingNumber'),
            t('evaluation.page.appeals.department'),
            t('evaluation.page.workbench.item'),
            t('evaluation.page.workbench.rating'),
            t('evaluation.page.appeals.appealedAt'),
            t('evaluation.page.appeals.open'),
          ]}
          rows={appeals.map((a) => ({
            key: a.id,
            cells: [
              a.trackingNumber,
              nameIn(a.departmentName, locale),
              nameIn(a.itemName, locale),
              `${a.review.rating} ${t(ratingKey(a.review.rating))}`,
              when(a.appeal?.appealedAt ?? null, locale),
              <a href={appealBase(a.id)} aria-label={t('evaluation.page.appeals.openLabel', { trackingNumber: a.trackingNumber })}>
                {t('evaluation.page.appeals.open')}
              </a>,
            ],
          }))}
        />
      )}
    </>
  );
}

function AppealPage({ rectification, notice }: { rectification: RectificationView; notice?: string }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('evaluation.page.appeal.title', { trackingNumber: rectification.trackingNumber })}</h1>
      <Notice text={notice} />
      <SummaryList
        rows={[
          { key: t('evaluation.page.appeals.department'), value: nameIn(rectification.departmentName, locale) },
          { key: t('evaluation.page.review.item'), value: nameIn(rectification.itemName, locale) },
          { key: t('evaluation.page.appeals.appealedAt'), value: when(rectification.appeal?.appealedAt ?? null, locale) },
        ]}
      />
      <h2 id="review">{t('evaluation.page.case.review')}</h2>
      <ReviewSummary {...rectification.review} />
      <h2 id="progress">{t('evaluation.page.rectification.appeal')}</h2>
      <CaseProgress rectification={rectification} />
      {rectification.status === 'appealed' ? (
        <Form action={`${appealBase(rectification.id)}/decision`}>
          <Radios name="decision" legend={t('evaluation.page.appeal.decision')} options={DECISIONS.map((d) => ({ value: d, label: t(`evaluation.decision.${d}` as MessageKey) }))} />
          <TextArea name="note" label={t('evaluation.page.appeal.note')} hint={t('evaluation.page.appeal.noteHint', { max: TEXT_MAX })} rows={4} />
          <Button>{t('evaluation.page.appeal.submit')}</Button>
        </Form>
      ) : null}
      <p>
        <a href="/workbench/appeals">{t('evaluation.page.appeal.back')}</a>
      </p>
    </>
  );
}

/** The department's rectification workbench and the supervisor's appeal review. */
export function workbenchPages(app: HttpApp, evaluation: EvaluationService): void {
  app.get('/workbench/rectifications', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'officer', 'approver');
    if (!staff) return reply;
    const show = queryOf(request).show;
    const filter: FilterName = isFilter(show) ? show : 'awaiting';
    const { total, items } = await evaluation.listRectifications(staff, { ...FILTERS[filter], limit: 200 });
    return sendPage(request, reply, { title: tr(request)('evaluation.page.workbench.title'), width: 'wide', children: <CaseList cases={items} total={total} filter={filter} /> });
  });

  const showCase = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: { form?: FormState & { status?: number }; contact?: boolean } = {}) => {
    const staff = pageStaff(request, reply, 'officer', 'approver');
    if (!staff) return reply;
    if (!ID_PATTERN.test(id)) throw notFound('rectificationNotFound', 'evaluation.rectification.notFound');
    const rectification = await evaluation.getRectification(staff, id);
    const contact = extra.contact ? await evaluation.applicantContact(staff, id) : undefined;
    const t = tr(request);
    const query = queryOf(request);
    const notice = query.responded === '1' ? t('evaluation.page.case.responded') : query.appealed === '1' ? t('evaluation.page.case.appealed') : undefined;
    return sendPage(request, reply, {
      title: t('evaluation.page.case.title', { trackingNumber: rectification.trackingNumber }),
      form: extra.form,
      status: extra.form?.status,
      children: <CasePage rectification={rectification} contact={contact} notice={notice} />,
    });
  };

  app.get<{ Params: { id: string } }>('/workbench/rectifications/:id', { schema: { hide: true } }, async (request, reply) => showCase(request, reply, request.params.id));

  // A POST, not a link: looking at personal data is audited, and a prefetched link would record reads nobody made.
  app.post<{ Params: { id: string } }>('/workbench/rectifications/:id/contact', { schema: { hide: true } }, async (request, reply) =>
    showCase(request, reply, request.params.id, { contact: true }),
  );

  app.post<{ Params: { id: string } }>('/workbench/rectifications/:id/response', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'officer', 'approver');
    if (!staff) return reply;
    const id = request.params.id;
    const values = formBody(request);
    try {
      await evaluation.respond(staff, id, { callbackAt: beijingToIso(values.callbackAt), outcome: values.outcome ?? '', response: values.response ?? '' });
      return seeOther(reply, `${caseBase(id)}?responded=1`);
    } catch (error) {
      return showCase(request, reply, id, { form: formStateFrom(error, request, values) });
    }
  });

  app.post<{ Params: { id: string } }>('/workbench/rectifications/:id/appeal', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'officer', 'approver');
    if (!staff) return reply;
    const id = request.params.id;
    const values = formBody(request);
    try {
      await evaluation.appeal(staff, id, { reason: values.reason ?? '' });
      return seeOther(reply, `${caseBase(id)}?appealed=1`);
    } catch (error) {
      return showCase(request, reply, id, { form: formStateFrom(error, request, values) });
    }
  });

  app.get('/workbench/appeals', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    const appeals = await evaluation.listAppeals(staff, 'pending');
    return sendPage(request, reply, { title: tr(request)('evaluation.page.appeals.title'), width: 'wide', children: <AppealList appeals={appeals} /> });
  });

  const showAppeal = async (request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState & { status?: number }) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    if (!ID_PATTERN.test(id)) throw notFound('rectificationNotFound', 'evaluation.rectification.notFound');
    const rectification = await evaluation.getAppeal(staff, id);
    const t = tr(request);
    const notice = queryOf(request).decided === '1' ? t('evaluation.page.appeal.decided') : undefined;
    return sendPage(request, reply, {
      title: t('evaluation.page.appeal.title', { trackingNumber: rectification.trackingNumber }),
      form,
      status: form?.status,
      children: <AppealPage rectification={rectification} notice={notice} />,
    });
  };

  app.get<{ Params: { id: string } }>('/workbench/appeals/:id', { schema: { hide: true } }, async (request, reply) => showAppeal(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>('/workbench/appeals/:id/decision', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    const id = request.params.id;
    const values = formBody(request);
    try {
      await evaluation.decideAppeal(staff, id, { decision: values.decision ?? '', note: values.note ?? '' });
      return seeOther(reply, `${appealBase(id)}?decided=1`);
    } catch (error) {
      return showAppeal(request, reply, id, formStateFrom(error, request, values));
    }
  });
}
