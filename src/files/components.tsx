import type { ReactNode } from 'react';
import { CsrfField, usePage } from '../web/page.js';
import { FILE_KINDS, MIME_OF, kindsMessageKey, type FileKind } from './sniff.js';
import './messages.js';

/**
 * A form that uploads files without JavaScript. The CSRF token is its first field, so that
 * `readMultipart` can check it before any file arrives; the route must be declared with
 * `config: { multipartForm: true }` and read the body with `readMultipart`.
 */
export function UploadForm({ action, children, id }: { action: string; children?: ReactNode; id?: string }) {
  return (
    <form method="post" action={action} encType="multipart/form-data" noValidate id={id}>
      <CsrfField />
      {children}
    </form>
  );
}

/**
 * A file input with label, hint (accepted types and size) and error, linked for screen readers
 * as the other inputs are. `accept` only helps the browser's picker; the server judges the bytes.
 */
export function FileInput({ name, label, types = FILE_KINDS, maxSizeMb = 20, hint, optional, multiple }: { name: string; label: string; types?: readonly FileKind[]; maxSizeMb?: number; hint?: string; optional?: boolean; multiple?: boolean }) {
  const { form, t } = usePage();
  const error = form.errors?.find((e) => e.field === name)?.message;
  const hintId = `${name}-hint`;
  const errorId = error ? `${name}-error` : undefined;
  const accept = types.flatMap((kind) => [MIME_OF[kind], kind === 'jpeg' ? '.jpg,.jpeg' : `.${kind}`]).join(',');
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <label className="label" htmlFor={name}>
        {label}
        {optional ? ` ${t('web.form.optional')}` : ''}
      </label>
      <div className="hint" id={hintId}>
        {hint ? `${hint} ` : ''}
        {t('files.input.chooseHint', { types: t(kindsMessageKey(types)), limit: maxSizeMb })}
      </div>
      {error ? (
        <p className="error-message" id={errorId}>
          <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      <input
        className={`file-upload${error ? ' file-upload--error' : ''}`}
        id={name}
        name={name}
        type="file"
        accept={accept}
        multiple={multiple}
        aria-describedby={errorId ? `${hintId} ${errorId}` : hintId}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}
