import type { ReactNode } from 'react';
import { translate, type Locale, type MessageKey, type Translator } from '../../core/i18n.js';
import { NATIONWIDE_REGION_CODE, regionPath } from '../../reference/regions.js';
import { usePage } from '../../web/page.js';
import type { ItemFigures, LocalizedText, Material } from '../schema.js';
import '../messages.js';
import './messages.js';

export const loc = (text: LocalizedText, locale: Locale) => text[locale];

/** A certificate type's name, or the type itself when the catalogue has no name for it. */
export function certificateTypeLabel(locale: Locale, type: string): string {
  const key = `catalog.certificateType.${type}`;
  const text = translate(locale, key);
  return text === key ? type : text;
}

export function regionLabel(t: Translator, code: string): string {
  if (code === NATIONWIDE_REGION_CODE) return t('catalogPages.region.national');
  return regionPath(code).join(' / ') || code;
}

export function daysLabel(t: Translator, unit: 'workingDays' | 'calendarDays', days: number): string {
  return days === 0 ? t('catalog.timeUnit.immediate') : t(`catalog.timeUnit.${unit}`, { days });
}

export function joinList(t: Translator, parts: string[]): string {
  return parts.join(t('catalogPages.list.separator'));
}

/** Where a material comes from, in the reader's words. */
export function materialSource(t: Translator, locale: Locale, material: Material): string {
  const source = sourceText(t, locale, material);
  return material.commitmentAllowed ? `${source}; ${t('catalog.commitment.allowed')}` : source;
}

function sourceText(t: Translator, locale: Locale, material: Material): string {
  const upload = t('catalog.materialSource.uploadAlso', { types: material.acceptedTypes.map((type) => type.toUpperCase()).join('/'), size: material.maxSizeMb });
  switch (material.source) {
    case 'upload':
      return `${t('catalog.materialSource.upload')} (${material.acceptedTypes.map((type) => type.toUpperCase()).join('/')}, ≤ ${material.maxSizeMb} MB)`;
    case 'certificate':
      return `${t('catalog.materialSource.certificate', { type: certificateTypeLabel(locale, material.certificateType ?? '') })}${material.uploadAllowed ? `; ${upload}` : ''}`;
    case 'governmentData':
      return `${t('catalog.materialSource.governmentData', { dataset: t(`catalog.dataset.${material.dataset!}` as MessageKey) })}${material.uploadAllowed ? `; ${upload}` : ''}`;
  }
}

/** The "at most one visit" figures as a short list. */
export function Figures({ figures, unit }: { figures: ItemFigures; unit?: 'workingDays' | 'calendarDays' }) {
  const { t } = usePage();
  return (
    <ul className="figures" aria-label={t('catalogPages.figures.label')}>
      <li>{figures.visits === 0 ? t('catalogPages.figures.zeroVisits') : t('catalogPages.figures.visits', { visits: figures.visits })}</li>
      <li>
        {t('catalogPages.figures.materials', { provide: figures.materialsToProvide })}
        {figures.materialsReused > 0 ? t('catalogPages.figures.materialsReused', { asked: figures.materialsAsked, reused: figures.materialsReused }) : null}
      </li>
      <li>
        {unit
          ? `${t('catalogPages.item.promised')} ${daysLabel(t, unit, figures.promisedDays)} / ${t('catalogPages.item.legal')} ${daysLabel(t, unit, figures.legalDays)}`
          : t('catalogPages.figures.days', { promised: figures.promisedDays, legal: figures.legalDays })}
      </li>
      {figures.fullyOnline ? (
        <li>
          <strong className="tag">{t('catalogPages.figures.fullyOnline')}</strong>
        </li>
      ) : null}
    </ul>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export { Select } from '../../web/page.js';

/** Text that may hold line breaks, as paragraphs. */
export function Paragraphs({ text }: { text: string }): ReactNode {
  return text
    .split(/\n+/)
    .filter((line) => line.trim())
    .map((line, index) => <p key={index}>{line}</p>);
}
