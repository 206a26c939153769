import { sql } from 'kysely';
import type { PlatformMigration } from '../core/migrate.js';

/**
 * Reviews (one per application, enforced by a unique index) and the rectification case a bad
 * review opens (one per review). Applications and service items belong to other capabilities, so
 * their ids are kept without foreign keys, with the few facts a review must show (tracking number,
 * item name) copied at the time of the review. Dates (`*_on`) are Asia/Shanghai calendar days, so
 * "responded on time" is a text comparison on both engines.
 */
export const evaluationMigration: PlatformMigration = {
  name: '0240-evaluation',
  async up(db) {
    await db.schema
      .createTable('reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('application_id', 'text', (c) => c.notNull().unique())
      .addColumn('tracking_number', 'text', (c) => c.notNull())
      .addColumn('reviewer_person_id', 'text', (c) => c.notNull().references('persons.id'))
      .addColumn('enterprise_id', 'text')
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('item_name_zh', 'text', (c) => c.notNull())
      .addColumn('item_name_en', 'text', (c) => c.notNull())
      .addColumn('rating', 'integer', (c) => c.notNull().check(sqlRange('rating')))
      .addColumn('efficiency', 'integer', (c) => c.notNull().check(sqlRange('efficiency')))
      .addColumn('guidance_accuracy', 'integer', (c) => c.notNull().check(sqlRange('guidance_accuracy')))
      .addColumn('convenience', 'integer', (c) => c.notNull().check(sqlRange('convenience')))
      .addColumn('comment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reviews_item').on('reviews').column('item_id').execute();
    await db.schema.createIndex('reviews_department').on('reviews').column('department_id').execute();
    await db.schema.createIndex('reviews_reviewer').on('reviews').column('reviewer_person_id').execute();

    await db.schema
      .createTable('rectifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('review_id', 'text', (c) => c.notNull().unique().references('reviews.id'))
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      // The department's region when the case opened: supervisors are found by region, and the
      // appeal list filters on it without reaching into the departments table.
      .addColumn('department_region_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('callback_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('response', 'text')
      .addColumn('responded_by', 'text', (c) => c.references('staff.id'))
      .addColumn('responded_at', 'text')
      .addColumn('responded_on', 'text')
      .addColumn('applicant_rating', 'integer')
      .addColumn('applicant_comment', 'text')
      .addColumn('applicant_rated_at', 'text')
      .addColumn('appeal_reason', 'text')
      .addColumn('appealed_by', 'text', (c) => c.references('staff.id'))
      .addColumn('appealed_at', 'text')
      .addColumn('appeal_decision', 'text')
      .addColumn('appeal_note', 'text')
      .addColumn('appeal_decided_by', 'text', (c) => c.references('staff.id'))
      .addColumn('appeal_decided_at', 'text')
      .execute();
    await db.schema.createIndex('rectifications_department_due').on('rectifications').columns(['department_id', 'due_on']).execute();
    await db.schema.createIndex('rectifications_appeals').on('rectifications').columns(['status', 'department_region_code']).execute();
  },
};

/** Ratings and indicators are whole numbers from 1 to 5; the database refuses anything else too. */
function sqlRange(column: string) {
  return sql`${sql.ref(column)} BETWEEN 1 AND 5`;
}

/**
 * Reviews by the time they were made, cases by the time they were opened: the supervision rollup
 * recounts a month of reviews at each refresh (EvaluationStore.supervisionReviewCounts) and its
 * dashboards read the cases of a period live (supervisionCaseFigures); without them, every row.
 */
export const evaluationReviewsCreatedIndexMigration: PlatformMigration = {
  name: '0730-evaluation-reviews-created',
  async up(db) {
    await db.schema.createIndex('reviews_created').on('reviews').column('created_at').execute();
    await db.schema.createIndex('rectifications_opened').on('rectifications').column('opened_at').execute();
  },
};
