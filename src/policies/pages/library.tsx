import { getRegion, provinces } from '../../reference/regions.js';
import { Checkboxes, Select, usePage } from '../../web/page.js';
import { POLICY_CATEGORIES, POLICY_MODES } from '../format/schema.js';
import { inForce } from '../library/compiled.js';
import type { PolicyDocument } from '../format/schema.js';
import { ModeTag, policyHref } from './components.js';
import { periodText, regionName, regionsText } from './describe.js';

export interface LibraryFilter {
  category: string;
  mode: string;
  region: string;
  inForce: boolean;
}

/** The filter as the query carries it; an unknown choice is dropped, not an error. */
export function libraryFilterOf(query: Record<string, string | string[] | undefined>): LibraryFilter {
  const one = (name: string) => {
    const value = query[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const pick = (value: string | undefined, allowed: readonly string[]) => (value && allowed.includes(value) ? value : '');
  const region = one('region') ?? '';
  return {
    category: pick(one('category'), POLICY_CATEGORIES),
    mode: pick(one('mode'), POLICY_MODES),
    region: /^\d{6}$/.test(region) && getRegion(region) ? region : '',
    inForce: one('inForce') === 'yes',
  };
}

export interface LibraryEntry {
  code: string;
  title: PolicyDocument['title'];
  summary?: PolicyDocument['summary'];
  category?: string;
  mode: string;
  level: string;
  regions: string[];
  effective: PolicyDocument['effective'];
}

/** Provinces, and below each the cities and counties some published policy names. */
function regionOptions(t: ReturnType<typeof usePage>['t'], named: Iterable<string>, chosen: string) {
  const below = new Set([...named].filter((code) => !code.endsWith('0000')));
  if (chosen && !chosen.endsWith('0000')) below.add(chosen);
  const options = [{ value: '', label: t('policies.pages.library.anyRegion') }];
  for (const province of provinces()) {
    options.push({ value: province.code, label: province.name });
    for (const code of [...below].filter((c) => c.startsWith(province.code.slice(0, 2))).sort()) options.push({ value: code, label: `— ${regionName(t, code)}` });
  }
  return options;
}

export function LibraryPage({ filter, entries, allRegions, today }: { filter: LibraryFilter; entries: LibraryEntry[]; allRegions: string[]; today: string }) {
  const { t, locale } = usePage();
  const any = t('policies.pages.library.any');
  return (
    <>
      <h1>{t('policies.pages.library.title')}</h1>
      <p className="lead">{t('policies.pages.library.lead')}</p>
      <p>
        <a href="/policies/screener" className="button button--secondary">
          {t('policies.pages.library.toScreener')}
        </a>
      </p>
      <form method="get" action="/policies" noValidate aria-label={t('policies.pages.library.filter')}>
        <Select name="category" label={t('policies.pages.library.category')} placeholder={any} value={filter.category} options={POLICY_CATEGORIES.map((c) => ({ value: c, label: t(`policies.category.${c}`) }))} />
        <Select name="mode" label={t('policies.pages.library.mode')} placeholder={any} value={filter.mode} options={POLICY_MODES.map((m) => ({ value: m, label: t(`policies.mode.${m}`) }))} />
        <Select name="region" label={t('policies.pages.library.region')} hint={t('policies.pages.library.regionHint')} value={filter.region} options={regionOptions(t, allRegions, filter.region)} />
        <Checkboxes name="inForce" legend={t('policies.pages.library.validity')} options={[{ value: 'yes', label: t('policies.pages.library.inForceToday', { date: today }) }]} selected={filter.inForce ? ['yes'] : []} />
        <button type="submit" className="button button--secondary">
          {t('policies.pages.library.apply')}
        </button>
      </form>
      <h2 id="results-heading">
        {t('policies.pages.library.count', { count: entries.length })}
      </h2>
      {entries.length === 0 ? <p>{t('policies.pages.library.none')}</p> : null}
      <ol className="result-list" aria-labelledby="results-heading">
        {entries.map((entry) => {
          const current = inForce({ effective: entry.effective } as PolicyDocument, today);
          return (
            <li className="result-list__item" key={entry.code}>
              <h3>
                <a href={policyHref(entry.code)}>{entry.title[locale]}</a>
              </h3>
              <p>
                <ModeTag mode={entry.mode} /> {current ? null : <strong className="tag tag--expired">{t(entry.effective.from > today ? 'policies.pages.library.notYet' : 'policies.pages.library.expired')}</strong>}
              </p>
              {entry.summary ? <p>{entry.summary[locale]}</p> : null}
              <p className="secondary-text">
                {t(`policies.level.${entry.level}` as 'policies.level.national')}
                {entry.category ? ` · ${t(`policies.category.${entry.category}` as 'policies.category.tax')}` : ''} · {t('policies.pages.library.regions', { regions: regionsText(t, entry.regions) })} ·{' '}
                {t('policies.pages.library.effective', { period: periodText(t, entry.effective) })}
              </p>
            </li>
          );
        })}
      </ol>
    </>
  );
}
