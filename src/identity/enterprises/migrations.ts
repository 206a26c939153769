import type { PlatformMigration } from '../../core/migrate.js';

/**
 * Enterprises (legal persons), the agents their legal representatives authorise, and the embedded
 * stand-in for the national enterprise registry. Money columns are integer fen (`*_fen`); the API
 * speaks yuan. Lists (qualifications, scopes) are JSON text.
 */
export const enterprisesMigration: PlatformMigration = {
  name: '0110-enterprises',
  async up(db, dialect) {
    await db.schema
      .createTable('enterprises')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('uscc', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('industry_code', 'text')
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('established_on', 'text')
      .addColumn('employees', 'integer')
      .addColumn('insured_employees', 'integer')
      .addColumn('operating_revenue_fen', dialect.bigint)
      .addColumn('total_assets_fen', dialect.bigint)
      .addColumn('taxpayer_type', 'text')
      .addColumn('tax_credit_rating', 'text')
      .addColumn('qualifications', 'text', (c) => c.notNull())
      .addColumn('legal_rep_person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('enterprises_legal_rep').on('enterprises').column('legal_rep_person_id').execute();

    await db.schema
      .createTable('enterprise_agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
      .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('granted_by_person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('granted_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('enterprise_agents_person').on('enterprise_agents').columns(['person_id', 'enterprise_id']).execute();
    await db.schema.createIndex('enterprise_agents_enterprise').on('enterprise_agents').columns(['enterprise_id', 'granted_at']).execute();

    // The embedded enterprise registry: synthetic enterprises only. The legal representative's ID
    // number is kept as the keyed lookup hash, never in plain text.
    await db.schema
      .createTable('registry_enterprises')
      .addColumn('uscc', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('legal_rep_name', 'text', (c) => c.notNull())
      .addColumn('legal_rep_id_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('industry_code', 'text')
      .addColumn('entity_type', 'text')
      .addColumn('established_on', 'text')
      .addColumn('employees', 'integer')
      .addColumn('insured_employees', 'integer')
      .addColumn('operating_revenue_fen', dialect.bigint)
      .addColumn('total_assets_fen', dialect.bigint)
      .addColumn('taxpayer_type', 'text')
      .addColumn('tax_credit_rating', 'text')
      .addColumn('qualifications', 'text')
      .execute();
  },
};
