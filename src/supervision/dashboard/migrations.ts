import { sql } from 'kysely';
import type { PlatformMigration } from '../../core/migrate.js';

/**
 * The supervision read-model. Supervision owns these tables and fills them only through its read
 * port (port.ts), never from another capability's tables:
 *  - `supervision_application_facts`: one narrow row per submitted application, with the figures
 *    that are fixed once it is closed (on time against the promised and the legal limit, handling
 *    time in working days), computed with the official calendar when the rollup is refreshed;
 *  - `supervision_monthly`: the facts summed per Asia/Shanghai month × item (with the item's
 *    department and region), what the dashboards read: a national year is a few thousand rows;
 *  - `supervision_items`: a copy of the catalogue's items with their "at most one visit" figures;
 *  - `supervision_refresh_state`: the keyset up to which the application feed has been read.
 * Months are 'YYYY-MM' text, compared as text on both engines.
 */
export const supervisionDashboardMigration: PlatformMigration = {
  name: '0610-supervision-dashboard',
  async up(db, dialect) {
    await db.schema
      .createTable('supervision_application_facts')
      .addColumn('application_id', 'text', (c) => c.primaryKey())
      .addColumn('tracking_number', 'text')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      // open | concluded | withdrawn
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('received_month', 'text', (c) => c.notNull())
      .addColumn('closed_month', 'text')
      .addColumn('timed', 'integer', (c) => c.notNull())
      .addColumn('on_time_promised', 'integer', (c) => c.notNull())
      .addColumn('on_time_legal', 'integer', (c) => c.notNull())
      .addColumn('handling_days', 'integer', (c) => c.notNull())
      .addColumn('source_updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('supervision_facts_received').on('supervision_application_facts').column('received_month').execute();
    await db.schema.createIndex('supervision_facts_closed').on('supervision_application_facts').column('closed_month').execute();

    await db.schema
      .createTable('supervision_monthly')
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('received', dialect.bigint, (c) => c.notNull())
      .addColumn('concluded', dialect.bigint, (c) => c.notNull())
      .addColumn('withdrawn', dialect.bigint, (c) => c.notNull())
      .addColumn('timed', dialect.bigint, (c) => c.notNull())
      .addColumn('on_time_promised', dialect.bigint, (c) => c.notNull())
      .addColumn('on_time_legal', dialect.bigint, (c) => c.notNull())
      .addColumn('handling_days_sum', dialect.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('supervision_monthly_pk', ['month', 'item_id', 'department_id', 'region_code'])
      .execute();
    await db.schema.createIndex('supervision_monthly_region').on('supervision_monthly').columns(['region_code', 'month']).execute();
    await db.schema.createIndex('supervision_monthly_department').on('supervision_monthly').columns(['department_id', 'month']).execute();

    await db.schema
      .createTable('supervision_items')
      .addColumn('item_id', 'text', (c) => c.primaryKey())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('department_name_zh', 'text', (c) => c.notNull())
      .addColumn('department_name_en', 'text', (c) => c.notNull())
      .addColumn('visits', 'integer', (c) => c.notNull())
      .addColumn('fully_online', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('supervision_items_department').on('supervision_items').column('department_id').execute();

    await db.schema
      .createTable('supervision_refresh_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('after_updated_at', 'text', (c) => c.notNull())
      .addColumn('after_id', 'text', (c) => c.notNull())
      .addColumn('refreshed_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/**
 * The lease that serialises rollup refreshes across every server copy and the CLI (the recurring
 * job, `POST /api/v1/supervision/rollup/refresh`, `tongban supervision rebuild`): one row per
 * refresh name, held by one refresh until `until` (renewed with every page it commits).
 */
export const supervisionRefreshLeaseMigration: PlatformMigration = {
  name: '0710-supervision-refresh-lease',
  async up(db) {
    await db.schema
      .createTable('supervision_refresh_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('until', 'text', (c) => c.notNull())
      .execute();
  },
};

/**
 * The monthly rollup summed per region and every region above it (`supervision_region_monthly`:
 * the row of 310000 holds Shanghai and all its districts), so that a region's dashboard reads one
 * row per child region and month instead of every item below it: the national view reads a few
 * hundred rows whatever the number of applications or items. `supervision_region_ancestors` maps
 * each region code met in the facts to itself, its ancestors and the nation (GB/T 2260 via
 * src/reference/regions.ts), filled by the refresh as codes appear. Both are rebuilt with the
 * monthly rows they come from.
 */
export const supervisionRegionRollupMigration: PlatformMigration = {
  name: '0720-supervision-region-rollup',
  async up(db, dialect) {
    await db.schema
      .createTable('supervision_region_ancestors')
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('ancestor_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('supervision_region_ancestors_pk', ['region_code', 'ancestor_code'])
      .execute();
    await db.schema
      .createTable('supervision_region_monthly')
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('received', dialect.bigint, (c) => c.notNull())
      .addColumn('concluded', dialect.bigint, (c) => c.notNull())
      .addColumn('withdrawn', dialect.bigint, (c) => c.notNull())
      .addColumn('timed', dialect.bigint, (c) => c.notNull())
      .addColumn('on_time_promised', dialect.bigint, (c) => c.notNull())
      .addColumn('on_time_legal', dialect.bigint, (c) => c.notNull())
      .addColumn('handling_days_sum', dialect.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('supervision_region_monthly_pk', ['region_code', 'month'])
      .execute();
  },
};

/**
 * Reviews rolled up like the applications (a rating never changes once made):
 * `supervision_review_monthly` counts reviews, good and bad per Asia/Shanghai month × department ×
 * item (with the department's region), `supervision_review_region_monthly` the same per region and
 * every region above it (through `supervision_region_ancestors`). What does change, a case
 * answered or an appeal upheld, stays live (EvaluationService.supervisionCaseFigures). The refresh
 * recounts the months of the reviews made since its last cutoff (refresh state `reviews`).
 */
export const supervisionReviewRollupMigration: PlatformMigration = {
  name: '0740-supervision-review-rollup',
  async up(db, dialect) {
    await db.schema
      .createTable('supervision_review_monthly')
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('reviews', dialect.bigint, (c) => c.notNull())
      .addColumn('good', dialect.bigint, (c) => c.notNull())
      .addColumn('bad', dialect.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('supervision_review_monthly_pk', ['month', 'department_id', 'item_id'])
      .execute();
    await db.schema.createIndex('supervision_review_monthly_region').on('supervision_review_monthly').columns(['region_code', 'month']).execute();
    await db.schema.createIndex('supervision_review_monthly_department').on('supervision_review_monthly').columns(['department_id', 'month']).execute();
    await db.schema.createIndex('supervision_review_monthly_item').on('supervision_review_monthly').columns(['item_id', 'month']).execute();
    await db.schema
      .createTable('supervision_review_region_monthly')
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('reviews', dialect.bigint, (c) => c.notNull())
      .addColumn('good', dialect.bigint, (c) => c.notNull())
      .addColumn('bad', dialect.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('supervision_review_region_monthly_pk', ['region_code', 'month'])
      .execute();
  },
};

/**
 * The published items counted per region and every region above it (`supervision_region_items`),
 * rebuilt with the item copy: a region's dashboard reads one row per child region instead of
 * joining every item to its ancestors on each request.
 */
export const supervisionRegionItemsMigration: PlatformMigration = {
  name: '0750-supervision-region-items',
  async up(db) {
    await db.schema
      .createTable('supervision_region_items')
      .addColumn('region_code', 'text', (c) => c.primaryKey())
      .addColumn('items', 'integer', (c) => c.notNull())
      .addColumn('one_visit_items', 'integer', (c) => c.notNull())
      .addColumn('fully_online_items', 'integer', (c) => c.notNull())
      .execute();
    // The copy is rewritten only when the catalogue changes: count what is already copied (the
    // statement of store.ts countItemsPerRegion, frozen here as a migration must be).
    await sql`
      INSERT INTO supervision_region_items (region_code, items, one_visit_items, fully_online_items)
      SELECT a.ancestor_code, count(*), sum(CASE WHEN i.visits <= 1 THEN 1 ELSE 0 END), sum(i.fully_online)
      FROM supervision_items i JOIN supervision_region_ancestors a ON a.region_code = i.region_code
      WHERE i.status = 'published'
      GROUP BY a.ancestor_code`.execute(db);
  },
};
