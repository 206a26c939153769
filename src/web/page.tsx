/**
 * Page helpers for server-rendered portal pages. Every page in every capability is sent through
 * `sendPage`, so all of them share the layout, headers (CSP, no caching of personal data),
 * language, login state and the GOV.UK-style error summary.
 *
 * Usage, in a capability's `pages/` folder (files are .tsx):
 *
 *   import { sendPage, seeOther, Form, TextInput, Button, formStateFrom, tr } from '../../web/page.js';
 *
 *   app.get('/things/new', async (request, reply) => {
 *     const t = tr(request);
 *     return sendPage(request, reply, {
 *       title: t('things.new.title'),
 *       children: (
 *         <Form action="/things/new">
 *           <TextInput name="name" label={t('things.name')} hint={t('things.name.hint')} />
 *           <Button>{t('things.save')}</Button>
 *         </Form>
 *       ),
 *     });
 *   });
 *
 *   app.post('/things/new', async (request, reply) => {
 *     const body = formBody(request);                 // plain strings, never arrays or objects
 *     try {
 *       await service.create(body.name ?? '');
 *       return seeOther(reply, '/things');           // Post/Redirect/Get
 *     } catch (error) {
 *       // AppError -> field errors (field '/name' -> input id "name") and the typed values back;
 *       // anything else is rethrown to the error page.
 *       return sendPage(request, reply, { title, children, form: formStateFrom(error, request, body) });
 *     }
 *   });
 *
 * - `sendPage(request, reply, { title, children, status?, form?, width? })`: renders the layout
 *   around `children`; when `form` has errors, puts the error summary at the top of <main>,
 *   prefixes the <title> with "Error:" and answers 400 unless `status` says otherwise.
 * - `Form` posts to `action` (method POST, `novalidate`) with the hidden `_csrf` field.
 *   `CsrfField` alone for forms you build yourself.
 * - `TextInput`, `Checkboxes`, `Radios`: label, hint and error linked with aria-describedby; the
 *   typed value and the error message come from the page's `form` state by `name`. Password inputs
 *   never echo what was typed.
 * - `Button` (primary, secondary, warning), `ButtonLink`, `SummaryList`, `Panel`, `InsetText`,
 *   `WarningText`, `Table`.
 * - `usePage()` / `useT()` inside components: the request, locale and translator of this page.
 * - `tr(request)`: the translator for route code.
 * - `formStateFrom(error, request, values, fallbackField?)`: an AppError as form state.
 * - `requiredFields(values, { name: label })`: an AppError listing every empty required field, or undefined.
 * - `formBody(request)`, `formList(request, name)`: the posted form as strings.
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor } from '../core/csrf.js';
import { AppError, invalid } from '../core/errors.js';
import { problemBody } from '../core/http.js';
import { translator, type Locale, type Translator } from '../core/i18n.js';
import { PageContext, usePage, useT, type FormError, type FormState, type PageContextValue } from './context.js';
import { Layout } from './layout.js';
import './messages.js';

export interface PortalOptions {
  /** Cookies get the Secure attribute (production). */
  secureCookies: boolean;
  /** Developer pages (the SMS outbox) are offered only outside production. */
  production: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    portalOptions?: PortalOptions;
  }
}

export { usePage, useT, type FormError, type FormState, type PageContextValue } from './context.js';

export function tr(request: FastifyRequest): Translator {
  return translator(request.locale ?? 'zh-CN');
}

/**
 * Pages may be styled only by our own stylesheet and run only our own scripts; nothing may frame
 * them, and forms post only back to us.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function secureCookies(request: FastifyRequest): boolean {
  return request.server.portalOptions?.secureCookies ?? request.protocol === 'https';
}

export interface PageOptions {
  /** The page's own title (the <h1> usually says the same); the site name is added. */
  title: string;
  children: ReactNode;
  status?: number;
  form?: FormState;
  /** 'narrow' (default) keeps forms at a readable width; 'wide' is for tables. */
  width?: 'narrow' | 'wide';
}

