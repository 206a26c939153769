import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../../core/auth.js';
import { AppError } from '../../../core/errors.js';
import type { HttpApp } from '../../../core/http.js';
import type { Locale, MessageKey } from '../../../core/i18n.js';
import { Notice, pageStaff, when } from '../../../evaluation/pages/components.js';
import { queryOf } from '../../../identity/pages/context.js';
import { Button, ButtonLink, Form, InsetText, Pager, Select, SummaryList, Table, TextArea, TextInput, WarningText, formBody, formStateFrom, pageNumberOf, seeOther, sendPage, tr, usePage, type FormState } from '../../../web/page.js';
import type { DepartmentRef } from '../../alerts/service.js';
import { FLAG_TEXT_MAX, type FlagQuery, type FlagView } from '../schema.js';
import type { SupervisionFlagService } from '../service.js';

export interface FlagPageDeps {
  flags: SupervisionFlagService;
  /** Departments in a region and below, for the supervisor's form. */
  departmentsWithin(regionCode: string): Promise<DepartmentRef[]>;
}

type Side = 'supervision' | 'workbench';
const SHOW = ['active', 'open', 'responded', 'closed', 'all'] as const;
type Show = (typeof SHOW)[number];
const showOf = (request: FastifyRequest): Show => {
  const value = queryOf(request).show;
  return (SHOW as readonly string[]).includes(value as string) ? (value as Show) : 'active';
};
const flagBase = (side: Side, id: string) => `/${side}/flags/${encodeURIComponent(id)}`;

export function subjectOf(flag: FlagView, locale: Locale, t: (key: MessageKey, params?: Record<string, string>) => string): string {
  return flag.application ? t('supervision.flags.subject.application', { trackingNumber: flag.application.trackingNumber }) : (flag.department.name?.[locale] ?? flag.department.id);
}

/** Flags per page of the lists. */
const PAGE_SIZE = 100;

