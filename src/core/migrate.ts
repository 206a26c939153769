import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { Dialect, type Database } from './db.js';

/**
 * A forward-only migration. It receives the dialect helper so that the one SQL text works on both
 * engines; names sort in the order they must run (`0001-identity`, `0002-...`).
 */
export interface PlatformMigration {
  name: string;
  // Migrations describe tables that their store's types do not know yet, hence `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export async function migrateToLatest(database: Database, migrations: PlatformMigration[]): Promise<MigrationResultSet> {
  const dialect = new Dialect(database.dialect);
  const byName: Record<string, Migration> = {};
  for (const migration of migrations) {
    if (byName[migration.name]) throw new Error(`Two migrations are named ${migration.name}`);
    byName[migration.name] = { up: (db) => migration.up(db, dialect) };
  }
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => byName },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Without it Kysely looks for its tables in every schema and can mistake another database user's for ours.
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
