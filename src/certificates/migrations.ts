import { sql } from 'kysely';
import type { PlatformMigration } from '../core/migrate.js';

/**
 * Electronic certificates (电子证照), the per-type serial behind their human numbers, and the
 * holder's consents to share a certificate with a department. A certificate is held by exactly one
 * person or one enterprise; the CHECK says so where both engines enforce it. Fields are JSON text.
 * The source application has no foreign key: certificates are also imported or issued by hand.
 */
export const certificatesMigration: PlatformMigration = {
  name: '0230-certificates',
  async up(db) {
    await db.schema
      .createTable('certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('certificate_type', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('verification_code', 'text', (c) => c.notNull().unique())
      .addColumn('holder_person_id', 'text', (c) => c.references('persons.id'))
      .addColumn('holder_enterprise_id', 'text', (c) => c.references('enterprises.id'))
      .addColumn('holder_name', 'text', (c) => c.notNull())
      .addColumn('holder_id_masked', 'text', (c) => c.notNull())
      .addColumn('title_zh', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('issued_by_department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_reason', 'text')
      .addColumn('revoked_by_staff_id', 'text')
      .addColumn('source_application_id', 'text')
      .addColumn('jws', 'text', (c) => c.notNull())
      .addCheckConstraint('certificates_one_holder', sql`(holder_person_id IS NULL) <> (holder_enterprise_id IS NULL)`)
      .addCheckConstraint('certificates_status', sql`status IN ('valid', 'revoked')`)
      .execute();
    await db.schema.createIndex('certificates_type_number').on('certificates').columns(['certificate_type', 'number']).unique().execute();
    await db.schema.createIndex('certificates_holder_person').on('certificates').columns(['holder_person_id', 'certificate_type']).execute();
    await db.schema.createIndex('certificates_holder_enterprise').on('certificates').columns(['holder_enterprise_id', 'certificate_type']).execute();
    await db.schema.createIndex('certificates_source_application').on('certificates').column('source_application_id').execute();

    // One row per (type, number prefix, year): the upsert that takes the next serial also locks the
    // row on PostgreSQL, so concurrent approvals never get the same number.
    await db.schema
      .createTable('certificate_serials')
      .addColumn('certificate_type', 'text', (c) => c.notNull())
      .addColumn('number_prefix', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last_serial', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('certificate_serials_pk', ['certificate_type', 'number_prefix', 'year'])
      .execute();

    await db.schema
      .createTable('certificate_shares')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('certificate_id', 'text', (c) => c.notNull().references('certificates.id'))
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('consented_by_person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('consented_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addCheckConstraint('certificate_shares_kind', sql`kind IN ('share', 'material')`)
      .execute();
    await db.schema.createIndex('certificate_shares_certificate').on('certificate_shares').columns(['certificate_id', 'consented_at']).execute();
    await db.schema.createIndex('certificate_shares_department').on('certificate_shares').columns(['department_id', 'certificate_id']).execute();
  },
};
