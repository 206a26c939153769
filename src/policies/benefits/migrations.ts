import type { PlatformMigration } from '../../core/migrate.js';

/**
 * Claims and grants: how enterprises come to enjoy a policy. A claim (apply-mode policy) is an
 * ordinary application on the policy's service item, recorded here with the version and the
 * outcome the eligibility re-check gave when it was made. A grant without application (免申即享)
 * comes from a batch: an officer's population scan, reviewed and then approved as a whole.
 * Amounts are kept in fen (integers) so that the total of a million grants adds up exactly.
 * USCC columns use the same collation as enterprise_facts.uscc, which scans join and page by.
 */
export const policyBenefitsMigration: PlatformMigration = {
  name: '0540-policy-benefits',
  async up(db, dialect) {
    // Held while one claim of a policy for an enterprise is being made, so that two made at once
    // (the representative and an agent, two tabs) cannot both pass the "one claim at a time" check.
    await db.schema
      .createTable('policy_claim_reservations')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('reserved_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_claim_reservations_pk', ['enterprise_id', 'policy_id'])
      .execute();

    await db.schema
      .createTable('policy_claims')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('benefit_amount_fen', dialect.bigint)
      .addColumn('application_id', 'text', (c) => c.notNull())
      .addColumn('created_by_account_id', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('policy_claims_idempotency').on('policy_claims').columns(['created_by_account_id', 'idempotency_key']).unique().execute();
    await db.schema.createIndex('policy_claims_enterprise').on('policy_claims').columns(['enterprise_id', 'created_at']).execute();
    await db.schema.createIndex('policy_claims_policy').on('policy_claims').columns(['policy_id', 'enterprise_id']).execute();

    // status: scanning → review → approved | discarded. A scan that stopped half-way stays
    // `scanning` and can only be discarded.
    await db.schema
      .createTable('policy_grant_batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
      .addColumn('department_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('scanned_on', 'text', (c) => c.notNull())
      .addColumn('eligible_count', 'integer', (c) => c.notNull())
      .addColumn('total_amount_fen', dialect.bigint, (c) => c.notNull())
      .addColumn('unpriced_count', 'integer', (c) => c.notNull())
      .addColumn('already_granted_count', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('granted_count', 'integer')
      .addColumn('granted_amount_fen', dialect.bigint)
      .execute();
    await db.schema.createIndex('policy_grant_batches_policy').on('policy_grant_batches').columns(['policy_id', 'created_at']).execute();

    // The enterprises a scan found eligible and not yet granted under the version, with amounts.
    await db.schema
      .createTable('policy_grant_batch_rows')
      .addColumn('batch_id', 'text', (c) => c.notNull().references('policy_grant_batches.id'))
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('amount_fen', dialect.bigint)
      .addPrimaryKeyConstraint('policy_grant_batch_rows_pk', ['batch_id', 'uscc'])
      .execute();

    // One grant per policy version and enterprise, whatever the number of scans and approvals.
    await db.schema
      .createTable('policy_grants')
      .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
      .addColumn('uscc', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
      .addColumn('batch_id', 'text', (c) => c.notNull().references('policy_grant_batches.id'))
      .addColumn('name', 'text')
      .addColumn('amount_fen', dialect.bigint)
      .addColumn('granted_at', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text')
      .addPrimaryKeyConstraint('policy_grants_pk', ['policy_id', 'uscc'])
      .execute();
    await db.schema.createIndex('policy_grants_uscc').on('policy_grants').columns(['uscc', 'granted_at']).execute();
    await db.schema.createIndex('policy_grants_version').on('policy_grants').column('version_id').execute();
    await db.schema.createIndex('policy_grants_batch').on('policy_grants').columns(['batch_id', 'uscc']).execute();
  },
};
