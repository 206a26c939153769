import type { ReactNode } from 'react';
import { commitmentTextOf } from '../../catalog/model.js';
import type { BundleMaterial, FormField, ItemDefinition, Material } from '../../catalog/schema.js';
import type { Locale, MessageKey, Translator } from '../../core/i18n.js';
import { MIME_OF, kindsMessageKey } from '../../files/sniff.js';
import { getIndustry } from '../../reference/industries.js';
import { getRegion } from '../../reference/regions.js';
import { formatDateTime } from '../../web/format.js';
import { Select, SummaryList, Table, TextArea, TextInput, usePage } from '../../web/page.js';

// The shared form controls, re-exported so this capability's pages import them from one place.
export { Select, TextArea };
import type { FormValue } from '../form.js';
import type { ApplicationEventView, ApplicationView, StoredMaterial } from '../service.js';
import type { ApplicationStatus } from '../workflow.js';
import '../../catalog/messages.js';
import '../pages-messages.js';

export type Localized = { 'zh-CN': string; en: string };

export const ID_PATTERN = /^[\w-]{1,64}$/;
export const local = (text: Localized | null | undefined, locale: Locale) => (text ? text[locale] : '');
export const when = (iso: string | null | undefined, locale: Locale) => (iso ? formatDateTime(iso, locale) : '');
export const statusKey = (status: string) => `applications.status.${status}` as MessageKey;
export const actionKey = (action: string) => `applications.action.${action}` as MessageKey;
export const flagKey = (flag: string) => `applications.page.flag.${flag}` as MessageKey;

/** The HTML name (and id) of the input for a form field, and of the first control of a material. */
export const fieldInput = (key: string) => `form-${key}`;
export const materialInput = (key: string) => `material-${key}`;

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

function useField(name: string) {
  const { form } = usePage();
  const error = form.errors?.find((e) => e.field === name)?.message;
  const raw = form.values?.[name];
  return { error, value: Array.isArray(raw) ? raw[0] : raw };
}

function ErrorMessage({ id, text }: { id: string; text: string }) {
  const t = usePage().t;
  return (
    <p className="error-message" id={id}>
      <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
      {text}
    </p>
  );
}

/** A short confirmation after a Post/Redirect/Get, announced to screen readers. */
export function Notice({ text }: { text?: string }) {
  return text ? (
    <p className="tag" role="status">
      {text}
    </p>
  ) : null;
}

