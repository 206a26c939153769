import type { FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { formStateFrom, sendPage, tr } from '../../web/page.js';
import type { SearchResult } from '../schema.js';
import type { CatalogService } from '../service.js';
import { BundleListPage, BundlePage } from './bundle.js';
import { commitmentEditorPages } from './editor.js';
import { type ItemSatisfaction, ItemPage } from './item.js';
import { SearchPage, searchFormOf, searchQueryOf } from './search.js';
import { loc } from './components.js';
import './messages.js';

const ID_PATTERN = /^[\w-]{1,64}$/;

function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((request.query as Record<string, unknown> | undefined) ?? {})) if (typeof value === 'string') result[key] = value;
  return result;
}

/** The public guide to services (办事指南): search, item pages and bundles. No sign-in needed. */
export function catalogPages(app: HttpApp, catalog: CatalogService, satisfaction?: (itemId: string) => Promise<ItemSatisfaction | null>): void {
  commitmentEditorPages(app, catalog);
  app.get('/services', { schema: { hide: true } }, async (request, reply) => {
    const t = tr(request);
    const form = searchFormOf(queryOf(request));
    const [regions, bundles] = await Promise.all([catalog.regionsWithItems(), catalog.listBundles()]);
    let result: SearchResult | null = null;
    let state;
    try {
      result = await catalog.search(searchQueryOf(form));
    } catch (error) {
      state = formStateFrom(error, request, { ...form, page: String(form.page) });
      state.errors = state.errors?.map((e) => (e.field === 'regionCode' ? { ...e, field: 'region' } : e));
    }
    return sendPage(request, reply, {
      title: form.q ? `${form.q} – ${t('catalogPages.search.title')}` : t('catalogPages.search.title'),
      width: 'wide',
      ...(state ? { form: state, status: state.status } : {}),
      children: <SearchPage form={form} result={result} regions={regions} bundles={bundles} />,
    });
  });

  app.get('/services/bundles', { schema: { hide: true } }, async (request, reply) =>
    sendPage(request, reply, { title: tr(request)('catalogPages.bundles.title'), width: 'wide', children: <BundleListPage bundles={await catalog.listBundles()} /> }),
  );

  app.get<{ Params: { code: string } }>('/services/bundles/:code', { schema: { hide: true } }, async (request, reply) => {
    if (!ID_PATTERN.test(request.params.code)) throw notFound('bundleNotFound', 'catalog.bundle.notFound');
    const bundle = await catalog.getBundle(request.params.code);
    return sendPage(request, reply, { title: loc(bundle.name, request.locale), width: 'wide', children: <BundlePage bundle={bundle} /> });
  });

  app.get<{ Params: { id: string } }>('/services/:id', { schema: { hide: true } }, async (request, reply) => {
    if (!ID_PATTERN.test(request.params.id)) throw notFound('itemNotFound', 'catalog.item.notFound');
    const version = Number(queryOf(request).version);
    const item = Number.isInteger(version) && version >= 1 ? await catalog.getItemVersion(request.params.id, version) : await catalog.getItem(request.params.id);
    const [bundles, rated] = await Promise.all([catalog.bundlesWithItem(item.itemId), satisfaction ? satisfaction(item.itemId) : null]);
    return sendPage(request, reply, { title: loc(item.definition.name, request.locale), width: 'wide', children: <ItemPage item={item} bundles={bundles} satisfaction={rated} /> });
  });
}
