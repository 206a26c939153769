import { sql } from 'kysely';
import type { PlatformMigration } from '../../core/migrate.js';

/**
 * Supervision alerts and who was told of them. One alert per (kind, subject, stage), enforced by a
 * unique index, so that two server copies sweeping at once, or a retried sweep, never alert twice.
 * Subjects (applications, rectification cases, inquiries, flags) belong to other capabilities and
 * are kept by id without foreign keys; the department is the platform's own reference table.
 */
export const supervisionAlertsMigration: PlatformMigration = {
  name: '0620-supervision-alerts',
  async up(db, dialect) {
    await db.schema
      .createTable('supervision_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      // Compared by prefix (a supervisor's region and everything below it): code-point collation.
      .addColumn('department_region_code', dialect.codePointText, (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('link', 'text')
      .addColumn('due_on', 'text')
      .addColumn('raised_at', 'text', (c) => c.notNull())
      .addColumn('escalated_at', 'text')
      .addColumn('escalated_region_code', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolution', 'text')
      .execute();
    await db.schema.createIndex('supervision_alerts_key').on('supervision_alerts').columns(['kind', 'subject_id', 'stage']).unique().execute();
    await db.schema.createIndex('supervision_alerts_open').on('supervision_alerts').columns(['resolved_at', 'escalated_at', 'raised_at']).execute();
    await db.schema.createIndex('supervision_alerts_region').on('supervision_alerts').columns(['department_region_code', 'raised_at']).execute();

    await db.schema
      .createTable('supervision_alert_recipients')
      .addColumn('alert_id', 'text', (c) => c.notNull().references('supervision_alerts.id'))
      .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
      // `responsible` (the officer or department told first) or `escalation` (a supervisor).
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .addPrimaryKeyConstraint('supervision_alert_recipients_pk', ['alert_id', 'staff_id'])
      .execute();
    await db.schema.createIndex('supervision_alert_recipients_staff').on('supervision_alert_recipients').columns(['staff_id', 'notified_at']).execute();
  },
};

/**
 * Reopening and the sweep at scale. `reopened_at`: a condition that returns reopens its alert and
 * the escalation delay starts again from then. `watcher_staff_id`: someone told on escalation besides
 * the region's supervisors (a flag's raiser). Two partial indexes for the read ports the sweep calls
 * every 15 minutes, so that they read only the rows that can matter however large the history grows:
 * open applications by deadline (ApplicationStore.dueAcrossDepartments) and unanswered policy
 * inquiries by due day (PolicyLoopStore.overdueInquiriesAfter, read by keyset).
 */
export const supervisionAlertsSweepMigration: PlatformMigration = {
  name: '0626-supervision-alerts-sweep',
  async up(db) {
    await db.schema.alterTable('supervision_alerts').addColumn('reopened_at', 'text').execute();
    await db.schema.alterTable('supervision_alerts').addColumn('watcher_staff_id', 'text').execute();
    await db.schema.createIndex('applications_open_due').on('applications').columns(['queue_due', 'id']).where(sql.ref('is_open'), '=', 1).execute();
    await db.schema.createIndex('policy_inquiries_unanswered_due').on('policy_inquiries').columns(['due_on', 'id']).where(sql.ref('answered_at'), 'is', null).execute();
  },
};
