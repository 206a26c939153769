import type { PlatformMigration } from '../core/migrate.js';

/**
 * Accounts, persons, staff and sessions. Personal data columns come in pairs: `*_enc` holds the
 * AES-GCM ciphertext, `*_hash` the keyed lookup hash with the unique index.
 */
export const identityMigration: PlatformMigration = {
  name: '0100-identity',
  async up(db, dialect) {
    await db.schema
      .createTable('departments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('departments_region').on('departments').column('region_code').execute();

    await db.schema
      .createTable('persons')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('id_number_enc', 'text', (c) => c.notNull())
      .addColumn('id_number_hash', 'text', (c) => c.notNull().unique())
      .addColumn('phone_enc', 'text')
      .addColumn('phone_hash', 'text', (c) => c.unique())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('real_name_level', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('staff')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.references('departments.id'))
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('person_id', 'text', (c) => c.unique().references('persons.id'))
      .addColumn('staff_id', 'text', (c) => c.unique().references('staff.id'))
      .addColumn('username', 'text', (c) => c.unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('totp_secret_enc', 'text')
      .addColumn('totp_enrolled_at', 'text')
      .addColumn('totp_last_step', dialect.bigint)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('mfa_passed', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('ip_hint', 'text')
      .execute();
    await db.schema.createIndex('sessions_account').on('sessions').columns(['account_id', 'created_at']).execute();

    // Failed-login counters keyed by a hash of what was typed, so they work the same whether or not
    // an account exists: the response never tells an attacker which logins are real.
    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull())
      .addColumn('blocked_until', 'text')
      .execute();

    await db.schema
      .createTable('phone_challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('phone_hash', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text')
      .addColumn('phone_enc', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('consumed_at', 'text')
      .execute();
    await db.schema.createIndex('phone_challenges_phone').on('phone_challenges').columns(['phone_hash', 'created_at']).execute();

    // The embedded stand-in for the national population registry: synthetic residents only.
    await db.schema
      .createTable('registry_residents')
      .addColumn('id_number_hash', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
  },
};
