import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { FileInput, UploadForm } from '../../files/components.js';
import { MultipartLimitError, readMultipart } from '../../files/multipart.js';
import { sendFileContent } from '../../files/routes.js';
import { FILE_MAX_BYTES, PAGE_UPLOAD_MAX_BYTES, type FileService } from '../../files/service.js';
import { queryOf } from '../../identity/pages/context.js';
import { shanghaiDate } from '../../reference/dates.js';
import { Button, Checkboxes, Form, InsetText, Radios, Select, SummaryList, Table, TextArea, TextInput, WarningText, formBody, formList, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { importCreditCsv, IMPORT_MAX_BYTES } from '../csv-import.js';
import { CATEGORIES, DEFAULT_PUBLIC_FIELDS, OPTIONAL_PUBLIC_FIELDS, REPAIR_FILES_MAX, SEVERITIES, TEXT_MAX, type ImportResult, type PublicLookup, type RecordInput, type RecordView, type RepairView } from '../schema.js';
import type { CreditService, CreditStanding, StaffStanding } from '../service.js';
import { ID_PATTERN, Notice, PublicRecordTable, RecordTable, StandingSummary, categoryKey, flattenSubjectFields, pagePerson, pageStaff } from './components.js';

const STAFF = ['officer', 'approver'] as const;

function LookupPage({ result, query }: { result: PublicLookup | null; query: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.lookup.title')}</h1>
      <p className="lead">{t('credit.page.lookup.lead')}</p>
      <form method="get" action="/credit" role="search">
        <TextInput name="q" label={t('credit.page.lookup.query')} hint={t('credit.page.lookup.queryHint')} value={query} width={30} autoComplete="off" />
        <Button>{t('credit.page.lookup.search')}</Button>
      </form>
      {result ? (
        result.subjects.length === 0 ? (
          <p role="status">{t('credit.page.lookup.none', { query: result.query })}</p>
        ) : (
          <>
            <p role="status">{t('credit.page.lookup.found', { count: result.subjects.length })}</p>
            {result.subjects.map((subject) => (
              <section key={subject.uscc} aria-labelledby={`s-${subject.uscc}`}>
                <h2 id={`s-${subject.uscc}`}>{subject.name}</h2>
                <SummaryList rows={[{ key: t('credit.field.uscc'), value: subject.uscc }]} />
                {subject.listed ? <WarningText>{t('credit.page.lookup.listed')}</WarningText> : null}
                <PublicRecordTable name={subject.name} records={subject.records} />
              </section>
            ))}
            {result.more ? <InsetText>{t('credit.page.lookup.more', { count: result.subjects.length })}</InsetText> : null}
          </>
        )
      ) : null}
      <InsetText>{t('credit.page.lookup.rules')}</InsetText>
    </>
  );
}

function WorkbenchPage({ found, uscc }: { found?: { standing: StaffStanding; records: RecordView[] }; uscc?: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.workbench.title')}</h1>
      <p className="lead">{t('credit.page.workbench.lead')}</p>
      <ul>
        <li>
          <a href="/workbench/credit/records/new">{t('credit.page.workbench.new')}</a>
        </li>
        <li>
          <a href="/workbench/credit/import">{t('credit.page.workbench.import')}</a>
        </li>
        <li>
          <a href="/workbench/credit/repairs">{t('credit.page.workbench.repairs')}</a>
        </li>
      </ul>
      <h2>{t('credit.page.workbench.lookup')}</h2>
      <Form action="/workbench/credit">
        <TextInput name="uscc" label={t('credit.field.uscc')} width={20} autoComplete="off" />
        <TextInput name="purpose" label={t('credit.field.purpose')} hint={t('credit.page.workbench.purposeHint')} width={30} autoComplete="off" />
        <Button>{t('credit.page.workbench.submitLookup')}</Button>
      </Form>
      {found ? (
        <>
          <StandingSummary standing={found.standing} />
          {found.records.length ? <RecordTable caption={t('credit.page.workbench.caption', { name: found.records[0]!.subjectName })} records={found.records} /> : <p>{t('credit.page.workbench.none')}</p>}
          <p className="hint">{uscc}</p>
        </>
      ) : null}
    </>
  );
}

function NewRecordPage({ notice }: { notice?: string | undefined }) {
  const { t } = usePage();
  const dateHint = t('credit.page.new.dateHint');
  return (
    <>
      <h1>{t('credit.page.new.title')}</h1>
      <Notice text={notice} />
      <p className="lead">{t('credit.page.new.lead')}</p>
      <Form action="/workbench/credit/records/new">
        <Select name="category" label={t('credit.field.category')} placeholder={t('credit.page.new.chooseCategory')} options={CATEGORIES.map((c) => ({ value: c, label: t(categoryKey(c)) }))} />
        <Select name="severity" label={t('credit.field.severity')} optional options={SEVERITIES.map((s) => ({ value: s, label: t(`credit.severity.${s}` as MessageKey) }))} placeholder="—" />
        <Radios name="subjectKind" legend={t('credit.field.subjectKind')} options={(['enterprise', 'person'] as const).map((k) => ({ value: k, label: t(`credit.subjectKind.${k}` as MessageKey) }))} />
        <TextInput name="subjectName" label={t('credit.field.subjectName')} width={30} autoComplete="off" />
        <TextInput name="uscc" label={t('credit.field.uscc')} width={20} optional autoComplete="off" />
        <TextInput name="idNumber" label={t('credit.field.idNumber')} width={20} optional autoComplete="off" />
        <TextInput name="title" label={t('credit.field.title')} width={30} autoComplete="off" />
        <TextArea name="content" label={t('credit.field.content')} rows={4} />
        <TextArea name="legalBasis" label={t('credit.field.legalBasis')} rows={2} />
        <TextInput name="documentNumber" label={t('credit.field.documentNumber')} width={20} autoComplete="off" />
        <TextInput name="decidedOn" label={t('credit.field.decidedOn')} hint={dateHint} width={10} autoComplete="off" />
        <TextInput name="effectiveFrom" label={t('credit.field.effectiveFrom')} hint={t('credit.page.new.effectiveHint')} width={10} optional autoComplete="off" />
        <TextInput name="effectiveTo" label={t('credit.field.effectiveTo')} hint={dateHint} width={10} optional autoComplete="off" />
        <Checkboxes
          name="publicFields"
          legend={t('credit.field.publicFields')}
          hint={t('credit.page.new.publicHint')}
          options={OPTIONAL_PUBLIC_FIELDS.map((f) => ({ value: f, label: t(`credit.field.${f}` as MessageKey) }))}
          selected={DEFAULT_PUBLIC_FIELDS}
        />
        <Button>{t('credit.page.new.submit')}</Button>
      </Form>
      <p>
        <a href="/workbench/credit">{t('credit.page.workbench.title')}</a>
      </p>
    </>
  );
}

function ImportPage({ result }: { result?: ImportResult }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.import.title')}</h1>
      {result && result.errors.length === 0 ? <Notice text={t('credit.page.import.done', { imported: result.imported, unchanged: result.unchanged })} /> : null}
      {result && result.errors.length > 0 ? (
        <>
          <WarningText>{t('credit.page.import.failed', { count: result.errors.length })}</WarningText>
          <Table
            caption={t('credit.page.import.caption')}
            head={[t('credit.page.import.row'), t('credit.page.import.column'), t('credit.page.import.message')]}
            rows={result.errors.map((e, i) => ({ key: String(i), cells: [String(e.row), e.field, e.message] }))}
          />
        </>
      ) : null}
      <p className="lead">{t('credit.page.import.lead')}</p>
      <UploadForm action="/workbench/credit/import">
        <div className="form-group">
          <label className="label" htmlFor="file">
            {t('credit.page.import.file')}
          </label>
          <input className="file-upload" id="file" name="file" type="file" accept=".csv,text/csv" />
        </div>
        <Button>{t('credit.page.import.submit')}</Button>
      </UploadForm>
    </>
  );
}

