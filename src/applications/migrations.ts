import { sql } from 'kysely';
import type { PlatformMigration } from '../core/migrate.js';

/**
 * Applications, their event history and the "one thing" bundle submissions that fan out into them.
 * An application points at the exact item version it was submitted under. The time-limit columns
 * are kept current at every transition so that the officer queue sorts by an index, not by
 * recomputing every deadline.
 */
export const applicationsMigration: PlatformMigration = {
  name: '0210-applications',
  async up(db) {
    await db.schema
      .createTable('bundle_submissions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('bundle_id', 'text', (c) => c.notNull())
      .addColumn('bundle_code', 'text', (c) => c.notNull())
      .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
      .addColumn('applicant_person_id', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text')
      .addColumn('created_by_account_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('bundle_submissions_idempotency').on('bundle_submissions').columns(['created_by_account_id', 'idempotency_key']).unique().execute();
    await db.schema.createIndex('bundle_submissions_applicant').on('bundle_submissions').columns(['applicant_person_id', 'created_at']).execute();

    await db.schema
      .createTable('applications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tracking_number', 'text', (c) => c.unique())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('item_version_id', 'text', (c) => c.notNull())
      .addColumn('item_name_zh', 'text', (c) => c.notNull())
      .addColumn('item_name_en', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('collecting_department_id', 'text')
      .addColumn('collected_at', 'text')
      .addColumn('bundle_submission_id', 'text', (c) => c.references('bundle_submissions.id'))
      .addColumn('applicant_person_id', 'text', (c) => c.notNull())
      .addColumn('applicant_name', 'text', (c) => c.notNull())
      .addColumn('applicant_region_code', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text')
      .addColumn('created_by_account_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('form_data', 'text', (c) => c.notNull())
      .addColumn('materials', 'text', (c) => c.notNull())
      .addColumn('supplement_request', 'text')
      .addColumn('resume_status', 'text')
      .addColumn('claimed_by_staff_id', 'text')
      .addColumn('time_unit', 'text', (c) => c.notNull())
      .addColumn('promised_days', 'integer', (c) => c.notNull())
      .addColumn('legal_days', 'integer', (c) => c.notNull())
      .addColumn('clock_started_on', 'text')
      .addColumn('clock_paused_days', 'integer', (c) => c.notNull())
      .addColumn('clock_paused_since', 'text')
      .addColumn('clock_stopped_on', 'text')
      .addColumn('promised_due_on', 'text')
      .addColumn('is_open', 'integer', (c) => c.notNull())
      .addColumn('queue_due', 'text', (c) => c.notNull())
      .addColumn('legal_due_on', 'text')
      .addColumn('decision', 'text')
      .addColumn('decision_reason', 'text')
      .addColumn('certificate_id', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('concluded_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .execute();
    // The officer queue: a department's open applications, least time left first, read in index order.
    await db.schema.createIndex('applications_queue').on('applications').columns(['department_id', 'is_open', 'queue_due', 'submitted_at']).execute();
    await db.schema.createIndex('applications_collecting').on('applications').columns(['collecting_department_id', 'status']).execute();
    await db.schema.createIndex('applications_applicant').on('applications').columns(['applicant_person_id', 'created_at']).execute();
    await db.schema.createIndex('applications_enterprise').on('applications').columns(['enterprise_id', 'created_at']).execute();
    await db.schema.createIndex('applications_bundle').on('applications').column('bundle_submission_id').execute();
    await db.schema.createIndex('applications_idempotency').on('applications').columns(['created_by_account_id', 'idempotency_key']).unique().execute();

    await db.schema
      .createTable('application_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('step', 'text')
      .addColumn('opinion', 'text')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('application_events_application').on('application_events').columns(['application_id', 'at']).execute();

    // Consent to reuse what the government already holds (a certificate, a dataset) for one application.
    await db.schema
      .createTable('application_consents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('material_key', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('consented_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('application_consents_application').on('application_consents').column('application_id').execute();
  },
};

/**
 * Indexes for the supervision read port (src/supervision/dashboard/port.ts): the changed-since
 * feed that refreshes the supervision rollup reads in (updated_at, id) order, and the live
 * "in progress / overdue / due soon" counts read only the open applications, by region.
 */
export const applicationsSupervisionIndexesMigration: PlatformMigration = {
  name: '0605-applications-supervision-indexes',
  async up(db) {
    await db.schema.createIndex('applications_updated').on('applications').columns(['updated_at', 'id']).execute();
    await db.schema
      .createIndex('applications_open_by_region')
      .on('applications')
      .columns(['region_code', 'department_id', 'item_id', 'time_unit', 'queue_due'])
      .where(sql.ref('is_open'), '=', 1)
      .execute();
  },
};

/**
 * The officer queue pages by offset in (queue_due, submitted_at) order, and the applications of one
 * "one thing" bundle are submitted in the same millisecond, often to one department with the same
 * time limit: without the id as the last key two page loads could order such a tie differently,
 * showing one application on two pages and another on none. The queue index ends with the id, so
 * the page is still read in index order.
 */
export const applicationsQueueOrderMigration: PlatformMigration = {
  name: '0760-applications-queue-order',
  async up(db) {
    await db.schema.createIndex('applications_queue_ordered').on('applications').columns(['department_id', 'is_open', 'queue_due', 'submitted_at', 'id']).execute();
    await db.schema.dropIndex('applications_queue').execute();
  },
};
