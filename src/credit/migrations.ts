import type { PlatformMigration } from '../core/migrate.js';

/**
 * Credit records and repair applications. A record is about an enterprise (by USCC, whether or
 * not it has opened an account here) or a person (by platform person id, with the ID number the
 * department reported sealed and hashed as personal data is everywhere). Dates (`*_on`, effective
 * and public periods) are Asia/Shanghai calendar days compared as text, hence code-point text.
 * `public_until` is the first day the record is no longer public (exclusive), computed from the
 * publicity table (rules.ts) and brought forward by an approved repair. `fact_state` follows a
 * listing into the policy zone's `untrustworthy` fact: pending (starts later), listed, ended.
 */
export const creditMigration: PlatformMigration = {
  name: '0600-credit',
  async up(db, dialect) {
    const text = dialect.codePointText;
    await db.schema
      .createTable('credit_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('uscc', text)
      .addColumn('subject_name', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.references('persons.id'))
      .addColumn('id_number_enc', 'text')
      .addColumn('id_number_hash', 'text')
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text', (c) => c.notNull())
      .addColumn('decided_on', text, (c) => c.notNull())
      .addColumn('effective_from', text, (c) => c.notNull())
      .addColumn('effective_to', text)
      .addColumn('public_fields', 'text', (c) => c.notNull())
      .addColumn('public_until', text)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('repaired_on', text)
      .addColumn('fact_state', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Idempotent reporting: one record per department and decision document.
    await db.schema.createIndex('credit_records_document').on('credit_records').columns(['department_id', 'document_number']).unique().execute();
    await db.schema.createIndex('credit_records_uscc').on('credit_records').columns(['uscc', 'decided_on']).execute();
    await db.schema.createIndex('credit_records_person').on('credit_records').columns(['person_id', 'decided_on']).execute();
    await db.schema.createIndex('credit_records_name').on('credit_records').column('subject_name').execute();
    await db.schema.createIndex('credit_records_fact_state').on('credit_records').columns(['fact_state', 'effective_from']).execute();

    await db.schema
      .createTable('credit_repairs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull().references('credit_records.id'))
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('applicant_person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('decision_reason', 'text')
      .addColumn('decided_by', 'text', (c) => c.references('staff.id'))
      .addColumn('decided_at', 'text')
      .execute();
    await db.schema.createIndex('credit_repairs_department').on('credit_repairs').columns(['department_id', 'status']).execute();
    await db.schema.createIndex('credit_repairs_record').on('credit_repairs').column('record_id').execute();
  },
};
