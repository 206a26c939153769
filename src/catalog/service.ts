import type { Role, SessionPrincipal } from '../core/auth.js';
import { AppError, conflict, fieldInvalid, forbidden, notFound, type FieldProblem } from '../core/errors.js';
import { translate, type MessageKey } from '../core/i18n.js';
import { newId } from '../core/ids.js';
import type { Platform } from '../core/platform.js';
import { parseWith } from '../core/validation.js';
import { actorOf, type IdentityService } from '../identity/service.js';
import { NATIONWIDE_REGION_CODE, ancestors, getRegion } from '../reference/regions.js';
import { bundleFigures, combineBundle, figuresOf } from './model.js';
import { checkItem } from './rules.js';
import {
  BundleDefinition,
  ItemDefinition,
  SEARCH_MAX_LIMIT,
  type BundleSummary,
  type BundleView,
  type ItemLevel,
  type ItemSummary,
  type ItemVersionView,
  type SearchQuery,
  type SearchResult,
} from './schema.js';
import { CatalogStore, type BundleRow, type ItemRow, type ItemVersionRow, type SearchFilters } from './store.js';
import { TERM_WEIGHT, TermCollector, facetTerm, queryTerms } from './terms.js';
import './messages.js';

const EDITOR_ROLE: Role = 'catalogEditor';
const BUNDLE_ROLES: Role[] = ['catalogEditor', 'admin'];

const parseList = <T>(json: string): T[] => JSON.parse(json) as T[];

function bothLanguages(key: MessageKey): string {
  return `${translate('zh-CN', key)} ${translate('en', key)}`;
}

/** The search terms of one item version: its names, keywords, result, labels and department. */
function termsOf(definition: ItemDefinition, department: { nameZh: string; nameEn: string }): Map<string, number> {
  const terms = new TermCollector()
    .add(definition.name['zh-CN'], TERM_WEIGHT.name)
    .add(definition.name.en, TERM_WEIGHT.name)
    .add(definition.result.name['zh-CN'], TERM_WEIGHT.keyword)
    .add(definition.result.name.en, TERM_WEIGHT.keyword)
    .add(bothLanguages(`catalog.itemType.${definition.itemType}`), TERM_WEIGHT.context)
    .add(department.nameZh, TERM_WEIGHT.context)
    .add(department.nameEn, TERM_WEIGHT.context)
    .add(`${definition.implementationCode} ${definition.basicCode}`, TERM_WEIGHT.context);
  for (const keyword of definition.keywords) terms.add(keyword, TERM_WEIGHT.keyword);
  for (const theme of definition.themes) {
    terms.add(bothLanguages(`catalog.theme.${theme}`), TERM_WEIGHT.context);
    terms.put(facetTerm('theme', theme), TERM_WEIGHT.facet);
  }
  for (const audience of definition.audiences) terms.put(facetTerm('audience', audience), TERM_WEIGHT.facet);
  return terms.terms;
}

/** The regions an item may belong to so that it serves `regionCode`, and the code range within it. */
export function regionFilter(regionCode: string): Pick<SearchFilters, 'servingRegionCodes' | 'withinRegions'> | undefined {
  if (regionCode === NATIONWIDE_REGION_CODE) return {};
  const region = getRegion(regionCode);
  if (!region) return undefined;
  const servingRegionCodes = [NATIONWIDE_REGION_CODE, ...ancestors(regionCode).map((r) => r.code), regionCode];
  const prefixLength = region.level === 'province' ? 2 : region.level === 'city' ? 4 : 6;
  if (prefixLength === 6) return { servingRegionCodes };
  const prefix = regionCode.slice(0, prefixLength);
  const next = String(Number(prefix) + 1).padStart(prefixLength, '0');
  return { servingRegionCodes, withinRegions: { from: prefix.padEnd(6, '0'), to: next.padEnd(6, '0') } };
}

/**
 * The service catalogue: departments publish and edit their own items (each edit a new, immutable
 * version), people search them, and "one thing" bundles combine items of several departments.
 */