/** One box to tick, with its own label (a yes/no question or a confirmation). */
export function SingleCheckbox({ name, label, hint, checked, value = 'true' }: { name: string; label: string; hint?: string; checked?: boolean; value?: string }) {
  const field = useField(name);
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = field.error ? `${name}-error` : undefined;
  const isChecked = field.value !== undefined ? field.value === value : Boolean(checked);
  return (
    <div className={field.error ? 'form-group form-group--error' : 'form-group'}>
      {field.error ? <ErrorMessage id={errorId!} text={field.error} /> : null}
      <div className="choices">
        <div className="choices__item">
          <input className="choices__input" id={name} name={name} type="checkbox" value={value} defaultChecked={isChecked} aria-describedby={describedBy(hintId, errorId)} aria-invalid={field.error ? true : undefined} />
          <label className="choices__label" htmlFor={name}>
            {label}
          </label>
          {hint ? (
            <div className="hint choices__hint" id={hintId}>
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** A form value as a person reads it: option labels, yes/no, region names. */
export function displayValue(field: FormField | undefined, value: FormValue | undefined, locale: Locale, t: Translator): string {
  if (value === undefined || value === '') return t('applications.page.answer.none');
  if (!field) return String(value);
  switch (field.type) {
    case 'checkbox':
      return value === true || value === 'true' ? t('applications.page.answer.yes') : t('applications.page.answer.no');
    case 'select':
      return local(field.options?.find((o) => o.value === String(value))?.label, locale) || String(value);
    case 'region': {
      const region = getRegion(String(value));
      return region ? `${region.name} (${value})` : String(value);
    }
    case 'industry': {
      const industry = getIndustry(String(value));
      return industry ? `${industry.name} (${value})` : String(value);
    }
    default:
      return String(value);
  }
}

/** "Answer only if …": conditional questions are always on the page (no script hides them), marked with their condition. */
function conditionText(field: FormField, fields: readonly FormField[], locale: Locale, t: Translator): string | undefined {
  if (!field.visibleWhen) return undefined;
  const other = fields.find((f) => f.key === field.visibleWhen!.field);
  const label = other ? local(other.label, locale) : field.visibleWhen.field;
  const expected = field.visibleWhen.equals;
  if (typeof expected === 'boolean' || other?.type === 'checkbox') {
    return t(expected === true || expected === 'true' ? 'applications.page.field.conditionalTicked' : 'applications.page.field.conditionalNotTicked', { field: label });
  }
  return t('applications.page.field.conditional', { field: label, value: displayValue(other, expected, locale, t) });
}

const TYPE_HINT: Partial<Record<FormField['type'], MessageKey>> = {
  date: 'applications.page.field.dateHint',
  region: 'applications.page.field.regionHint',
  industry: 'applications.page.field.industryHint',
  idNumber: 'applications.page.field.idNumberHint',
  uscc: 'applications.page.field.usccHint',
  phone: 'applications.page.field.phoneHint',
};

/** One question of an item's form, rendered by its type; the value comes from the page's form state. */
export function FieldInput({ field, fields }: { field: FormField; fields: readonly FormField[] }) {
  const { t, locale } = usePage();
  const name = fieldInput(field.key);
  const label = local(field.label, locale);
  const optional = !field.required;
  const typeHint = TYPE_HINT[field.type];
  const hint = [conditionText(field, fields, locale, t), field.hint ? local(field.hint, locale) : undefined, typeHint ? t(typeHint) : undefined].filter(Boolean).join(' ') || undefined;
  switch (field.type) {
    case 'textarea':
      return <TextArea name={name} label={label} hint={hint} optional={optional} />;
    case 'select':
      return (
        <Select
          name={name}
          label={label}
          hint={hint}
          optional={optional}
          placeholder={t('applications.page.field.choose')}
          options={(field.options ?? []).map((o) => ({ value: o.value, label: local(o.label, locale) }))}
        />
      );
    case 'checkbox':
      return <SingleCheckbox name={name} label={`${label}${optional ? ` ${t('web.form.optional')}` : ''}`} hint={hint} />;
    case 'integer':
      return <TextInput name={name} label={label} hint={hint} optional={optional} inputMode="numeric" width={10} spellCheck={false} />;
    case 'number':
      return <TextInput name={name} label={label} hint={hint} optional={optional} inputMode="decimal" width={10} spellCheck={false} />;
    case 'date':
      return <TextInput name={name} label={label} hint={hint} optional={optional} type="date" width={10} />;
    case 'region':
      return <TextInput name={name} label={label} hint={hint} optional={optional} inputMode="numeric" width={6} spellCheck={false} autoComplete="off" />;
    case 'industry':
      return <TextInput name={name} label={label} hint={hint} optional={optional} inputMode="numeric" width={4} spellCheck={false} autoComplete="off" />;
    case 'idNumber':
    case 'uscc':
      return <TextInput name={name} label={label} hint={hint} optional={optional} width={20} spellCheck={false} autoComplete="off" />;
    case 'phone':
      return <TextInput name={name} label={label} hint={hint} optional={optional} type="tel" autoComplete="tel" width={20} spellCheck={false} />;
    case 'email':
      return <TextInput name={name} label={label} hint={hint} optional={optional} type="email" autoComplete="email" width={30} spellCheck={false} />;
    case 'text':
    default:
      return <TextInput name={name} label={label} hint={hint} optional={optional} width={field.maxLength && field.maxLength <= 20 ? 20 : 30} />;
  }
}

/**
 * The words an applicant commits to for a material: one text, or (a bundle material whose items
 * word it differently) each item's own, with the names of the items that use it. Empty when the
 * material accepts no commitment.
 */
export function commitmentWordsOf(material: Material & { commitmentTexts?: BundleMaterial['commitmentTexts'] }): { text: Localized; itemNames?: Localized[] }[] {
  if (!material.commitmentAllowed) return [];
  if (material.commitmentTexts?.length) return material.commitmentTexts.map((entry) => ({ text: entry.text, itemNames: entry.itemNames }));
  const text = commitmentTextOf(material);
  return text ? [{ text }] : [];
}

/** Whether the applicant's credit standing lets them replace materials by a commitment. */
export interface CommitmentOffer {
  mayCommit: boolean;
}

/** A certificate the applicant may reuse for a material. */
export interface ReusableChoice {
  id: string;
  title: Localized;
  number: string;
  validUntil: string | null;
}

/** What has been provided for a material so far, in words (and with links to the uploaded files). */
export function ProvidedSummary({ provided, fileHref }: { provided: StoredMaterial; fileHref?: (fileId: string) => string }) {
  const { t, locale } = usePage();
  if (provided.kind === 'upload') {
    return (
      <ul className="plain-list">
        {provided.files.map((file) => (
          <li key={file.id}>
            {fileHref ? <a href={fileHref(file.id)}>{file.filename}</a> : file.filename} ({file.type.toUpperCase()}, {t('applications.page.material.size', { kb: Math.max(1, Math.round(file.size / 1024)) })})
          </li>
        ))}
      </ul>
    );
  }
  if (provided.kind === 'certificate') {
    return <>{t('applications.page.material.usedCertificate', { number: provided.certificate.number })}</>;
  }
  if (provided.kind === 'certificateChoice') return <>{t('applications.page.material.chosenCertificate')}</>;
  if (provided.kind === 'commitment') {
    return (
      <>
        {t('applications.page.commitment.made', { at: when(provided.committedAt, locale) })}
        {provided.broken ? (
          <>
            {' '}
            <strong className="tag">{t('applications.page.commitment.broken')}</strong> {provided.broken.reason}
          </>
        ) : null}
      </>
    );
  }
  return <>{t('applications.page.material.usedGovernmentData', { dataset: t(`catalog.dataset.${provided.record.dataset}` as MessageKey), source: provided.record.source, at: when(provided.record.retrievedAt, locale) })}</>;
}

/**
 * The ways to provide one material, in one fieldset: reuse a certificate the applicant holds (with
 * consent), use the data the government holds (ticking is the consent), or upload files. The first
 * control carries the material's id, so that the error summary lands on it.
 */
export function MaterialInputs({
  material,
  reusable,
  provided,
  required,
  fileHref,
  commitment,
}: {
  material: Material;
  reusable: ReusableChoice[];
  provided?: StoredMaterial;
  required: boolean;
  fileHref?: (fileId: string) => string;
  /** Whether a credit commitment may replace the material for this applicant (undefined: not offered on this page). */
  commitment?: CommitmentOffer;
}) {
  const { t, locale, form } = usePage();
  const base = materialInput(material.key);
  const error = form.errors?.find((e) => e.field === base)?.message;
  const hintId = `${base}-hint`;
  const errorId = error ? `${base}-error` : undefined;
  const valueOf = (name: string) => {
    const v = form.values?.[name];
    return Array.isArray(v) ? v[0] : v;
  };
  // After a failed post the page shows what was chosen then; otherwise what the draft holds. (The
  // draft's answers fill the form state too, so `form-` inputs do not tell a post; the button's `intent` does.)
  const posted = Object.keys(form.values ?? {}).some((name) => name.startsWith('material-') || name === 'intent');

  const certificateName = `${base}-certificate`;
  const consentName = `${base}-consent`;
  const governmentName = `${base}-government`;
  const hasCertificates = material.source === 'certificate' && reusable.length > 0;
  const hasGovernment = material.source === 'governmentData' && Boolean(material.dataset);
  const commitmentTexts = commitment ? commitmentWordsOf(material) : [];
  // A commitment the draft holds can always be withdrawn here, even once the applicant may no longer make one.
  const held = commitment && provided?.kind === 'commitment' && !provided.broken ? provided : undefined;
  const offersCommitment = commitmentTexts.length > 0 && Boolean(commitment?.mayCommit);
  const showsCommitment = offersCommitment || Boolean(held);
  const shownTexts = offersCommitment ? commitmentTexts : held ? [{ text: held.text }] : [];
  // The first control carries the material's id, so the error summary's link lands on it.
  const commitmentId = showsCommitment && !hasCertificates && !hasGovernment ? base : `${base}-commitment`;
  const governmentId = !hasCertificates && hasGovernment ? base : governmentName;
  const fileId = !hasCertificates && !hasGovernment && !showsCommitment ? base : `${base}-file`;
  const nothingToChoose = !hasCertificates && !hasGovernment && !material.uploadAllowed && !showsCommitment;
  const commitmentName = `${base}-commitment`;
  const commitmentChecked = posted ? valueOf(commitmentName) === 'yes' : Boolean(held);
  const notForYouId = `${commitmentName}-not-for-you`;

  const savedCertificate = provided?.kind === 'certificate' ? provided.certificate.certificateId : provided?.kind === 'certificateChoice' ? provided.certificateId : undefined;
  const chosenCertificate = posted ? valueOf(certificateName) : savedCertificate;
  const consentChecked = posted ? valueOf(consentName) === 'yes' : savedCertificate !== undefined;
  const governmentChecked = posted ? valueOf(governmentName) === 'yes' : provided?.kind === 'governmentData';
  const requirement = required ? t('applications.page.material.required') : t('applications.page.material.conditional');

  const certificateOptions = hasCertificates
    ? [
        ...reusable.map((c) => ({
          value: c.id,
          label: t('applications.page.material.certificateOption', { title: local(c.title, locale), number: c.number }),
          hint: c.validUntil ? t('applications.page.material.validUntil', { date: c.validUntil }) : undefined,
        })),
        { value: 'none', label: material.uploadAllowed ? t('applications.page.material.uploadInstead') : t('applications.page.material.noCertificate'), hint: undefined },
      ]
    : [];

  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset className="fieldset" aria-describedby={describedBy(hintId, errorId)}>
        <legend className="fieldset__legend">
          {local(material.name, locale)} <span className="secondary-text">({requirement})</span>
        </legend>
        <div className="hint" id={hintId}>
          {material.condition ? `${local(material.condition, locale)} ` : ''}
          {material.medium === 'paper' ? t('applications.page.material.paper') : ''}
        </div>
        {error ? <ErrorMessage id={errorId!} text={error} /> : null}
        {provided ? (
          <div className="inset-text">
            <p>{t('applications.page.material.provided')}</p>
            <ProvidedSummary provided={provided} fileHref={fileHref} />
          </div>
        ) : null}

        {material.source === 'certificate' && !hasCertificates ? (
          <p id={nothingToChoose ? base : undefined} tabIndex={nothingToChoose ? -1 : undefined}>
            {t('applications.page.material.noReusable')}
          </p>
        ) : null}
        {hasCertificates ? (
          <>
            <p className="label">{t('applications.page.material.reuseLegend')}</p>
            <div className="choices">
              {certificateOptions.map((option, index) => {
                const id = index === 0 ? base : `${certificateName}-${index + 1}`;
                const optionHint = option.hint ? `${id}-item-hint` : undefined;
                return (
                  <div className="choices__item" key={option.value}>
                    <input className="choices__input" id={id} name={certificateName} type="radio" value={option.value} defaultChecked={chosenCertificate === option.value} aria-describedby={optionHint} />
                    <label className="choices__label" htmlFor={id}>
                      {option.label}
                    </label>
                    {option.hint ? (
                      <div className="hint choices__hint" id={optionHint}>
                        {option.hint}
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </div>
            <div className="choices">
              <div className="choices__item">
                <input className="choices__input" id={consentName} name={consentName} type="checkbox" value="yes" defaultChecked={consentChecked} aria-describedby={`${consentName}-hint`} />
                <label className="choices__label" htmlFor={consentName}>
                  {t('applications.page.material.certificateConsent')}
                </label>
                <div className="hint choices__hint" id={`${consentName}-hint`}>
                  {t('applications.page.material.certificateConsentHint')}
                </div>
              </div>
            </div>
          </>
        ) : null}

        {hasGovernment ? (
          <div className="choices">
            <div className="choices__item">
              <input className="choices__input" id={governmentId} name={governmentName} type="checkbox" value="yes" defaultChecked={governmentChecked} aria-describedby={`${governmentName}-hint`} />
              <label className="choices__label" htmlFor={governmentId}>
                {t('applications.page.material.useGovernmentData', { dataset: t(`catalog.dataset.${material.dataset}` as MessageKey) })}
              </label>
              <div className="hint choices__hint" id={`${governmentName}-hint`}>
                {t('applications.page.material.governmentConsentHint')}
              </div>
            </div>
          </div>
        ) : null}

        {commitmentTexts.length > 0 && commitment && !commitment.mayCommit && !held ? <p className="hint">{t('applications.page.commitment.notForYou')}</p> : null}
        {showsCommitment ? (
          <div className="choices">
            <input type="hidden" name={`${commitmentName}-offered`} value="yes" />
            <div className="choices__item">
              <input
                className="choices__input"
                id={commitmentId}
                name={commitmentName}
                type="checkbox"
                value="yes"
                defaultChecked={commitmentChecked}
                aria-describedby={describedBy(`${commitmentName}-text`, !offersCommitment ? notForYouId : undefined)}
              />
              <label className="choices__label" htmlFor={commitmentId}>
                {t('applications.page.commitment.choose')}
              </label>
              <div className="hint choices__hint" id={`${commitmentName}-text`}>
                {shownTexts.length === 1 ? (
                  <>
                    {t('applications.page.commitment.textIntro')} {local(shownTexts[0]!.text, locale)}
                  </>
                ) : (
                  <>
                    {t('applications.page.commitment.perItem')}
                    <ul className="plain-list">
                      {shownTexts.map((entry, index) => (
                        <li key={index}>
                          {t('applications.page.commitment.forItems', { items: (entry.itemNames ?? []).map((name) => local(name, locale)).join(t('applications.page.separator')) })} {local(entry.text, locale)}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
              {!offersCommitment ? (
                <div className="hint choices__hint" id={notForYouId}>
                  {t('applications.page.commitment.withdraw')}
                </div>
              ) : null}
            </div>
          </div>
        ) : null}

        {material.uploadAllowed ? (
          <FileChooser
            id={fileId}
            name={base}
            label={hasCertificates || hasGovernment ? t('applications.page.material.uploadAlternative') : t('applications.page.material.upload')}
            hint={t('files.input.chooseHint', { types: t(kindsMessageKey(material.acceptedTypes)), limit: material.maxSizeMb })}
            accept={material.acceptedTypes.flatMap((kind) => [MIME_OF[kind], kind === 'jpeg' ? '.jpg,.jpeg' : `.${kind}`]).join(',')}
            replaces={provided?.kind === 'upload'}
          />
        ) : null}
      </fieldset>
    </div>
  );
}

/** A file input that takes several files (a material may be several pages or both sides of a card). */
function FileChooser({ id, name, label, hint, accept, replaces }: { id: string; name: string; label: string; hint: string; accept: string; replaces: boolean }) {
  const { t } = usePage();
  const hintId = `${id}-choose-hint`;
  return (
    <div className="form-group">
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <div className="hint" id={hintId}>
        {hint} {t('applications.page.material.several')} {replaces ? t('applications.page.material.replaces') : ''}
      </div>
      <input className="file-upload" id={id} name={name} type="file" multiple accept={accept} aria-describedby={hintId} />
    </div>
  );
}

/** Every question and material of a form, in order; `onlyFields`/`onlyMaterials` narrow it (a supplement). */
export function FormSections({
  fields,
  materials,
  reusable,
  provided,
  neededMaterials,
  fileHref,
  commitment,
}: {
  fields: readonly FormField[];
  materials: readonly Material[];
  reusable: Record<string, ReusableChoice[]>;
  provided: Record<string, StoredMaterial>;
  /** Materials needed given the answers so far (conditional ones that apply). */
  neededMaterials: Set<string>;
  fileHref?: (fileId: string) => string;
  /** Offer a credit commitment where a material accepts one (not on a supplement, which needs the material itself). */
  commitment?: CommitmentOffer;
}) {
  const { t } = usePage();
  return (
    <>
      {fields.length ? (
        <>
          <h2>{t('applications.page.edit.questions')}</h2>
          {fields.map((field) => (
            <FieldInput key={field.key} field={field} fields={fields} />
          ))}
        </>
      ) : null}
      {materials.length ? (
        <>
          <h2>{t('applications.page.edit.materials')}</h2>
          {materials.map((material) => (
            <MaterialInputs
              key={material.key}
              material={material}
              reusable={reusable[material.key] ?? []}
              provided={provided[material.key]}
              required={material.requirement === 'required' || neededMaterials.has(material.key)}
              fileHref={fileHref}
              commitment={commitment}
            />
          ))}
        </>
      ) : null}
    </>
  );
}

function unitText(t: Translator, unit: string | undefined): string {
  if (unit === 'workingDays') return t('applications.page.unit.workingDays');
  if (unit === 'calendarDays') return t('applications.page.unit.calendarDays');
  return t('applications.page.unit.days');
}

/** A queue row's time unit, when the service includes it. */
export const unitOf = (row: object): string | undefined => ('unit' in row && typeof row.unit === 'string' ? row.unit : undefined);

/** Days left (or over) in the item's unit, as words; plain days where the unit is not known (a queue row). */
export function daysLeftText(t: Translator, daysLeft: number | null, unit: string | undefined): string {
  if (daysLeft === null) return t('applications.page.limits.notStarted');
  const words = unitText(t, unit);
  return daysLeft >= 0 ? t('applications.page.limits.daysLeft', { days: daysLeft, unit: words }) : t('applications.page.limits.daysOver', { days: -daysLeft, unit: words });
}

/** The flag as text, never colour alone. */
export function FlagTag({ flag }: { flag: string }) {
  const { t } = usePage();
  return <strong className={`tag tag--flag-${flag}`}>{t(flagKey(flag))}</strong>;
}

export function TimeLimits({ limits }: { limits: ApplicationView['timeLimits'] }) {
  const { t } = usePage();
  const unit = unitText(t, limits.unit);
  return (
    <SummaryList
      rows={[
        { key: t('applications.page.limits.promised'), value: t('applications.page.limits.days', { days: limits.promisedDays, unit }) },
        { key: t('applications.page.limits.legal'), value: t('applications.page.limits.days', { days: limits.legalDays, unit }) },
        {
          key: t('applications.page.limits.promisedDue'),
          value: limits.promisedDue ? (limits.provisional ? t('applications.page.limits.provisional', { date: limits.promisedDue }) : limits.promisedDue) : t('applications.page.limits.notStarted'),
        },
        { key: t('applications.page.limits.legalDue'), value: limits.legalDue ?? t('applications.page.limits.notStarted') },
        { key: t('applications.page.limits.left'), value: daysLeftText(t, limits.daysLeft, limits.unit) },
        { key: t('applications.page.limits.state'), value: <FlagTag flag={limits.flag} /> },
      ]}
    />
  );
}

/** Names of the materials and questions a supplement request lists, as the applicant and officer read them. */
export function supplementItems(definition: ItemDefinition, request: { materials: string[]; fields: string[] }, locale: Locale): string[] {
  const materialNames = request.materials.map((key) => local(definition.materials.find((m) => m.key === key)?.name, locale) || key);
  const fieldNames = request.fields.map((key) => local(definition.form.fields.find((f) => f.key === key)?.label, locale) || key);
  return [...materialNames, ...fieldNames];
}

/** Who did what, when, and what they said: every step of the application. */
export function Timeline({ events, definition }: { events: ApplicationEventView[]; definition: ItemDefinition }) {
  const { t, locale } = usePage();
  if (events.length === 0) return <p>{t('applications.page.timeline.none')}</p>;
  return (
    <Table
      caption={t('applications.page.timeline.caption')}
      head={[t('applications.page.timeline.when'), t('applications.page.timeline.step'), t('applications.page.timeline.who'), t('applications.page.timeline.opinion')]}
      rows={events.map((event, index) => {
        const detail = event.detail as { materials?: string[]; fields?: string[]; procedure?: string } | null;
        const extra: ReactNode[] = [];
        if (event.action === 'requestSupplement' && detail) {
          extra.push(t('applications.page.timeline.listed', { items: supplementItems(definition, { materials: detail.materials ?? [], fields: detail.fields ?? [] }, locale).join(t('applications.page.separator')) }));
        }
        if (event.action === 'startSpecialProcedure' && detail?.procedure) extra.push(t(`applications.page.procedure.${detail.procedure}` as MessageKey));
        const brokenKey = (event.detail as { materialKey?: unknown } | null)?.materialKey;
        if (event.action === 'commitmentBroken' && typeof brokenKey === 'string') {
          extra.push(t('applications.page.commitment.timeline', { material: local(definition.materials.find((m) => m.key === brokenKey)?.name, locale) || brokenKey }));
        }
        return {
          key: `${event.at}-${index}`,
          cells: [
            when(event.at, locale),
            <>
              {t(actionKey(event.action))}
              {event.fromStatus !== event.toStatus ? (
                <span className="secondary-text"> ({t('applications.page.timeline.statusChange', { from: t(statusKey(event.fromStatus)), to: t(statusKey(event.toStatus)) })})</span>
              ) : null}
            </>,
            event.actorType === 'person' ? t('applications.page.timeline.applicant', { name: event.actor }) : event.actor,
            <>
              {event.opinion ?? ''}
              {extra.map((text, i) => (
                <span className="secondary-text" key={i}>
                  {event.opinion || i > 0 ? ' ' : ''}
                  {text}
                </span>
              ))}
            </>,
          ],
        };
      })}
    />
  );
}

/** The answers given, each with its question, in the form's order. */
export function AnswersSummary({ definition, values }: { definition: ItemDefinition; values: Record<string, FormValue> }) {
  const { t, locale } = usePage();
  const fields = definition.form.fields.filter((f) => values[f.key] !== undefined);
  if (fields.length === 0) return <p>{t('applications.page.answer.noAnswers')}</p>;
  return <SummaryList rows={fields.map((f) => ({ key: local(f.label, locale), value: displayValue(f, values[f.key], locale, t) }))} />;
}

export const OPEN_STATUSES: ApplicationStatus[] = ['submitted', 'accepted', 'supplementRequested', 'underReview', 'specialProcedure', 'approved', 'rejected'];
