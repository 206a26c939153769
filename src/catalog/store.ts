import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db, Tx } from '../core/db.js';
import type { ItemLevel, ItemStatus, ItemType } from './schema.js';

export interface ServiceItemsTable {
  id: string;
  implementationCode: string;
  basicCode: string;
  departmentId: string;
  /** Copied from the department when the item is saved: the name is shown and searched with every item. */
  departmentNameZh: string;
  departmentNameEn: string;
  regionCode: string;
  level: ItemLevel;
  itemType: ItemType;
  status: ItemStatus;
  currentVersionId: string;
  currentVersion: number;
  nameZh: string;
  nameEn: string;
  /** JSON text: the audiences of the current version. */
  audiences: string;
  /** JSON text: the themes of the current version. */
  themes: string;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceItemVersionsTable {
  id: string;
  itemId: string;
  version: number;
  /** JSON text: the ItemDefinition as saved; never changed afterwards. */
  definition: string;
  /** The staff member who saved this version. */
  createdBy: string;
  createdAt: string;
}

export interface ServiceItemTermsTable {
  term: string;
  itemId: string;
  weight: number;
}

export interface ServiceBundlesTable {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** JSON text: themes. */
  themes: string;
  status: ItemStatus;
  createdBy: string;
  createdAt: string;
}

export interface ServiceBundleItemsTable {
  bundleId: string;
  position: number;
  itemId: string;
}

declare module '../core/db.js' {
  interface Tables {
    serviceItems: ServiceItemsTable;
    serviceItemVersions: ServiceItemVersionsTable;
    serviceItemTerms: ServiceItemTermsTable;
    serviceBundles: ServiceBundlesTable;
    serviceBundleItems: ServiceBundleItemsTable;
  }
}

export type ItemRow = ServiceItemsTable;
export type VersionRow = ServiceItemVersionsTable;
export type BundleRow = ServiceBundlesTable;

/** An item joined to one of its versions. */
export type ItemVersionRow = ItemRow & { versionId: string; version: number; definition: string; versionCreatedAt: string };

/** Filters of a search that are plain columns; keywords and facets arrive as terms. */
export interface SearchFilters {
  /** Items whose region is one of these (the region itself, the regions above it, the nation). */
  servingRegionCodes?: string[];
  /** Items whose region lies in [from, to) (the regions within the chosen one). */
  withinRegions?: { from: string; to: string };
  departmentId?: string;
  itemType?: ItemType;
}

/** The WHERE of a search over items aliased `i`: published, and every filter given. */
function filtersOn(filters: SearchFilters) {
  return (eb: ExpressionBuilder<{ i: ItemRow }, 'i'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [eb('i.status', '=', 'published')];
    if (filters.departmentId) all.push(eb('i.departmentId', '=', filters.departmentId));
    if (filters.itemType) all.push(eb('i.itemType', '=', filters.itemType));
    const regions: Expression<SqlBool>[] = [];
    if (filters.servingRegionCodes?.length) regions.push(eb('i.regionCode', 'in', filters.servingRegionCodes));
    if (filters.withinRegions) regions.push(eb.and([eb('i.regionCode', '>=', filters.withinRegions.from), eb('i.regionCode', '<', filters.withinRegions.to)]));
    if (regions.length) all.push(eb.or(regions));
    return eb.and(all);
  };
}

const itemVersionColumns = [
  'v.id as versionId',
  'v.version as version',
  'v.definition as definition',
  'v.createdAt as versionCreatedAt',
] as const;

/** The SQL of the catalogue; nothing outside this folder touches these tables. */
export class CatalogStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  itemById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('serviceItems').selectAll().where('id', '=', id).executeTakeFirst();
  }

  itemByImplementationCode(code: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('serviceItems').selectAll().where('implementationCode', '=', code).executeTakeFirst();
  }

  /** Supervision read port: every item's id (published or withdrawn), in id order, a page after `afterId`. */
  itemIdsAfter(afterId: string, limit: number): Promise<string[]> {
    return this.db.selectFrom('serviceItems').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute().then((rows) => rows.map((row) => row.id));
  }

  /** Items with their current versions, in no particular order. */
  async currentVersions(itemIds: string[]): Promise<ItemVersionRow[]> {
    if (itemIds.length === 0) return [];
    return this.db
      .selectFrom('serviceItems as i')
      .innerJoin('serviceItemVersions as v', 'v.id', 'i.currentVersionId')
      .selectAll('i')
      .select(itemVersionColumns)
      .where('i.id', 'in', itemIds)
      .execute();
  }

  /** One exact version with its item. */
  versionById(versionId: string): Promise<ItemVersionRow | undefined> {
    return this.db
      .selectFrom('serviceItemVersions as v')
      .innerJoin('serviceItems as i', 'i.id', 'v.itemId')
      .selectAll('i')
      .select(itemVersionColumns)
      .where('v.id', '=', versionId)
      .executeTakeFirst();
  }

  versionByNumber(itemId: string, version: number): Promise<ItemVersionRow | undefined> {
    return this.db
      .selectFrom('serviceItemVersions as v')
      .innerJoin('serviceItems as i', 'i.id', 'v.itemId')
      .selectAll('i')
      .select(itemVersionColumns)
      .where('v.itemId', '=', itemId)
      .where('v.version', '=', version)
      .executeTakeFirst();
  }

  async insertItem(tx: Tx, item: ItemRow, version: VersionRow): Promise<void> {
    await tx.insertInto('serviceItems').values(item).execute();
    await tx.insertInto('serviceItemVersions').values(version).execute();
  }

  /** Adds a version and makes it current, with the item's searchable columns. */
  async addVersion(tx: Tx, version: VersionRow, item: Omit<ItemRow, 'id' | 'implementationCode' | 'departmentId' | 'status' | 'createdAt'>): Promise<void> {
    await tx.insertInto('serviceItemVersions').values(version).execute();
    await tx.updateTable('serviceItems').set(item).where('id', '=', version.itemId).execute();
  }

  async setStatus(tx: Tx | Db, itemId: string, status: ItemStatus, nowIso: string): Promise<void> {
    await tx.updateTable('serviceItems').set({ status, updatedAt: nowIso }).where('id', '=', itemId).execute();
  }

  /** Replaces the item's search terms. */
  async replaceTerms(tx: Tx, itemId: string, terms: Map<string, number>): Promise<void> {
    await tx.deleteFrom('serviceItemTerms').where('itemId', '=', itemId).execute();
    const rows = [...terms].map(([term, weight]) => ({ term, itemId, weight }));
    // Bounded batches keep each statement under SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < rows.length; i += 300) await tx.insertInto('serviceItemTerms').values(rows.slice(i, i + 300)).execute();
  }

  /**
   * Published items holding every one of `terms`, best first: the score adds the weight of each
   * matched term (name above keywords above the rest). An indexed lookup per term on the primary
   * key, grouped by item; no table scan.
   */
  async searchByTerms(terms: string[], filters: SearchFilters, page: { limit: number; offset: number }): Promise<{ total: number; itemIds: string[] }> {
    const matched = this.db
      .selectFrom('serviceItemTerms as t')
      .innerJoin('serviceItems as i', 'i.id', 't.itemId')
      .where('t.term', 'in', terms)
      .where(filtersOn(filters))
      .groupBy(['t.itemId', 'i.nameZh'])
      .having((eb) => eb.fn.countAll(), '=', terms.length)
      .select((eb) => ['t.itemId as itemId', 'i.nameZh as nameZh', eb.fn.sum<number>('t.weight').as('score')]);
    const [rows, count] = await Promise.all([
      matched.orderBy('score', 'desc').orderBy('nameZh').orderBy('itemId').limit(page.limit).offset(page.offset).execute(),
      this.db.selectFrom(matched.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { total: Number(count.n), itemIds: rows.map((row) => row.itemId) };
  }

  /** Published items matching only column filters, by name. */
  async searchByFilters(filters: SearchFilters, page: { limit: number; offset: number }): Promise<{ total: number; itemIds: string[] }> {
    const base = this.db.selectFrom('serviceItems as i').where(filtersOn(filters));
    const [rows, count] = await Promise.all([
      base.select(['i.id']).orderBy('i.nameZh').orderBy('i.id').limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { total: Number(count.n), itemIds: rows.map((row) => row.id) };
  }

  /** Regions that have published items, for the region choice of the search page. */
  async regionsWithItems(): Promise<string[]> {
    const rows = await this.db.selectFrom('serviceItems').select('regionCode').distinct().where('status', '=', 'published').orderBy('regionCode').execute();
    return rows.map((row) => row.regionCode);
  }

  /** Departments that have published items, for the department choice of the search page. */
  departmentsWithItems() {
    return this.db
      .selectFrom('serviceItems')
      .select(['departmentId', 'departmentNameZh', 'departmentNameEn', 'regionCode'])
      .distinct()
      .where('status', '=', 'published')
      .orderBy('regionCode')
      .orderBy('departmentNameZh')
      .execute();
  }

  // Bundles

  bundleByCode(code: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('serviceBundles').selectAll().where('code', '=', code).executeTakeFirst();
  }

  bundleById(id: string) {
    return this.db.selectFrom('serviceBundles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listBundles() {
    return this.db.selectFrom('serviceBundles').selectAll().where('status', '=', 'published').orderBy('code').execute();
  }

  async bundleItemIds(bundleIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(bundleIds.map((id) => [id, []]));
    if (bundleIds.length === 0) return result;
    const rows = await this.db.selectFrom('serviceBundleItems').selectAll().where('bundleId', 'in', bundleIds).orderBy('bundleId').orderBy('position').execute();
    for (const row of rows) result.get(row.bundleId)!.push(row.itemId);
    return result;
  }

  /** Published bundles that include the item. */
  bundlesWithItem(itemId: string) {
    return this.db
      .selectFrom('serviceBundles as b')
      .innerJoin('serviceBundleItems as bi', 'bi.bundleId', 'b.id')
      .selectAll('b')
      .where('bi.itemId', '=', itemId)
      .where('b.status', '=', 'published')
      .orderBy('b.code')
      .execute();
  }

  async insertBundle(tx: Tx, bundle: BundleRow, itemIds: string[]): Promise<void> {
    await tx.insertInto('serviceBundles').values(bundle).execute();
    await tx
      .insertInto('serviceBundleItems')
      .values(itemIds.map((itemId, position) => ({ bundleId: bundle.id, position, itemId })))
      .execute();
  }
}
