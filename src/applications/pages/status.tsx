import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import type { ItemVersionView } from '../../catalog/schema.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { UploadForm } from '../../files/components.js';
import { sendFileContent } from '../../files/routes.js';
import { queryOf } from '../../identity/pages/context.js';
import { Button, ButtonLink, Form, InsetText, Panel, SummaryList, Table, WarningText, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import type { ApplicationView, BundleSubmissionView, QueueRow } from '../service.js';
import { AnswersSummary, FlagTag, FormSections, Notice, ProvidedSummary, SingleCheckbox, TextArea, Timeline, TimeLimits, daysLeftText, local, statusKey, supplementItems, unitOf, when, type ReusableChoice } from './components.js';
import { checkedId, pagePerson, type ApplicationPageDeps } from './context.js';
import { applicationInputFrom, readPageForm, withPageFields } from './input.js';

const CONCLUDED = new Set(['concluded', 'delivered']);
const bundleStatusKey = (status: string) => `applications.page.bundleStatus.${status}` as MessageKey;

function QueueTable({ rows, caption }: { rows: QueueRow[]; caption: string }) {
  const { t, locale } = usePage();
  return (
    <Table
      caption={caption}
      head={[t('applications.page.list.trackingNumber'), t('applications.page.list.item'), t('applications.page.list.applicant'), t('applications.page.list.status'), t('applications.page.list.timeLeft')]}
      rows={rows.map((row) => ({
        key: row.id,
        cells: [
          row.trackingNumber ? (
            <a className="code" href={`/applications/${encodeURIComponent(row.id)}`}>
              {row.trackingNumber}
            </a>
          ) : (
            <a href={`/applications/${encodeURIComponent(row.id)}/edit`} aria-label={t('applications.page.list.continueLabel', { item: local(row.itemName, locale) })}>
              {t('applications.page.list.continue')}
            </a>
          ),
          local(row.itemName, locale),
          row.applicantName,
          t(statusKey(row.status)),
          row.flag === 'notStarted' ? (
            t('applications.page.limits.notStarted')
          ) : (
            <>
              <FlagTag flag={row.flag} /> {row.flag === 'stopped' || row.flag === 'paused' ? null : daysLeftText(t, row.daysLeft, unitOf(row))}
            </>
          ),
        ],
      }))}
    />
  );
}

function MyApplications({ rows, bundles }: { rows: QueueRow[]; bundles: BundleSubmissionView[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('applications.page.list.title')}</h1>
      <p className="lead">{t('applications.page.list.lead')}</p>
      <p>
        <a href="/services">{t('applications.page.list.find')}</a>
      </p>
      {rows.length === 0 ? <p>{t('applications.page.list.none')}</p> : <QueueTable rows={rows} caption={t('applications.page.list.caption')} />}
      <h2>{t('applications.page.list.bundles')}</h2>
      {bundles.length === 0 ? (
        <p>{t('applications.page.list.noBundles')}</p>
      ) : (
        <Table
          caption={t('applications.page.list.bundlesCaption')}
          head={[t('applications.page.list.trackingNumber'), t('applications.page.list.bundle'), t('applications.page.list.status'), t('applications.page.list.submittedAt')]}
          rows={bundles.map((b) => ({
            key: b.id,
            cells: [
              <a className="code" href={`/applications/bundles/${encodeURIComponent(b.id)}`}>
                {b.trackingNumber}
              </a>,
              local(b.name, locale),
              t(bundleStatusKey(b.status)),
              when(b.createdAt, locale),
            ],
          }))}
        />
      )}
    </>
  );
}

interface StatusProps {
  view: ApplicationView;
  item: ItemVersionView;
  reusable: Record<string, ReusableChoice[]>;
  collectingOffice: string | null;
  submitted: boolean;
  notice?: string;
}

function StatusPage({ view, item, reusable, collectingOffice, submitted, notice }: StatusProps) {
  const { t, locale } = usePage();
  const d = item.definition;
  const base = `/applications/${encodeURIComponent(view.id)}`;
  const fileHref = (fileId: string) => `${base}/files/${encodeURIComponent(fileId)}`;
  const request = view.status === 'supplementRequested' ? view.supplementRequest : null;
  const canSupplement = view.actions.includes('supplement') && request !== null;
  return (
    <>
      {submitted && view.trackingNumber ? (
        <Panel title={t('applications.page.status.submittedTitle')}>
          {t('applications.page.status.trackingIs')}
          <br />
          <strong>{view.trackingNumber}</strong>
        </Panel>
      ) : (
        <>
          <p className="caption">{local(view.item.departmentName, locale)}</p>
          <h1>{local(view.item.name, locale)}</h1>
        </>
      )}
      <Notice text={notice} />
      {submitted ? <p>{t('applications.page.status.submittedNext')}</p> : null}
      {view.status === 'draft' ? (
        <p>
          <ButtonLink href={`${base}/edit`}>{t('applications.page.status.continueDraft')}</ButtonLink>
        </p>
      ) : null}
      <SummaryList
        rows={[
          { key: t('applications.page.status.trackingNumber'), value: view.trackingNumber ? <span className="code">{view.trackingNumber}</span> : t('applications.page.status.noTracking') },
          { key: t('applications.page.status.status'), value: <strong>{t(statusKey(view.status))}</strong> },
          { key: t('applications.page.status.item'), value: <a href={`/services/${encodeURIComponent(view.item.id)}`}>{local(view.item.name, locale)}</a> },
          { key: t('applications.page.status.department'), value: local(view.item.departmentName, locale) },
          { key: t('applications.page.status.applicant'), value: view.applicant.name },
          ...(collectingOffice ? [{ key: t('applications.page.status.collectingOffice'), value: collectingOffice }] : []),
          ...(view.submittedAt ? [{ key: t('applications.page.status.submittedAt'), value: when(view.submittedAt, locale) }] : []),
          ...(view.bundleSubmissionId ? [{ key: t('applications.page.status.bundle'), value: <a href={`/applications/bundles/${encodeURIComponent(view.bundleSubmissionId)}`}>{t('applications.page.status.bundleLink')}</a> }] : []),
        ]}
      />

      {view.decision ? (
        <>
          <h2 id="decision">{t('applications.page.status.decision')}</h2>
          <SummaryList
            rows={[
              { key: t('applications.page.status.decisionResult'), value: t(view.decision === 'approved' ? 'applications.page.status.approved' : 'applications.page.status.rejected') },
              ...(view.decisionReason ? [{ key: t('applications.page.status.reason'), value: view.decisionReason }] : []),
              ...(view.concludedAt ? [{ key: t('applications.page.status.concludedAt'), value: when(view.concludedAt, locale) }] : []),
            ]}
          />
        </>
      ) : null}
      {view.certificateId ? (
        <p>
          <a href={`/certificates/${encodeURIComponent(view.certificateId)}`}>{t('applications.page.status.certificate', { name: local(d.result.name, locale) })}</a>
        </p>
      ) : null}
      {CONCLUDED.has(view.status) ? (
        <InsetText>
          {t('applications.page.status.rateLead')} <a href={`${base}/review`}>{t('applications.page.status.rate')}</a>
        </InsetText>
      ) : null}

      {canSupplement ? (
        <>
          <h2 id="supplement">{t('applications.page.supplement.title')}</h2>
          <WarningText>{t('applications.page.supplement.lead')}</WarningText>
          <p>{t('applications.page.supplement.listed')}</p>
          <ul>
            {supplementItems(d, request, locale).map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
          {request.note ? (
            <InsetText>
              {t('applications.page.supplement.note')} {request.note}
            </InsetText>
          ) : null}
          <UploadForm action={`${base}/supplement`}>
            <FormSections
              fields={d.form.fields.filter((f) => request.fields.includes(f.key))}
              materials={d.materials.filter((m) => request.materials.includes(m.key))}
              reusable={reusable}
              provided={view.materials}
              neededMaterials={new Set(request.materials)}
              fileHref={fileHref}
            />
            <Button>{t('applications.page.supplement.submit')}</Button>
          </UploadForm>
        </>
      ) : null}

      <h2 id="time-limits">{t('applications.page.limits.title')}</h2>
      <TimeLimits limits={view.timeLimits} />

      <h2 id="timeline">{t('applications.page.timeline.title')}</h2>
      <Timeline events={view.events} definition={d} />

      {view.status !== 'draft' ? (
        <>
          <h2 id="answers">{t('applications.page.status.answers')}</h2>
          <AnswersSummary definition={d} values={view.form} />
          <h2 id="materials">{t('applications.page.status.materials')}</h2>
          {d.materials.filter((m) => view.materials[m.key]).length === 0 ? (
            <p>{t('applications.page.status.noMaterials')}</p>
          ) : (
            <SummaryList
              rows={d.materials
                .filter((m) => view.materials[m.key])
                .map((m) => ({ key: local(m.name, locale), value: <ProvidedSummary provided={view.materials[m.key]!} fileHref={fileHref} /> }))}
            />
          )}
        </>
      ) : null}

      {view.actions.includes('withdraw') ? (
        <>
          <h2 id="withdraw">{t('applications.page.withdraw.title')}</h2>
          <p>{t('applications.page.withdraw.lead')}</p>
          <Form action={`${base}/withdraw`}>
            <TextArea name="reason" label={t('applications.page.withdraw.reason')} optional rows={3} />
            <SingleCheckbox name="confirm" value="yes" label={t('applications.page.withdraw.confirm')} />
            <Button variant="warning">{t('applications.page.withdraw.submit')}</Button>
          </Form>
        </>
      ) : null}
      <p>
        <a href="/applications">{t('applications.page.status.back')}</a>
      </p>
    </>
  );
}

function BundleStatusPage({ bundle, departments, submitted }: { bundle: BundleSubmissionView; departments: Map<string, string>; submitted: boolean }) {
  const { t, locale } = usePage();
  return (
    <>
      {submitted ? (
        <Panel title={t('applications.page.bundleStatus.submittedTitle')}>
          {t('applications.page.status.trackingIs')}
          <br />
          <strong>{bundle.trackingNumber}</strong>
        </Panel>
      ) : (
        <h1>{local(bundle.name, locale)}</h1>
      )}
      <SummaryList
        rows={[
          { key: t('applications.page.list.bundle'), value: local(bundle.name, locale) },
          { key: t('applications.page.status.trackingNumber'), value: <span className="code">{bundle.trackingNumber}</span> },
          { key: t('applications.page.bundleStatus.combined'), value: <strong>{t(bundleStatusKey(bundle.status))}</strong> },
          { key: t('applications.page.status.submittedAt'), value: when(bundle.createdAt, locale) },
        ]}
      />
      {bundle.status === 'actionNeeded' ? <WarningText>{t('applications.page.bundleStatus.actionNeeded')}</WarningText> : null}
      <Table
        caption={t('applications.page.bundleStatus.caption')}
        head={[t('applications.page.list.item'), t('applications.page.status.department'), t('applications.page.list.trackingNumber'), t('applications.page.list.status'), t('applications.page.bundleStatus.result')]}
        rows={bundle.applications.map((a) => ({
          key: a.id,
          cells: [
            <a href={`/applications/${encodeURIComponent(a.id)}`}>{local(a.itemName, locale)}</a>,
            departments.get(a.departmentId) ?? '',
            <span className="code">{a.trackingNumber ?? ''}</span>,
            t(statusKey(a.status)),
            a.certificateId ? (
              <a href={`/certificates/${encodeURIComponent(a.certificateId)}`}>{t('applications.page.bundleStatus.certificate', { item: local(a.itemName, locale) })}</a>
            ) : a.status === 'concluded' || a.status === 'delivered' ? (
              t('applications.page.bundleStatus.noCertificate')
            ) : (
              t('applications.page.bundleStatus.noResult')
            ),
          ],
        }))}
      />
      <p>
        <a href="/applications">{t('applications.page.status.back')}</a>
      </p>
    </>
  );
}

/** The applicant's pages once an application exists: the list, the status page, supplement, withdraw. */
export function statusPages(app: HttpApp, deps: ApplicationPageDeps): void {
  app.get('/applications', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const t = tr(request);
    const [rows, bundles] = await Promise.all([deps.applications.listMine(principal), deps.applications.listMyBundles(principal)]);
    return sendPage(request, reply, { title: t('applications.page.list.title'), width: 'wide', children: <MyApplications rows={rows} bundles={bundles} /> });
  });

  const showStatus = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, id: string, form?: FormState & { status?: number }) => {
    const t = tr(request);
    const locale = request.locale ?? 'zh-CN';
    const view = await deps.applications.get(principal, id);
    const item = await deps.catalog.getVersion(view.item.versionId);
    const holder = view.applicant.enterpriseId ? { enterpriseId: view.applicant.enterpriseId } : { personId: view.applicant.personId };
    const reusable: Record<string, ReusableChoice[]> = {};
    if (view.status === 'supplementRequested') {
      for (const material of item.definition.materials) {
        if (material.source !== 'certificate' || !material.certificateType || !view.supplementRequest?.materials.includes(material.key)) continue;
        reusable[material.key] = (await deps.certificates.findReusable(holder, material.certificateType)).map((c) => ({ id: c.id, title: c.title, number: c.number, validUntil: c.validUntil }));
      }
    }
    const collecting = view.collectingDepartmentId ? await deps.identity.department(view.collectingDepartmentId) : undefined;
    const query = queryOf(request);
    const notice = form ? undefined : query.supplemented === '1' ? t('applications.page.supplement.done') : query.withdrawn === '1' ? t('applications.page.withdraw.done') : undefined;
    return sendPage(request, reply, {
      title: view.trackingNumber ? t('applications.page.status.title', { trackingNumber: view.trackingNumber }) : local(view.item.name, locale),
      form,
      status: form?.status,
      children: (
        <StatusPage
          view={view}
          item={item}
          reusable={reusable}
          collectingOffice={collecting ? (locale === 'en' ? collecting.nameEn : collecting.nameZh) : null}
          submitted={!form && query.submitted === '1'}
          notice={notice}
        />
      ),
    });
  };

  app.get<{ Params: { id: string } }>('/applications/:id', { schema: { hide: true } }, async (request, reply) => {
    // Officers follow links to applications too; theirs is the workbench view.
    if (request.principal?.kind === 'account' && request.principal.staffId) return seeOther(reply, `/workbench/applications/${encodeURIComponent(checkedId(request.params.id))}`);
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    return showStatus(request, reply, principal, checkedId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/applications/:id/supplement', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const read = await readPageForm(request);
    if ('error' in read) return showStatus(request, reply, principal, id, formStateFrom(read.error, request, read.values));
    const view = await deps.applications.get(principal, id);
    const requested = view.supplementRequest;
    if (view.status !== 'supplementRequested' || !requested) return seeOther(reply, `/applications/${encodeURIComponent(id)}`);
    try {
      const item = await deps.catalog.getVersion(view.item.versionId);
      const input = await applicationInputFrom(
        read.form,
        { fields: item.definition.form.fields.filter((f) => requested.fields.includes(f.key)), materials: item.definition.materials.filter((m) => requested.materials.includes(m.key)) },
        view.materials,
        deps.files,
        principal.accountId,
      );
      await deps.applications.supplement(principal, id, input);
      return seeOther(reply, `/applications/${encodeURIComponent(id)}?supplemented=1`);
    } catch (error) {
      return showStatus(request, reply, principal, id, formStateFrom(withPageFields(error), request, read.form.fields, 'supplement'));
    }
  });

  app.post<{ Params: { id: string } }>('/applications/:id/withdraw', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const values = formBody(request);
    try {
      if (values.confirm !== 'yes') throw invalid('confirmationRequired', [{ field: '/confirm', message: 'applications.page.withdraw.confirmRequired' }]);
      await deps.applications.withdraw(principal, id, values.reason);
      return seeOther(reply, `/applications/${encodeURIComponent(id)}?withdrawn=1`);
    } catch (error) {
      return showStatus(request, reply, principal, id, formStateFrom(error, request, values, 'confirm'));
    }
  });

  app.get<{ Params: { id: string; fileId: string } }>('/applications/:id/files/:fileId', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const fileId = checkedId(request.params.fileId);
    const view = await deps.applications.get(principal, id);
    const listed = Object.values(view.materials).some((m) => m.kind === 'upload' && m.files.some((f) => f.id === fileId));
    if (!listed) throw notFound('fileNotFound', 'files.notFound');
    // A draft's uploads are not attached yet; they are still the uploader's own.
    const file = await deps.files.readAttached(id, fileId).catch(async (error: unknown) => {
      if (error instanceof AppError && error.status === 404 && view.status === 'draft') return deps.files.readContent(principal.accountId, fileId);
      throw error;
    });
    return sendFileContent(reply, file);
  });

  app.get<{ Params: { id: string } }>('/applications/bundles/:id', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const t = tr(request);
    const locale = request.locale ?? 'zh-CN';
    const bundle = await deps.applications.getBundleSubmission(principal, checkedId(request.params.id));
    const departments = new Map<string, string>();
    for (const departmentId of new Set(bundle.applications.map((a) => a.departmentId))) {
      const department = await deps.identity.department(departmentId);
      if (department) departments.set(departmentId, locale === 'en' ? department.nameEn : department.nameZh);
    }
    return sendPage(request, reply, {
      title: t('applications.page.bundleStatus.title', { trackingNumber: bundle.trackingNumber }),
      width: 'wide',
      children: <BundleStatusPage bundle={bundle} departments={departments} submitted={queryOf(request).submitted === '1'} />,
    });
  });
}