export function renderPage(request: FastifyRequest, reply: FastifyReply, options: PageOptions): string {
  const t = tr(request);
  const form = options.form ?? {};
  const hasErrors = Boolean(form.errors?.length);
  let token: string | undefined;
  const context: PageContextValue = {
    request,
    locale: request.locale ?? 'zh-CN',
    t,
    form,
    csrfToken: () => (token ??= csrfTokenFor(request, reply, secureCookies(request))),
  };
  const title = hasErrors ? t('web.page.errorTitlePrefix', { title: options.title }) : options.title;
  const html = renderToStaticMarkup(
    <PageContext.Provider value={context}>
      <Layout title={title} width={options.width ?? 'narrow'} errorSummary={hasErrors ? <ErrorSummary errors={form.errors!} /> : null}>
        {options.children}
      </Layout>
    </PageContext.Provider>,
  );
  return `<!DOCTYPE html>${html}`;
}

export function setPageHeaders(reply: FastifyReply): void {
  reply.header('content-type', 'text/html; charset=utf-8');
  reply.header('content-security-policy', PAGE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  // Pages show personal data; a shared computer's back button must not bring them back from cache.
  reply.header('cache-control', 'no-store');
}

export function sendPage(request: FastifyRequest, reply: FastifyReply, options: PageOptions): FastifyReply {
  const html = renderPage(request, reply, options);
  setPageHeaders(reply);
  const status = options.status ?? (options.form?.errors?.length ? 400 : reply.statusCode || 200);
  return reply.status(status).send(html);
}

/** Post/Redirect/Get: after a form succeeds, the browser fetches the next page with GET. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}

/** A form body as plain strings (one value per name; repeated names, as checkboxes send them, as arrays). */
export function formBody(request: FastifyRequest): Record<string, string | undefined> {
  const body = request.body;
  const result: Record<string, string | undefined> = {};
  if (!body || typeof body !== 'object') return result;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') result[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') result[key] = value[0];
  }
  return result;
}

/** All values sent under one name (checkboxes). */
export function formList(request: FastifyRequest, name: string): string[] {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * An error naming every listed field that was left empty (by its label, so the error summary
 * says which), so a form shows all of them at once; undefined when all are filled.
 */
export function requiredFields(values: Record<string, string | string[] | undefined>, labels: Record<string, string>): AppError | undefined {
  const missing = Object.keys(labels).filter((name) => {
    const value = values[name];
    return Array.isArray(value) ? value.length === 0 : !value?.trim();
  });
  return missing.length
    ? invalid('validation', missing.map((name) => ({ field: `/${name}`, message: 'web.form.required' as const, params: { label: labels[name]! } })))
    : undefined;
}

/** `/idNumber` -> `idNumber`; `/scopes/0` -> `scopes`; `/querystring/x` -> `x`. */
export function inputIdOf(field: string): string {
  const parts = field.split('/').filter(Boolean);
  if (parts[0] === 'querystring' || parts[0] === 'params' || parts[0] === 'body') parts.shift();
  return parts[0] ?? '';
}

/**
 * Turns what a service threw into form state: each field problem against its input, with the
 * values typed kept (passwords dropped). An error about the form as a whole is shown against
 * `fallbackField` when given (so the summary still links somewhere useful). Non-AppErrors are
 * rethrown: they are bugs and belong on the 500 page.
 */
export function formStateFrom(
  error: unknown,
  request: FastifyRequest,
  values: Record<string, string | string[] | undefined>,
  fallbackField = '',
): FormState & { status: number } {
  if (!(error instanceof AppError)) throw error;
  const problem = problemBody(error, request);
  const kept: Record<string, string | string[] | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!/password|^code$|^_csrf$/i.test(key)) kept[key] = value;
  }
  const errors: FormError[] = problem.errors?.length
    ? problem.errors.map((e) => ({ field: inputIdOf(e.field), message: e.message }))
    : [{ field: fallbackField, message: problem.detail ?? problem.title }];
  return { values: kept, errors, status: error.status };
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

function errorFor(form: FormState, name: string): string | undefined {
  return form.errors?.find((e) => e.field === name)?.message;
}

function valueFor(form: FormState, name: string): string | undefined {
  const value = form.values?.[name];
  return Array.isArray(value) ? value[0] : value;
}

