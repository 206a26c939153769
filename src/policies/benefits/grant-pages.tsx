import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import { notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { queryOf } from '../../identity/pages/context.js';
import { when } from '../../applications/pages/components.js';
import { Button, Form, InsetText, SummaryList, Table, WarningText, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { moneyText } from './money.js';
import { Notice, policyHref } from '../pages/components.js';
import { checkedCode, pagePolicyOfficer } from '../pages/context.js';
import type { BatchRowView, BatchView } from './grants.js';
import type { BenefitPageDeps } from './pages.js';
import './messages.js';

const PAGE_SIZE = 50;
const ID = /^[\w-]{1,64}$/;

export const GRANTS_HOME = '/workbench/policy-grants';
const policyGrantsHref = (code: string) => `${GRANTS_HOME}/${encodeURIComponent(code)}`;
export const batchHref = (id: string) => `/workbench/policy-grant-batches/${encodeURIComponent(id)}`;
export const batchCsvHref = (id: string) => `/api/v1/department/policy-grant-batches/${encodeURIComponent(id)}/export`;

const statusKey = (status: BatchView['status']) => `policies.benefits.batchStatus.${status}` as MessageKey;

function checkedBatchId(id: string): string {
  if (!ID.test(id)) throw notFound('batchNotFound', 'policies.benefits.batch.notFound');
  return id;
}

function useAmount() {
  const { t, locale } = usePage();
  return (value: number | null) => (value === null ? t('policies.benefits.page.amountUnknown') : t('policies.pages.unit.yuan', { amount: moneyText(locale, value) }));
}

function HomePage({ policies }: { policies: { code: string; title: { 'zh-CN': string; en: string } }[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('policies.benefits.page.grants.homeTitle')}</h1>
      <p className="lead">{t('policies.benefits.page.grants.homeLead')}</p>
      {policies.length ? (
        <Table
          caption={t('policies.benefits.page.grants.homeCaption')}
          head={[t('policies.benefits.page.column.code'), t('policies.benefits.page.column.policy')]}
          rows={policies.map((policy) => ({
            key: policy.code,
            cells: [<span className="code">{policy.code}</span>, <a href={policyGrantsHref(policy.code)}>{policy.title[locale]}</a>],
          }))}
        />
      ) : (
        <p>{t('policies.benefits.page.grants.homeNone')}</p>
      )}
    </>
  );
}

function BatchTable({ batches }: { batches: BatchView[] }) {
  const { t, locale } = usePage();
  const amount = useAmount();
  return (
    <Table
      caption={t('policies.benefits.page.grants.batchesCaption')}
      head={[
        t('policies.benefits.page.column.scannedAt'),
        t('policies.benefits.page.column.version'),
        t('policies.benefits.page.column.batchStatus'),
        t('policies.benefits.page.column.eligible'),
        t('policies.benefits.page.column.total'),
      ]}
      rows={batches.map((batch) => ({
        key: batch.id,
        cells: [
          <a href={batchHref(batch.id)}>{when(batch.createdAt, locale)}</a>,
          String(batch.policy.version),
          t(statusKey(batch.status)),
          String(batch.eligibleCount),
          amount(batch.totalAmount),
        ],
      }))}
    />
  );
}

function PolicyGrantsPage({ code, title, version, batches }: { code: string; title: string; version: number; batches: BatchView[] }) {
  const { t } = usePage();
  return (
    <>
      <p className="caption">
        <a href={GRANTS_HOME}>{t('policies.benefits.page.grants.homeTitle')}</a>
      </p>
      <h1>{t('policies.benefits.page.grants.policyTitle', { title })}</h1>
      <p>
        <a href={policyHref(code)}>{t('policies.benefits.page.versionValue', { code, version })}</a>
      </p>
      <InsetText>{t('policies.benefits.page.grants.scanLead', { version })}</InsetText>
      <Form action={`${policyGrantsHref(code)}/scan`} id="scan">
        <Button>{t('policies.benefits.page.grants.scan')}</Button>
      </Form>
      <h2>{t('policies.benefits.page.grants.batches')}</h2>
      {batches.length ? <BatchTable batches={batches} /> : <p>{t('policies.benefits.page.grants.noBatches')}</p>}
    </>
  );
}

function BatchPage({ batch, rows, page, notice }: { batch: BatchView; rows: BatchRowView[]; page: number; notice?: string }) {
  const { t, locale } = usePage();
  const amount = useAmount();
  const pages = Math.max(1, Math.ceil(batch.eligibleCount / PAGE_SIZE));
  const href = batchHref(batch.id);
  return (
    <>
      <p className="caption">
        <a href={policyGrantsHref(batch.policy.code)}>{t('policies.benefits.page.grants.policyTitle', { title: batch.policy.title[locale] })}</a>
      </p>
      <h1>{t('policies.benefits.page.batch.title', { title: batch.policy.title[locale] })}</h1>
      <Notice text={notice} />
      <SummaryList
        rows={[
          { key: t('policies.benefits.page.claim.policy'), value: t('policies.benefits.page.versionValue', { code: batch.policy.code, version: batch.policy.version }) },
          { key: t('policies.benefits.page.column.batchStatus'), value: t(statusKey(batch.status)) },
          { key: t('policies.benefits.page.batch.scannedOn'), value: batch.scannedOn },
          { key: t('policies.benefits.page.column.eligible'), value: String(batch.eligibleCount) },
          { key: t('policies.benefits.page.column.total'), value: amount(batch.totalAmount) },
          ...(batch.unpricedCount ? [{ key: t('policies.benefits.page.batch.unpriced'), value: String(batch.unpricedCount) }] : []),
          { key: t('policies.benefits.page.batch.alreadyGranted'), value: String(batch.alreadyGrantedCount) },
          ...(batch.grantedCount !== null ? [{ key: t('policies.benefits.page.batch.granted'), value: t('policies.benefits.page.batch.grantedValue', { count: batch.grantedCount, amount: amount(batch.grantedAmount) }) }] : []),
        ]}
      />
      {batch.status === 'scanning' ? <WarningText>{t('policies.benefits.page.batch.incomplete')}</WarningText> : null}
      <p>
        <a href={batchCsvHref(batch.id)} download>
          {t('policies.benefits.page.batch.csv')}
        </a>
      </p>
      {rows.length ? (
        <Table
          caption={t('policies.benefits.page.batch.caption', { page, pages })}
          head={[t('policies.benefits.page.column.uscc'), t('policies.benefits.page.column.name'), t('policies.benefits.page.column.amount'), t('policies.benefits.page.column.granted')]}
          rows={rows.map((row) => ({
            key: row.uscc,
            cells: [<span className="code">{row.uscc}</span>, row.name ?? '', amount(row.amount), row.granted ? t('policies.benefits.page.batch.grantedYes') : t('policies.benefits.page.batch.grantedNo')],
          }))}
        />
      ) : (
        <p>{t('policies.benefits.page.batch.empty')}</p>
      )}
      {pages > 1 ? (
        <nav aria-label={t('policies.benefits.page.batch.pages')}>
          <ul className="pagination">
            {page > 1 ? (
              <li>
                <a href={`${href}?page=${page - 1}`} rel="prev">
                  {t('policies.benefits.page.batch.previous')}
                </a>
              </li>
            ) : null}
            <li>{t('policies.benefits.page.batch.pageOf', { page, pages })}</li>
            {page < pages ? (
              <li>
                <a href={`${href}?page=${page + 1}`} rel="next">
                  {t('policies.benefits.page.batch.next')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      {batch.status === 'review' || batch.status === 'scanning' ? (
        <>
          <h2>{t('policies.benefits.page.batch.decide')}</h2>
          {batch.status === 'review' ? (
            <>
              <p>{t('policies.benefits.page.batch.approveLead', { count: batch.eligibleCount, amount: amount(batch.totalAmount) })}</p>
              <Form action={`${href}/approve`} id="approve">
                <Button>{t('policies.benefits.page.batch.approve')}</Button>
              </Form>
            </>
          ) : null}
          <Form action={`${href}/discard`} id="discard">
            <Button variant="warning">{t('policies.benefits.page.batch.discard')}</Button>
          </Form>
        </>
      ) : null}
    </>
  );
}

/** The policy officer's grants without application: scan, review the list with amounts, approve or discard, CSV. */
export function grantPages(app: HttpApp, deps: BenefitPageDeps): void {
  app.get(GRANTS_HOME, { schema: { hide: true } }, async (request, reply) => {
    const officer = pagePolicyOfficer(request, reply);
    if (!officer) return reply;
    const t = tr(request);
    const published = new Map((await deps.policyLibrary.listPublished({ mode: 'automatic' })).map((policy) => [policy.code, policy]));
    const own = (await deps.policyLibrary.departmentPolicies(officer)).filter((policy) => published.has(policy.code));
    const policies = own.map((policy) => ({ code: policy.code, title: published.get(policy.code)!.title }));
    return sendPage(request, reply, { title: t('policies.benefits.page.grants.homeTitle'), children: <HomePage policies={policies} /> });
  });

  const showPolicy = async (request: FastifyRequest, reply: FastifyReply, officer: SessionPrincipal, code: string, form?: FormState & { status: number }) => {
    const t = tr(request);
    const batches = await deps.policyGrants.batches(officer, code);
    const policy = await deps.policyLibrary.published(code);
    const title = policy.document.title[request.locale ?? 'zh-CN'];
    return sendPage(request, reply, {
      title: t('policies.benefits.page.grants.policyTitle', { title }),
      width: 'wide',
      form,
      status: form?.status,
      children: <PolicyGrantsPage code={code} title={title} version={policy.version} batches={batches} />,
    });
  };

  app.get<{ Params: { code: string } }>(`${GRANTS_HOME}/:code`, { schema: { hide: true } }, async (request, reply) => {
    const officer = pagePolicyOfficer(request, reply);
    if (!officer) return reply;
    return showPolicy(request, reply, officer, checkedCode(request.params.code));
  });

  app.post<{ Params: { code: string } }>(`${GRANTS_HOME}/:code/scan`, { schema: { hide: true } }, async (request, reply) => {
    const officer = pagePolicyOfficer(request, reply);
    if (!officer) return reply;
    const code = checkedCode(request.params.code);
    try {
      const batch = await deps.policyGrants.scan(officer, code);
      return seeOther(reply, batchHref(batch.id));
    } catch (error) {
      return showPolicy(request, reply, officer, code, formStateFrom(error, request, {}, 'scan'));
    }
  });

  const showBatch = async (request: FastifyRequest, reply: FastifyReply, officer: SessionPrincipal, batchId: string, form?: FormState & { status: number }) => {
    const t = tr(request);
    const query = queryOf(request);
    const requested = Number.parseInt(query.page ?? '1', 10);
    const page = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
    const { batch, rows } = await deps.policyGrants.batch(officer, batchId, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const notice =
      query.done === 'approved'
        ? t('policies.benefits.page.batch.approved', { count: batch.grantedCount ?? 0, amount: t('policies.pages.unit.yuan', { amount: moneyText(request.locale ?? 'zh-CN', batch.grantedAmount ?? 0) }) })
        : query.done === 'discarded'
          ? t('policies.benefits.page.batch.discarded')
          : undefined;
    return sendPage(request, reply, {
      title: t('policies.benefits.page.batch.title', { title: batch.policy.title[request.locale ?? 'zh-CN'] }),
      width: 'wide',
      form,
      status: form?.status,
      children: <BatchPage batch={batch} rows={rows} page={page} notice={form ? undefined : notice} />,
    });
  };

  app.get<{ Params: { id: string } }>('/workbench/policy-grant-batches/:id', { schema: { hide: true } }, async (request, reply) => {
    const officer = pagePolicyOfficer(request, reply);
    if (!officer) return reply;
    return showBatch(request, reply, officer, checkedBatchId(request.params.id));
  });

  for (const decision of ['approve', 'discard'] as const) {
    app.post<{ Params: { id: string } }>(`/workbench/policy-grant-batches/:id/${decision}`, { schema: { hide: true } }, async (request, reply) => {
      const officer = pagePolicyOfficer(request, reply);
      if (!officer) return reply;
      const id = checkedBatchId(request.params.id);
      try {
        if (decision === 'approve') await deps.policyGrants.approve(officer, id);
        else await deps.policyGrants.discard(officer, id);
        return seeOther(reply, `${batchHref(id)}?done=${decision === 'approve' ? 'approved' : 'discarded'}`);
      } catch (error) {
        return showBatch(request, reply, officer, id, formStateFrom(error, request, {}, decision));
      }
    });
  }
}
