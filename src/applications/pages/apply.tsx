import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import type { BundleView, FormField, ItemVersionView, Material } from '../../catalog/schema.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { newId } from '../../core/ids.js';
import type { Locale } from '../../core/i18n.js';
import { UploadForm } from '../../files/components.js';
import { queryOf } from '../../identity/pages/context.js';
import { provinceOf } from '../../reference/regions.js';
import { Button, Form, InsetText, Radios, SummaryList, WarningText, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { isMaterialNeeded, type FormValues } from '../form.js';
import type { ApplicationInput, ApplicationView } from '../service.js';
import { FormSections, Select, fieldInput, local, type CommitmentOffer, type ReusableChoice } from './components.js';
import { checkedId, pagePerson, type ApplicationPageDeps } from './context.js';
import { applicationInputFrom, readPageForm, withPageFields } from './input.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;

type Applicant = { value: string; label: string };

/** The people and enterprises this person may apply as, for an item that serves these audiences. */
async function applicantsFor(deps: ApplicationPageDeps, principal: SessionPrincipal, audiences: readonly string[], t: ReturnType<typeof tr>): Promise<Applicant[]> {
  const options: Applicant[] = [];
  if (audiences.includes('person')) options.push({ value: 'self', label: t('applications.page.start.myself', { name: principal.displayName }) });
  if (audiences.includes('enterprise')) {
    const enterprises = await deps.enterprises.myEnterprises(principal);
    for (const e of enterprises) {
      if (e.role === 'legalRepresentative' || e.scopes.includes('applications')) options.push({ value: e.id, label: t('applications.page.start.enterprise', { name: e.name }) });
    }
  }
  return options;
}

/** The collecting offices (异地代收) an item allows: departments elsewhere, within the province when the item says so. */
async function collectingOffices(deps: ApplicationPageDeps, item: ItemVersionView, locale: Locale) {
  if (!item.definition.collectElsewhere || item.definition.crossRegion === 'none') return [];
  const province = provinceOf(item.regionCode)?.code;
  const departments = await deps.catalog.departmentsWithItems();
  return departments
    .filter((d) => d.id !== item.departmentId)
    .filter((d) => item.definition.crossRegion === 'national' || provinceOf(d.regionCode)?.code === province)
    .map((d) => ({ value: d.id, label: local(d.name, locale) }));
}

function StartPage({ item, applicants, offices, chosen }: { item: ItemVersionView; applicants: Applicant[]; offices: { value: string; label: string }[]; chosen?: string }) {
  const { t, locale } = usePage();
  const d = item.definition;
  return (
    <>
      <p className="caption">{local(item.departmentName, locale)}</p>
      <h1>{t('applications.page.start.title', { item: local(d.name, locale) })}</h1>
      <SummaryList
        rows={[
          { key: t('applications.page.start.department'), value: local(item.departmentName, locale) },
          { key: t('applications.page.start.promised'), value: t('applications.page.limits.days', { days: d.promisedLimitDays, unit: t(d.timeLimitUnit === 'calendarDays' ? 'applications.page.unit.calendarDays' : 'applications.page.unit.workingDays') }) },
          { key: t('applications.page.start.visits'), value: d.visits === 0 ? t('applications.page.start.noVisit') : t('applications.page.start.visitCount', { visits: d.visits }) },
          { key: t('applications.page.start.materials'), value: t('applications.page.start.materialCount', { asked: item.figures.materialsAsked, reused: item.figures.materialsReused }) },
        ]}
      />
      <p>
        <a href={`/services/${encodeURIComponent(item.itemId)}`}>{t('applications.page.start.guide')}</a>
      </p>
      {applicants.length === 0 ? (
        <>
          <WarningText>{t('applications.page.start.noEnterprise')}</WarningText>
          <p>
            <a href="/enterprises">{t('applications.page.start.enterprisesLink')}</a>
          </p>
        </>
      ) : (
        <Form action="/applications/new">
          <input type="hidden" name="itemId" value={item.itemId} />
          <Radios name="applicant" legend={t('applications.page.start.who')} hint={t('applications.page.start.whoHint')} options={applicants} selected={chosen ? [chosen] : [applicants[0]!.value]} />
          {offices.length ? (
            <Select
              name="collectingDepartmentId"
              label={t('applications.page.start.collecting')}
              hint={t('applications.page.start.collectingHint')}
              placeholder={t('applications.page.start.collectingNone')}
              optional
              options={offices}
            />
          ) : null}
          <InsetText>{t('applications.page.start.draftHint')}</InsetText>
          <Button>{t('applications.page.start.submit')}</Button>
        </Form>
      )}
    </>
  );
}

interface EditProps {
  view: ApplicationView;
  item: ItemVersionView;
  reusable: Record<string, ReusableChoice[]>;
  notice?: string;
  commitment?: CommitmentOffer;
}

function EditPage({ view, item, reusable, notice, commitment }: EditProps) {
  const { t, locale } = usePage();
  const d = item.definition;
  const needed = new Set(d.materials.filter((m) => isMaterialNeeded(m, view.form)).map((m) => m.key));
  const base = `/applications/${encodeURIComponent(view.id)}`;
  return (
    <>
      <p className="caption">{local(item.departmentName, locale)}</p>
      <h1>{local(d.name, locale)}</h1>
      {notice ? (
        <p className="tag" role="status">
          {notice}
        </p>
      ) : null}
      <p className="lead">{t('applications.page.edit.lead')}</p>
      {view.applicant.enterpriseName ? <p>{t('applications.page.edit.forEnterprise', { name: view.applicant.enterpriseName })}</p> : null}
      <UploadForm action={`${base}/edit`}>
        <FormSections
          fields={d.form.fields}
          materials={d.materials}
          reusable={reusable}
          provided={view.materials}
          neededMaterials={needed}
          fileHref={(fileId) => `${base}/files/${encodeURIComponent(fileId)}`}
          commitment={commitment}
        />
        <InsetText>{t('applications.page.edit.declaration')}</InsetText>
        <div className="button-group">
          <Button name="intent" value="submit">
            {t('applications.page.edit.submit')}
          </Button>
          <Button name="intent" value="save" variant="secondary">
            {t('applications.page.edit.save')}
          </Button>
        </div>
      </UploadForm>
    </>
  );
}

function BundlePage({
  bundle,
  applicantLabel,
  enterpriseId,
  switchTo,
  reusable,
  idempotencyKey,
  commitment,
}: {
  bundle: BundleView;
  applicantLabel: string;
  enterpriseId: string | null;
  switchTo: Applicant[];
  reusable: Record<string, ReusableChoice[]>;
  idempotencyKey: string;
  commitment?: CommitmentOffer;
}) {
  const { t, locale } = usePage();
  const departments = [...new Map(bundle.items.map((i) => [i.departmentId, local(i.departmentName, locale)])).values()];
  const needed = new Set(bundle.materials.filter((m) => m.requirement === 'required').map((m) => m.key));
  return (
    <>
      <h1>{t('applications.page.bundle.title', { name: local(bundle.name, locale) })}</h1>
      <p className="lead">{local(bundle.description, locale)}</p>
      <SummaryList
        rows={[
          { key: t('applications.page.bundle.items'), value: bundle.items.map((i) => local(i.definition.name, locale)).join(t('applications.page.separator')) },
          { key: t('applications.page.bundle.departments'), value: departments.join(t('applications.page.separator')) },
          { key: t('applications.page.bundle.applicant'), value: applicantLabel },
        ]}
      />
      {switchTo.length ? (
        <p>
          {switchTo.map((option, index) => (
            <span key={option.value}>
              {index > 0 ? ' · ' : ''}
              <a href={`/applications/new?bundle=${encodeURIComponent(bundle.code)}${option.value === 'self' ? '' : `&enterprise=${encodeURIComponent(option.value)}`}`}>{t('applications.page.bundle.applyAs', { who: option.label })}</a>
            </span>
          ))}
        </p>
      ) : null}
      <InsetText>{t('applications.page.bundle.once')}</InsetText>
      <UploadForm action="/applications/bundles">
        <input type="hidden" name="bundleCode" value={bundle.code} />
        <input type="hidden" name="enterpriseId" value={enterpriseId ?? ''} />
        {/* Made when the page is drawn: a double click or a resent form creates one bundle, not two. */}
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <FormSections fields={bundle.form.fields} materials={bundle.materials} reusable={reusable} provided={{}} neededMaterials={needed} commitment={commitment} />
        <p className="hint">{t('applications.page.bundle.filesAgain')}</p>
        <InsetText>{t('applications.page.edit.declaration')}</InsetText>
        <Button>{t('applications.page.bundle.submit')}</Button>
      </UploadForm>
    </>
  );
}

/** Form state holding a saved draft's answers, keyed by the inputs' names. */
function stateOfAnswers(fields: readonly FormField[], values: FormValues): FormState {
  const state: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (value === undefined) continue;
    state[fieldInput(field.key)] = field.type === 'checkbox' ? (value === true ? 'true' : '') : String(value);
  }
  return { values: state };
}

