import { provinces } from '../../reference/regions.js';
import { TextInput, usePage } from '../../web/page.js';
import { AUDIENCES, ITEM_TYPES, THEMES, type BundleSummary, type SearchQuery, type SearchResult } from '../schema.js';
import { Figures, Select, loc, regionLabel, type SelectOption } from './components.js';

export const PAGE_SIZE = 10;

/** The search as the page's query string carries it; unknown choices are dropped, not errors. */
export interface SearchForm {
  q: string;
  region: string;
  theme: string;
  audience: string;
  itemType: string;
  page: number;
}

export function searchFormOf(query: Record<string, string | undefined>): SearchForm {
  const pick = (value: string | undefined, allowed: readonly string[]) => (value && allowed.includes(value) ? value : '');
  const page = Number(query.page);
  return {
    q: (query.q ?? '').slice(0, 100),
    region: /^\d{6}$/.test(query.region ?? '') ? query.region! : '',
    theme: pick(query.theme, THEMES),
    audience: pick(query.audience, AUDIENCES),
    itemType: pick(query.itemType, ITEM_TYPES),
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

export function searchQueryOf(form: SearchForm): SearchQuery {
  return {
    ...(form.q.trim() ? { q: form.q } : {}),
    ...(form.region ? { regionCode: form.region } : {}),
    ...(form.theme ? { theme: form.theme as SearchQuery['theme'] } : {}),
    ...(form.audience ? { audience: form.audience as SearchQuery['audience'] } : {}),
    ...(form.itemType ? { itemType: form.itemType as SearchQuery['itemType'] } : {}),
    limit: PAGE_SIZE,
    offset: (form.page - 1) * PAGE_SIZE,
  };
}

function hrefFor(form: SearchForm, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'region', 'theme', 'audience', 'itemType'] as const) if (form[key]) params.set(key, form[key]);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `/services?${text}` : '/services';
}

/**
 * Region choices: every province, and below each the cities and counties that have items, so a
 * person can narrow down to where they live without typing a code.
 */
function regionOptions(t: ReturnType<typeof usePage>['t'], withItems: string[], chosen: string): SelectOption[] {
  const below = new Set(withItems.filter((code) => !code.endsWith('0000')));
  if (chosen && !chosen.endsWith('0000')) below.add(chosen);
  const options: SelectOption[] = [{ value: '', label: t('catalogPages.search.region.all') }];
  for (const province of provinces()) {
    options.push({ value: province.code, label: province.name });
    for (const code of [...below].filter((c) => c.startsWith(province.code.slice(0, 2))).sort()) {
      options.push({ value: code, label: `— ${regionLabel(t, code)}` });
    }
  }
  return options;
}

export function SearchPage({ form, result, regions, bundles }: { form: SearchForm; result: SearchResult | null; regions: string[]; bundles: BundleSummary[] }) {
  const { t, locale } = usePage();
  const any = { value: '', label: t('catalogPages.search.any') };
  const searched = Boolean(form.q || form.region || form.theme || form.audience || form.itemType);
  return (
    <>
      <h1>{t('catalogPages.search.title')}</h1>
      <p className="lead">{t('catalogPages.search.lead')}</p>
      <form method="get" action="/services" role="search" aria-label={t('catalogPages.search.legend')} className="search-form">
        <TextInput name="q" label={t('catalogPages.search.q')} hint={t('catalogPages.search.q.hint')} value={form.q} width={30} />
        <Select name="region" label={t('catalogPages.search.region')} hint={t('catalogPages.search.region.hint')} options={regionOptions(t, regions, form.region)} value={form.region} />
        <Select name="theme" label={t('catalogPages.search.theme')} options={[any, ...THEMES.map((theme) => ({ value: theme, label: t(`catalog.theme.${theme}`) }))]} value={form.theme} />
        <Select name="audience" label={t('catalogPages.search.audience')} options={[any, ...AUDIENCES.map((a) => ({ value: a, label: t(`catalog.audience.${a}`) }))]} value={form.audience} />
        <Select name="itemType" label={t('catalogPages.search.itemType')} options={[any, ...ITEM_TYPES.map((type) => ({ value: type, label: t(`catalog.itemType.${type}`) }))]} value={form.itemType} />
        <button type="submit" className="button button--primary">
          {t('catalogPages.search.submit')}
        </button>
      </form>

      {!searched && bundles.length ? (
        <section aria-labelledby="bundles-heading">
          <h2 id="bundles-heading">{t('catalogPages.bundles.title')}</h2>
          <p>{t('catalogPages.bundles.lead')}</p>
          <ul className="card-list">
            {bundles.map((bundle) => (
              <li className="card" key={bundle.id}>
                <h3>
                  <a href={`/services/bundles/${encodeURIComponent(bundle.code)}`}>{loc(bundle.name, locale)}</a>
                </h3>
                <p>{loc(bundle.description, locale)}</p>
                <p className="secondary-text">{t('catalogPages.bundles.items', { count: bundle.itemIds.length })}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {result ? <Results form={form} result={result} /> : null}
    </>
  );
}

function Results({ form, result }: { form: SearchForm; result: SearchResult }) {
  const { t, locale } = usePage();
  const pages = Math.ceil(result.total / PAGE_SIZE);
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">
        {t('catalogPages.search.results', { total: result.total })}
        {result.total > PAGE_SIZE ? (
          <span className="secondary-text"> {t('catalogPages.search.resultsRange', { from: result.offset + 1, to: result.offset + result.items.length })}</span>
        ) : null}
      </h2>
      {result.items.length === 0 ? <p>{t('catalogPages.search.none')}</p> : null}
      <ol className="result-list">
        {result.items.map((item) => (
          <li className="result-list__item" key={item.itemId}>
            <h3>
              <a href={`/services/${encodeURIComponent(item.itemId)}`}>{loc(item.name, locale)}</a>
            </h3>
            <p className="secondary-text">
              {loc(item.departmentName, locale)} · {regionLabel(t, item.regionCode)} · {t(`catalog.level.${item.level}`)} · {t(`catalog.itemType.${item.itemType}`)}
            </p>
            <Figures figures={item.figures} />
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav aria-label={t('catalogPages.search.pagination')}>
          <ul className="pagination">
            {form.page > 1 ? (
              <li>
                <a href={hrefFor(form, form.page - 1)} rel="prev">
                  {t('catalogPages.search.previous')}
                </a>
              </li>
            ) : null}
            {form.page < pages ? (
              <li>
                <a href={hrefFor(form, form.page + 1)} rel="next">
                  {t('catalogPages.search.next')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
