import { sql } from 'kysely';
import type { PlatformMigration } from '../../core/migrate.js';

/**
 * The loop around a published policy: who was told about it (push), what enterprises asked and
 * how the department answered (inquiries), and what they thought of the answer and the policy
 * (feedback). Enterprises and persons belong to identity, so their ids are kept without foreign
 * keys; policies are this capability's own. Dates (`*_on`) are Asia/Shanghai calendar days, so
 * "answered in time" and "overdue" are text comparisons on both engines.
 */
export const policyLoopMigration: PlatformMigration = {
  name: '0520-policy-loop',
  async up(db) {
    // One row: how far the change sweep has read (profiles changed since then are re-matched) and
    // the day it last ran (policies coming into force since that day are pushed).
    await db.schema
      .createTable('policy_push_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('swept_at', 'text')
      .addColumn('swept_on', 'text')
      .execute();
    await db.insertInto('policy_push_state').values({ id: 1, swept_at: null, swept_on: null }).execute();

    await db.schema
      .createTable('policy_push_opt_outs')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('opted_out_by', 'text', (c) => c.notNull())
      .addColumn('opted_out_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_push_opt_outs_pk', ['enterprise_id', 'category'])
      .execute();

    await db.schema
      .createTable('policy_inquiries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('enterprise_name', 'text', (c) => c.notNull())
      .addColumn('asked_by', 'text', (c) => c.notNull())
      .addColumn('question', 'text', (c) => c.notNull())
      .addColumn('asked_at', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('answer', 'text')
      .addColumn('answered_by', 'text')
      .addColumn('answered_by_name', 'text')
      .addColumn('answered_at', 'text')
      .addColumn('answered_on', 'text')
      .addColumn('answer_rating', 'integer', (c) => c.check(sql`answer_rating BETWEEN 1 AND 5`))
      .addColumn('resolved', 'integer', (c) => c.check(sql`resolved IN (0, 1)`))
      .addColumn('rated_at', 'text')
      .execute();
    await db.schema.createIndex('policy_inquiries_department').on('policy_inquiries').columns(['department_id', 'answered_at', 'due_on']).execute();
    await db.schema.createIndex('policy_inquiries_enterprise').on('policy_inquiries').columns(['enterprise_id', 'asked_at']).execute();
    await db.schema.createIndex('policy_inquiries_policy').on('policy_inquiries').column('policy_id').execute();

    // An enterprise's view of a policy, one per enterprise (a later rating replaces the earlier).
    await db.schema
      .createTable('policy_feedback')
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('satisfaction', 'integer', (c) => c.notNull().check(sql`satisfaction BETWEEN 1 AND 5`))
      .addColumn('comment', 'text')
      .addColumn('given_by', 'text', (c) => c.notNull())
      .addColumn('given_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_feedback_pk', ['policy_id', 'enterprise_id'])
      .execute();
  },
};
