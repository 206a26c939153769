import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db.js';

export type PolicyStatus = 'draft' | 'inReview' | 'published' | 'withdrawn';
export type VersionStatus = 'draft' | 'inReview' | 'rejected' | 'published' | 'superseded';

export interface PoliciesTable {
  id: string;
  code: string;
  departmentId: string;
  /** The status of the policy as the public sees it: published once any version is. */
  status: PolicyStatus;
  latestVersion: number;
  publishedVersionId: string | null;
  titleZh: string;
  titleEn: string;
  category: string;
  mode: string;
  level: string;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyVersionsTable {
  id: string;
  policyId: string;
  version: number;
  /** JSON text: the policy in the interchange format, exactly as saved. */
  document: string;
  /** JSON text: the declarations of the non-built-in facts its rule and formula use. */
  declaredFacts: string;
  status: VersionStatus;
  createdBy: string;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  publishedAt: string | null;
}

export interface PolicyRegionsTable {
  policyId: string;
  regionCode: string;
}

export interface PolicyDeclaredFactsTable {
  name: string;
  definition: string;
  createdAt: string;
}

export interface PolicyLibraryStateTable {
  id: number;
  revision: number;
}

export interface PolicyDeclarationsTable {
  uscc: string;
  fact: string;
  /** JSON text of the value. */
  value: string;
  declaredBy: string;
  declaredAt: string;
}

export interface PolicyMatchesTable {
  uscc: string;
  policyId: string;
  versionId: string;
  outcome: 'eligible' | 'ineligible' | 'undetermined';
  /** For a near miss, the index (in rule order) of the one failing condition. */
  nearMissCondition: number | null;
  matchedAt: string;
  notifiedAt: string | null;
}

export interface PolicyViewsTable {
  policyId: string;
  day: string;
  views: number;
}

declare module '../../core/db.js' {
  interface Tables {
    policies: PoliciesTable;
    policyVersions: PolicyVersionsTable;
    policyRegions: PolicyRegionsTable;
    policyDeclaredFacts: PolicyDeclaredFactsTable;
    policyLibraryState: PolicyLibraryStateTable;
    policyDeclarations: PolicyDeclarationsTable;
    policyMatches: PolicyMatchesTable;
    policyViews: PolicyViewsTable;
  }
}

export type PolicyRow = PoliciesTable;
export type PolicyVersionRow = PolicyVersionsTable;
export type PolicyMatchRow = PolicyMatchesTable;

/** The SQL of the policy library; nothing outside this capability touches these tables. */
export class PolicyLibraryStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  policyByCode(code: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policies').selectAll().where('code', '=', code).executeTakeFirst();
  }

  policyById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  versionById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyVersions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  version(policyId: string, version: number, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyVersions').selectAll().where('policyId', '=', policyId).where('version', '=', version).executeTakeFirst();
  }

  versionsOf(policyId: string) {
    return this.db.selectFrom('policyVersions').selectAll().where('policyId', '=', policyId).orderBy('version', 'desc').execute();
  }

  async insertPolicy(tx: Tx, policy: PolicyRow, version: PolicyVersionRow, regions: string[]): Promise<void> {
    await tx.insertInto('policies').values(policy).execute();
    await tx.insertInto('policyVersions').values(version).execute();
    await this.replaceRegions(tx, policy.id, regions);
  }

  async insertVersion(tx: Tx, version: PolicyVersionRow): Promise<void> {
    await tx.insertInto('policyVersions').values(version).execute();
  }

  async updatePolicy(tx: Tx, id: string, changes: Partial<PolicyRow>): Promise<void> {
    await tx.updateTable('policies').set(changes).where('id', '=', id).execute();
  }

  async updateVersion(tx: Tx, id: string, changes: Partial<PolicyVersionRow>): Promise<void> {
    await tx.updateTable('policyVersions').set(changes).where('id', '=', id).execute();
  }

  async replaceRegions(tx: Tx, policyId: string, regions: string[]): Promise<void> {
    await tx.deleteFrom('policyRegions').where('policyId', '=', policyId).execute();
    if (regions.length) await tx.insertInto('policyRegions').values([...new Set(regions)].map((regionCode) => ({ policyId, regionCode }))).execute();
  }

