import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { problemBody } from '../../core/http.js';
import { UploadForm } from '../../files/components.js';
import { MultipartLimitError, readMultipart } from '../../files/multipart.js';
import { queryOf } from '../../identity/pages/context.js';
import { formatDateTime } from '../../web/format.js';
import { Button, ButtonLink, Form, Radios, SummaryList, Table, TextArea, WarningText, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import type { PolicyVersionView } from '../library/service.js';
import { CODE_PATTERN, ModeTag, Notice, PolicyDocumentView, policyHref } from './components.js';
import { checkedCode, pagePolicyOfficer, serviceItemHref, type PolicyPageDeps } from './context.js';

const BASE = '/workbench/policies';
const policyBase = (code: string) => `${BASE}/${encodeURIComponent(code)}`;
/** A file of a whole provincial library is a few megabytes; the textarea is for a few policies. */
const IMPORT_MAX_BYTES = 8 * 1024 * 1024;
/** A file is echoed into the textarea for fixing only while it stays a comfortable size to edit there. */
const ECHO_MAX_CHARS = 60_000;

type Row = { code: string; title: { 'zh-CN': string; en: string }; mode: string; status: PolicyVersionView['status']; version: number; versionStatus: PolicyVersionView['versionStatus']; publishedVersion: number | null; updatedAt: string };

/** One problem of a file or version: where it is (JSON Pointer) and what is wrong, in the reader's language. */
export interface FileProblem {
  field: string;
  message: string;
}

const statusKey = (status: string) => `policies.pages.status.${status}` as MessageKey;
const versionStatusKey = (status: string) => `policies.pages.versionStatus.${status}` as MessageKey;

function ImportedNotice() {
  const { t, request } = usePage();
  const query = queryOf(request);
  if (query.imported !== '1') return null;
  const codes = (name: string) => (query[name] ?? '').split(',').filter((code) => CODE_PATTERN.test(code));
  const list = (name: string) => codes(name).join(t('policies.pages.list.separator')) || '—';
  return (
    <Notice
      text={t('policies.pages.officer.imported', {
        created: codes('created').length,
        createdList: list('created'),
        revised: codes('revised').length,
        revisedList: list('revised'),
        unchanged: codes('unchanged').length,
      })}
    />
  );
}

function OfficerListPage({ rows }: { rows: Row[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('policies.pages.officer.title')}</h1>
      <ImportedNotice />
      <p className="lead">{t('policies.pages.officer.lead')}</p>
      <div className="button-group">
        <ButtonLink href={`${BASE}/import`}>{t('policies.pages.officer.import')}</ButtonLink>
        <ButtonLink href="/api/v1/department/policies/export" variant="secondary">
          {t('policies.pages.officer.export')}
        </ButtonLink>
      </div>
      <ul className="filter-links" aria-label={t('policies.pages.officer.related')}>
        <li>
          <a href="/workbench/policy-grants">{t('policies.pages.officer.grants')}</a>
        </li>
        <li>
          <a href="/department/policy-inquiries">{t('policies.pages.officer.inquiries')}</a>
        </li>
        <li>
          <a href="/department/policy-analytics">{t('policies.pages.officer.analytics')}</a>
        </li>
      </ul>
      {rows.length === 0 ? (
        <p>{t('policies.pages.officer.none')}</p>
      ) : (
        <Table
          caption={t('policies.pages.officer.caption', { count: rows.length })}
          head={[t('policies.pages.officer.code'), t('policies.pages.officer.policy'), t('policies.pages.officer.status'), t('policies.pages.officer.latest'), t('policies.pages.officer.updated')]}
          rows={rows.map((row) => ({
            key: row.code,
            cells: [
              <a className="code" href={policyBase(row.code)}>
                {row.code}
              </a>,
              <>
                {row.title[locale]} <ModeTag mode={row.mode} />
              </>,
              <>
                <strong>{t(statusKey(row.status))}</strong>
                {row.publishedVersion && row.status === 'published' ? <span className="secondary-text"> {t('policies.pages.officer.publishedVersion', { version: row.publishedVersion })}</span> : null}
              </>,
              t('policies.pages.officer.versionWithStatus', { version: row.version, status: t(versionStatusKey(row.versionStatus)) }),
              formatDateTime(row.updatedAt, locale),
            ],
          }))}
        />
      )}
    </>
  );
}

/** Where a problem is, for people: the policy it is in (by position and code) and the JSON Pointer. */
function problemPlace(t: ReturnType<typeof tr>, field: string, file: unknown): string {
  const match = /^\/policies\/(\d+)(\/|$)/.exec(field);
  if (!match) return field || '/';
  const index = Number(match[1]);
  const policies = (file as { policies?: unknown[] } | null)?.policies;
  const code = Array.isArray(policies) ? (policies[index] as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? t('policies.pages.officer.problemInPolicy', { number: index + 1, code }) : t('policies.pages.officer.problemInPolicyNoCode', { number: index + 1 });
}

function ProblemTable({ problems, file }: { problems: FileProblem[]; file: unknown }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="problems-heading" id="problems" tabIndex={-1}>
      <h2 id="problems-heading">{t('policies.pages.officer.problems', { count: problems.length })}</h2>
      <Table
        caption={t('policies.pages.officer.problemsCaption')}
        head={[t('policies.pages.officer.problemPath'), t('policies.pages.officer.problemPolicy'), t('policies.pages.officer.problemMessage')]}
        rows={problems.map((problem, index) => ({
          key: String(index),
          cells: [<code className="code">{problem.field || '/'}</code>, problemPlace(t, problem.field, file), problem.message],
        }))}
      />
    </section>
  );
}

function ImportPage({ problems, file }: { problems: FileProblem[] | null; file: unknown }) {
  const { t, form } = usePage();
  const fileError = form.errors?.find((e) => e.field === 'policyFile')?.message;
  return (
    <>
      <p className="caption">{t('policies.pages.officer.title')}</p>
      <h1>{t('policies.pages.officer.importTitle')}</h1>
      <p className="lead">{t('policies.pages.officer.importLead')}</p>
      {problems?.length ? <ProblemTable problems={problems} file={file} /> : null}
      <UploadForm action={`${BASE}/import`}>
        <div className={fileError ? 'form-group form-group--error' : 'form-group'}>
          <label className="label" htmlFor="policyFile">
            {t('policies.pages.officer.file')} {t('web.form.optional')}
          </label>
          <div className="hint" id="policyFile-hint">
            {t('policies.pages.officer.fileHint', { limit: IMPORT_MAX_BYTES / 1024 / 1024 })}
          </div>
          {fileError ? (
            <p className="error-message" id="policyFile-error">
              <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
              {fileError}
            </p>
          ) : null}
          <input
            className={`file-upload${fileError ? ' file-upload--error' : ''}`}
            id="policyFile"
            name="policyFile"
            type="file"
            accept="application/json,.json"
            aria-describedby={fileError ? 'policyFile-hint policyFile-error' : 'policyFile-hint'}
            aria-invalid={fileError ? true : undefined}
          />
        </div>
        <TextArea name="policyJson" label={t('policies.pages.officer.json')} hint={t('policies.pages.officer.jsonHint')} rows={16} optional />
        <Button>{t('policies.pages.officer.importSubmit')}</Button>
      </UploadForm>
      <p>
        <a href={BASE}>{t('policies.pages.officer.back')}</a>
      </p>
    </>
  );
}

function Actions({ view }: { view: PolicyVersionView }) {
  const { t } = usePage();
  const base = policyBase(view.code);
  const forms = [];
  if (view.versionStatus === 'draft' || view.versionStatus === 'rejected') {
    forms.push(
      <div className="card" id="action-submit" key="submit">
        <h3>{t('policies.pages.officer.submit')}</h3>
        <Form action={`${base}/submit`}>
          <p className="hint">{t('policies.pages.officer.submitHint')}</p>
          <Button>{t('policies.pages.officer.submit')}</Button>
        </Form>
      </div>,
    );
  }
  if (view.versionStatus === 'inReview') {
    forms.push(
      <div className="card" id="action-review" key="review">
        <h3>{t('policies.pages.officer.review')}</h3>
        <Form action={`${base}/review`}>
          <Radios
            name="decision"
            legend={t('policies.pages.officer.decision')}
            hint={t('policies.pages.officer.reviewHint')}
            options={[
              { value: 'approve', label: t('policies.pages.officer.approve'), hint: t('policies.pages.officer.approveHint') },
              { value: 'reject', label: t('policies.pages.officer.reject') },
            ]}
          />
          <TextArea name="comment" label={t('policies.pages.officer.comment')} rows={3} optional />
          <Button>{t('policies.pages.officer.reviewSubmit')}</Button>
        </Form>
      </div>,
    );
  }
  if (view.status === 'published') {
    forms.push(
      <div className="card" id="action-withdraw" key="withdraw">
        <h3>{t('policies.pages.officer.withdraw')}</h3>
        <Form action={`${base}/withdraw`}>
          <WarningText>{t('policies.pages.officer.withdrawWarning')}</WarningText>
          <Button variant="warning">{t('policies.pages.officer.withdraw')}</Button>
        </Form>
      </div>,
    );
  }
  return forms.length ? <>{forms}</> : <p>{t('policies.pages.officer.noActions')}</p>;
}

function OfficerPolicyPage({ view, itemHref, problems, notice }: { view: PolicyVersionView; itemHref: string | null; problems: FileProblem[] | null; notice?: string | undefined }) {
  const { t, locale } = usePage();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale) : '—');
  const publicVersionDiffers = view.status === 'published' && view.publishedVersionId !== view.versionId;
  return (
    <>
      <p className="caption">{t('policies.pages.officer.title')}</p>
      <h1>{view.document.title[locale]}</h1>
      <Notice text={notice} />
      <SummaryList
        rows={[
          { key: t('policies.pages.officer.code'), value: <span className="code">{view.code}</span> },
          { key: t('policies.pages.officer.status'), value: <strong>{t(statusKey(view.status))}</strong> },
          { key: t('policies.pages.officer.latest'), value: t('policies.pages.officer.versionWithStatus', { version: view.version, status: t(versionStatusKey(view.versionStatus)) }) },
          { key: t('policies.pages.officer.created'), value: when(view.createdAt) },
          { key: t('policies.pages.officer.submitted'), value: when(view.submittedAt) },
          { key: t('policies.pages.officer.reviewed'), value: when(view.reviewedAt) },
          ...(view.reviewComment ? [{ key: t('policies.pages.officer.reviewComment'), value: view.reviewComment }] : []),
          ...(view.status === 'published' ? [{ key: t('policies.pages.officer.publicPage'), value: <a href={policyHref(view.code)}>{policyHref(view.code)}</a> }] : []),
        ]}
      />
      {publicVersionDiffers ? <p>{t('policies.pages.officer.publicSeesOlder')}</p> : null}
      {view.status === 'published' ? (
        <ul className="filter-links" aria-label={t('policies.pages.officer.related')}>
          <li>
            <a href={`/department/policy-analytics/${encodeURIComponent(view.code)}`}>{t('policies.pages.officer.analytics')}</a>
          </li>
          {view.document.mode === 'automatic' ? (
            <li>
              <a href={`/workbench/policy-grants/${encodeURIComponent(view.code)}`}>{t('policies.pages.officer.grants')}</a>
            </li>
          ) : null}
        </ul>
      ) : null}
      {problems?.length ? <ProblemTable problems={problems} file={{ policies: [view.document] }} /> : null}
      <h2 id="actions">{t('policies.pages.officer.actions')}</h2>
      <Actions view={view} />
      <h2 id="document">{t('policies.pages.officer.document', { version: view.version })}</h2>
      <PolicyDocumentView document={view.document} declaredFacts={view.declaredFacts} serviceItemHref={itemHref} />
      <p>
        <a href={BASE}>{t('policies.pages.officer.back')}</a>
      </p>
    </>
  );
}

