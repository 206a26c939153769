import type { PlatformMigration } from '../core/migrate.js';

/**
 * Uploaded files live in the database, not on a server's disk: any server copy behind the load
 * balancer can serve any file, and a backup of the database is a backup of the materials.
 * Contents are keyed by their SHA-256, so the same bytes are stored once however often they are
 * uploaded; every upload is its own row with its owner, name and the application it belongs to.
 */
export const filesMigration: PlatformMigration = {
  name: '0250-files',
  async up(db, dialect) {
    await db.schema
      .createTable('file_contents')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('bytes', dialect.bytes, (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // Touched by every upload of the same bytes, so the clean-up never removes contents that a
      // new upload is about to point at.
      .addColumn('last_used_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('file_uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('sha256', 'text', (c) => c.notNull().references('file_contents.sha256'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // The application the upload became a material of; null while it is only uploaded.
      .addColumn('attached_to', 'text')
      .execute();
    await db.schema.createIndex('file_uploads_owner').on('file_uploads').columns(['owner_account_id', 'created_at']).execute();
    await db.schema.createIndex('file_uploads_attached').on('file_uploads').columns(['attached_to', 'created_at']).execute();
    await db.schema.createIndex('file_uploads_sha256').on('file_uploads').column('sha256').execute();
  },
};
