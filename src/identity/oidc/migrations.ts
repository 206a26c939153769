import type { PlatformMigration } from '../../core/migrate.js';

/**
 * Everything oidc-provider keeps (sessions, interactions, codes, tokens, grants) as one JSON payload
 * per row, with the few fields it looks rows up by pulled out into indexed columns.
 */
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

/** A departmental system registered by an administrator; the secret is stored encrypted, as the provider compares it in plain. */
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
