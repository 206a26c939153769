import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type SessionPrincipal } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { parseWith } from '../../core/validation.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { formatDateTime } from '../../web/format.js';
import { Button, InsetText, Select, Table, TextInput, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { AuditSearchQuery, type AuditSearchResult } from '../schema.js';
import type { TransparencyService } from '../service.js';
import type { CheckpointView } from '../checkpoints.js';

const PAGE = '/admin/audit';
const FILTERS = ['from', 'to', 'action', 'actorType', 'actor', 'subjectPersonId', 'subjectEnterpriseId', 'outcome', 'purpose'] as const;
const ACTOR_TYPES = ['person', 'staff', 'admin', 'client', 'system', 'anonymous'] as const;
const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** An administrator or auditor through the second factor; anyone not signed in goes to the staff sign-in. */
function pageAuditor(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!request.principal || request.principal.kind !== 'account') {
    seeOther(reply, `/staff/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, 'admin', 'auditor');
}

/** The filters the form sent, without empty fields (an empty field filters nothing). */
function filledFilters(request: FastifyRequest): Record<string, string> {
  const query = queryOf(request);
  const values: Record<string, string> = {};
  for (const name of [...FILTERS, 'before'] as const) {
    const value = query[name]?.trim();
    if (value) values[name] = value;
  }
  return values;
}

function hrefWith(values: Record<string, string>, extra: Record<string, string> = {}, path = PAGE): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (key !== 'before' || extra.before) params.set(key, value);
  params.set('run', '1');
  return `${path}?${params.toString()}`;
}

function SearchForm({ values }: { values: Record<string, string> }) {
  const { t } = usePage();
  return (
    <form method="get" action={PAGE} noValidate>
      <h2>{t('transparency.page.filters')}</h2>
      <input type="hidden" name="run" value="1" />
      <TextInput name="from" label={t('transparency.page.from')} hint={t('transparency.page.dateHint')} optional width={10} value={values.from ?? ''} />
      <TextInput name="to" label={t('transparency.page.to')} hint={t('transparency.page.dateHint')} optional width={10} value={values.to ?? ''} />
      <TextInput name="action" label={t('transparency.page.action')} hint={t('transparency.page.actionHint')} optional width={20} spellCheck={false} value={values.action ?? ''} />
      <Select
        name="actorType"
        label={t('transparency.page.actorType')}
        placeholder={t('transparency.page.actorType.any')}
        optional
        value={values.actorType ?? ''}
        options={ACTOR_TYPES.map((type) => ({ value: type, label: t(`transparency.page.actorType.${type}` as MessageKey) }))}
      />
      <TextInput name="actor" label={t('transparency.page.actor')} hint={t('transparency.page.actorHint')} optional width={20} value={values.actor ?? ''} />
      <TextInput name="subjectPersonId" label={t('transparency.page.subjectPerson')} optional width={30} spellCheck={false} value={values.subjectPersonId ?? ''} />
      <TextInput name="subjectEnterpriseId" label={t('transparency.page.subjectEnterprise')} optional width={30} spellCheck={false} value={values.subjectEnterpriseId ?? ''} />
      <Select
        name="outcome"
        label={t('transparency.page.outcome')}
        placeholder={t('transparency.page.outcome.any')}
        optional
        value={values.outcome ?? ''}
        options={OUTCOMES.map((outcome) => ({ value: outcome, label: t(`transparency.page.outcome.${outcome}` as MessageKey) }))}
      />
      <TextInput name="purpose" label={t('transparency.page.purpose')} hint={t('transparency.page.purposeHint')} optional width={30} value={values.purpose ?? ''} />
      <Button>{t('transparency.page.search')}</Button>
    </form>
  );
}

function Results({ result, values }: { result: AuditSearchResult; values: Record<string, string> }) {
  const { t, locale } = usePage();
  return (
    <>
      {result.items.length === 0 ? (
        <p role="status">{t('transparency.page.none')}</p>
      ) : (
        <Table
          caption={t('transparency.page.caption')}
          head={[t('transparency.page.seq'), t('transparency.page.when'), t('transparency.page.who'), t('transparency.page.what'), t('transparency.page.subject'), t('transparency.page.why'), t('transparency.page.result')]}
          rows={result.items.map((event) => ({
            key: String(event.seq),
            cells: [
              event.seq,
              <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt, locale)}</time>,
              `${event.actorLabel ?? ''} (${t(`transparency.page.actorType.${event.actorType}` as MessageKey)})`,
              <span className="code">{event.action}</span>,
              [
                event.subjectPersonId ? t('transparency.page.personShort', { id: event.subjectPersonId }) : '',
                event.subjectEnterpriseId ? t('transparency.page.enterpriseShort', { id: event.subjectEnterpriseId }) : '',
              ]
                .filter(Boolean)
                .join('; '),
              event.purpose ?? '',
              t(`transparency.page.outcome.${event.outcome}` as MessageKey),
            ],
          }))}
        />
      )}
      <nav aria-label={t('transparency.page.pages')}>
        <ul className="pagination">
          {values.before ? (
            <li>
              <a href={hrefWith(values)}>{t('transparency.page.newest')}</a>
            </li>
          ) : null}
          {result.next ? (
            <li>
              <a href={hrefWith(values, { before: result.next })} rel="next">
                {t('transparency.page.older')}
              </a>
            </li>
          ) : null}
          <li>
            <a href={hrefWith(values, {}, '/api/v1/admin/audit-events.csv')} download>
              {t('transparency.page.export')}
            </a>
          </li>
        </ul>
      </nav>
    </>
  );
}

function CheckpointNote({ latest }: { latest: CheckpointView | null }) {
  const { t, locale } = usePage();
  return (
    <>
      <h2>{t('transparency.page.chain')}</h2>
      <InsetText>
        <p>{latest ? t('transparency.page.chainOk', { seq: latest.seq, at: formatDateTime(latest.at, locale) }) : t('transparency.page.chainNone')}</p>
        <p>{t('transparency.page.chainVerifyHint')}</p>
      </InsetText>
    </>
  );
}

/** The audit trail search page: filters as a GET form (bookmarkable, no JavaScript), results paged by keyset. */
export function auditPages(app: HttpApp, transparency: TransparencyService): void {
  app.get(PAGE, { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAuditor(request, reply);
    if (!principal) return reply;
    const values = filledFilters(request);
    const t = tr(request);
    let result: AuditSearchResult | undefined;
    let form: (FormState & { status: number }) | undefined;
    // Opening the page searches nothing (a search is audited); the form's submission does.
    if (queryOf(request).run === '1') {
      try {
        result = await transparency.search(principal, parseWith(AuditSearchQuery, values, 'invalidSearch'));
      } catch (error) {
        form = formStateFrom(error, request, values, 'from');
      }
    }
    const latest = await transparency.checkpoints.latest();
    return sendPage(request, reply, {
      title: t('transparency.page.title'),
      width: 'wide',
      form,
      status: form?.status,
      children: (
        <>
          <h1>{t('transparency.page.title')}</h1>
          <p>{t('transparency.page.lead')}</p>
          <SearchForm values={values} />
          {result ? <Results result={result} values={values} /> : null}
          <CheckpointNote latest={latest} />
        </>
      ),
    });
  });
}