/**
 * A refusal as the page shows it: problems with JSON paths in their table (the summary points
 * there), anything else as an ordinary form error against `fallbackField`.
 */
function refusal(error: unknown, request: FastifyRequest, values: Record<string, string | undefined>, fallbackField: string): { form: FormState & { status: number }; problems: FileProblem[] | null } {
  if (error instanceof AppError && error.fields.some((f) => f.field.startsWith('/policies') || f.field.startsWith('/facts') || f.field === '' || f.field === '/format')) {
    const problem = problemBody(error, request);
    const problems = (problem.errors ?? []).map((e) => ({ field: e.field, message: e.message }));
    return { form: { values, errors: [{ field: 'problems', message: problem.detail ?? problem.title }], status: error.status }, problems };
  }
  return { form: formStateFrom(error, request, values, fallbackField), problems: null };
}

const NOTICES: Record<string, MessageKey> = {
  submit: 'policies.pages.officer.done.submit',
  approve: 'policies.pages.officer.done.approve',
  reject: 'policies.pages.officer.done.reject',
  withdraw: 'policies.pages.officer.done.withdraw',
};

/** JSON.parse's complaint as a line and column people can find in an editor. */
function jsonProblem(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/** The policy officers' library pages: the department's policies, import, and each one's review. */
export function officerPages(app: HttpApp, deps: PolicyPageDeps): void {
  app.get(BASE, { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePolicyOfficer(request, reply);
    if (!principal) return reply;
    const policies = await deps.policyLibrary.departmentPolicies(principal);
    const rows: Row[] = [];
    for (const policy of policies) {
      const latest = await deps.policyLibrary.latestView(policy.code, principal);
      const published = policy.publishedVersionId && policy.publishedVersionId !== latest.versionId ? await deps.policyLibrary.versionView(policy.publishedVersionId) : null;
      rows.push({
        code: policy.code,
        title: latest.document.title,
        mode: latest.document.mode,
        status: policy.status,
        version: latest.version,
        versionStatus: latest.versionStatus,
        publishedVersion: published ? published.version : policy.publishedVersionId ? latest.version : null,
        updatedAt: policy.updatedAt,
      });
    }
    return sendPage(request, reply, { title: tr(request)('policies.pages.officer.title'), width: 'wide', children: <OfficerListPage rows={rows} /> });
  });

  app.get(`${BASE}/import`, { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePolicyOfficer(request, reply);
    if (!principal) return reply;
    return sendPage(request, reply, { title: tr(request)('policies.pages.officer.importTitle'), width: 'wide', children: <ImportPage problems={null} file={null} /> });
  });

  app.post(`${BASE}/import`, { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const principal = pagePolicyOfficer(request, reply);
    if (!principal) return reply;
    const t = tr(request);
    const show = (form: FormState & { status: number }, problems: FileProblem[] | null, file: unknown) =>
      sendPage(request, reply, { title: t('policies.pages.officer.importTitle'), width: 'wide', form, status: form.status, children: <ImportPage problems={problems} file={file} /> });
    let text = '';
    try {
      const form = await readMultipart(request, { maxFiles: 1, maxBytes: IMPORT_MAX_BYTES });
      const upload = form.files.find((file) => file.field === 'policyFile');
      // A byte-order mark is how some editors on Windows save UTF-8; it is not part of the JSON.
      text = upload ? upload.bytes.toString('utf8').replace(/^\uFEFF/, '') : (form.fields.policyJson ?? '');
      if (!text.trim()) throw invalid('policyFileMissing', [{ field: '/policyJson', message: 'policies.pages.officer.nothingToImport' }]);
      let file: unknown;
      try {
        file = JSON.parse(text);
      } catch (error) {
        const at = jsonProblem(text, error);
        throw invalid('policyFileNotJson', [{ field: '/policyJson', message: at ? 'policies.pages.officer.notJsonAt' : 'policies.pages.officer.notJson', params: { at } }]);
      }
      try {
        const report = await deps.policyLibrary.importFile(principal, file);
        const query = new URLSearchParams({ imported: '1', created: report.created.join(','), revised: report.revised.join(','), unchanged: report.unchanged.join(',') });
        return seeOther(reply, `${BASE}?${query.toString()}`);
      } catch (error) {
        const echoed = text.length <= ECHO_MAX_CHARS ? text : '';
        const { form: state, problems } = refusal(error, request, { policyJson: echoed }, 'policyJson');
        return show(state, problems, file);
      }
    } catch (error) {
      const values = { policyJson: error instanceof MultipartLimitError ? (error.values.policyJson ?? '') : text.length <= ECHO_MAX_CHARS ? text : '' };
      return show(formStateFrom(error, request, values, 'policyFile'), null, null);
    }
  });

  const showPolicy = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, code: string, failure?: { form: FormState & { status: number }; problems: FileProblem[] | null }) => {
    const view = await deps.policyLibrary.latestView(code, principal);
    const done = queryOf(request).done;
    const notice = !failure && done && NOTICES[done] ? tr(request)(NOTICES[done]!) : undefined;
    return sendPage(request, reply, {
      title: view.document.title[request.locale ?? 'zh-CN'],
      width: 'wide',
      ...(failure ? { form: failure.form, status: failure.form.status } : {}),
      children: <OfficerPolicyPage view={view} itemHref={await serviceItemHref(deps.catalog, view.document.serviceItem)} problems={failure?.problems ?? null} notice={notice} />,
    });
  };

  app.get<{ Params: { code: string } }>(`${BASE}/:code`, { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePolicyOfficer(request, reply);
    if (!principal) return reply;
    return showPolicy(request, reply, principal, checkedCode(request.params.code));
  });

  app.post<{ Params: { code: string; action: string } }>(`${BASE}/:code/:action`, { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePolicyOfficer(request, reply);
    if (!principal) return reply;
    const code = checkedCode(request.params.code);
    const action = request.params.action;
    if (action !== 'submit' && action !== 'review' && action !== 'withdraw') throw notFound();
    const values = formBody(request);
    try {
      if (action === 'submit') {
        await deps.policyLibrary.submitForReview(principal, code);
        return seeOther(reply, `${policyBase(code)}?done=submit`);
      }
      if (action === 'review') {
        if (values.decision !== 'approve' && values.decision !== 'reject') throw invalid('decisionRequired', [{ field: '/decision', message: 'policies.pages.officer.decisionRequired' }]);
        await deps.policyLibrary.review(principal, code, { approve: values.decision === 'approve', ...(values.comment?.trim() ? { comment: values.comment } : {}) });
        return seeOther(reply, `${policyBase(code)}?done=${values.decision}`);
      }
      await deps.policyLibrary.withdraw(principal, code);
      return seeOther(reply, `${policyBase(code)}?done=withdraw`);
    } catch (error) {
      const fallback = action === 'review' ? 'decision' : 'actions';
      return showPolicy(request, reply, principal, code, refusal(error, request, values, fallback));
    }
  });
}
