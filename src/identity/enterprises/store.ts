import type { Db, Tx } from '../../core/db.js';
import type { EntityType } from '../../reference/uscc.js';

export type TaxpayerType = 'general' | 'smallScale';
export type TaxCreditRating = 'A' | 'B' | 'M' | 'C' | 'D';

export interface EnterprisesTable {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
  /** GB/T 4754-2017 class (four digits) of the main activity. */
  industryCode: string | null;
  entityType: EntityType;
  establishedOn: string | null;
  employees: number | null;
  insuredEmployees: number | null;
  operatingRevenueFen: number | null;
  totalAssetsFen: number | null;
  taxpayerType: TaxpayerType | null;
  taxCreditRating: TaxCreditRating | null;
  /** JSON text: an array of short strings such as "高新技术企业". */
  qualifications: string;
  legalRepPersonId: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnterpriseAgentsTable {
  id: string;
  enterpriseId: string;
  personId: string;
  /** JSON text: an array of agent scopes. */
  scopes: string;
  /** The first instant at which the authorisation no longer holds. */
  expiresAt: string;
  grantedByPersonId: string;
  grantedAt: string;
  revokedAt: string | null;
}

export interface RegistryEnterprisesTable {
  uscc: string;
  name: string;
  legalRepName: string;
  legalRepIdHash: string;
  status: 'active' | 'revoked' | 'cancelled';
  regionCode: string;
  industryCode: string | null;
  entityType: EntityType | null;
  establishedOn: string | null;
  employees: number | null;
  insuredEmployees: number | null;
  operatingRevenueFen: number | null;
  totalAssetsFen: number | null;
  taxpayerType: TaxpayerType | null;
  taxCreditRating: TaxCreditRating | null;
  qualifications: string | null;
}

declare module '../../core/db.js' {
  interface Tables {
    enterprises: EnterprisesTable;
    enterpriseAgents: EnterpriseAgentsTable;
    registryEnterprises: RegistryEnterprisesTable;
  }
}

export type EnterpriseRow = EnterprisesTable;
export type AgentRow = EnterpriseAgentsTable;
export type RegistryEnterpriseRow = RegistryEnterprisesTable;

/** The SQL of enterprises and their agents; nothing outside this folder touches these tables. */
export class EnterpriseStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  byId(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('enterprises').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byUscc(uscc: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('enterprises').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  }

  async insert(tx: Tx, enterprise: EnterpriseRow): Promise<void> {
    await tx.insertInto('enterprises').values(enterprise).execute();
  }

  async update(tx: Tx | Db, id: string, changes: Partial<Omit<EnterpriseRow, 'id' | 'uscc'>>): Promise<void> {
    await tx.updateTable('enterprises').set(changes).where('id', '=', id).execute();
  }

  /** Enterprises whose legal representative is this person. */
  representedBy(personId: string) {
    return this.db.selectFrom('enterprises').selectAll().where('legalRepPersonId', '=', personId).orderBy('createdAt').orderBy('id').execute();
  }

  /**
   * This person's live agent authorisations with their enterprises. "Live" compares ISO instants
   * as text, which sorts like time on both engines because every timestamp is UTC with `Z`.
   */
  liveAgenciesOf(personId: string, nowIso: string) {
    return this.db
      .selectFrom('enterpriseAgents as a')
      .innerJoin('enterprises as e', 'e.id', 'a.enterpriseId')
      .selectAll('e')
      .select(['a.id as agentId', 'a.scopes as agentScopes', 'a.expiresAt as agentExpiresAt'])
      .where('a.personId', '=', personId)
      .where('a.revokedAt', 'is', null)
      .where('a.expiresAt', '>', nowIso)
      .orderBy('a.grantedAt')
      .orderBy('a.id')
      .execute();
  }

  /** Every authorisation, live or not, of one person for one enterprise, oldest first. */
  agenciesOf(enterpriseId: string, personId: string, tx: Tx | Db = this.db) {
    return tx
      .selectFrom('enterpriseAgents')
      .selectAll()
      .where('enterpriseId', '=', enterpriseId)
      .where('personId', '=', personId)
      .orderBy('grantedAt')
      .orderBy('id')
      .execute();
  }

  agentById(enterpriseId: string, agentId: string) {
    return this.db.selectFrom('enterpriseAgents').selectAll().where('enterpriseId', '=', enterpriseId).where('id', '=', agentId).executeTakeFirst();
  }

  agentsOf(enterpriseId: string) {
    return this.db.selectFrom('enterpriseAgents').selectAll().where('enterpriseId', '=', enterpriseId).orderBy('grantedAt', 'desc').orderBy('id', 'desc').execute();
  }

  async insertAgent(tx: Tx, agent: AgentRow): Promise<void> {
    await tx.insertInto('enterpriseAgents').values(agent).execute();
  }

  /** Revokes an authorisation that is not yet revoked; answers whether this call revoked it. */
  async revokeAgent(tx: Tx, agentId: string, nowIso: string): Promise<boolean> {
    const result = await tx.updateTable('enterpriseAgents').set({ revokedAt: nowIso }).where('id', '=', agentId).where('revokedAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // The embedded enterprise registry

  registryEnterprise(uscc: string) {
    return this.db.selectFrom('registryEnterprises').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  }

  async insertRegistryEnterprises(rows: RegistryEnterpriseRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await this.db
        .insertInto('registryEnterprises')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) => oc.column('uscc').doNothing())
        .execute();
    }
  }
}
