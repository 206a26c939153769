import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, type SessionPrincipal } from '../../core/auth.js';
import { AppError, conflict, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { Button, Form, InsetText, Table, TextArea, formBody, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { commitmentTextOf } from '../model.js';
import type { ItemDefinition, ItemSummary, ItemVersionView, Material } from '../schema.js';
import type { CatalogService } from '../service.js';
import { loc, materialSource } from './components.js';
import './messages.js';

/**
 * The catalogue editor's page for credit commitments (信用承诺): which materials of an item an
 * applicant in good standing may replace by a commitment, and in which words. Saving stores a new
 * version of the item like any edit through the API; applications under earlier versions keep
 * their materials as they were.
 */

export const EDITOR_HOME = '/workbench/catalog';
const ID_PATTERN = /^[\w-]{1,64}$/;
const PAGE_SIZE = 50;
const itemHref = (itemId: string) => `${EDITOR_HOME}/items/${encodeURIComponent(itemId)}/commitments`;
const allowedInput = (key: string) => `commitment-${key}`;
const textInput = (key: string, locale: 'zh' | 'en') => `commitmentText-${key}-${locale}`;

/** Government data is never asked of the applicant, so there is nothing a commitment could replace. */
const mayCommit = (material: Material) => material.source !== 'governmentData';

function pageEditor(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!request.principal || request.principal.kind !== 'account') {
    seeOther(reply, `/staff/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }
  if (!pageAccount(request, reply)) return undefined;
  return requireRole(request, 'catalogEditor');
}

function ItemList({ items, page, pages }: { items: ItemSummary[]; page: number; pages: number }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('catalogPages.editor.title')}</h1>
      <p className="lead">{t('catalogPages.editor.lead')}</p>
      {items.length === 0 ? (
        <p>{t('catalogPages.editor.none')}</p>
      ) : (
        <Table
          caption={t('catalogPages.editor.caption')}
          head={[t('catalogPages.editor.item'), t('catalogPages.editor.code'), t('catalogPages.editor.commitments')]}
          rows={items.map((item) => ({
            key: item.itemId,
            cells: [
              <a href={itemHref(item.itemId)}>{loc(item.name, locale)}</a>,
              <span className="code">{item.implementationCode}</span>,
              t('catalogPages.editor.version', { version: item.version }),
            ],
          }))}
        />
      )}
      {pages > 1 ? (
        <nav aria-label={t('catalogPages.editor.pagination')}>
          <ul className="pagination">
            {page > 1 ? (
              <li>
                <a href={`${EDITOR_HOME}?page=${page - 1}`} rel="prev">
                  {t('catalogPages.search.previous')}
                </a>
              </li>
            ) : null}
            {page < pages ? (
              <li>
                <a href={`${EDITOR_HOME}?page=${page + 1}`} rel="next">
                  {t('catalogPages.search.next')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

function CommitmentsPage({ item, saved, unchanged }: { item: ItemVersionView; saved: boolean; unchanged: boolean }) {
  const { t, locale, form } = usePage();
  const d = item.definition;
  const posted = Object.keys(form.values ?? {}).some((name) => name.startsWith('commitment'));
  const eligible = d.materials.filter(mayCommit);
  const others = d.materials.filter((m) => !mayCommit(m));
  return (
    <>
      <p className="caption">{t('catalogPages.editor.title')}</p>
      <h1>{t('catalogPages.editor.itemTitle', { item: loc(d.name, locale) })}</h1>
      {saved ? (
        <p className="tag" role="status">
          {t('catalogPages.editor.saved', { version: item.version })}
        </p>
      ) : null}
      {unchanged ? (
        <p className="tag" role="status">
          {t('catalogPages.editor.unchanged', { version: item.version })}
        </p>
      ) : null}
      <p className="lead">{t('catalogPages.editor.itemLead')}</p>
      <p>
        <a href={`/services/${encodeURIComponent(item.itemId)}`}>{t('catalogPages.editor.publicPage', { version: item.version })}</a>
      </p>
      {eligible.length === 0 ? (
        <p>{t('catalogPages.editor.noEligible')}</p>
      ) : (
        <Form action={itemHref(item.itemId)}>
          {/* The version these choices were made on: saving over a version someone saved meanwhile is refused. */}
          <input type="hidden" name="expectedVersion" value={posted && typeof form.values?.expectedVersion === 'string' ? form.values.expectedVersion : String(item.version)} />
          {eligible.map((material) => {
            const allowed = allowedInput(material.key);
            const checked = posted ? form.values?.[allowed] === 'yes' : Boolean(material.commitmentAllowed);
            const error = form.errors?.find((e) => e.field === allowed)?.message;
            const standard = commitmentTextOf({ ...material, commitmentAllowed: true, commitmentText: undefined })!;
            return (
              <fieldset className="fieldset" key={material.key}>
                <legend className="fieldset__legend">{loc(material.name, locale)}</legend>
                <p className="hint">{materialSource(t, locale, material)}</p>
                <div className={error ? 'form-group form-group--error' : 'form-group'}>
                  {error ? (
                    <p className="error-message" id={`${allowed}-error`}>
                      <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
                      {error}
                    </p>
                  ) : null}
                  <div className="choices">
                    <div className="choices__item">
                      <input className="choices__input" id={allowed} name={allowed} type="checkbox" value="yes" defaultChecked={checked} aria-describedby={error ? `${allowed}-error` : undefined} />
                      <label className="choices__label" htmlFor={allowed}>
                        {t('catalogPages.editor.allow')}
                      </label>
                    </div>
                  </div>
                </div>
                <TextArea
                  name={textInput(material.key, 'zh')}
                  label={t('catalogPages.editor.textZh')}
                  hint={t('catalogPages.editor.textHint', { standard: standard['zh-CN'] })}
                  optional
                  rows={3}
                  value={posted ? undefined : (material.commitmentText?.['zh-CN'] ?? '')}
                />
                <TextArea
                  name={textInput(material.key, 'en')}
                  label={t('catalogPages.editor.textEn')}
                  hint={t('catalogPages.editor.textHint', { standard: standard.en })}
                  optional
                  rows={3}
                  value={posted ? undefined : (material.commitmentText?.en ?? '')}
                />
              </fieldset>
            );
          })}
          <InsetText>{t('catalogPages.editor.newVersion')}</InsetText>
          <Button>{t('catalogPages.editor.save')}</Button>
        </Form>
      )}
      {others.length ? (
        <>
          <h2>{t('catalogPages.editor.notEligible')}</h2>
          <ul>
            {others.map((m) => (
              <li key={m.key}>
                {loc(m.name, locale)} – {materialSource(t, locale, m)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href={EDITOR_HOME}>{t('catalogPages.editor.back')}</a>
      </p>
    </>
  );
}

/** The definition with the commitments as posted: ticked materials accept one, in the words given (both languages) or the standard ones. */
export function withCommitments(definition: ItemDefinition, values: Record<string, string | undefined>): ItemDefinition {
  const next = structuredClone(definition);
  for (const material of next.materials) {
    if (!mayCommit(material)) continue;
    const zh = values[textInput(material.key, 'zh')]?.trim() ?? '';
    const en = values[textInput(material.key, 'en')]?.trim() ?? '';
    delete material.commitmentAllowed;
    delete material.commitmentText;
    if (values[allowedInput(material.key)] === 'yes') material.commitmentAllowed = true;
    // Half a text is kept so that the consistency rules name the empty language.
    if (zh || en) material.commitmentText = { 'zh-CN': zh, en };
  }
  return next;
}

/** Whether two definitions accept the same commitments in the same words (a save that changes nothing makes no version). */
export function sameCommitments(a: ItemDefinition, b: ItemDefinition): boolean {
  const words = (d: ItemDefinition) => JSON.stringify(d.materials.map((m) => [m.key, Boolean(m.commitmentAllowed), m.commitmentText?.['zh-CN'] ?? null, m.commitmentText?.en ?? null]));
  return words(a) === words(b);
}

/** A problem's JSON pointer into the definition (`/materials/2/commitmentText/en`) as the input it belongs to. */
function inputOf(definition: ItemDefinition, pointer: string): string {
  const match = /^\/materials\/(\d+)\/(commitmentAllowed|commitmentText)(?:\/(zh-CN|en))?/.exec(pointer);
  const material = match ? definition.materials[Number(match[1])] : undefined;
  if (!match || !material) return '';
  if (match[2] === 'commitmentAllowed') return allowedInput(material.key);
  return textInput(material.key, match[3] === 'en' ? 'en' : 'zh');
}

export function commitmentEditorPages(app: HttpApp, catalog: CatalogService): void {
  app.get(EDITOR_HOME, { schema: { hide: true } }, async (request, reply) => {
    const principal = pageEditor(request, reply);
    if (!principal) return reply;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(queryOf(request).page ?? '1', 10) || 1));
    const found = principal.departmentId ? await catalog.search({ departmentId: principal.departmentId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }) : { items: [], total: 0 };
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    return sendPage(request, reply, { title: tr(request)('catalogPages.editor.title'), width: 'wide', children: <ItemList items={found.items} page={page} pages={pages} /> });
  });

  const show = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, itemId: string, form?: FormState & { status?: number }) => {
    if (!ID_PATTERN.test(itemId)) throw notFound('itemNotFound', 'catalog.item.notFound');
    const item = await catalog.getItem(itemId);
    // Another department's items are not this editor's to change; their public page is open to all.
    if (item.departmentId !== principal.departmentId) throw notFound('itemNotFound', 'catalog.item.notFound');
    return sendPage(request, reply, {
      title: tr(request)('catalogPages.editor.itemTitle', { item: loc(item.definition.name, request.locale ?? 'zh-CN') }),
      width: 'wide',
      form,
      status: form?.status,
      children: <CommitmentsPage item={item} saved={!form && queryOf(request).saved === '1'} unchanged={!form && queryOf(request).unchanged === '1'} />,
    });
  };

  app.get<{ Params: { id: string } }>(`${EDITOR_HOME}/items/:id/commitments`, { schema: { hide: true } }, async (request, reply) => {
    const principal = pageEditor(request, reply);
    if (!principal) return reply;
    return show(request, reply, principal, request.params.id);
  });

  app.post<{ Params: { id: string } }>(`${EDITOR_HOME}/items/:id/commitments`, { schema: { hide: true } }, async (request, reply) => {
    const principal = pageEditor(request, reply);
    if (!principal) return reply;
    const itemId = request.params.id;
    if (!ID_PATTERN.test(itemId)) throw notFound('itemNotFound', 'catalog.item.notFound');
    const values = formBody(request);
    const current = await catalog.getItem(itemId);
    if (current.departmentId !== principal.departmentId) throw notFound('itemNotFound', 'catalog.item.notFound');
    // The first control of the form, where an error about the whole form is linked from the summary.
    const firstInput = current.definition.materials.find(mayCommit);
    const fallback = firstInput ? allowedInput(firstInput.key) : '';
    const expectedVersion = /^\d{1,9}$/.test(values.expectedVersion ?? '') ? Number(values.expectedVersion) : undefined;
    try {
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw conflict('itemVersionChanged', 'catalog.item.versionChanged', { expected: expectedVersion, version: current.version });
      }
      const next = withCommitments(current.definition, values);
      if (sameCommitments(next, current.definition)) return seeOther(reply, `${itemHref(itemId)}?unchanged=1`);
      await catalog.reviseItem(principal, itemId, next, { expectedVersion: current.version });
      return seeOther(reply, `${itemHref(itemId)}?saved=1`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'itemVersionChanged') {
        // The page shows the version saved meanwhile (not the stale choices), with what happened.
        const state = formStateFrom(error, request, {}, fallback);
        return show(request, reply, principal, itemId, { errors: state.errors, status: state.status });
      }
      if (error.fields.length === 0) throw error;
      const fields = error.fields.map((f) => ({ ...f, field: `/${inputOf(current.definition, f.field) || fallback}` }));
      const renamed = new AppError(error.status, error.code, error.titleKey, error.detailKey, error.params, fields, error.headers);
      return show(request, reply, principal, itemId, formStateFrom(renamed, request, values, fallback));
    }
  });
}
