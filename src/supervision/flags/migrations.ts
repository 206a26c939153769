import { sql } from 'kysely';
import type { PlatformMigration } from '../../core/migrate.js';

/**
 * Supervision flags: a supervisor asks a department to follow up an application or its own work,
 * by a due day; the department responds; the supervisor closes or reopens. Every step is a row of
 * the flag's history. Applications belong to another capability and are kept by id, with the
 * tracking number and item name copied when the flag is raised.
 */
export const supervisionFlagsMigration: PlatformMigration = {
  name: '0625-supervision-flags',
  async up(db, dialect) {
    await db.schema
      .createTable('supervision_flags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('tracking_number', 'text')
      .addColumn('item_name_zh', 'text')
      .addColumn('item_name_en', 'text')
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('department_region_code', dialect.codePointText, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('round', 'integer', (c) => c.notNull())
      .addColumn('raised_by', 'text', (c) => c.notNull().references('staff.id'))
      .addColumn('raised_by_label', 'text', (c) => c.notNull())
      .addColumn('raised_at', 'text', (c) => c.notNull())
      .addColumn('response', 'text')
      .addColumn('responded_by_label', 'text')
      .addColumn('responded_at', 'text')
      .addColumn('responded_on', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('supervision_flags_department').on('supervision_flags').columns(['department_id', 'status', 'due_on']).execute();
    await db.schema.createIndex('supervision_flags_region').on('supervision_flags').columns(['department_region_code', 'raised_at']).execute();
    await db.schema.createIndex('supervision_flags_due').on('supervision_flags').columns(['status', 'due_on']).execute();

    await db.schema
      .createTable('supervision_flag_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('flag_id', 'text', (c) => c.notNull().references('supervision_flags.id'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('round', 'integer', (c) => c.notNull())
      .addColumn('actor_staff_id', 'text', (c) => c.notNull().references('staff.id'))
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('due_on', 'text')
      .execute();
    await db.schema.createIndex('supervision_flag_events_flag').on('supervision_flag_events').columns(['flag_id', 'at']).execute();
  },
};

/**
 * The region of the supervisor who raised a flag: only a supervisor whose region covers it may
 * close or reopen the flag, so a county supervisor cannot close what the province asked for.
 * Existing flags take their raiser's current region.
 */
export const supervisionFlagsRaiserRegionMigration: PlatformMigration = {
  name: '0627-supervision-flags-raiser-region',
  async up(db, dialect) {
    await db.schema.alterTable('supervision_flags').addColumn('raised_by_region_code', dialect.codePointText).execute();
    await sql`UPDATE supervision_flags SET raised_by_region_code = (SELECT region_code FROM staff WHERE staff.id = supervision_flags.raised_by)`.execute(db);
  },
};
