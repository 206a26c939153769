import type { ReactNode } from 'react';
import type { MessageKey } from '../../core/i18n.js';
import { getIndustry } from '../../reference/industries.js';
import { children, getRegion, provinces, type Region } from '../../reference/regions.js';
import { SummaryList, Table, usePage } from '../../web/page.js';
import type { DeclaredFact, PolicyDocument } from '../format/schema.js';
import type { CompiledPolicy, MatchResult } from '../library/compiled.js';
import { evaluateLeaf, type Condition, type Facts, type Leaf, type LeafResult, type Truth } from '../rules/evaluate.js';
import { NONE_OF_THESE, type RawValue } from './answers.js';
import {
  actualText,
  conditionLabel,
  conditionSentence,
  enumLabel,
  factLabel,
  factNoun,
  factType,
  formatYuan,
  leafOf,
  parameterLines,
  periodText,
  regionName,
  regionsText,
  vocabulary,
  type FactVocabulary,
} from './describe.js';
import './messages.js';

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
export const ID_PATTERN = /^[\w-]{1,64}$/;
export const policyHref = (code: string) => `/policies/${encodeURIComponent(code)}`;

/** The words of the facts on this page, in its language. */
export function useWords(declaredFacts: Iterable<DeclaredFact>): FactVocabulary {
  const { locale, t } = usePage();
  return vocabulary(locale, t, declaredFacts);
}

// Tags: always words, the colour only repeats them.

export function OutcomeTag({ outcome }: { outcome: MatchResult['outcome'] }) {
  const { t } = usePage();
  return <strong className={`tag tag--${outcome}`}>{t(`policies.outcome.${outcome}`)}</strong>;
}

export function TruthTag({ result }: { result: Truth }) {
  const { t } = usePage();
  return <strong className={`tag tag--${result}`}>{t(`policies.result.${result}`)}</strong>;
}

export function ModeTag({ mode }: { mode: string }) {
  const { t } = usePage();
  return <strong className={mode === 'automatic' ? 'tag tag--automatic' : 'tag'}>{t(`policies.mode.${mode}` as MessageKey)}</strong>;
}

/** Notice after a Post/Redirect/Get, announced to screen readers. */
export function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p className="tag" role="status">
      {text}
    </p>
  ) : null;
}

// The rule, readable: nested groups with their own verdicts, each test as a sentence.

function truthOf(condition: Condition, facts: Facts): Truth {
  if ('all' in condition) {
    const results = condition.all.map((c) => truthOf(c, facts));
    return results.includes('fail') ? 'fail' : results.includes('unknown') ? 'unknown' : 'pass';
  }
  if ('any' in condition) {
    const results = condition.any.map((c) => truthOf(c, facts));
    return results.includes('pass') ? 'pass' : results.includes('unknown') ? 'unknown' : 'fail';
  }
  if ('not' in condition) {
    const inner = truthOf(condition.not, facts);
    return inner === 'pass' ? 'fail' : inner === 'fail' ? 'pass' : 'unknown';
  }
  return evaluateLeaf(condition, facts[condition.fact]);
}

function LeafItem({ leaf, facts, words }: { leaf: Leaf; facts: Facts | null; words: FactVocabulary }) {
  const { t } = words;
  const details: string[] = [];
  // A label may be loose ("small enterprise"); the sentence says exactly what is checked.
  if (leaf.label) details.push(t('policies.pages.condition.precisely', { condition: conditionSentence(words, leaf) }));
  if (facts) details.push(t('policies.pages.condition.yours', { value: actualText(words, leaf.fact, facts[leaf.fact]) }));
  return (
    <li className="condition">
      {facts ? (
        <>
          <TruthTag result={evaluateLeaf(leaf, facts[leaf.fact])} />{' '}
        </>
      ) : null}
      {conditionLabel(words, leaf)}
      {details.length ? <span className="condition__detail secondary-text">{details.join(t('policies.pages.condition.detailSeparator'))}</span> : null}
    </li>
  );
}

function RuleNode({ condition, facts, words }: { condition: Condition; facts: Facts | null; words: FactVocabulary }): ReactNode {
  if ('fact' in condition) return <LeafItem leaf={condition} facts={facts} words={words} />;
  const [heading, members] =
    'all' in condition
      ? (['policies.pages.rule.all', condition.all] as const)
      : 'any' in condition
        ? (['policies.pages.rule.any', condition.any] as const)
        : (['policies.pages.rule.not', [condition.not]] as const);
  return (
    <li className="condition">
      {facts ? (
        <>
          <TruthTag result={truthOf(condition, facts)} />{' '}
        </>
      ) : null}
      {words.t(heading)}
      <ul className="conditions conditions--nested">
        {members.map((member, index) => (
          <RuleNode key={index} condition={member} facts={facts} words={words} />
        ))}
      </ul>
    </li>
  );
}

