import type { PlatformMigration } from '../../core/migrate.js';

/**
 * The policy library. A policy row says who owns it and which version is published; each change
 * of the document adds a version row and never alters an old one, because matches, claims and
 * grants point at the version they used. `policy_regions` finds the policies that can apply in
 * a region; `policy_library_state.revision` changes with every publication so that each server
 * knows when its compiled copy of the published library is stale.
 */
export const policyLibraryMigration: PlatformMigration = {
  name: '0500-policy-library',
  async up(db) {
    await db.schema
      .createTable('policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('published_version_id', 'text')
      .addColumn('title_zh', 'text', (c) => c.notNull())
      .addColumn('title_en', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('policies_department').on('policies').columns(['department_id', 'status']).execute();
    await db.schema.createIndex('policies_status').on('policies').columns(['status', 'code']).execute();

    await db.schema
      .createTable('policy_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('declared_facts', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'text')
      .addColumn('review_comment', 'text')
      .addColumn('published_at', 'text')
      .addUniqueConstraint('policy_versions_policy_version', ['policy_id', 'version'])
      .execute();

    await db.schema
      .createTable('policy_regions')
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_regions_pk', ['policy_id', 'region_code'])
      .execute();
    await db.schema.createIndex('policy_regions_region').on('policy_regions').column('region_code').execute();

    await db.schema
      .createTable('policy_declared_facts')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('policy_library_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .execute();
    await db.insertInto('policy_library_state').values({ id: 1, revision: 0 }).execute();

    // An enterprise's own answers to the questions matching asks (facts the authorities do not hold).
    await db.schema
      .createTable('policy_declarations')
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('fact', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('declared_by', 'text', (c) => c.notNull())
      .addColumn('declared_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_declarations_pk', ['uscc', 'fact'])
      .execute();

    // The latest outcome per enterprise and policy, with the version it used: analytics count
    // matches and near misses from here, and push notifies an enterprise once per policy.
    await db.schema
      .createTable('policy_matches')
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('near_miss_condition', 'integer')
      .addColumn('matched_at', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text')
      .addPrimaryKeyConstraint('policy_matches_pk', ['uscc', 'policy_id'])
      .execute();
    await db.schema.createIndex('policy_matches_policy').on('policy_matches').columns(['policy_id', 'outcome']).execute();

    await db.schema
      .createTable('policy_views')
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('views', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_views_pk', ['policy_id', 'day'])
      .execute();
  },
};
