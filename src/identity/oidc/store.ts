import type { Db } from '../../core/db.js';
import type { PlatformMigration } from '../../core/migrate.js';

export interface OidcPayloadsTable {
  id: string;
  model: string;
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  expiresAt: string | null;
  consumedAt: string | null;
}

export interface OidcClientsTable {
  clientId: string;
  name: string;
  departmentId: string | null;
  secretEnc: string;
  metadata: string;
  createdAt: string;
  disabledAt: string | null;
}

/** A person's consent to a client, remembered across sessions until revoked. */
export interface OidcConsentsTable {
  personId: string;
  clientId: string;
  scopes: string;
  grantedAt: string;
}

declare module '../../core/db.js' {
  interface Tables {
    oidcPayloads: OidcPayloadsTable;
    oidcClients: OidcClientsTable;
    oidcConsents: OidcConsentsTable;
  }
}

export const oidcMigration: PlatformMigration = {
  name: '0120-oidc',
  async up(db) {
    await db.schema
      .createTable('oidc_payloads')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('user_code', 'text')
      .addColumn('uid', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('consumed_at', 'text')
      .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
    await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();
    await db.schema.createIndex('oidc_payloads_expires').on('oidc_payloads').column('expires_at').execute();
    await db.schema
      .createTable('oidc_clients')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.references('departments.id'))
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();
    await db.schema
      .createTable('oidc_consents')
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('granted_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('oidc_consents_pk', ['person_id', 'client_id'])
      .execute();
  },
};

/** The SQL of single sign-on: provider payloads, registered clients and remembered consents. */
export class OidcStore {
  constructor(private readonly db: Db) {}

  async upsertPayload(row: OidcPayloadsTable): Promise<void> {
    await this.db
      .insertInto('oidcPayloads')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload: row.payload,
          grantId: row.grantId,
          userCode: row.userCode,
          uid: row.uid,
          expiresAt: row.expiresAt,
          consumedAt: row.consumedAt,
        }),
      )
      .execute();
  }

  payload(model: string, by: 'id' | 'uid' | 'userCode', value: string) {
    return this.db.selectFrom('oidcPayloads').selectAll().where('model', '=', model).where(by, '=', value).executeTakeFirst();
  }

  async consume(model: string, id: string, at: string): Promise<void> {
    await this.db.updateTable('oidcPayloads').set({ consumedAt: at }).where('model', '=', model).where('id', '=', id).execute();
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.db.deleteFrom('oidcPayloads').where('model', '=', model).where('id', '=', id).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidcPayloads').where('grantId', '=', grantId).execute();
  }

  /** Housekeeping: expired payloads are of no use to anyone. */
  async deleteExpired(nowIso: string): Promise<number> {
    const result = await this.db.deleteFrom('oidcPayloads').where('expiresAt', '<', nowIso).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertClient(row: OidcClientsTable): Promise<void> {
    await this.db.insertInto('oidcClients').values(row).execute();
  }

  client(clientId: string) {
    return this.db.selectFrom('oidcClients').selectAll().where('clientId', '=', clientId).executeTakeFirst();
  }

  listClients() {
    return this.db.selectFrom('oidcClients').selectAll().orderBy('createdAt').execute();
  }

  async disableClient(clientId: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('oidcClients').set({ disabledAt: at }).where('clientId', '=', clientId).where('disabledAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  consent(personId: string, clientId: string) {
    return this.db.selectFrom('oidcConsents').selectAll().where('personId', '=', personId).where('clientId', '=', clientId).executeTakeFirst();
  }

  async saveConsent(row: OidcConsentsTable): Promise<void> {
    await this.db
      .insertInto('oidcConsents')
      .values(row)
      .onConflict((oc) => oc.columns(['personId', 'clientId']).doUpdateSet({ scopes: row.scopes, grantedAt: row.grantedAt }))
      .execute();
  }
}