/**
 * Every condition of a rule, each with its verdict for these facts (when given) and the value it
 * found. A rule that is a plain list of conditions reads as that list.
 */
export function RuleTree({ condition, facts, words }: { condition: Condition; facts: Facts | null; words: FactVocabulary }) {
  const top = 'all' in condition ? condition.all : [condition];
  return (
    <ul className="conditions">
      {top.map((member, index) => (
        <RuleNode key={index} condition={member} facts={facts} words={words} />
      ))}
    </ul>
  );
}

/** The conditions an ineligible enterprise does not meet, with its own value for each: what to read first. */
export function FailingConditions({ failing, words }: { failing: readonly LeafResult[]; words: FactVocabulary }) {
  const { t } = words;
  return (
    <>
      <p>{t('policies.pages.detail.failing')}</p>
      <ul>
        {failing.map((c, index) => (
          <li key={index}>
            {conditionLabel(words, leafOf(c))} <span className="secondary-text">{t('policies.pages.condition.yours', { value: actualText(words, c.fact, c.actual) })}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** One policy's result for one enterprise (or screener's answers): verdict, amount, the reason and every condition. */
export function ResultItem({ result, policy, facts, words, action }: { result: MatchResult; policy: CompiledPolicy | undefined; facts: Facts; words: FactVocabulary; action?: ReactNode }) {
  const { t, locale } = words;
  const failing = result.conditions.filter((c) => c.result === 'fail');
  return (
    <li className="result-list__item policy-result">
      <h3>
        <a href={policyHref(result.code)}>{result.title[locale]}</a>
      </h3>
      <p>
        <OutcomeTag outcome={result.outcome} /> <ModeTag mode={result.mode} />
        {result.category ? <span className="secondary-text"> {t(`policies.category.${result.category}`)}</span> : null}
      </p>
      {result.benefit ? <p className="policy-result__benefit">{t('policies.pages.result.benefit', { amount: formatYuan(words, result.benefit.amount) })}</p> : null}
      {result.nearMiss && failing[0] ? (
        <p>
          {t('policies.pages.result.nearMiss', { condition: conditionLabel(words, leafOf(failing[0])), value: actualText(words, failing[0].fact, failing[0].actual) })}
        </p>
      ) : result.outcome === 'ineligible' && failing.length ? (
        <FailingConditions failing={failing} words={words} />
      ) : null}
      {result.outcome === 'undetermined' && result.missingFacts.length ? (
        <p>{t('policies.pages.result.missing', { facts: result.missingFacts.map((fact) => factNoun(words, fact)).join(t('policies.pages.list.separator')) })}</p>
      ) : null}
      {policy?.document.benefit ? <p className="secondary-text">{policy.document.benefit.description[locale]}</p> : null}
      <p className="policy-result__conditions-title">{t('policies.pages.result.conditions')}</p>
      {policy ? <RuleTree condition={policy.document.eligibility} facts={facts} words={words} /> : null}
      {action}
    </li>
  );
}

/** Results of one outcome as a list, under their heading. */
export function ResultGroup({ id, title, lead, results, policies, facts, words, action, children: extra }: {
  id: string;
  title: string;
  lead?: string;
  results: MatchResult[];
  policies: ReadonlyMap<string, CompiledPolicy>;
  facts: Facts;
  words: FactVocabulary;
  action?: (result: MatchResult) => ReactNode;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="policy-group">
      <h2 id={`${id}-heading`}>{title}</h2>
      {lead ? <p>{lead}</p> : null}
      {extra}
      <ol className="result-list">
        {results.map((result) => (
          <ResultItem key={result.code} result={result} policy={policies.get(result.versionId)} facts={facts} words={words} action={action?.(result)} />
        ))}
      </ol>
    </section>
  );
}

// Inputs for facts, by type. Ids are given separately from names: the screener repeats a
// question below its results, and two inputs may not share an id.

function useFieldError(id: string): string | undefined {
  return usePage().form.errors?.find((e) => e.field === id)?.message;
}

function FieldFrame({ id, label, hint, error, children: control }: { id: string; label: string; hint?: string | undefined; error: string | undefined; children: ReactNode }) {
  const { t } = usePage();
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="error-message" id={`${id}-error`}>
          <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      {control}
    </div>
  );
}

function ChoiceFrame({ id, legend, hint, error, children: control }: { id: string; legend: string; hint?: string | undefined; error: string | undefined; children: ReactNode }) {
  const { t } = usePage();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset className="fieldset" aria-describedby={described}>
        <legend className="fieldset__legend">{legend}</legend>
        {hint ? (
          <div className="hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <p className="error-message" id={`${id}-error`}>
            <span className="visually-hidden">{t('web.form.errorPrefix')}</span>
            {error}
          </p>
        ) : null}
        <div className="choices">{control}</div>
      </fieldset>
    </div>
  );
}

const HINTS: Record<string, MessageKey> = {
  operatingRevenue: 'policies.pages.hint.revenue',
  taxableIncome: 'policies.pages.hint.taxableIncome',
  totalAssets: 'policies.pages.hint.yuan',
  unemploymentInsurancePaid: 'policies.pages.hint.yuan',
  employees: 'policies.pages.hint.people',
  insuredEmployees: 'policies.pages.hint.people',
  layoffRate: 'policies.pages.hint.percent',
  establishedOn: 'policies.pages.hint.date',
  qualifications: 'policies.pages.hint.qualifications',
};

/**
 * One question about a fact, as its type asks: a number, a date, yes/no, one of a set, boxes for
 * a list (the values policies look for, and "none of these"), codes for region and industry.
 */
export function FactInput({ fact, id, value, words, listOptions = [], label }: { fact: string; id: string; value: RawValue; words: FactVocabulary; listOptions?: string[]; label?: string }) {
  const { t } = words;
  const type = factType(words, fact);
  const error = useFieldError(id);
  const text = (Array.isArray(value) ? value[0] : value) ?? '';
  const title = label ?? factLabel(words, fact);
  const hintKey = HINTS[fact] ?? (type === 'date' ? 'policies.pages.hint.date' : undefined);
  let hint = hintKey ? t(hintKey) : undefined;
  const described = (extra?: string) => [hint ? `${id}-hint` : '', error ? `${id}-error` : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
  const inputClass = (width: number) => `input input--width-${width}${error ? ' input--error' : ''}`;

  if (type === 'boolean') {
    return (
      <ChoiceFrame id={id} legend={title} error={error}>
        {(['true', 'false'] as const).map((option, index) => (
          <div className="choices__item" key={option}>
            <input className="choices__input" id={index === 0 ? id : `${id}-no`} name={fact} type="radio" value={option} defaultChecked={text === option} />
            <label className="choices__label" htmlFor={index === 0 ? id : `${id}-no`}>
              {t(option === 'true' ? 'policies.pages.value.yes' : 'policies.pages.value.no')}
            </label>
          </div>
        ))}
      </ChoiceFrame>
    );
  }
  if (type === 'list') {
    const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
    const options = [...listOptions.map((option) => ({ value: option, label: option })), { value: NONE_OF_THESE, label: t('policies.pages.value.noneOfThese') }];
    return (
      <ChoiceFrame id={id} legend={title} hint={hint} error={error}>
        {options.map((option, index) => (
          <div className="choices__item" key={option.value}>
            <input className="choices__input" id={index === 0 ? id : `${id}-${index + 1}`} name={fact} type="checkbox" value={option.value} defaultChecked={chosen.has(option.value)} />
            <label className="choices__label" htmlFor={index === 0 ? id : `${id}-${index + 1}`}>
              {option.label}
            </label>
          </div>
        ))}
      </ChoiceFrame>
    );
  }
  if (type && typeof type === 'object') {
    return (
      <FieldFrame id={id} label={title} error={error}>
        <select className={`input select${error ? ' input--error' : ''}`} id={id} name={fact} defaultValue={text} aria-describedby={described()} aria-invalid={error ? true : undefined}>
          <option value="">{t('policies.pages.input.choose')}</option>
          {type.oneOf.map((option) => (
            <option key={option} value={option}>
              {enumLabel(words, fact, option)}
            </option>
          ))}
        </select>
      </FieldFrame>
    );
  }
  if (type === 'industry') {
    const known = getIndustry(text.trim());
    hint = known?.level === 'class' ? `${t('policies.pages.hint.industry')} ${t('policies.pages.hint.industryKnown', { name: known.name })}` : t('policies.pages.hint.industry');
  }
  if (type === 'region') hint = t('policies.pages.hint.regionCode', { example: regionName(t, '310115') });
  const shape =
    type === 'date'
      ? { type: 'date', width: 10 }
      : type === 'number'
        ? { type: 'text', width: 20, inputMode: 'decimal' as const }
        : type === 'industry'
          ? { type: 'text', width: 4, inputMode: 'numeric' as const }
          : type === 'region'
            ? { type: 'text', width: 6, inputMode: 'numeric' as const }
            : { type: 'text', width: 20 };
  return (
    <FieldFrame id={id} label={title} hint={hint} error={error}>
      <input
        className={inputClass(shape.width)}
        id={id}
        name={fact}
        type={shape.type}
        inputMode={'inputMode' in shape ? shape.inputMode : undefined}
        defaultValue={text}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={described()}
        aria-invalid={error ? true : undefined}
      />
    </FieldFrame>
  );
}

/**
 * The region in two steps that work without script: the province, then (after the page comes
 * back) a city or county of that province, grouped by city.
 */
export function RegionChoice({ idPrefix = '', province, region }: { idPrefix?: string; province: string; region: string }) {
  const { t } = usePage();
  const provinceError = useFieldError(`${idPrefix}province`);
  const regionError = useFieldError(`${idPrefix}region`);
  const below = province ? children(province) : [];
  const option = (r: Region) => (
    <option key={r.code} value={r.code}>
      {r.name}
    </option>
  );
  return (
    <>
      <FieldFrame id={`${idPrefix}province`} label={t('policies.pages.screener.province')} hint={t('policies.pages.screener.provinceHint')} error={provinceError}>
        <select className={`input select${provinceError ? ' input--error' : ''}`} id={`${idPrefix}province`} name="province"
          defaultValue={province}
          aria-describedby={provinceError ? `${idPrefix}province-hint ${idPrefix}province-error` : `${idPrefix}province-hint`}
          aria-invalid={provinceError ? true : undefined}
        >
          <option value="">{t('policies.pages.input.choose')}</option>
          {provinces().map(option)}
        </select>
      </FieldFrame>
      {below.length ? (
        <FieldFrame id={`${idPrefix}region`} label={t('policies.pages.screener.county')} hint={t('policies.pages.screener.countyHint', { province: getRegion(province)?.name ?? province })} error={regionError}>
          <select className={`input select${regionError ? ' input--error' : ''}`} id={`${idPrefix}region`} name="region"
            defaultValue={region}
            aria-describedby={regionError ? `${idPrefix}region-hint ${idPrefix}region-error` : `${idPrefix}region-hint`}
            aria-invalid={regionError ? true : undefined}
          >
            <option value="">{t('policies.pages.screener.wholeProvince', { province: getRegion(province)?.name ?? province })}</option>
            {below.map((city) => {
              const counties = children(city.code);
              return counties.length ? (
                <optgroup key={city.code} label={city.name}>
                  <option value={city.code}>{t('policies.pages.screener.wholeCity', { city: city.name })}</option>
                  {counties.map(option)}
                </optgroup>
              ) : (
                option(city)
              );
            })}
          </select>
        </FieldFrame>
      ) : null}
    </>
  );
}

// A policy document in full, as the public and officers read it.

function Section({ id, title, children: content }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {content}
    </section>
  );
}

export function PolicyFacts({ document, serviceItemHref }: { document: PolicyDocument; serviceItemHref?: string | null }) {
  const { t } = usePage();
  const rows: { key: string; value: ReactNode }[] = [];
  if (document.documentNumber) rows.push({ key: t('policies.pages.detail.documentNumber'), value: document.documentNumber });
  if (document.issuers?.length) rows.push({ key: t('policies.pages.detail.issuers'), value: document.issuers.join(t('policies.pages.list.separator')) });
  rows.push({ key: t('policies.pages.detail.level'), value: t(`policies.level.${document.level}`) });
  if (document.category) rows.push({ key: t('policies.pages.detail.category'), value: t(`policies.category.${document.category}`) });
  rows.push({ key: t('policies.pages.detail.regions'), value: regionsText(t, document.regions) });
  rows.push({ key: t('policies.pages.detail.effective'), value: periodText(t, document.effective) });
  if (document.applicationWindow) rows.push({ key: t('policies.pages.detail.applicationWindow'), value: periodText(t, document.applicationWindow) });
  rows.push({
    key: t('policies.pages.detail.mode'),
    value: (
      <>
        <ModeTag mode={document.mode} /> {t(`policies.pages.mode.${document.mode}.explained` as MessageKey)}
      </>
    ),
  });
  if (document.serviceItem) {
    rows.push({ key: t('policies.pages.detail.serviceItem'), value: serviceItemHref ? <a href={serviceItemHref}>{document.serviceItem}</a> : <span className="code">{document.serviceItem}</span> });
  }
  return <SummaryList rows={rows} />;
}

/** Everything a policy document says: facts, conditions, benefit, materials, basis, links, contact, examples. */
export function PolicyDocumentView({ document, declaredFacts, serviceItemHref, facts }: { document: PolicyDocument; declaredFacts: readonly DeclaredFact[]; serviceItemHref?: string | null; facts?: Facts | null }) {
  const { t, locale } = usePage();
  const words = useWords(declaredFacts);
  const contact = document.contact;
  return (
    <>
      <PolicyFacts document={document} serviceItemHref={serviceItemHref ?? null} />
      <Section id="conditions" title={t('policies.pages.detail.conditions')}>
        <p>{t('policies.pages.detail.conditionsLead')}</p>
        <RuleTree condition={document.eligibility} facts={facts ?? null} words={words} />
      </Section>
      {document.benefit ? (
        <Section id="benefit" title={t('policies.pages.detail.benefit')}>
          <p>{document.benefit.description[locale]}</p>
          {document.benefit.formula ? (
            <>
              <p>
                {t('policies.pages.detail.formula')} <code className="code">{document.benefit.formula}</code>
              </p>
              {document.parameters && Object.keys(document.parameters).length ? (
                <ul>
                  {parameterLines(t, locale, document.parameters).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </Section>
      ) : null}
      {document.materials?.length ? (
        <Section id="materials" title={t('policies.pages.detail.materials')}>
          <ul>
            {document.materials.map((material, index) => (
              <li key={index}>
                {material.name[locale]}
                {material.note ? <span className="secondary-text"> {material.note[locale]}</span> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {document.legalBasis?.length || document.links?.length ? (
        <Section id="basis" title={t('policies.pages.detail.basis')}>
          {document.legalBasis?.length ? (
            <ul>
              {document.legalBasis.map((basis) => (
                <li key={basis}>{basis}</li>
              ))}
            </ul>
          ) : null}
          {document.links?.length ? (
            <>
              <p>{t('policies.pages.detail.links')}</p>
              <ul>
                {document.links.map((link) => (
                  <li key={link.url}>
                    <a href={link.url} rel="noopener noreferrer external">
                      {link.title}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>
      ) : null}
      {contact && (contact.name || contact.phone || contact.email || contact.address) ? (
        <Section id="contact" title={t('policies.pages.detail.contact')}>
          <SummaryList
            rows={[
              ...(contact.name ? [{ key: t('policies.pages.detail.contactName'), value: contact.name }] : []),
              ...(contact.phone ? [{ key: t('policies.pages.detail.contactPhone'), value: <a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a> }] : []),
              ...(contact.email ? [{ key: t('policies.pages.detail.contactEmail'), value: <a href={`mailto:${contact.email}`}>{contact.email}</a> }] : []),
              ...(contact.address ? [{ key: t('policies.pages.detail.contactAddress'), value: contact.address }] : []),
            ]}
          />
        </Section>
      ) : null}
      {document.examples?.length ? (
        <Section id="examples" title={t('policies.pages.detail.examples')}>
          <Table
            caption={t('policies.pages.detail.examplesCaption')}
            head={[t('policies.pages.detail.exampleName'), t('policies.pages.detail.exampleOutcome'), t('policies.pages.detail.exampleBenefit')]}
            rows={document.examples.map((example, index) => ({
              key: String(index),
              cells: [example.name, <OutcomeTag outcome={example.expected} />, example.benefitAmount === undefined ? '—' : formatYuan(words, example.benefitAmount)],
            }))}
          />
        </Section>
      ) : null}
    </>
  );
}

/** The policies of a report's results by version id, for their documents. */
export function policiesByVersion(policies: readonly CompiledPolicy[]): Map<string, CompiledPolicy> {
  return new Map(policies.map((policy) => [policy.versionId, policy]));
}
