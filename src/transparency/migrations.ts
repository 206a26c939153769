import type { PlatformMigration } from '../core/migrate.js';

/**
 * Signed checkpoints of the audit chain (its length and the hash at that length), and indexes for
 * the administrators' search of the trail (by action, by actor, by time; each ends in `seq` so the
 * newest-first keyset pages read an index in order).
 */
export const transparencyMigration: PlatformMigration = {
  name: '0700-transparency',
  async up(db, dialect) {
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seq', dialect.bigint, (c) => c.notNull().unique())
      .addColumn('head_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('jws', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'seq']).execute();
    await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_id', 'seq']).execute();
    await db.schema.createIndex('audit_events_occurred').on('audit_events').columns(['occurred_at']).execute();
  },
};
