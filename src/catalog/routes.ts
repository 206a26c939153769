import { Type } from '@sinclair/typebox';
import { requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import { catalogPages } from './pages/routes.js';
import {
  BundleDefinition,
  BundleParams,
  BundleSummary,
  BundleView,
  ItemDefinition,
  ItemParams,
  ReviseItemQuery,
  ItemVersionParams,
  ItemVersionView,
  SearchQuery,
  SearchResult,
  VersionParams,
} from './schema.js';
import type { ItemSatisfaction } from './pages/item.js';
import type { CatalogService } from './service.js';

/** The service catalogue: public reading and search, and publishing for departments' catalogue editors. */
/** What an item page shows of public satisfaction (好差评), from the evaluation capability. */
export type SatisfactionSource = (itemId: string) => Promise<ItemSatisfaction | null>;

export function catalogRoutes(app: HttpApp, catalog: CatalogService, satisfaction?: SatisfactionSource): void {
  const tags = ['catalog'];
  const inconsistent =
    'A definition that breaks a consistency rule is refused with 422 listing every broken rule, each against its field ' +
    '(fully online ⇒ 0 visits and online handling; visits ⇒ a reason; fee ⇒ basis; promised ≤ legal limit; a licence has the steps ' +
    'accept, review, approve, conclude, deliver; steps in order; each material source with its certificate type, data set or upload; ' +
    'conditions refer to existing fields; select fields have options; keys unique; patterns compile).';

  app.get(
    '/api/v1/catalog/items',
    {
      schema: {
        tags,
        summary: 'Search published service items',
        description:
          'Keywords match names, keywords, results, themes, item types and departments in Chinese (by character pairs) or English (by words); ' +
          'every keyword must match, and name matches rank first. Each item carries its "at most one visit" figures.',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => catalog.search(request.query),
  );

  app.get(
    '/api/v1/catalog/items/:id',
    { schema: { tags, summary: 'A service item: its current version, with figures', params: ItemParams, response: { 200: ItemVersionView } } },
    async (request) => catalog.getItem(request.params.id),
  );

  app.get(
    '/api/v1/catalog/items/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of a service item, exactly as published then',
        params: ItemVersionParams,
        response: { 200: ItemVersionView },
      },
    },
    async (request) => catalog.getItemVersion(request.params.id, request.params.version),
  );

  app.get(
    '/api/v1/catalog/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'An item version by its id (as applications reference it)',
        params: VersionParams,
        response: { 200: ItemVersionView },
      },
    },
    async (request) => catalog.getVersion(request.params.versionId),
  );

  app.post(
    '/api/v1/catalog/items',
    {
      schema: {
        tags,
        summary: "Publish a service item for the editor's department (catalogue editors)",
        description: `The item belongs to the editor's department, whose region and level it takes. The implementation code is unique (409). ${inconsistent}`,
        body: ItemDefinition,
        response: { 201: ItemVersionView },
      },
    },
    async (request, reply) => reply.status(201).send(await catalog.publishItem(requireRole(request, 'catalogEditor'), request.body)),
  );

  app.put(
    '/api/v1/catalog/items/:id',
    {
      schema: {
        tags,
        summary: "Edit a service item: saves a new version (the implementing department's catalogue editors)",
        description: `Earlier versions stay unchanged and readable; applications keep the version they were submitted under. Another department's editor gets 403; the implementation code cannot change. Send ?expectedVersion= (the version the edit started from) so that an edit saved meanwhile is a 409 instead of being overwritten. ${inconsistent}`,
        params: ItemParams,
        querystring: ReviseItemQuery,
        body: ItemDefinition,
        response: { 200: ItemVersionView },
      },
    },
    async (request) => catalog.reviseItem(requireRole(request, 'catalogEditor'), request.params.id, request.body, { expectedVersion: request.query.expectedVersion }),
  );

  app.post(
    '/api/v1/catalog/items/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Stop offering a service item (the implementing department)',
        description: 'The item leaves search and takes no new applications; its versions stay readable. Withdrawing twice changes nothing.',
        params: ItemParams,
        response: { 200: ItemVersionView },
      },
    },
    async (request) => catalog.withdrawItem(requireRole(request, 'catalogEditor'), request.params.id),
  );

  app.get(
    '/api/v1/catalog/bundles',
    { schema: { tags, summary: '"One thing" bundles (一件事一次办)', response: { 200: Type.Array(BundleSummary) } } },
    async () => catalog.listBundles(),
  );

  app.get(
    '/api/v1/catalog/bundles/:code',
    {
      schema: {
        tags,
        summary: 'A bundle with its items and the combined form and materials',
        description: 'A form field (or material) key shared by several items is asked once, required if any item requires it; `itemIds` says which items use it.',
        params: BundleParams,
        response: { 200: BundleView },
      },
    },
    async (request) => catalog.getBundle(request.params.code),
  );

  app.post(
    '/api/v1/catalog/bundles',
    {
      schema: {
        tags,
        summary: 'Publish a bundle of published items, possibly of several departments (catalogue editors, administrators)',
        description: 'Items sharing a form field key must give it the same type, and sharing a material key the same source (422 naming the item).',
        body: BundleDefinition,
        response: { 201: BundleView },
      },
    },
    async (request, reply) => reply.status(201).send(await catalog.publishBundle(requireRole(request, 'catalogEditor', 'admin'), request.body)),
  );

  catalogPages(app, catalog, satisfaction);
}
