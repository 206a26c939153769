import { auditMigration } from './core/audit.js';
import type { PlatformMigration } from './core/migrate.js';
import { identityMigration } from './identity/migrations.js';
import { outboxMigration } from './notifications/outbox.js';

/** Every capability's migrations, in the order they run. */
export const MIGRATIONS: PlatformMigration[] = [auditMigration, outboxMigration, identityMigration];