export function ErrorSummary({ errors }: { errors: FormError[] }) {
  const t = useT();
  return (
    // autofocus moves keyboard and screen-reader users to the summary without any script.
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autoFocus>
      <h2 className="error-summary__title" id="error-summary-title">
        {t('web.form.errorSummaryTitle')}
      </h2>
      <ul className="error-summary__list">
        {errors.map((error, index) => (
          <li key={index}>{error.field ? <a href={`#${error.field}`}>{error.message}</a> : error.message}</li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="_csrf" value={csrfToken()} />;
}

export function Form({ action, children, className, id }: { action: string; children: ReactNode; className?: string; id?: string }) {
  return (
    <form method="post" action={action} noValidate className={className} id={id}>
      <CsrfField />
      {children}
    </form>
  );
}

export interface TextInputProps {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'password' | 'tel' | 'email' | 'date' | 'number';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email' | 'decimal';
  spellCheck?: boolean;
  /** Width in characters, as GOV.UK sizes inputs to the answer they expect. */
  width?: 4 | 6 | 10 | 20 | 30;
  value?: string;
  optional?: boolean;
  /** The label is the page's heading (one question per page). */
  isPageHeading?: boolean;
  pattern?: string;
}

/** Label, hint and error of one field, wired the way the error summary and screen readers expect. */
function FormGroup({ name, label, hint, error, optional, isPageHeading, children }: { name: string; label: string; hint?: string | undefined; error: string | undefined; optional?: boolean | undefined; isPageHeading?: boolean | undefined; children: ReactNode }) {
  const { t } = usePage();
  const labelElement = (
    <label className={isPageHeading ? 'label label--heading' : 'label'} htmlFor={name}>
      {label}
      {optional ? ` ${t('web.form.optional')}` : ''}
    </label>
  );
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      {isPageHeading ? <h1 className="label-wrapper">{labelElement}</h1> : labelElement}
      {hint ? (
        <div className="hint" id={`${name}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="error-message" id={`${name}-error`}>
          <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

export function TextInput(props: TextInputProps) {
  const { form } = usePage();
  const error = errorFor(form, props.name);
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = error ? `${props.name}-error` : undefined;
  const value = props.type === 'password' ? undefined : (props.value ?? valueFor(form, props.name));
  return (
    <FormGroup name={props.name} label={props.label} hint={props.hint} error={error} optional={props.optional} isPageHeading={props.isPageHeading}>
      <input
        className={`input${props.width ? ` input--width-${props.width}` : ''}${error ? ' input--error' : ''}`}
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        spellCheck={props.spellCheck}
        pattern={props.pattern}
        aria-describedby={describedBy(hintId, errorId)}
        aria-invalid={error ? true : undefined}
      />
    </FormGroup>
  );
}

/** What a field needs of the form state: its error and the ids its control points at. */
function useFieldState(name: string, hint: string | undefined) {
  const { form } = usePage();
  const error = errorFor(form, name);
  return { form, error, describedBy: describedBy(hint ? `${name}-hint` : undefined, error ? `${name}-error` : undefined), ariaInvalid: error ? true : undefined };
}

/** A labelled drop-down; the chosen value is `value`, or what the form last sent. */
export function Select({ name, label, hint, options, value, placeholder, optional }: { name: string; label: string; hint?: string; options: { value: string; label: string }[]; value?: string; placeholder?: string; optional?: boolean }) {
  const { form, error, describedBy: described, ariaInvalid } = useFieldState(name, hint);
  return (
    <FormGroup name={name} label={label} hint={hint} error={error} optional={optional}>
      <select
        className={`input select${error ? ' input--error' : ''}`}
        id={name}
        name={name}
        defaultValue={value ?? valueFor(form, name) ?? ''}
        aria-describedby={described}
        aria-invalid={ariaInvalid}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}

/** A multi-line text field with the same label, hint and error wiring as TextInput. */
export function TextArea({ name, label, hint, rows = 5, optional, value }: { name: string; label: string; hint?: string; rows?: number; optional?: boolean; value?: string }) {
  const { form, error, describedBy: described, ariaInvalid } = useFieldState(name, hint);
  return (
    <FormGroup name={name} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        className={`input${error ? ' input--error' : ''}`}
        id={name}
        name={name}
        rows={rows}
        defaultValue={value ?? valueFor(form, name)}
        aria-describedby={described}
        aria-invalid={ariaInvalid}
      />
    </FormGroup>
  );
}

export interface ChoiceOption {
  value: string;
  label: string;
  hint?: string;
}

function Choices({ kind, name, legend, hint, options, selected }: { kind: 'checkbox' | 'radio'; name: string; legend: string; hint?: string; options: ChoiceOption[]; selected?: string[] }) {
  const { form, t } = usePage();
  const error = errorFor(form, name);
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = error ? `${name}-error` : undefined;
  const fromForm = form.values?.[name];
  const chosen = new Set(selected ?? (Array.isArray(fromForm) ? fromForm : fromForm ? [fromForm] : []));
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset className="fieldset" aria-describedby={describedBy(hintId, errorId)}>
        <legend className="fieldset__legend">{legend}</legend>
        {hint ? (
          <div className="hint" id={hintId}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <p className="error-message" id={errorId}>
            <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
            {error}
          </p>
        ) : null}
        <div className="choices">
          {options.map((option, index) => {
            // The first box carries the field's id so the error summary link lands on it.
            const id = index === 0 ? name : `${name}-${index + 1}`;
            const optionHintId = option.hint ? `${id}-item-hint` : undefined;
            return (
              <div className="choices__item" key={option.value}>
                <input
                  className="choices__input"
                  id={id}
                  name={name}
                  type={kind}
                  value={option.value}
                  defaultChecked={chosen.has(option.value)}
                  aria-describedby={optionHintId}
                />
                <label className="choices__label" htmlFor={id}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div className="hint choices__hint" id={optionHintId}>
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkboxes(props: { name: string; legend: string; hint?: string; options: ChoiceOption[]; selected?: string[] }) {
  return <Choices kind="checkbox" {...props} />;
}

export function Radios(props: { name: string; legend: string; hint?: string; options: ChoiceOption[]; selected?: string[] }) {
  return <Choices kind="radio" {...props} />;
}

export function Button({
  children,
  variant = 'primary',
  name,
  value,
  formAction,
}: {
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'warning';
  name?: string;
  value?: string;
  formAction?: string;
}) {
  return (
    <button type="submit" className={`button button--${variant}`} name={name} value={value} formAction={formAction}>
      {children}
    </button>
  );
}

export function ButtonLink({ href, children, variant = 'primary' }: { href: string; children: ReactNode; variant?: 'primary' | 'secondary' }) {
  return (
    <a href={href} draggable={false} className={`button button--${variant}`}>
      {children}
    </a>
  );
}

/** The page asked for by `?page=` (1 when absent or not a page number). */
export function pageNumberOf(request: FastifyRequest): number {
  const value = (request.query as Record<string, unknown> | undefined)?.page;
  return typeof value === 'string' && /^[1-9]\d{0,4}$/.test(value) ? Number(value) : 1;
}

/** Previous and next links between the pages of a long list (plain links: no JavaScript needed). */
export function Pager({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('web.pager.label')}>
      <p>{t('web.pager.position', { page, pages })}</p>
      <ul className="pagination">
        {page > 1 ? (
          <li>
            <a href={href(Math.min(page - 1, pages))} rel="prev">
              {t('web.pager.previous')}
            </a>
          </li>
        ) : null}
        {page < pages ? (
          <li>
            <a href={href(page + 1)} rel="next">
              {t('web.pager.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function SummaryList({ rows }: { rows: { key: string; value: ReactNode; action?: ReactNode }[] }) {
  return (
    <dl className="summary-list">
      {rows.map((row) => (
        <div className="summary-list__row" key={row.key}>
          <dt className="summary-list__key">{row.key}</dt>
          <dd className="summary-list__value">{row.value}</dd>
          {row.action ? <dd className="summary-list__actions">{row.action}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

/** The confirmation panel at the end of a journey. */
export function Panel({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel">
      <h1 className="panel__title">{title}</h1>
      {children ? <div className="panel__body">{children}</div> : null}
    </div>
  );
}

export function InsetText({ children }: { children: ReactNode }) {
  return <div className="inset-text">{children}</div>;
}

export function WarningText({ children }: { children: ReactNode }) {
  return (
    <div className="warning-text">
      <span className="warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="warning-text__text">{children}</strong>
    </div>
  );
}

/** `rowHeaders`: the first cell of each row names the row (`<th scope="row">`), e.g. a region in a comparison. */
export function Table({ caption, head, rows, rowHeaders = false }: { caption: string; head: string[]; rows: { key: string; cells: ReactNode[] }[]; rowHeaders?: boolean }) {
  return (
    // Wide tables scroll sideways on a phone; the region is focusable so keyboards can scroll it too.
    <div className="table-wrapper" role="region" aria-label={caption} tabIndex={0}>
      <table className="table">
        <caption className="table__caption">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, index) =>
                rowHeaders && index === 0 ? (
                  <th scope="row" key={index}>
                    {cell}
                  </th>
                ) : (
                  <td key={index}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