function FlagList({ flags, total, show, side, page }: { flags: FlagView[]; total: number; show: Show; side: Side; page: number }) {
  const { t, locale } = usePage();
  const region = side === 'supervision';
  return (
    <>
      <h1>{t(region ? 'supervision.flags.page.region.title' : 'supervision.flags.page.department.title')}</h1>
      <p className="lead">{t(region ? 'supervision.flags.page.region.lead' : 'supervision.flags.page.department.lead')}</p>
      {region ? <ButtonLink href="/supervision/flags/new">{t('supervision.flags.page.new')}</ButtonLink> : null}
      <nav aria-label={t('supervision.flags.page.filters')}>
        <ul className="filter-links">
          {SHOW.map((name) => (
            <li key={name}>
              <a href={`/${side}/flags?show=${name}`} aria-current={name === show ? 'page' : undefined}>
                {t(`supervision.flags.page.filter.${name}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {total === 0 ? (
        <p>{t('supervision.flags.page.none')}</p>
      ) : (
        <>
          <p>{t('supervision.flags.page.count', { total })}</p>
          {flags.length ? (
            <Table
              caption={t('supervision.flags.page.caption')}
              head={[t('supervision.flags.page.subject'), t('supervision.flags.page.department'), t('supervision.flags.page.dueOn'), t('supervision.flags.page.status'), '']}
              rows={flags.map((flag) => {
                const subject = subjectOf(flag, locale, t);
                return {
                  key: flag.id,
                  cells: [
                    subject,
                    flag.department.name?.[locale] ?? flag.department.id,
                    <>
                      {flag.dueOn}
                      {flag.overdue ? (
                        <>
                          {' '}
                          <strong className="tag">{t('supervision.flags.page.overdue')}</strong>
                        </>
                      ) : null}
                    </>,
                    t(`supervision.flags.status.${flag.status}` as MessageKey),
                    <a href={flagBase(side, flag.id)} aria-label={t('supervision.flags.page.viewLabel', { subject })}>
                      {t('supervision.flags.page.view')}
                    </a>,
                  ],
                };
              })}
            />
          ) : null}
          <Pager page={page} pages={Math.ceil(total / PAGE_SIZE)} href={(n) => `/${side}/flags?show=${show}&page=${n}`} />
        </>
      )}
    </>
  );
}

function FlagPage({ flag, side, notice }: { flag: FlagView; side: Side; notice?: string }) {
  const { t, locale } = usePage();
  const subject = subjectOf(flag, locale, t);
  const base = flagBase(side, flag.id);
  return (
    <>
      <h1>{t('supervision.flags.page.flag.title', { subject })}</h1>
      <Notice text={notice} />
      {flag.overdue ? <WarningText>{t('supervision.flags.page.overdue')}</WarningText> : null}
      <SummaryList
        rows={[
          { key: t('supervision.flags.page.subject'), value: flag.application ? `${subject} · ${flag.application.itemName[locale]}` : subject },
          { key: t('supervision.flags.page.department'), value: flag.department.name?.[locale] ?? flag.department.id },
          { key: t('supervision.flags.page.status'), value: t(`supervision.flags.status.${flag.status}` as MessageKey) },
          { key: t('supervision.flags.page.reason'), value: flag.reason },
          { key: t('supervision.flags.page.dueOn'), value: flag.dueOn },
          { key: t('supervision.flags.page.round'), value: String(flag.round) },
          { key: t('supervision.flags.page.raisedBy'), value: flag.raisedBy },
          { key: t('supervision.flags.page.raisedAt'), value: when(flag.raisedAt, locale) },
        ]}
      />
      {flag.response ? (
        <>
          <h2 id="response">{t('supervision.flags.page.response')}</h2>
          <InsetText>{flag.response.text}</InsetText>
          <SummaryList
            rows={[
              { key: t('supervision.flags.page.respondedBy'), value: flag.response.by },
              { key: t('supervision.flags.page.respondedAt'), value: `${when(flag.response.at, locale)} (${t(flag.response.onTime ? 'supervision.flags.page.onTime' : 'supervision.flags.page.late')})` },
            ]}
          />
        </>
      ) : null}
      {flag.actions.includes('respond') ? (
        <>
          <h2 id="respond">{t('supervision.flags.page.respond')}</h2>
          <Form action={`${base}/response`}>
            <TextArea name="response" label={t('supervision.flags.page.responseLabel')} hint={t('supervision.flags.page.responseHint', { max: FLAG_TEXT_MAX })} />
            <Button>{t('supervision.flags.page.submitResponse')}</Button>
          </Form>
        </>
      ) : null}
      {side === 'supervision' && flag.actions.includes('close') ? (
        <>
          <h2 id="close">{t('supervision.flags.page.close')}</h2>
          <Form action={`${base}/close`}>
            <TextArea name="note" label={t('supervision.flags.page.closeNote')} rows={3} optional />
            <Button>{t('supervision.flags.page.submitClose')}</Button>
          </Form>
        </>
      ) : null}
      {side === 'supervision' && flag.actions.includes('reopen') ? (
        <>
          <h2 id="reopen">{t('supervision.flags.page.reopen')}</h2>
          <Form action={`${base}/reopen`}>
            <TextArea name="reopenNote" label={t('supervision.flags.page.reopenNote')} hint={t('supervision.flags.page.reopenNoteHint')} rows={3} />
            <TextInput name="dueOn" label={t('supervision.flags.page.newDueOn')} hint={t('supervision.flags.page.dueOnHint')} width={10} autoComplete="off" />
            <Button variant="secondary">{t('supervision.flags.page.submitReopen')}</Button>
          </Form>
        </>
      ) : null}
      <h2 id="history">{t('supervision.flags.page.history')}</h2>
      <Table
        caption={t('supervision.flags.page.historyCaption')}
        head={[t('supervision.flags.page.when'), t('supervision.flags.page.step'), t('supervision.flags.page.who'), t('supervision.flags.page.note')]}
        rows={flag.history.map((event, index) => ({
          key: String(index),
          cells: [when(event.at, locale), `${t(`supervision.flags.action.${event.action}` as MessageKey)} (${event.round})`, event.actor, [event.note, event.dueOn ? `${t('supervision.flags.page.dueOn')}: ${event.dueOn}` : null].filter(Boolean).join(' · ')],
        }))}
      />
      <p>
        <a href={`/${side}/flags`}>{t('supervision.flags.page.back')}</a>
      </p>
    </>
  );
}

function NewFlagPage({ departments }: { departments: DepartmentRef[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('supervision.flags.page.form.title')}</h1>
      <p className="lead">{t('supervision.flags.page.form.lead')}</p>
      <Form action="/supervision/flags">
        <TextInput name="trackingNumber" label={t('supervision.flags.page.form.trackingNumber')} hint={t('supervision.flags.page.form.trackingNumberHint')} width={30} autoComplete="off" optional />
        <Select
          name="departmentId"
          label={t('supervision.flags.page.form.department')}
          hint={t('supervision.flags.page.form.departmentHint')}
          placeholder={t('supervision.flags.page.form.noDepartment')}
          options={departments.map((d) => ({ value: d.id, label: locale === 'en' ? d.nameEn : d.nameZh }))}
          optional
        />
        <TextArea name="reason" label={t('supervision.flags.page.form.reason')} hint={t('supervision.flags.page.form.reasonHint', { max: FLAG_TEXT_MAX })} />
        <TextInput name="dueOn" label={t('supervision.flags.page.form.dueOn')} hint={t('supervision.flags.page.dueOnHint')} width={10} autoComplete="off" />
        <Button>{t('supervision.flags.page.form.submit')}</Button>
      </Form>
    </>
  );
}

const ROLES: Record<Side, ('supervisor' | 'officer' | 'approver')[]> = { supervision: ['supervisor'], workbench: ['officer', 'approver'] };

/** The supervisor's pages (/supervision/flags) and the flagged department's (/workbench/flags). */
export function flagPages(app: HttpApp, { flags, departmentsWithin }: FlagPageDeps): void {
  for (const side of ['supervision', 'workbench'] as const) {
    const query = (show: Show, page: number): FlagQuery => ({ scope: side === 'supervision' ? 'region' : 'department', state: show, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

    app.get(`/${side}/flags`, { schema: { hide: true } }, async (request, reply) => {
      const staff = pageStaff(request, reply, ...ROLES[side]);
      if (!staff) return reply;
      const show = showOf(request);
      const page = pageNumberOf(request);
      const { total, items } = await flags.list(staff, query(show, page));
      const title = tr(request)(side === 'supervision' ? 'supervision.flags.page.region.title' : 'supervision.flags.page.department.title');
      return sendPage(request, reply, { title, width: 'wide', children: <FlagList flags={items} total={total} show={show} side={side} page={page} /> });
    });

    const showFlag = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, staff: SessionPrincipal, form?: FormState & { status?: number }) => {
      const flag = await flags.get(staff, request.params.id);
      const t = tr(request);
      const done = queryOf(request).done;
      const notice = done && ['raised', 'responded', 'closed', 'reopened'].includes(done) ? t(`supervision.flags.page.${done}` as MessageKey) : undefined;
      return sendPage(request, reply, { title: t('supervision.flags.page.flag.title', { subject: subjectOf(flag, request.locale, t) }), form, status: form?.status, children: <FlagPage flag={flag} side={side} notice={notice} /> });
    };

    if (side === 'supervision') {
      const newFlag = async (request: FastifyRequest, reply: FastifyReply, staff: SessionPrincipal, form?: FormState & { status?: number }) => {
        const departments = await departmentsWithin(staff.regionCode ?? '');
        const values = queryOf(request);
        const prefilled = form ?? { values: { trackingNumber: values.trackingNumber, departmentId: values.departmentId } };
        return sendPage(request, reply, { title: tr(request)('supervision.flags.page.form.title'), form: prefilled, status: form?.status, children: <NewFlagPage departments={departments} /> });
      };
      app.get('/supervision/flags/new', { schema: { hide: true } }, async (request, reply) => {
        const staff = pageStaff(request, reply, 'supervisor');
        if (!staff) return reply;
        return newFlag(request, reply, staff);
      });
      app.post('/supervision/flags', { schema: { hide: true } }, async (request, reply) => {
        const staff = pageStaff(request, reply, 'supervisor');
        if (!staff) return reply;
        const values = formBody(request);
        try {
          const { flag } = await flags.raise(staff, { trackingNumber: values.trackingNumber, departmentId: values.departmentId, reason: values.reason ?? '', dueOn: values.dueOn ?? '' });
          return seeOther(reply, `${flagBase(side, flag.id)}?done=raised`);
        } catch (error) {
          return newFlag(request, reply, staff, formStateFrom(error, request, values));
        }
      });
    }

    app.get<{ Params: { id: string } }>(`/${side}/flags/:id`, { schema: { hide: true } }, async (request, reply) => {
      const staff = pageStaff(request, reply, ...ROLES[side]);
      if (!staff) return reply;
      return showFlag(request, reply, staff);
    });

    const post = (action: string, run: (staff: SessionPrincipal, id: string, values: Record<string, string | undefined>) => Promise<unknown>, done: string, fields: Record<string, string> = {}) =>
      app.post<{ Params: { id: string } }>(`/${side}/flags/:id/${action}`, { schema: { hide: true } }, async (request, reply) => {
        const staff = pageStaff(request, reply, ...ROLES[side]);
        if (!staff) return reply;
        const values = formBody(request);
        try {
          await run(staff, request.params.id, values);
          return seeOther(reply, `${flagBase(side, request.params.id)}?done=${done}`);
        } catch (error) {
          return showFlag(request, reply, staff, formStateFrom(renameFields(error, fields), request, values));
        }
      });
    if (side === 'workbench') {
      post('response', (staff, id, values) => flags.respond(staff, id, { response: values.response ?? '' }), 'responded');
    } else {
      post('close', (staff, id, values) => flags.close(staff, id, { note: values.note }), 'closed');
      // The note field is named apart from the close form's, so each form's errors land on its own field.
      post('reopen', (staff, id, values) => flags.reopen(staff, id, { note: values.reopenNote ?? '', dueOn: values.dueOn ?? '' }), 'reopened', { '/note': '/reopenNote' });
    }
  }
}

/** The service names its fields (`/note`); a page with two forms names one of them apart, so its errors must land there. */
function renameFields(error: unknown, fields: Record<string, string>): unknown {
  if (!(error instanceof AppError) || !error.fields.some((f) => f.field in fields)) return error;
  const renamed = error.fields.map((f) => ({ ...f, field: fields[f.field] ?? f.field }));
  return new AppError(error.status, error.code, error.titleKey, error.detailKey, error.params, renamed, error.headers);
}
