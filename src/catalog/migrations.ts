import type { PlatformMigration } from '../core/migrate.js';

/**
 * The service catalogue. An item row says who implements it, where, and which version is current;
 * each edit adds a version row and never changes an old one (applications point at version ids).
 * `service_item_terms` is the search index: one row per (term, item), looked up by term.
 * Lists (audiences, themes) and definitions are JSON text.
 */
export const catalogMigration: PlatformMigration = {
  name: '0200-catalog',
  async up(db) {
    await db.schema
      .createTable('service_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('implementation_code', 'text', (c) => c.notNull().unique())
      .addColumn('basic_code', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('department_name_zh', 'text', (c) => c.notNull())
      .addColumn('department_name_en', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('item_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('current_version_id', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('audiences', 'text', (c) => c.notNull())
      .addColumn('themes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_items_region').on('service_items').columns(['region_code', 'status']).execute();
    await db.schema.createIndex('service_items_department').on('service_items').columns(['department_id', 'status']).execute();
    await db.schema.createIndex('service_items_listing').on('service_items').columns(['status', 'name_zh', 'id']).execute();
    await db.schema.createIndex('service_items_basic_code').on('service_items').column('basic_code').execute();

    await db.schema
      .createTable('service_item_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('service_items.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('service_item_versions_item_version', ['item_id', 'version'])
      .execute();

    await db.schema
      .createTable('service_item_terms')
      .addColumn('term', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull().references('service_items.id'))
      .addColumn('weight', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_item_terms_pk', ['term', 'item_id'])
      .execute();
    await db.schema.createIndex('service_item_terms_item').on('service_item_terms').column('item_id').execute();

    await db.schema
      .createTable('service_bundles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('description_zh', 'text', (c) => c.notNull())
      .addColumn('description_en', 'text', (c) => c.notNull())
      .addColumn('themes', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('service_bundle_items')
      .addColumn('bundle_id', 'text', (c) => c.notNull().references('service_bundles.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull().references('service_items.id'))
      .addPrimaryKeyConstraint('service_bundle_items_pk', ['bundle_id', 'position'])
      .execute();
    await db.schema.createIndex('service_bundle_items_item').on('service_bundle_items').column('item_id').execute();
  },
};