export class CatalogService {
  readonly store: CatalogStore;

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
  ) {
    this.store = new CatalogStore(platform.db);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  // Publishing

  /** A department's catalogue editor publishes a new item, which belongs to the editor's department. */
  async publishItem(actor: SessionPrincipal, input: ItemDefinition): Promise<ItemVersionView> {
    const department = await this.editorDepartment(actor);
    const definition = this.validDefinition(input);
    const nowIso = this.nowIso();
    const itemId = newId();
    const versionId = newId();
    await this.store.transaction(async (tx) => {
      // The unique index would refuse a duplicate too; the lock turns that race into a clear 409.
      await this.platform.dialect.lockName(tx, `catalog-item-code:${definition.implementationCode}`);
      if (await this.store.itemByImplementationCode(definition.implementationCode, tx)) throw this.codeTaken(definition.implementationCode);
      await this.store.insertItem(
        tx,
        {
          id: itemId,
          implementationCode: definition.implementationCode,
          departmentId: department.id,
          status: 'published',
          createdAt: nowIso,
          ...this.itemColumns(definition, department, versionId, 1, nowIso),
        },
        { id: versionId, itemId, version: 1, definition: JSON.stringify(definition), createdBy: actor.staffId ?? actor.accountId, createdAt: nowIso },
      );
      await this.store.replaceTerms(tx, itemId, termsOf(definition, department));
      await this.platform.audit.record(
        { action: 'catalog.itemPublished', actor: actorOf(actor), detail: { itemId, versionId, implementationCode: definition.implementationCode } },
        tx,
      );
    });
    return this.getVersion(versionId);
  }

  /**
   * Saves an edit as a new version and makes it current. Earlier versions stay exactly as they
   * were, so applications submitted under them keep their form, materials, flow and time limits.
   */
  /** `expectedVersion`: the version the editor changed; another version saved meanwhile is a 409 instead of a lost update. */
  async reviseItem(actor: SessionPrincipal, itemId: string, input: ItemDefinition, options: { expectedVersion?: number } = {}): Promise<ItemVersionView> {
    const department = await this.editorDepartment(actor);
    const item = await this.ownedItem(actor, itemId);
    if (item.status === 'withdrawn') throw conflict('itemWithdrawn', 'catalog.item.withdrawn');
    const parsed = parseWith(ItemDefinition, input, 'invalidItem');
    if (parsed.implementationCode !== item.implementationCode) {
      throw new AppError(422, 'implementationCodeImmutable', 'error.validation.title', 'catalog.item.implementationCodeImmutable', { code: item.implementationCode }, [
        { field: '/implementationCode', message: 'catalog.item.implementationCodeImmutable', params: { code: item.implementationCode } },
      ]);
    }
    const definition = this.validDefinition(parsed);
    const nowIso = this.nowIso();
    const versionId = newId();
    await this.store.transaction(async (tx) => {
      // Two editors saving at once get consecutive versions instead of a clash on the number.
      await this.platform.dialect.lockName(tx, `catalog-item:${itemId}`);
      const current = (await this.store.itemById(itemId, tx))!;
      if (options.expectedVersion !== undefined && current.currentVersion !== options.expectedVersion) {
        throw conflict('itemVersionChanged', 'catalog.item.versionChanged', { expected: options.expectedVersion, version: current.currentVersion });
      }
      const version = current.currentVersion + 1;
      await this.store.addVersion(
        tx,
        { id: versionId, itemId, version, definition: JSON.stringify(definition), createdBy: actor.staffId ?? actor.accountId, createdAt: nowIso },
        this.itemColumns(definition, department, versionId, version, nowIso),
      );
      await this.store.replaceTerms(tx, itemId, termsOf(definition, department));
      await this.platform.audit.record({ action: 'catalog.itemRevised', actor: actorOf(actor), detail: { itemId, versionId, version } }, tx);
    });
    return this.getVersion(versionId);
  }

  /** The item stops being offered: it leaves search, while its versions stay readable for running applications. */
  async withdrawItem(actor: SessionPrincipal, itemId: string): Promise<ItemVersionView> {
    await this.editorDepartment(actor);
    const item = await this.ownedItem(actor, itemId);
    if (item.status !== 'withdrawn') {
      await this.store.transaction(async (tx) => {
        await this.store.setStatus(tx, itemId, 'withdrawn', this.nowIso());
        await this.platform.audit.record({ action: 'catalog.itemWithdrawn', actor: actorOf(actor), detail: { itemId } }, tx);
      });
    }
    return this.getItem(itemId);
  }

  private async editorDepartment(actor: SessionPrincipal) {
    if (!actor.roles.includes(EDITOR_ROLE)) throw forbidden('roleRequired');
    if (!actor.departmentId) throw forbidden('noDepartment', 'catalog.item.noDepartment');
    const department = await this.identity.department(actor.departmentId);
    if (!department) throw forbidden('unknownDepartment', 'catalog.department.unknown');
    return department;
  }

  /** The item, if it belongs to the editor's department; another department's editor is refused. */
  private async ownedItem(actor: SessionPrincipal, itemId: string): Promise<ItemRow> {
    const item = await this.store.itemById(itemId);
    if (!item) throw notFound('itemNotFound', 'catalog.item.notFound');
    if (item.departmentId !== actor.departmentId) throw forbidden('otherDepartment', 'catalog.item.otherDepartment');
    return item;
  }

  /** Schema first (400 naming the fields), then every consistency rule at once (422 naming each field). */
  private validDefinition(input: unknown): ItemDefinition {
    const definition = parseWith(ItemDefinition, input, 'invalidItem');
    const violations = checkItem(definition);
    if (violations.length) {
      const fields: FieldProblem[] = violations.map((v) => ({ field: v.field, message: v.message, ...(v.params ? { params: v.params } : {}) }));
      throw new AppError(422, 'inconsistentItem', 'error.validation.title', 'catalog.rules.detail', {}, fields);
    }
    return definition;
  }

  private codeTaken(code: string): AppError {
    return conflict('implementationCodeTaken', 'catalog.item.implementationCodeTaken', { code }, [
      { field: '/implementationCode', message: 'catalog.item.implementationCodeTaken', params: { code } },
    ]);
  }

  private itemColumns(
    definition: ItemDefinition,
    department: { nameZh: string; nameEn: string; regionCode: string; level: ItemLevel },
    versionId: string,
    version: number,
    nowIso: string,
  ) {
    return {
      basicCode: definition.basicCode,
      departmentNameZh: department.nameZh,
      departmentNameEn: department.nameEn,
      regionCode: department.regionCode,
      level: department.level,
      itemType: definition.itemType,
      currentVersionId: versionId,
      currentVersion: version,
      nameZh: definition.name['zh-CN'],
      nameEn: definition.name.en,
      audiences: JSON.stringify(definition.audiences),
      themes: JSON.stringify(definition.themes),
      updatedAt: nowIso,
    } satisfies Partial<ItemRow>;
  }

  // Reading

  private view(row: ItemVersionRow): ItemVersionView {
    const definition = JSON.parse(row.definition) as ItemDefinition;
    return {
      itemId: row.id,
      versionId: row.versionId,
      version: row.version,
      latestVersion: row.currentVersion,
      departmentId: row.departmentId,
      departmentName: { 'zh-CN': row.departmentNameZh, en: row.departmentNameEn },
      regionCode: row.regionCode,
      level: row.level,
      status: row.status,
      definition,
      publishedAt: row.versionCreatedAt,
      figures: figuresOf(definition),
    };
  }

  /** The item's current version (also when withdrawn: `status` says so). */
  async getItem(itemId: string): Promise<ItemVersionView> {
    const [row] = await this.store.currentVersions([itemId]);
    if (!row) throw notFound('itemNotFound', 'catalog.item.notFound');
    return this.view(row);
  }

  /** Exactly the version an application was submitted under, however the item changed since. */
  async getVersion(versionId: string): Promise<ItemVersionView> {
    const row = await this.store.versionById(versionId);
    if (!row) throw notFound('versionNotFound', 'catalog.version.notFound');
    return this.view(row);
  }

  async getItemVersion(itemId: string, version: number): Promise<ItemVersionView> {
    const row = await this.store.versionByNumber(itemId, version);
    if (!row) throw notFound('versionNotFound', 'catalog.version.notFound');
    return this.view(row);
  }

  /** The current version of the item with this implementation code, or undefined. */
  async itemByImplementationCode(code: string): Promise<ItemVersionView | undefined> {
    const item = await this.store.itemByImplementationCode(code);
    return item ? this.getItem(item.id) : undefined;
  }

  /**
   * Supervision read port: every item of the catalogue with where it is handled and its "at most
   * one visit" figures, for the supervision rollup (which keeps a copy refreshed by its job).
   */
  async supervisionItems(): Promise<{ itemId: string; departmentId: string; regionCode: string; status: string; name: { 'zh-CN': string; en: string }; departmentName: { 'zh-CN': string; en: string }; visits: number; fullyOnline: boolean }[]> {
    const result = [];
    for (let after = ''; ; ) {
      const ids = await this.store.itemIdsAfter(after, 500);
      if (ids.length === 0) break;
      for (const item of await this.getItems(ids)) {
        result.push({
          itemId: item.itemId,
          departmentId: item.departmentId,
          regionCode: item.regionCode,
          status: item.status,
          name: item.definition.name,
          departmentName: item.departmentName,
          visits: item.figures.visits,
          fullyOnline: item.figures.fullyOnline,
        });
      }
      after = ids[ids.length - 1]!;
    }
    return result;
  }

  /** Current versions of several items, in the order asked; unknown ids are left out. */
  async getItems(itemIds: string[]): Promise<ItemVersionView[]> {
    const rows = new Map((await this.store.currentVersions(itemIds)).map((row) => [row.id, row]));
    return itemIds.flatMap((id) => {
      const row = rows.get(id);
      return row ? [this.view(row)] : [];
    });
  }

  // Search

  /**
   * Published items matching every keyword and filter, best first (name hits above keyword hits),
   * with the total for paging. Region: items of that region, of the regions above it and national
   * ones (they serve it), plus items of the regions within it.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const limit = Math.min(query.limit ?? 20, SEARCH_MAX_LIMIT);
    const offset = query.offset ?? 0;
    const filters: SearchFilters = {};
    if (query.regionCode) {
      const regions = regionFilter(query.regionCode);
      if (!regions) throw fieldInvalid('unknownRegion', '/regionCode', 'catalog.search.regionUnknown');
      Object.assign(filters, regions);
    }
    if (query.departmentId) filters.departmentId = query.departmentId;
    if (query.itemType) filters.itemType = query.itemType;
    const terms = queryTerms(query.q ?? '');
    if (query.audience) terms.push(facetTerm('audience', query.audience));
    if (query.theme) terms.push(facetTerm('theme', query.theme));
    const found = terms.length
      ? await this.store.searchByTerms(terms, filters, { limit, offset })
      : await this.store.searchByFilters(filters, { limit, offset });
    const items = (await this.getItems(found.itemIds)).map(summaryOf);
    return { total: found.total, limit, offset, items };
  }

  regionsWithItems(): Promise<string[]> {
    return this.store.regionsWithItems();
  }

  async departmentsWithItems(): Promise<{ id: string; name: { 'zh-CN': string; en: string }; regionCode: string }[]> {
    const rows = await this.store.departmentsWithItems();
    return rows.map((row) => ({ id: row.departmentId, name: { 'zh-CN': row.departmentNameZh, en: row.departmentNameEn }, regionCode: row.regionCode }));
  }

  // Bundles

  /**
   * Publishes a "one thing" bundle of published items, possibly of several departments (catalogue
   * editors and administrators). Items that share a form field key or material key must mean the
   * same thing by it, since the combined form asks it once.
   */
  async publishBundle(actor: SessionPrincipal, input: BundleDefinition): Promise<BundleView> {
    if (!actor.roles.some((role) => BUNDLE_ROLES.includes(role))) throw forbidden('roleRequired');
    const definition = parseWith(BundleDefinition, input, 'invalidBundle');
    const items = await this.getItems(definition.itemIds);
    const byId = new Map(items.map((item) => [item.itemId, item]));
    const problems: FieldProblem[] = [];
    definition.itemIds.forEach((id, index) => {
      if (byId.get(id)?.status !== 'published') problems.push({ field: `/itemIds/${index}`, message: 'catalog.bundle.itemUnavailable' });
    });
    if (!problems.length) {
      for (const c of combineBundle(items).conflicts) {
        const item = items[c.itemIndex]!;
        problems.push({
          field: `/itemIds/${c.itemIndex}`,
          message: c.kind === 'field' ? 'catalog.bundle.fieldConflict' : 'catalog.bundle.materialConflict',
          params: { key: c.key, item: item.definition.implementationCode },
        });
      }
    }
    if (problems.length) throw new AppError(422, 'invalidBundle', 'error.validation.title', 'error.validation.detail', {}, problems);

    const row: BundleRow = {
      id: newId(),
      code: definition.code,
      nameZh: definition.name['zh-CN'],
      nameEn: definition.name.en,
      descriptionZh: definition.description['zh-CN'],
      descriptionEn: definition.description.en,
      themes: JSON.stringify(definition.themes),
      status: 'published',
      createdBy: actor.staffId ?? actor.accountId,
      createdAt: this.nowIso(),
    };
    await this.store.transaction(async (tx) => {
      await this.platform.dialect.lockName(tx, `catalog-bundle:${definition.code}`);
      if (await this.store.bundleByCode(definition.code, tx)) {
        throw conflict('bundleCodeTaken', 'catalog.bundle.codeTaken', { code: definition.code }, [
          { field: '/code', message: 'catalog.bundle.codeTaken', params: { code: definition.code } },
        ]);
      }
      await this.store.insertBundle(tx, row, definition.itemIds);
      await this.platform.audit.record({ action: 'catalog.bundlePublished', actor: actorOf(actor), detail: { bundleId: row.id, code: row.code, itemIds: definition.itemIds } }, tx);
    });
    return this.getBundle(row.code);
  }

  /** A bundle by code (or id) with each item's current version and the combined form and materials. */
  async getBundle(codeOrId: string): Promise<BundleView> {
    const row = (await this.store.bundleByCode(codeOrId)) ?? (await this.store.bundleById(codeOrId));
    if (!row) throw notFound('bundleNotFound', 'catalog.bundle.notFound');
    const itemIds = (await this.store.bundleItemIds([row.id])).get(row.id) ?? [];
    const items = await this.getItems(itemIds);
    const { fields, materials } = combineBundle(items);
    return { ...bundleSummaryOf(row, itemIds), items, form: { fields }, materials, figures: bundleFigures(items, materials) };
  }

  async listBundles(): Promise<BundleSummary[]> {
    const rows = await this.store.listBundles();
    const itemIds = await this.store.bundleItemIds(rows.map((row) => row.id));
    return rows.map((row) => bundleSummaryOf(row, itemIds.get(row.id) ?? []));
  }

  /** Published bundles an item belongs to (its page points to them). */
  async bundlesWithItem(itemId: string): Promise<BundleSummary[]> {
    const rows = await this.store.bundlesWithItem(itemId);
    const itemIds = await this.store.bundleItemIds(rows.map((row) => row.id));
    return rows.map((row) => bundleSummaryOf(row, itemIds.get(row.id) ?? []));
  }
}

function bundleSummaryOf(row: BundleRow, itemIds: string[]): BundleSummary {
  return {
    id: row.id,
    code: row.code,
    name: { 'zh-CN': row.nameZh, en: row.nameEn },
    description: { 'zh-CN': row.descriptionZh, en: row.descriptionEn },
    themes: parseList(row.themes),
    status: row.status,
    itemIds,
  };
}

export function summaryOf(view: ItemVersionView): ItemSummary {
  const d = view.definition;
  return {
    itemId: view.itemId,
    versionId: view.versionId,
    version: view.version,
    implementationCode: d.implementationCode,
    name: d.name,
    itemType: d.itemType,
    level: view.level,
    regionCode: view.regionCode,
    departmentId: view.departmentId,
    departmentName: view.departmentName,
    audiences: d.audiences,
    themes: d.themes,
    onlineDepth: d.onlineDepth,
    crossRegion: d.crossRegion,
    figures: view.figures,
  };
}
