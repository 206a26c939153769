import { auditMigration } from './core/audit.js';
import { jobsMigration } from './core/jobs.js';
import type { PlatformMigration } from './core/migrate.js';
import { enterprisesMigration } from './identity/enterprises/migrations.js';
import { identityMigration } from './identity/migrations.js';
import { oidcMigration } from './identity/oidc/migrations.js';
import { outboxMigration } from './notifications/outbox.js';
import { referenceCalendarMigration } from './reference/store.js';

/** Every capability's migrations, in the order they run. */
export const MIGRATIONS: PlatformMigration[] = [auditMigration, jobsMigration, outboxMigration, identityMigration, enterprisesMigration, oidcMigration, referenceCalendarMigration];
