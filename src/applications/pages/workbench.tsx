import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import type { ItemDefinition, ItemVersionView } from '../../catalog/schema.js';
import { AppError, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import type { Locale, MessageKey } from '../../core/i18n.js';
import { sendFileContent } from '../../files/routes.js';
import { queryOf } from '../../identity/pages/context.js';
import { Button, Checkboxes, Form, InsetText, Radios, SummaryList, Table, TextInput, WarningText, formBody, formList, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import type { ApplicantCredit, ApplicationView, OfficerActionInput, QueueRow, StoredMaterial } from '../service.js';
import { APPLICATION_STATUSES, CLOSED_STATUSES, OFFICER_ACTIONS, type ApplicationStatus, type OfficerAction } from '../workflow.js';
import { AnswersSummary, FlagTag, Notice, OPEN_STATUSES, Select, TextArea, Timeline, TimeLimits, actionKey, daysLeftText, local, statusKey, supplementItems, unitOf, when } from './components.js';
import { checkedId, pageOfficer, type ApplicationPageDeps } from './context.js';
import { withPageFields } from './input.js';

const PROCEDURES = ['hearing', 'expertReview', 'inspection'] as const;
/** Actions whose opinion the applicant must be given (the service refuses them without one). */
const OPINION_REQUIRED: OfficerAction[] = ['refuse', 'reject', 'requestSupplement'];
const base = (id: string) => `/workbench/applications/${encodeURIComponent(id)}`;
const opinionInput = (action: string) => `${action}-opinion`;

const PAGE_SIZE = 50;

interface QueueFilterValues {
  status?: ApplicationStatus;
  due?: 'soon' | 'overdue';
  mine?: boolean;
  trackingNumber?: string;
}

/** The queue's address with these filters and page, so paging keeps the filters. */
function queueHref(filters: QueueFilterValues, page: number): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.due) params.set('due', filters.due);
  if (filters.trackingNumber) params.set('trackingNumber', filters.trackingNumber);
  if (filters.mine) params.set('mine', 'yes');
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/workbench?${query}` : '/workbench';
}

function filtersFrom(query: Record<string, string | undefined>): QueueFilterValues {
  const filters: QueueFilterValues = {};
  if (query.status && (APPLICATION_STATUSES as readonly string[]).includes(query.status) && query.status !== 'draft') filters.status = query.status as ApplicationStatus;
  if (query.due === 'soon' || query.due === 'overdue') filters.due = query.due;
  if (query.mine === 'yes') filters.mine = true;
  const tracking = query.trackingNumber?.trim();
  if (tracking && tracking.length <= 40) filters.trackingNumber = tracking;
  return filters;
}

function QueueRows({ rows, caption, staffId }: { rows: QueueRow[]; caption: string; staffId: string | null }) {
  const { t, locale } = usePage();
  return (
    <Table
      caption={caption}
      head={[
        t('applications.page.list.trackingNumber'),
        t('applications.page.list.item'),
        t('applications.page.list.applicant'),
        t('applications.page.list.status'),
        t('applications.page.workbench.promisedDue'),
        t('applications.page.list.timeLeft'),
        t('applications.page.workbench.claimed'),
      ]}
      rows={rows.map((row) => ({
        key: row.id,
        cells: [
          <a className="code" href={base(row.id)}>
            {row.trackingNumber ?? row.id}
          </a>,
          local(row.itemName, locale),
          row.applicantName,
          t(statusKey(row.status)),
          row.promisedDueOn ?? t('applications.page.limits.notStarted'),
          <>
            <FlagTag flag={row.flag} /> {row.daysLeft !== null && row.flag !== 'stopped' ? daysLeftText(t, row.daysLeft, unitOf(row)) : null}
          </>,
          row.claimedByStaffId ? (row.claimedByStaffId === staffId ? t('applications.page.workbench.claimedByMe') : t('applications.page.workbench.claimedByOther')) : t('applications.page.workbench.unclaimed'),
        ],
      }))}
    />
  );
}

function QueuePage({ rows, total, page, collected, filters, staffId }: { rows: QueueRow[]; total: number; page: number; collected: QueueRow[]; filters: QueueFilterValues; staffId: string | null }) {
  const { t } = usePage();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <h1>{t('applications.page.workbench.title')}</h1>
      <p className="lead">{t('applications.page.workbench.lead')}</p>
      <p>
        <a href="/workbench/rectifications">{t('applications.page.workbench.rectifications')}</a>
      </p>
      {/* GET, so a filtered queue is a link an officer can keep; nothing changes, no token needed. */}
      <form method="get" action="/workbench" noValidate>
        <Select
          name="status"
          label={t('applications.page.workbench.filterStatus')}
          placeholder={t('applications.page.workbench.allOpen')}
          value={filters.status ?? ''}
          options={[...OPEN_STATUSES, ...CLOSED_STATUSES].map((s) => ({ value: s, label: t(statusKey(s)) }))}
        />
        <Select
          name="due"
          label={t('applications.page.workbench.filterDue')}
          placeholder={t('applications.page.workbench.anyDue')}
          value={filters.due ?? ''}
          options={[
            { value: 'soon', label: t('applications.page.workbench.dueSoon') },
            { value: 'overdue', label: t('applications.page.workbench.overdue') },
          ]}
        />
        <TextInput name="trackingNumber" label={t('applications.page.workbench.filterTracking')} optional width={20} spellCheck={false} autoComplete="off" value={filters.trackingNumber ?? ''} />
        <Checkboxes name="mine" legend={t('applications.page.workbench.filterMine')} options={[{ value: 'yes', label: t('applications.page.workbench.mineOnly') }]} selected={filters.mine ? ['yes'] : []} />
        <Button variant="secondary">{t('applications.page.workbench.filter')}</Button>
      </form>
      <p role="status">{t('applications.page.workbench.count', { total })}</p>
      {rows.length === 0 ? <p>{t('applications.page.workbench.none')}</p> : <QueueRows rows={rows} caption={t('applications.page.workbench.caption')} staffId={staffId} />}
      {pages > 1 ? (
        <nav aria-label={t('applications.page.workbench.pages')}>
          <ul className="pagination">
            {page > 1 ? (
              <li>
                <a href={queueHref(filters, page - 1)} rel="prev">
                  {t('applications.page.workbench.previous')}
                </a>
              </li>
            ) : null}
            <li>{t('applications.page.workbench.pageOf', { page, pages })}</li>
            {page < pages ? (
              <li>
                <a href={queueHref(filters, page + 1)} rel="next">
                  {t('applications.page.workbench.next')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      <h2 id="collected">{t('applications.page.workbench.collected')}</h2>
      <p>{t('applications.page.workbench.collectedLead')}</p>
      {collected.length === 0 ? <p>{t('applications.page.workbench.collectedNone')}</p> : <QueueRows rows={collected} caption={t('applications.page.workbench.collectedCaption')} staffId={staffId} />}
    </>
  );
}

/** A material as the officer reads it: files to download, the certificate's snapshot, or the record with its source. */
function MaterialForOfficer({ provided, applicationId }: { provided: StoredMaterial; applicationId: string }) {
  const { t, locale } = usePage();
  if (provided.kind === 'upload') {
    return (
      <ul>
        {provided.files.map((file) => (
          <li key={file.id}>
            <a href={`${base(applicationId)}/files/${encodeURIComponent(file.id)}`}>{file.filename}</a> ({file.type.toUpperCase()}, {t('applications.page.material.size', { kb: Math.max(1, Math.round(file.size / 1024)) })})
            <br />
            <span className="secondary-text code">SHA-256 {file.sha256.slice(0, 16)}…</span>
          </li>
        ))}
      </ul>
    );
  }
  if (provided.kind === 'certificate') {
    const c = provided.certificate;
    const fields = Array.isArray(c.fields) ? (c.fields as { label?: { 'zh-CN': string; en: string }; key?: string; value?: unknown }[]) : [];
    return (
      <>
        <p>{t('applications.page.workbench.certificateSnapshot', { number: c.number, code: c.verificationCode })}</p>
        {fields.length ? (
          <ul>
            {fields.map((f, i) => (
              <li key={i}>
                {f.label ? local(f.label, locale) : f.key}: {String(f.value ?? '')}
              </li>
            ))}
          </ul>
        ) : null}
        <p className="secondary-text">{t('applications.page.workbench.consentedAt', { at: when(provided.consentedAt, locale) })}</p>
      </>
    );
  }
  if (provided.kind === 'certificateChoice') return <p>{t('applications.page.material.chosenCertificate')}</p>;
  if (provided.kind === 'commitment') {
    return (
      <>
        <p>
          <strong>{t('applications.page.commitment.replaced')}</strong>{' '}
          {t('applications.page.commitment.madeBy', { name: provided.committedBy.name, at: when(provided.committedAt, locale), status: t(creditStatusKey(provided.standing.status)) })}
        </p>
        <p className="secondary-text">{local(provided.text, locale)}</p>
        {provided.broken ? (
          <p>
            <strong className="tag">{t('applications.page.commitment.broken')}</strong>{' '}
            {t('applications.page.commitment.brokenBy', { by: provided.broken.by, on: provided.broken.decidedOn, reason: provided.broken.reason })}
          </p>
        ) : null}
      </>
    );
  }
  const record = provided.record;
  return (
    <>
      <p>{t('applications.page.workbench.governmentRecord', { dataset: t(`catalog.dataset.${record.dataset}` as MessageKey), source: record.source, at: when(record.retrievedAt, locale) })}</p>
      <ul>
        {Object.entries(record.fields).map(([key, value]) => (
          <li key={key}>
            {key}: {value === null ? '—' : String(value)}
          </li>
        ))}
      </ul>
      <p className="secondary-text">{t('applications.page.workbench.consentedAt', { at: when(provided.consentedAt, locale) })}</p>
    </>
  );
}

const creditStatusKey = (status: string) => `applications.page.credit.status.${status}` as MessageKey;
const breachInput = (key: string, part: 'reason' | 'require') => `breach-${key}-${part}`;

/** The applicant's credit standing as the officer needs it: the status in words, the counts behind it, and the full record when there is a page for it. */
function CreditPanel({ credit }: { credit: ApplicantCredit }) {
  const { t } = usePage();
  const s = credit.standing;
  const counts = s.counts
    ? ([
        ['licences', s.counts.licences],
        ['penalties', s.counts.penalties],
        ['honours', s.counts.honours],
        ['commitmentsKept', s.counts.commitmentsKept],
        ['commitmentsBroken', s.counts.commitmentsBroken],
      ] as const)
    : null;
  return (
    <>
      <SummaryList
        rows={[
          { key: t('applications.page.credit.status'), value: <strong className={`tag tag--credit-${s.status}`}>{t(creditStatusKey(s.status))}</strong> },
          { key: t('applications.page.credit.mayCommit'), value: t(s.mayCommit ? 'applications.page.answer.yes' : 'applications.page.answer.no') },
          { key: t('applications.page.credit.asOf'), value: s.asOf },
        ]}
      />
      {counts ? (
        <Table
          caption={t('applications.page.credit.countsCaption')}
          head={[t('applications.page.credit.kind'), t('applications.page.credit.count')]}
          rows={counts.map(([kind, count]) => ({ key: kind, cells: [t(`applications.page.credit.count.${kind}` as MessageKey), String(count)] }))}
        />
      ) : (
        <p className="hint">{t('applications.page.credit.countsHandlingOnly')}</p>
      )}
      {credit.recordPage ? (
        <p>
          <a href={credit.recordPage}>{t('applications.page.credit.fullRecord')}</a>
        </p>
      ) : null}
    </>
  );
}

/** For each commitment of the application not yet found false: the form to record that it was (承诺不实). */
function BreachForms({ view, credit, definition }: { view: ApplicationView; credit: ApplicantCredit; definition: ItemDefinition }) {
  const { t, locale } = usePage();
  const open = credit.commitments.filter((c) => !c.broken);
  if (open.length === 0 || view.status === 'withdrawn') return null;
  const mayRequire = view.actions.includes('requestSupplement');
  return (
    <>
      {open.map((c) => {
        const name = local(definition.materials.find((m) => m.key === c.materialKey)?.name, locale) || c.materialKey;
        return (
          <div className="card" id={`breach-${c.materialKey}`} key={c.materialKey}>
            <h3>{t('applications.page.commitment.breachTitle', { material: name })}</h3>
            <Form action={`${base(view.id)}/commitments/${encodeURIComponent(c.materialKey)}/breach`}>
              <p className="hint">{t('applications.page.commitment.breachHint')}</p>
              <TextArea name={breachInput(c.materialKey, 'reason')} label={t('applications.page.commitment.reason')} hint={t('applications.page.commitment.reasonHint')} rows={3} />
              {mayRequire ? (
                <Checkboxes name={breachInput(c.materialKey, 'require')} legend={t('applications.page.commitment.requireLegend')} options={[{ value: 'yes', label: t('applications.page.commitment.require') }]} />
              ) : null}
              <Button variant="warning">{t('applications.action.commitmentBroken')}</Button>
            </Form>
          </div>
        );
      })}
    </>
  );
}

function ActionForm({ view, action, definition }: { view: ApplicationView; action: OfficerAction; definition: ItemDefinition }) {
  const { t, locale } = usePage();
  const url = `${base(view.id)}/actions/${action}`;
  const required = OPINION_REQUIRED.includes(action);
  const warning = action === 'refuse' || action === 'reject';
  return (
    <div className="card" id={`action-${action}`}>
      <h3>{t(actionKey(action))}</h3>
      <Form action={url}>
        {action === 'requestSupplement' ? (
          <>
            <p className="hint">{t('applications.page.workbench.supplementOnce')}</p>
            {definition.materials.length ? (
              <Checkboxes
                name="requestSupplement-materials"
                legend={t('applications.page.workbench.missingMaterials')}
                options={definition.materials.map((m) => ({ value: m.key, label: local(m.name, locale) }))}
              />
            ) : null}
            {definition.form.fields.length ? (
              <Checkboxes
                name="requestSupplement-fields"
                legend={t('applications.page.workbench.missingFields')}
                options={definition.form.fields.map((f) => ({ value: f.key, label: local(f.label, locale) }))}
              />
            ) : null}
          </>
        ) : null}
        {action === 'startSpecialProcedure' ? (
          <Radios
            name="procedure"
            legend={t('applications.page.workbench.procedure')}
            hint={t('applications.page.workbench.procedureHint')}
            options={PROCEDURES.map((p) => ({ value: p, label: t(`applications.page.procedure.${p}` as MessageKey) }))}
          />
        ) : null}
        {action === 'forward' ? <p className="hint">{t('applications.page.workbench.forwardHint')}</p> : null}
        <TextArea
          name={opinionInput(action)}
          label={action === 'requestSupplement' ? t('applications.page.workbench.supplementNote') : t('applications.page.workbench.opinion')}
          hint={required ? t('applications.page.workbench.opinionRequired') : undefined}
          optional={!required}
          rows={3}
        />
        <Button variant={warning ? 'warning' : action === 'approve' || action === 'accept' ? 'primary' : 'secondary'}>{t(actionKey(action))}</Button>
      </Form>
    </div>
  );
}

function DetailPage({ view, item, principal, collectingOffice, notice, credit }: { view: ApplicationView; item: ItemVersionView; principal: SessionPrincipal; collectingOffice: string | null; notice?: string; credit: ApplicantCredit }) {
  const { t, locale } = usePage();
  const d = item.definition;
  const handling = principal.departmentId === view.item.departmentId;
  const mayClaim = handling && view.status !== 'draft' && !CLOSED_STATUSES.includes(view.status) && view.claimedByStaffId !== principal.staffId;
  const actions = view.actions.filter((a): a is OfficerAction => (OFFICER_ACTIONS as readonly string[]).includes(a));
  return (
    <>
      <p className="caption">{t('applications.page.workbench.title')}</p>
      <h1>{t('applications.page.workbench.detailTitle', { trackingNumber: view.trackingNumber ?? view.id })}</h1>
      <Notice text={notice} />
      {view.timeLimits.flag === 'overdue' ? <WarningText>{t('applications.page.flag.overdue')}</WarningText> : null}
      {view.timeLimits.flag === 'dueSoon' ? <WarningText>{t('applications.page.flag.dueSoon')}</WarningText> : null}
      <SummaryList
        rows={[
          { key: t('applications.page.status.status'), value: <strong>{t(statusKey(view.status))}</strong> },
          { key: t('applications.page.status.item'), value: `${local(view.item.name, locale)} (${t('applications.page.workbench.version', { version: view.item.version })})` },
          { key: t('applications.page.status.department'), value: local(view.item.departmentName, locale) },
          { key: t('applications.page.status.applicant'), value: view.applicant.name },
          ...(view.applicant.enterpriseId ? [{ key: t('applications.page.workbench.applicantType'), value: t('applications.page.workbench.enterpriseApplicant') }] : []),
          { key: t('applications.page.workbench.applicantRegion'), value: view.applicant.regionCode },
          ...(collectingOffice ? [{ key: t('applications.page.status.collectingOffice'), value: `${collectingOffice}${view.collectedAt ? ` (${t('applications.page.workbench.forwardedAt', { at: when(view.collectedAt, locale) })})` : ` (${t('applications.page.workbench.notForwarded')})`}` }] : []),
          { key: t('applications.page.status.submittedAt'), value: when(view.submittedAt, locale) },
          {
            key: t('applications.page.workbench.claimed'),
            value: view.claimedByStaffId ? (view.claimedByStaffId === principal.staffId ? t('applications.page.workbench.claimedByMe') : t('applications.page.workbench.claimedByOther')) : t('applications.page.workbench.unclaimed'),
          },
        ]}
      />
      {view.decision ? (
        <SummaryList
          rows={[
            { key: t('applications.page.status.decisionResult'), value: t(view.decision === 'approved' ? 'applications.page.status.approved' : 'applications.page.status.rejected') },
            ...(view.decisionReason ? [{ key: t('applications.page.status.reason'), value: view.decisionReason }] : []),
          ]}
        />
      ) : null}
      {view.supplementRequest ? (
        <InsetText>
          {t('applications.page.workbench.awaitingSupplement', { at: when(view.supplementRequest.requestedAt, locale) })} {supplementItems(d, view.supplementRequest, locale).join(t('applications.page.separator'))}
        </InsetText>
      ) : null}

      <h2 id="credit">{t('applications.page.credit.title')}</h2>
      <CreditPanel credit={credit} />

      <h2 id="time-limits">{t('applications.page.limits.title')}</h2>
      <TimeLimits limits={view.timeLimits} />

      <h2 id="answers">{t('applications.page.status.answers')}</h2>
      <AnswersSummary definition={d} values={view.form} />

      <h2 id="materials">{t('applications.page.status.materials')}</h2>
      <SummaryList
        rows={d.materials.map((m) => {
          const provided = view.materials[m.key];
          return { key: local(m.name, locale), value: provided ? <MaterialForOfficer provided={provided} applicationId={view.id} /> : t('applications.page.workbench.notProvided') };
        })}
      />

      <h2 id="timeline">{t('applications.page.timeline.title')}</h2>
      <Timeline events={view.events} definition={d} />

      <h2 id="actions">{t('applications.page.workbench.actions')}</h2>
      {actions.length === 0 && !mayClaim ? <p>{t('applications.page.workbench.noActions')}</p> : null}
      {mayClaim ? (
        <div className="card" id="action-claim">
          <h3>{t('applications.action.claim')}</h3>
          <Form action={`${base(view.id)}/actions/claim`}>
            <p className="hint">{t('applications.page.workbench.claimHint')}</p>
            <Button variant="secondary">{t('applications.action.claim')}</Button>
          </Form>
        </div>
      ) : null}
      {actions.map((action) => (
        <ActionForm key={action} view={view} action={action} definition={d} />
      ))}
      {handling ? <BreachForms view={view} credit={credit} definition={d} /> : null}
      <p>
        <a href="/workbench">{t('applications.page.workbench.back')}</a>
      </p>
    </>
  );
}

function nameOf(department: { nameZh: string; nameEn: string } | undefined, locale: Locale): string | null {
  return department ? (locale === 'en' ? department.nameEn : department.nameZh) : null;
}

/** The officer workbench: the department's queue, one application in full, and the steps of its flow. */
export function workbenchPages(app: HttpApp, deps: ApplicationPageDeps): void {
  app.get('/workbench', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageOfficer(request, reply);
    if (!principal) return reply;
    const t = tr(request);
    const query = queryOf(request);
    const filters = filtersFrom(query);
    const page = /^\d{1,4}$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
    const [queue, collected] = await Promise.all([deps.applications.queue(principal, { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), deps.applications.collected(principal)]);
    return sendPage(request, reply, {
      title: t('applications.page.workbench.title'),
      width: 'wide',
      children: <QueuePage rows={queue.items} total={queue.total} page={page} collected={collected} filters={filters} staffId={principal.staffId} />,
    });
  });

  const showDetail = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, id: string, form?: FormState & { status?: number }) => {
    const t = tr(request);
    const locale = request.locale ?? 'zh-CN';
    const view = await deps.applications.get(principal, id);
    const credit = await deps.applications.applicantCredit(principal, id);
    const item = await deps.catalog.getVersion(view.item.versionId);
    const collecting = view.collectingDepartmentId ? nameOf(await deps.identity.department(view.collectingDepartmentId), locale) : null;
    const done = queryOf(request).done;
    const notice = !form && done && (done === 'claim' || done === 'commitmentBroken' || (OFFICER_ACTIONS as readonly string[]).includes(done)) ? t('applications.page.workbench.done', { action: t(actionKey(done)) }) : undefined;
    return sendPage(request, reply, {
      title: t('applications.page.workbench.detailTitle', { trackingNumber: view.trackingNumber ?? view.id }),
      width: 'wide',
      form,
      status: form?.status,
      children: <DetailPage view={view} item={item} principal={principal} collectingOffice={collecting} notice={notice} credit={credit} />,
    });
  };

  app.get<{ Params: { id: string } }>('/workbench/applications/:id', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageOfficer(request, reply);
    if (!principal) return reply;
    return showDetail(request, reply, principal, checkedId(request.params.id));
  });

  app.post<{ Params: { id: string; action: string } }>('/workbench/applications/:id/actions/:action', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageOfficer(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const action = request.params.action;
    if (action !== 'claim' && !(OFFICER_ACTIONS as readonly string[]).includes(action)) throw notFound();
    const values = formBody(request);
    const lists = { 'requestSupplement-materials': formList(request, 'requestSupplement-materials'), 'requestSupplement-fields': formList(request, 'requestSupplement-fields') };
    try {
      if (action === 'claim') {
        await deps.applications.claim(principal, id);
      } else {
        const input: OfficerActionInput = { opinion: values[opinionInput(action)] ?? '' };
        if (action === 'requestSupplement') input.missing = { materials: lists['requestSupplement-materials'], fields: lists['requestSupplement-fields'] };
        if (action === 'startSpecialProcedure') {
          const procedure = PROCEDURES.find((p) => p === values.procedure);
          if (procedure) input.procedure = procedure;
        }
        await deps.applications.act(principal, id, action as OfficerAction, input);
      }
      return seeOther(reply, `${base(id)}?done=${action}`);
    } catch (error) {
      const renamed = withPageFields(error, {
        '/opinion': opinionInput(action),
        '/missing/materials': 'requestSupplement-materials',
        '/missing/fields': 'requestSupplement-fields',
        '/missing': 'requestSupplement-materials',
      });
      return showDetail(request, reply, principal, id, formStateFrom(renamed, request, { ...values, ...lists }));
    }
  });

  app.post<{ Params: { id: string; materialKey: string } }>('/workbench/applications/:id/commitments/:materialKey/breach', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageOfficer(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const key = request.params.materialKey;
    if (!/^[a-z][a-zA-Z0-9]{0,39}$/.test(key)) throw notFound();
    const values = formBody(request);
    const requireMaterial = formList(request, breachInput(key, 'require')).includes('yes');
    try {
      await deps.applications.recordBrokenCommitment(principal, id, key, { reason: values[breachInput(key, 'reason')] ?? '', requireMaterial });
      return seeOther(reply, `${base(id)}?done=commitmentBroken`);
    } catch (error) {
      const renamed = withPageFields(error, { '/reason': breachInput(key, 'reason'), '/requireMaterial': breachInput(key, 'require') });
      return showDetail(request, reply, principal, id, formStateFrom(renamed, request, { ...values, [breachInput(key, 'require')]: requireMaterial ? ['yes'] : [] }, breachInput(key, 'reason')));
    }
  });

  app.get<{ Params: { id: string; fileId: string } }>('/workbench/applications/:id/files/:fileId', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageOfficer(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const fileId = checkedId(request.params.fileId);
    // The application layer decides whether this officer may see the application the file belongs to; both reads are audited.
    // A refused attempt is audited against the applicant too, so that they see it.
    const file = await deps.files.readForStaff(principal, fileId, async (applicationId, upload) => {
      if (applicationId !== id) return { allowed: false, ...(await deps.applications.subjectsOf(applicationId)) };
      const purpose = (trackingNumber: string) => `material ${upload.filename} of application ${trackingNumber}`;
      try {
        const view = await deps.applications.get(principal, applicationId, purpose);
        return {
          allowed: true,
          subjectPersonId: view.applicant.personId,
          ...(view.applicant.enterpriseId ? { subjectEnterpriseId: view.applicant.enterpriseId } : {}),
          purpose: purpose(view.trackingNumber ?? id),
        };
      } catch (error) {
        if (error instanceof AppError) return { allowed: false, ...(await deps.applications.subjectsOf(applicationId)) };
        throw error;
      }
    });
    return sendFileContent(reply, file);
  });
}