function RepairsPage({ repairs }: { repairs: RepairView[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.repairs.title')}</h1>
      {repairs.length === 0 ? (
        <p>{t('credit.page.repairs.none')}</p>
      ) : (
        <Table
          caption={t('credit.page.repairs.caption')}
          head={[t('credit.field.subjectName'), t('credit.field.category'), t('credit.field.title'), t('credit.page.repairs.appliedAt'), t('credit.page.repairs.open')]}
          rows={repairs.map((r) => ({
            key: r.id,
            cells: [
              r.record.subjectName,
              t(categoryKey(r.record.category)),
              r.record.title,
              shanghaiDate(new Date(r.appliedAt)),
              <a href={`/workbench/credit/repairs/${encodeURIComponent(r.id)}`} aria-label={t('credit.page.repairs.openLabel', { name: r.record.subjectName })}>
                {t('credit.page.repairs.open')}
              </a>,
            ],
          }))}
        />
      )}
    </>
  );
}

function RepairPage({ repair, notice }: { repair: RepairView; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.repair.title')}</h1>
      <Notice text={notice} />
      <RecordTable caption={t('credit.page.workbench.caption', { name: repair.record.subjectName })} records={[repair.record]} />
      <SummaryList
        rows={[
          { key: t('credit.page.records.status'), value: t(`credit.repairStatus.${repair.status}` as MessageKey) },
          { key: t('credit.field.repairReason'), value: repair.reason },
          { key: t('credit.field.evidence'), value: repair.evidence },
          ...(repair.decisionReason ? [{ key: t('credit.field.decisionReason'), value: repair.decisionReason }] : []),
        ]}
      />
      <h2>{t('credit.page.repair.files')}</h2>
      {repair.files.length ? (
        <ul className="list">
          {repair.files.map((file) => (
            <li key={file.id}>
              <a href={`/workbench/credit/repairs/${encodeURIComponent(repair.id)}/files/${encodeURIComponent(file.id)}`}>{file.filename}</a> ({file.type.toUpperCase()},{' '}
              {t('credit.page.repair.fileSize', { kb: Math.max(1, Math.round(file.size / 1024)) })})
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('credit.page.repair.noFiles')}</p>
      )}
      {repair.status === 'pending' ? (
        <Form action={`/workbench/credit/repairs/${encodeURIComponent(repair.id)}`}>
          <Radios name="decision" legend={t('credit.page.repair.decision')} options={(['approved', 'rejected'] as const).map((d) => ({ value: d, label: t(`credit.repairStatus.${d}` as MessageKey) }))} />
          <TextArea name="reason" label={t('credit.field.decisionReason')} rows={3} />
          <Button>{t('credit.page.repair.submit')}</Button>
        </Form>
      ) : null}
      <p>
        <a href="/workbench/credit/repairs">{t('credit.page.repairs.title')}</a>
      </p>
    </>
  );
}

function SubjectPage({ title, standing, records }: { title: string; standing: CreditStanding; records: RecordView[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{title}</h1>
      <StandingSummary standing={standing} />
      {records.length ? <RecordTable caption={title} records={records} repairLink /> : <p>{t('credit.page.mine.none')}</p>}
    </>
  );
}

function ApplyRepairPage({ record, repairs, notice }: { record: RecordView; repairs: { status: string; appliedAt: string; decisionReason: string | null; filenames: string[] }[]; notice?: string | undefined }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('credit.page.apply.title')}</h1>
      <Notice text={notice} />
      <RecordTable caption={record.title} records={[record]} />
      {record.repairableFrom ? <SummaryList rows={[{ key: t('credit.page.apply.repairableFrom'), value: record.repairableFrom }]} /> : null}
      {repairs.length ? (
        <Table
          caption={t('credit.page.apply.history')}
          head={[t('credit.page.repairs.appliedAt'), t('credit.page.records.status'), t('credit.page.apply.files'), t('credit.field.decisionReason')]}
          rows={repairs.map((r, i) => ({ key: String(i), cells: [shanghaiDate(new Date(r.appliedAt)), t(`credit.repairStatus.${r.status}` as MessageKey), r.filenames.join(t('credit.page.apply.filesSeparator')), r.decisionReason ?? ''] }))}
        />
      ) : null}
      {record.repairableFrom && !repairs.some((r) => r.status === 'pending') ? (
        <>
          <p className="lead">{t('credit.page.apply.lead')}</p>
          <UploadForm action={`/credit/records/${encodeURIComponent(record.id)}/repair`}>
            <TextArea name="reason" label={t('credit.field.repairReason')} hint={String(TEXT_MAX)} rows={4} />
            <TextArea name="evidence" label={t('credit.field.evidence')} rows={4} />
            <FileInput name="evidenceFiles" label={t('credit.page.apply.files')} hint={t('credit.page.apply.filesHint', { max: REPAIR_FILES_MAX })} optional multiple />
            <Button>{t('credit.page.apply.submit')}</Button>
          </UploadForm>
        </>
      ) : null}
    </>
  );
}

/** The record a staff form describes, in the service's terms. */
function recordInputFrom(values: Record<string, string | undefined>, publicFields: string[]): RecordInput {
  const subject = values.subjectKind === 'person' ? { kind: 'person' as const, name: values.subjectName ?? '', idNumber: values.idNumber ?? '' } : { kind: values.subjectKind as 'enterprise', uscc: values.uscc ?? '', name: values.subjectName ?? '' };
  return {
    category: values.category as RecordInput['category'],
    subject,
    title: values.title ?? '',
    content: values.content ?? '',
    legalBasis: values.legalBasis ?? '',
    documentNumber: values.documentNumber ?? '',
    decidedOn: (values.decidedOn ?? '').trim(),
    ...(values.effectiveFrom?.trim() ? { effectiveFrom: values.effectiveFrom.trim() } : {}),
    ...(values.effectiveTo?.trim() ? { effectiveTo: values.effectiveTo.trim() } : {}),
    ...(values.severity ? { severity: values.severity as RecordInput['severity'] } : {}),
    publicFields: publicFields as RecordInput['publicFields'],
  };
}

/** The credit pages: the public lookup, the staff workbench, and the subject's records and repair. */
export function creditPages(app: HttpApp, deps: { credit: CreditService; files: FileService }): void {
  const { credit, files } = deps;

  app.get('/credit', { schema: { hide: true } }, async (request, reply) => {
    const t = tr(request);
    const q = (queryOf(request).q ?? '').trim();
    let result: PublicLookup | null = null;
    let form: (FormState & { status?: number }) | undefined;
    if (q) {
      try {
        result = await credit.publicLookup(q);
      } catch (error) {
        form = formStateFrom(error, request, { q });
      }
    }
    return sendPage(request, reply, { title: t('credit.page.lookup.title'), width: 'wide', form, status: form?.status, children: <LookupPage result={result} query={q} /> });
  });

  // Staff

  const showWorkbench = (request: FastifyRequest, reply: FastifyReply, extra: { found?: { standing: StaffStanding; records: RecordView[] }; form?: FormState & { status?: number } } = {}) =>
    sendPage(request, reply, { title: tr(request)('credit.page.workbench.title'), width: 'wide', form: extra.form, status: extra.form?.status, children: <WorkbenchPage found={extra.found} /> });

  app.get('/workbench/credit', { schema: { hide: true } }, async (request, reply) => {
    if (!pageStaff(request, reply, 'supervisor', ...STAFF)) return reply;
    return showWorkbench(request, reply);
  });

  // A lookup is a POST: the purpose is recorded, and a URL with it should not linger in history.
  app.post('/workbench/credit', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'supervisor', ...STAFF);
    if (!staff) return reply;
    const values = formBody(request);
    try {
      const found = await credit.staffRecords(staff, { uscc: values.uscc ?? '' }, values.purpose ?? '');
      return showWorkbench(request, reply, { found, form: { values } });
    } catch (error) {
      return showWorkbench(request, reply, { form: formStateFrom(error, request, values, 'uscc') });
    }
  });

  const showNew = (request: FastifyRequest, reply: FastifyReply, form?: FormState & { status?: number }) => {
    const t = tr(request);
    const query = queryOf(request);
    const notice = query.done === '1' ? t('credit.page.new.done') : query.done === '0' ? t('credit.page.new.unchanged') : undefined;
    return sendPage(request, reply, { title: t('credit.page.new.title'), form, status: form?.status, children: <NewRecordPage notice={notice} /> });
  };

  app.get('/workbench/credit/records/new', { schema: { hide: true } }, async (request, reply) => {
    if (!pageStaff(request, reply, ...STAFF)) return reply;
    return showNew(request, reply);
  });

  app.post('/workbench/credit/records/new', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF);
    if (!staff) return reply;
    const values = formBody(request);
    const publicFields = formList(request, 'publicFields');
    try {
      const result = await credit.reportFromStaff(staff, recordInputFrom(values, publicFields));
      return seeOther(reply, `/workbench/credit/records/new?done=${result.created ? 1 : 0}`);
    } catch (error) {
      const state = formStateFrom(flattenSubjectFields(error), request, { ...values, publicFields });
      return showNew(request, reply, state);
    }
  });

  const showImport = (request: FastifyRequest, reply: FastifyReply, result?: ImportResult, form?: FormState & { status?: number }) =>
    sendPage(request, reply, { title: tr(request)('credit.page.import.title'), width: 'wide', form, status: form?.status ?? (result?.errors.length ? 422 : undefined), children: <ImportPage result={result} /> });

  app.get('/workbench/credit/import', { schema: { hide: true } }, async (request, reply) => {
    if (!pageStaff(request, reply, ...STAFF)) return reply;
    return showImport(request, reply);
  });

  app.post('/workbench/credit/import', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF);
    if (!staff) return reply;
    try {
      const form = await readMultipart(request, { maxFiles: 1, maxBytes: IMPORT_MAX_BYTES });
      const file = form.files.find((f) => f.field === 'file');
      if (!file || file.bytes.length === 0) throw invalid('fileRequired', [{ field: '/file', message: 'credit.csv.fileRequired' }]);
      const reporter = await credit.staffReporter(staff, 'csv');
      const result = await importCreditCsv(credit, reporter, file.bytes.toString('utf8'), request.locale ?? 'zh-CN');
      return showImport(request, reply, result);
    } catch (error) {
      const cause = error instanceof AppError ? error : (error as { error?: unknown }).error instanceof AppError ? ((error as { error: AppError }).error) : error;
      return showImport(request, reply, undefined, formStateFrom(cause, request, {}, 'file'));
    }
  });

  app.get('/workbench/credit/repairs', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF);
    if (!staff) return reply;
    const repairs = await credit.departmentRepairs(staff, 'pending');
    return sendPage(request, reply, { title: tr(request)('credit.page.repairs.title'), width: 'wide', children: <RepairsPage repairs={repairs} /> });
  });

  const showRepair = async (request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState & { status?: number }) => {
    const staff = pageStaff(request, reply, ...STAFF)!;
    const repair = await credit.departmentRepair(staff, id);
    const t = tr(request);
    return sendPage(request, reply, { title: t('credit.page.repair.title'), width: 'wide', form, status: form?.status, children: <RepairPage repair={repair} notice={queryOf(request).decided === '1' ? t('credit.page.repair.decided') : undefined} /> });
  };

  app.get<{ Params: { id: string } }>('/workbench/credit/repairs/:id', { schema: { hide: true } }, async (request, reply) => {
    if (!pageStaff(request, reply, ...STAFF)) return reply;
    if (!ID_PATTERN.test(request.params.id)) return reply.callNotFound();
    return showRepair(request, reply, request.params.id);
  });

  app.get<{ Params: { id: string; fileId: string } }>('/workbench/credit/repairs/:id/files/:fileId', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF);
    if (!staff) return reply;
    if (!ID_PATTERN.test(request.params.id) || !ID_PATTERN.test(request.params.fileId)) return reply.callNotFound();
    return sendFileContent(reply, await credit.repairFileForStaff(staff, request.params.id, request.params.fileId));
  });

  app.post<{ Params: { id: string } }>('/workbench/credit/repairs/:id', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF);
    if (!staff) return reply;
    const values = formBody(request);
    try {
      await credit.decideRepair(staff, request.params.id, { decision: values.decision as 'approved', reason: values.reason ?? '' });
      return seeOther(reply, `/workbench/credit/repairs/${encodeURIComponent(request.params.id)}?decided=1`);
    } catch (error) {
      return showRepair(request, reply, request.params.id, formStateFrom(error, request, values));
    }
  });

  // The subject

  app.get('/credit/mine', { schema: { hide: true } }, async (request, reply) => {
    const person = pagePerson(request, reply);
    if (!person) return reply;
    const mine = await credit.myRecords(person);
    const title = tr(request)('credit.page.mine.title');
    return sendPage(request, reply, { title, width: 'wide', children: <SubjectPage title={title} standing={mine.standing} records={mine.records} /> });
  });

  app.get<{ Params: { id: string } }>('/enterprises/:id/credit', { schema: { hide: true } }, async (request, reply) => {
    const person = pagePerson(request, reply);
    if (!person) return reply;
    if (!ID_PATTERN.test(request.params.id)) return reply.callNotFound();
    const found = await credit.enterpriseRecords(person, request.params.id);
    const title = tr(request)('credit.page.mine.enterpriseTitle', { name: found.enterprise.name });
    return sendPage(request, reply, { title, width: 'wide', children: <SubjectPage title={title} standing={found.standing} records={found.records} /> });
  });

  const showApply = async (request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState & { status?: number }) => {
    const person = pagePerson(request, reply)!;
    const { record, repairs } = await credit.recordForSubject(person, id);
    const t = tr(request);
    return sendPage(request, reply, {
      title: t('credit.page.apply.title'),
      width: 'wide',
      form,
      status: form?.status,
      children: <ApplyRepairPage record={record} repairs={repairs} notice={queryOf(request).sent === '1' ? t('credit.page.apply.sent') : undefined} />,
    });
  };

  app.get<{ Params: { id: string } }>('/credit/records/:id/repair', { schema: { hide: true } }, async (request, reply) => {
    if (!pagePerson(request, reply)) return reply;
    if (!ID_PATTERN.test(request.params.id)) return reply.callNotFound();
    return showApply(request, reply, request.params.id);
  });

  // Text and scans come in one multipart form. The scans are checked by their content and the
  // application by its text and record before any scan is stored; they are attached in the
  // transaction that records the application. Scans stored for an application refused after all
  // (a race with another) stay unattached and are removed with other such uploads after a day.
  app.post<{ Params: { id: string } }>('/credit/records/:id/repair', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const person = pagePerson(request, reply);
    if (!person) return reply;
    if (!ID_PATTERN.test(request.params.id)) return reply.callNotFound();
    let values: Record<string, string> = {};
    try {
      const form = await readMultipart(request, { maxFiles: REPAIR_FILES_MAX, maxBytes: PAGE_UPLOAD_MAX_BYTES, maxFileBytes: FILE_MAX_BYTES });
      values = form.fields;
      const text = { reason: values.reason ?? '', evidence: values.evidence ?? '' };
      const scans = form.files.filter((f) => f.field === 'evidenceFiles').map((f) => ({ filename: f.filename, bytes: f.bytes, field: '/evidenceFiles' }));
      for (const scan of scans) await files.check(scan);
      await credit.checkRepair(person, request.params.id, text);
      const stored = [];
      for (const scan of scans) stored.push(await files.store(person.accountId, scan));
      await credit.applyRepair(person, request.params.id, { ...text, files: stored.map((f) => f.id) });
      return seeOther(reply, `/credit/records/${encodeURIComponent(request.params.id)}/repair?sent=1`);
    } catch (error) {
      if (error instanceof MultipartLimitError) values = error.values;
      return showApply(request, reply, request.params.id, formStateFrom(error, request, values, 'reason'));
    }
  });
}
