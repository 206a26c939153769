import type { MessageKey } from '../../core/i18n.js';
import { formatDateTime } from '../../web/format.js';
import { ButtonLink, InsetText, SummaryList, Table, WarningText, usePage } from '../../web/page.js';
import type { BundleSummary, FormField, ItemVersionView } from '../schema.js';
import { Figures, Paragraphs, certificateTypeLabel, daysLabel, joinList, loc, materialSource, regionLabel } from './components.js';

/** Public satisfaction with the item (好差评): how many rated it, the average and the share of good ratings. */
export interface ItemSatisfaction {
  reviews: number;
  averageRating: number | null;
  goodShare: number | null;
}

function Satisfaction({ satisfaction }: { satisfaction: ItemSatisfaction }) {
  const { t } = usePage();
  return (
    <p className="satisfaction">
      {satisfaction.reviews === 0 || satisfaction.averageRating === null
        ? t('catalogPages.item.satisfaction.none')
        : t('catalogPages.item.satisfaction.summary', {
            reviews: satisfaction.reviews,
            average: satisfaction.averageRating.toFixed(1),
            good: Math.round((satisfaction.goodShare ?? 0) * 100),
          })}
    </p>
  );
}

export function ItemPage({ item, bundles, satisfaction }: { item: ItemVersionView; bundles: BundleSummary[]; satisfaction?: ItemSatisfaction | null }) {
  const { t, locale } = usePage();
  const d = item.definition;
  const published = item.status === 'published';
  const latest = item.version === item.latestVersion;
  return (
    <>
      <p className="caption">{t('catalogPages.item.caption', { department: loc(item.departmentName, locale), level: t(`catalog.level.${item.level}`) })}</p>
      <h1>{loc(d.name, locale)}</h1>
      {published ? null : <WarningText>{t('catalogPages.item.withdrawn')}</WarningText>}
      {latest ? null : (
        <InsetText>
          {t('catalogPages.item.olderVersion', { version: item.version, latest: item.latestVersion })}{' '}
          <a href={`/services/${encodeURIComponent(item.itemId)}`}>{t('catalogPages.item.viewLatest')}</a>
        </InsetText>
      )}
      <Figures figures={item.figures} unit={d.timeLimitUnit} />
      {satisfaction ? <Satisfaction satisfaction={satisfaction} /> : null}
      {published && latest ? (
        <div className="apply">
          <ButtonLink href={`/applications/new?item=${encodeURIComponent(item.itemId)}`}>{t('catalogPages.item.apply')}</ButtonLink>
          <p className="hint">{t('catalogPages.item.applyHint')}</p>
        </div>
      ) : null}
      {bundles.length ? (
        <p>
          {t('catalogPages.item.inBundles')}{' '}
          {bundles.map((bundle, index) => (
            <span key={bundle.id}>
              {index > 0 ? t('catalogPages.list.separator') : null}
              <a href={`/services/bundles/${encodeURIComponent(bundle.code)}`}>{loc(bundle.name, locale)}</a>
            </span>
          ))}
        </p>
      ) : null}

      <h2>{t('catalogPages.item.conditions')}</h2>
      <Paragraphs text={loc(d.acceptanceConditions, locale)} />

      <h2>{t('catalogPages.item.materials')}</h2>
      {d.materials.length === 0 ? (
        <p>{t('catalogPages.item.materials.none')}</p>
      ) : (
        <Table
          caption={t('catalogPages.item.materials.caption')}
          head={[t('catalogPages.item.material.name'), t('catalogPages.item.material.requirement'), t('catalogPages.item.material.medium'), t('catalogPages.item.material.source')]}
          rows={d.materials.map((m) => ({
            key: m.key,
            cells: [
              <>
                {loc(m.name, locale)}
                {m.condition ? <div className="hint">{t('catalogPages.item.material.condition', { condition: loc(m.condition, locale) })}</div> : null}
              </>,
              t(`catalog.requirement.${m.requirement}`),
              t(`catalog.medium.${m.medium}`),
              materialSource(t, locale, m),
            ],
          }))}
        />
      )}

      <h2>{t('catalogPages.item.limits')}</h2>
      <SummaryList
        rows={[
          { key: t('catalogPages.item.promised'), value: daysLabel(t, d.timeLimitUnit, d.promisedLimitDays) },
          { key: t('catalogPages.item.legal'), value: daysLabel(t, d.timeLimitUnit, d.legalLimitDays) },
          { key: t('catalogPages.item.visits'), value: t('catalogPages.item.visitsCount', { visits: d.visits }) },
          ...(d.visits > 0 && d.visitReason ? [{ key: t('catalogPages.item.visitReason'), value: loc(d.visitReason, locale) }] : []),
        ]}
      />

      <h2>{t('catalogPages.item.fees')}</h2>
      {d.fees.length === 0 ? (
        <p>{t('catalogPages.item.fees.none')}</p>
      ) : (
        <ul>
          {d.fees.map((fee, index) => (
            <li key={index}>
              {loc(fee.name, locale)}: {t('catalogPages.item.fee.amount', { amount: fee.amount.toFixed(2) })}
              <div className="hint">{t('catalogPages.item.fee.basis', { basis: fee.basis })}</div>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('catalogPages.item.form')}</h2>
      <FormPreview fields={d.form.fields} />

      <h2>{t('catalogPages.item.flow')}</h2>
      <ol>
        {d.flow.steps.map((step) => (
          <li key={step.step}>
            {t(`catalog.flowStep.${step.step}`)}
            {t('catalogPages.item.flow.roles', { roles: joinList(t, step.roles.map((role) => t(`catalog.flowRole.${role}`))) })}
          </li>
        ))}
      </ol>

      <h2>{t('catalogPages.item.result')}</h2>
      <SummaryList
        rows={[
          { key: t('catalogPages.item.result.name'), value: loc(d.result.name, locale) },
          { key: t('catalogPages.item.result.type'), value: t(`catalog.resultType.${d.result.type}`) },
          ...(d.result.certificateType
            ? [{ key: t('catalogPages.item.result.certificate'), value: t('catalogPages.item.result.certificateYes', { type: certificateTypeLabel(locale, d.result.certificateType) }) }]
            : []),
          ...(d.result.validityMonths ? [{ key: t('catalogPages.item.result.validity'), value: t('catalogPages.item.result.validityMonths', { months: d.result.validityMonths }) }] : []),
        ]}
      />

      <h2>{t('catalogPages.item.legalBasis')}</h2>
      <ul>
        {d.legalBasis.map((basis, index) => (
          <li key={index}>{[basis.law, basis.documentNumber, basis.article].filter(Boolean).join(' ')}</li>
        ))}
      </ul>

      <h2>{t('catalogPages.item.basic')}</h2>
      <SummaryList
        rows={[
          { key: t('catalogPages.item.itemType'), value: t(`catalog.itemType.${d.itemType}`) },
          { key: t('catalogPages.item.department'), value: loc(item.departmentName, locale) },
          { key: t('catalogPages.item.region'), value: regionLabel(t, item.regionCode) },
          { key: t('catalogPages.item.level'), value: t(`catalog.level.${item.level}`) },
          { key: t('catalogPages.item.audiences'), value: joinList(t, d.audiences.map((a) => t(`catalog.audience.${a}`))) },
          ...(d.themes.length ? [{ key: t('catalogPages.item.themes'), value: joinList(t, d.themes.map((theme) => t(`catalog.theme.${theme}`))) }] : []),
          { key: t('catalogPages.item.handlingForms'), value: joinList(t, d.handlingForms.map((f) => t(`catalog.handlingForm.${f}`))) },
          { key: t('catalogPages.item.onlineDepth'), value: t(`catalog.onlineDepth.${d.onlineDepth}` as MessageKey) },
          { key: t('catalogPages.item.crossRegion'), value: t(`catalog.crossRegion.${d.crossRegion}`) },
          { key: t('catalogPages.item.collectElsewhere'), value: t(d.collectElsewhere ? 'catalogPages.item.collectElsewhere.yes' : 'catalogPages.item.collectElsewhere.no') },
          { key: t('catalogPages.item.implementationCode'), value: <span className="code">{d.implementationCode}</span> },
          { key: t('catalogPages.item.basicCode'), value: <span className="code">{d.basicCode}</span> },
          ...(d.contact ? [{ key: t('catalogPages.item.contact'), value: d.contact }] : []),
        ]}
      />
      <p className="secondary-text">{t('catalogPages.item.version', { version: item.version, date: formatDateTime(item.publishedAt, locale).slice(0, 10) })}</p>
    </>
  );
}

/** The questions of a form, marking those filled in from the applicant's profile. */
export function FormPreview({ fields }: { fields: FormField[] }) {
  const { t, locale } = usePage();
  if (fields.length === 0) return <p>{t('catalogPages.item.form.none')}</p>;
  return (
    <ul>
      {fields.map((field) => (
        <li key={field.key}>
          {loc(field.label, locale)}
          {field.required ? null : <span className="secondary-text"> ({t('catalogPages.item.form.optional')})</span>}
          {field.prefill ? <span className="secondary-text"> – {t('catalogPages.item.form.prefilled')}</span> : null}
        </li>
      ))}
    </ul>
  );
}