  /** Policies of a department (all statuses) or of everyone, with their latest version's status. */
  listPolicies(filter: { departmentId?: string; status?: PolicyStatus } = {}) {
    let query = this.db
      .selectFrom('policies as p')
      .innerJoin('policyVersions as v', (join) => join.onRef('v.policyId', '=', 'p.id').onRef('v.version', '=', 'p.latestVersion'))
      .select([
        'p.id',
        'p.code',
        'p.departmentId',
        'p.status',
        'p.latestVersion',
        'p.publishedVersionId',
        'p.titleZh',
        'p.titleEn',
        'p.category',
        'p.mode',
        'p.level',
        'p.updatedAt',
        'v.status as latestStatus',
      ])
      .orderBy('p.code');
    if (filter.departmentId) query = query.where('p.departmentId', '=', filter.departmentId);
    if (filter.status) query = query.where('p.status', '=', filter.status);
    return query.execute();
  }

  /** Every published version's document, for the compiled library. */
  publishedVersions(tx: Tx | Db = this.db) {
    return tx
      .selectFrom('policies as p')
      .innerJoin('policyVersions as v', 'v.id', 'p.publishedVersionId')
      .select(['p.id as policyId', 'p.code', 'p.departmentId', 'v.id as versionId', 'v.version', 'v.document', 'v.declaredFacts'])
      .where('p.status', '=', 'published')
      .orderBy('p.code')
      .execute();
  }

  async revision(tx: Tx | Db = this.db): Promise<number> {
    const row = await tx.selectFrom('policyLibraryState').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  async bumpRevision(tx: Tx): Promise<void> {
    await tx
      .updateTable('policyLibraryState')
      .set({ revision: sql<number>`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }

  declaredFacts(tx: Tx | Db = this.db) {
    return tx.selectFrom('policyDeclaredFacts').selectAll().orderBy('name').execute();
  }

  async insertDeclaredFact(tx: Tx, name: string, definition: string, createdAt: string): Promise<void> {
    await tx.insertInto('policyDeclaredFacts').values({ name, definition, createdAt }).execute();
  }

  declarationsOf(uscc: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyDeclarations').selectAll().where('uscc', '=', uscc).execute();
  }

  async putDeclaration(tx: Tx, row: PolicyDeclarationsTable): Promise<void> {
    await tx
      .insertInto('policyDeclarations')
      .values(row)
      .onConflict((oc) => oc.columns(['uscc', 'fact']).doUpdateSet({ value: row.value, declaredBy: row.declaredBy, declaredAt: row.declaredAt }))
      .execute();
  }

  async deleteDeclaration(tx: Tx, uscc: string, fact: string): Promise<void> {
    await tx.deleteFrom('policyDeclarations').where('uscc', '=', uscc).where('fact', '=', fact).execute();
  }

  matchesOf(uscc: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('policyMatches').selectAll().where('uscc', '=', uscc).execute();
  }

  /** Records the latest outcomes; `notifiedAt` survives, so an enterprise is told once per policy. */
  async recordMatches(tx: Tx, rows: Omit<PolicyMatchRow, 'notifiedAt'>[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      await tx
        .insertInto('policyMatches')
        .values(chunk.map((row) => ({ ...row, notifiedAt: null })))
        .onConflict((oc) =>
          oc.columns(['uscc', 'policyId']).doUpdateSet((eb) => ({
            versionId: eb.ref('excluded.versionId'),
            outcome: eb.ref('excluded.outcome'),
            nearMissCondition: eb.ref('excluded.nearMissCondition'),
            matchedAt: eb.ref('excluded.matchedAt'),
          })),
        )
        .execute();
    }
  }

  async markNotified(tx: Tx, uscc: string, policyId: string, nowIso: string): Promise<boolean> {
    const result = await tx
      .updateTable('policyMatches')
      .set({ notifiedAt: nowIso })
      .where('uscc', '=', uscc)
      .where('policyId', '=', policyId)
      .where('notifiedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countView(policyId: string, day: string): Promise<void> {
    await this.db
      .insertInto('policyViews')
      .values({ policyId, day, views: 1 })
      .onConflict((oc) => oc.columns(['policyId', 'day']).doUpdateSet({ views: sql<number>`policy_views.views + 1` }))
      .execute();
  }
}