async function reusableFor(deps: ApplicationPageDeps, materials: readonly Material[], holder: { personId: string } | { enterpriseId: string }): Promise<Record<string, ReusableChoice[]>> {
  const result: Record<string, ReusableChoice[]> = {};
  for (const material of materials) {
    if (material.source !== 'certificate' || !material.certificateType) continue;
    const found = await deps.certificates.findReusable(holder, material.certificateType);
    result[material.key] = found.map((c) => ({ id: c.id, title: c.title, number: c.number, validUntil: c.validUntil }));
  }
  return result;
}

/** Whether to offer a commitment, asked only when some material accepts one (or the draft holds one, which may then be withdrawn). */
async function commitmentOffer(deps: ApplicationPageDeps, principal: SessionPrincipal, materials: readonly Material[], enterpriseId: string | null, holds = false): Promise<CommitmentOffer | undefined> {
  if (!holds && !materials.some((m) => m.commitmentAllowed)) return undefined;
  return { mayCommit: (await deps.applications.applicantStanding(principal, enterpriseId)).mayCommit };
}

const holderOf = (view: Pick<ApplicationView, 'applicant'>) => (view.applicant.enterpriseId ? { enterpriseId: view.applicant.enterpriseId } : { personId: view.applicant.personId });

/** Starting an application, filling in the draft, and applying for a "one thing" bundle. */
export function applyPages(app: HttpApp, deps: ApplicationPageDeps): void {
  const showStart = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, itemId: string, form?: FormState & { status?: number }, chosen?: string) => {
    const t = tr(request);
    const item = await deps.catalog.getItem(checkedItemId(itemId));
    if (item.status !== 'published') throw notFound('itemNotFound', 'applications.item.notFound');
    const [applicants, offices] = await Promise.all([applicantsFor(deps, principal, item.definition.audiences, t), collectingOffices(deps, item, request.locale ?? 'zh-CN')]);
    return sendPage(request, reply, {
      title: t('applications.page.start.title', { item: local(item.definition.name, request.locale ?? 'zh-CN') }),
      form,
      status: form?.status,
      children: <StartPage item={item} applicants={applicants} offices={offices} chosen={chosen} />,
    });
  };

  const showBundle = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, code: string, enterpriseId: string | null, form?: FormState & { status?: number }, idempotencyKey?: string) => {
    const t = tr(request);
    const locale = request.locale ?? 'zh-CN';
    if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(code)) throw notFound('bundleNotFound', 'applications.bundle.notFound');
    const bundle = await deps.catalog.getBundle(code);
    if (bundle.status !== 'published') throw notFound('bundleNotFound', 'applications.bundle.notFound');
    // Everyone in the bundle must serve the applicant: a person, or an enterprise.
    const audiences = ['person', 'enterprise'].filter((a) => bundle.items.every((i) => (i.definition.audiences as string[]).includes(a)));
    const applicants = await applicantsFor(deps, principal, audiences, t);
    const current = applicants.find((a) => a.value === (enterpriseId ?? 'self')) ?? (enterpriseId ? undefined : applicants[0]);
    if (!current) throw notFound('enterpriseNotFound', 'enterprise.notFound');
    const chosenEnterprise = current.value === 'self' ? null : current.value;
    const holder = chosenEnterprise ? { enterpriseId: chosenEnterprise } : { personId: principal.personId! };
    const [prefilled, reusable, commitment] = await Promise.all([
      deps.applications.prefillFor(principal, bundle.form.fields, chosenEnterprise),
      reusableFor(deps, bundle.materials, holder),
      commitmentOffer(deps, principal, bundle.materials, chosenEnterprise),
    ]);
    return sendPage(request, reply, {
      title: t('applications.page.bundle.title', { name: local(bundle.name, locale) }),
      form: form ?? stateOfAnswers(bundle.form.fields, prefilled),
      status: form?.status,
      children: (
        <BundlePage
          bundle={bundle}
          applicantLabel={current.label}
          enterpriseId={chosenEnterprise}
          switchTo={applicants.filter((a) => a.value !== current.value)}
          reusable={reusable}
          idempotencyKey={idempotencyKey ?? newId()}
          commitment={commitment}
        />
      ),
    });
  };

  app.get('/applications/new', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const query = queryOf(request);
    if (query.bundle) return showBundle(request, reply, principal, query.bundle, query.enterprise ?? null);
    if (!query.item) throw notFound('itemNotFound', 'applications.item.notFound');
    return showStart(request, reply, principal, query.item, undefined, query.enterprise);
  });

  app.post('/applications/new', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const values = formBody(request);
    const itemId = values.itemId ?? '';
    try {
      const applicant = values.applicant;
      if (!applicant) throw invalid('validation', [{ field: '/applicant', message: 'applications.page.start.whoRequired' }]);
      const view = await deps.applications.startDraft(principal, {
        itemId: checkedItemId(itemId),
        enterpriseId: applicant === 'self' ? null : applicant,
        collectingDepartmentId: values.collectingDepartmentId || null,
      });
      return seeOther(reply, `/applications/${encodeURIComponent(view.id)}/edit`);
    } catch (error) {
      const form = formStateFrom(withPageFields(error, { '/enterpriseId': 'applicant' }), request, values, 'applicant');
      return showStart(request, reply, principal, itemId, form, values.applicant);
    }
  });

  const showEdit = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, view: ApplicationView, form?: FormState & { status?: number }) => {
    const t = tr(request);
    const item = await deps.catalog.getVersion(view.item.versionId);
    const [reusable, commitment] = await Promise.all([reusableFor(deps, item.definition.materials, holderOf(view)), commitmentOffer(deps, principal, item.definition.materials, view.applicant.enterpriseId, Object.values(view.materials).some((m) => m.kind === 'commitment'))]);
    const query = queryOf(request);
    return sendPage(request, reply, {
      title: local(item.definition.name, request.locale ?? 'zh-CN'),
      form: form ?? stateOfAnswers(item.definition.form.fields, view.form),
      status: form?.status,
      children: <EditPage view={view} item={item} reusable={reusable} notice={!form && query.saved === '1' ? t('applications.page.edit.saved') : undefined} commitment={commitment} />,
    });
  };

  app.get<{ Params: { id: string } }>('/applications/:id/edit', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const view = await deps.applications.get(principal, checkedId(request.params.id));
    if (view.status !== 'draft') return seeOther(reply, `/applications/${encodeURIComponent(view.id)}`);
    return showEdit(request, reply, principal, view);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/edit', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const id = checkedId(request.params.id);
    const read = await readPageForm(request);
    const view = await deps.applications.get(principal, id);
    const statusPage = `/applications/${encodeURIComponent(id)}`;
    // A second click on Submit finds the application already submitted: show it, do nothing.
    if (view.status !== 'draft') return seeOther(reply, statusPage);
    if ('error' in read) return showEdit(request, reply, principal, view, formStateFrom(read.error, request, read.values));
    const { form } = read;
    const item = await deps.catalog.getVersion(view.item.versionId);
    try {
      const input = await applicationInputFrom(form, { fields: item.definition.form.fields, materials: item.definition.materials }, view.materials, deps.files, principal.accountId);
      await saveKeepingUploads(deps, principal, id, input);
      if (form.fields.intent !== 'submit') return seeOther(reply, `${statusPage}/edit?saved=1`);
      await deps.applications.submit(principal, id);
      return seeOther(reply, `${statusPage}?submitted=1`);
    } catch (error) {
      if (error instanceof AppError && error.status === 409) {
        const now = await deps.applications.get(principal, id);
        if (now.status !== 'draft') return seeOther(reply, statusPage);
      }
      const state = formStateFrom(withPageFields(error), request, form.fields);
      // What was saved (an upload that went through) is shown as provided.
      return showEdit(request, reply, principal, await deps.applications.get(principal, id), state);
    }
  });

  app.post('/applications/bundles', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const read = await readPageForm(request);
    const fields = 'error' in read ? read.values : read.form.fields;
    const code = fields.bundleCode ?? '';
    const enterpriseId = fields.enterpriseId || null;
    const key = fields.idempotencyKey ?? '';
    if (!IDEMPOTENCY_KEY.test(key)) throw invalid('idempotencyKey', [{ field: '/idempotencyKey', message: 'applications.page.bundle.keyMissing' }]);
    if ('error' in read) return showBundle(request, reply, principal, code, enterpriseId, formStateFrom(read.error, request, read.values), key);
    try {
      const bundle = await deps.catalog.getBundle(code);
      const input = await applicationInputFrom(read.form, { fields: bundle.form.fields, materials: bundle.materials }, {}, deps.files, principal.accountId);
      const result = await deps.applications.applyBundle(principal, { bundleCode: code, enterpriseId, form: input.form, materials: input.materials }, key);
      return seeOther(reply, `/applications/bundles/${encodeURIComponent(result.bundle.id)}?submitted=1`);
    } catch (error) {
      return showBundle(request, reply, principal, code, enterpriseId, formStateFrom(withPageFields(error), request, read.form.fields), key);
    }
  });
}

/**
 * Saves answers and materials on the draft. When only answers are wrong, the materials are saved
 * on their own first, so that files the applicant just uploaded are not lost with the answers.
 */
async function saveKeepingUploads(deps: ApplicationPageDeps, principal: SessionPrincipal, id: string, input: ApplicationInput) {
  try {
    await deps.applications.saveDraft(principal, id, input);
  } catch (error) {
    const onlyAnswers = error instanceof AppError && error.fields.length > 0 && error.fields.every((f) => f.field.startsWith('/form/'));
    if (onlyAnswers && input.materials && Object.keys(input.materials).length) {
      await deps.applications.saveDraft(principal, id, { materials: input.materials }).catch((second: unknown) => {
        // The answers' problems are what the applicant sees; a material problem shows once they are fixed.
        if (!(second instanceof AppError)) throw second;
      });
    }
    throw error;
  }
}

function checkedItemId(id: string): string {
  if (!/^[\w-]{1,64}$/.test(id)) throw notFound('itemNotFound', 'applications.item.notFound');
  return id;
}
