import type { Db } from '../../core/db.js';

/** An enterprise opened on the platform, as push needs it: whom to tell and whose facts to match. */
export interface PlatformEnterprise {
  id: string;
  uscc: string;
  name: string;
  legalRepPersonId: string;
}

/**
 * Which platform enterprises there are and which changed. Push is the one reader; it depends on
 * this interface, not on the tables.
 */
export interface EnterpriseFeed {
  /** Platform enterprises in id order, `limit` after `afterId`. */
  page(afterId: string | null, limit: number): Promise<PlatformEnterprise[]>;
  /**
   * Platform enterprises whose profile may have changed at or after `sinceIso`: opened or edited
   * on the platform, facts reloaded from an authority, or answers declared to matching.
   */
  changedSince(sinceIso: string): Promise<PlatformEnterprise[]>;
}

/**
 * The feed over the database. It reads identity's `enterprises` table (read only, four columns)
 * because identity offers no listing of all enterprises yet; moving these two queries into
 * EnterpriseStore changes nothing else. The three timestamps it compares are written on every
 * change by their owners (EnterpriseService, ProfileStore.upsert, PolicyMatchingService.declare),
 * so no owner needs to call push: a withdrawn answer leaves no timestamp and is noticed at the
 * enterprise's next change.
 */
export function databaseEnterpriseFeed(db: Db): EnterpriseFeed {
  const columns = ['e.id', 'e.uscc', 'e.name', 'e.legalRepPersonId'] as const;
  return {
    async page(afterId, limit) {
      let query = db.selectFrom('enterprises as e').select(columns).orderBy('e.id').limit(limit);
      if (afterId !== null) query = query.where('e.id', '>', afterId);
      return query.execute();
    },
    async changedSince(sinceIso) {
      const [edited, reloaded, declared] = await Promise.all([
        db.selectFrom('enterprises as e').select(columns).where('e.updatedAt', '>=', sinceIso).execute(),
        db.selectFrom('enterprises as e').innerJoin('enterpriseFacts as f', 'f.uscc', 'e.uscc').select(columns).where('f.updatedAt', '>=', sinceIso).execute(),
        db
          .selectFrom('enterprises as e')
          .innerJoin('policyDeclarations as d', 'd.uscc', 'e.uscc')
          .select(columns)
          .where('d.declaredAt', '>=', sinceIso)
          .distinct()
          .execute(),
      ]);
      const byId = new Map<string, PlatformEnterprise>();
      for (const row of [...edited, ...reloaded, ...declared]) byId.set(row.id, row);
      return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    },
  };
}
