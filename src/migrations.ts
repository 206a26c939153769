import { auditMigration } from './core/audit.js';
import type { PlatformMigration } from './core/migrate.js';

/** Every capability's migrations, in the order they run. */
export const MIGRATIONS: PlatformMigration[] = [auditMigration];
