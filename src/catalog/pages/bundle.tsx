import { ButtonLink, Table, WarningText, usePage } from '../../web/page.js';
import type { BundleSummary, BundleView } from '../schema.js';
import { Figures, daysLabel, joinList, loc, materialSource } from './components.js';
import { FormPreview } from './item.js';

export function BundlePage({ bundle }: { bundle: BundleView }) {
  const { t, locale } = usePage();
  const names = new Map(bundle.items.map((item) => [item.itemId, loc(item.definition.name, locale)]));
  const available = bundle.items.every((item) => item.status === 'published');
  return (
    <>
      <p className="caption">
        {t('catalogPages.bundle.caption')} · {t('catalogPages.bundle.departments', { count: bundle.figures.departments })}
      </p>
      <h1>{loc(bundle.name, locale)}</h1>
      <p className="lead">{loc(bundle.description, locale)}</p>
      <Figures figures={bundle.figures} />
      {available ? (
        <div className="apply">
          <ButtonLink href={`/applications/new?bundle=${encodeURIComponent(bundle.code)}`}>{t('catalogPages.bundle.apply')}</ButtonLink>
          <p className="hint">{t('catalogPages.bundle.applyHint')}</p>
        </div>
      ) : (
        <WarningText>{t('catalogPages.bundle.unavailable')}</WarningText>
      )}

      <h2>{t('catalogPages.bundle.items')}</h2>
      <Table
        caption={t('catalogPages.bundle.items.caption')}
        head={[t('catalogPages.bundle.item'), t('catalogPages.bundle.department'), t('catalogPages.bundle.promised')]}
        rows={bundle.items.map((item) => ({
          key: item.itemId,
          cells: [
            <a href={`/services/${encodeURIComponent(item.itemId)}`}>{loc(item.definition.name, locale)}</a>,
            loc(item.departmentName, locale),
            daysLabel(t, item.definition.timeLimitUnit, item.definition.promisedLimitDays),
          ],
        }))}
      />

      <h2>{t('catalogPages.bundle.materials')}</h2>
      <p>{t('catalogPages.bundle.materials.lead')}</p>
      <ul>
        {bundle.materials.map((material) => (
          <li key={material.key}>
            {loc(material.name, locale)} – {materialSource(t, locale, material)}
            <div className="hint">{t('catalogPages.bundle.usedBy', { items: joinList(t, material.itemIds.map((id) => names.get(id) ?? id)) })}</div>
          </li>
        ))}
      </ul>

      <h2>{t('catalogPages.bundle.form')}</h2>
      <p>{t('catalogPages.bundle.form.lead')}</p>
      <FormPreview fields={bundle.form.fields} />
    </>
  );
}

export function BundleListPage({ bundles }: { bundles: BundleSummary[] }) {
  const { t, locale } = usePage();
  return (
    <>
      <h1>{t('catalogPages.bundles.title')}</h1>
      <p className="lead">{t('catalogPages.bundles.lead')}</p>
      {bundles.length === 0 ? <p>{t('catalogPages.bundles.none')}</p> : null}
      <ul className="card-list">
        {bundles.map((bundle) => (
          <li className="card" key={bundle.id}>
            <h2>
              <a href={`/services/bundles/${encodeURIComponent(bundle.code)}`}>{loc(bundle.name, locale)}</a>
            </h2>
            <p>{loc(bundle.description, locale)}</p>
            <p className="secondary-text">{t('catalogPages.bundles.items', { count: bundle.itemIds.length })}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
