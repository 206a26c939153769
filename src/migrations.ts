import { auditMigration } from './core/audit.js';
import { jobsMigration } from './core/jobs.js';
import type { PlatformMigration } from './core/migrate.js';
import { enterprisesMigration } from './identity/enterprises/migrations.js';
import { identityMigration } from './identity/migrations.js';
import { oidcMigration } from './identity/oidc/migrations.js';
import { outboxMigration } from './notifications/outbox.js';
import { inboxMigration } from './notifications/store.js';
import { filesMigration } from './files/migrations.js';
import { referenceCalendarMigration } from './reference/store.js';
import { catalogMigration } from './catalog/migrations.js';
import { applicationsMigration, applicationsQueueOrderMigration } from './applications/migrations.js';
import { evaluationMigration } from './evaluation/migrations.js';
import { certificatesMigration } from './certificates/migrations.js';
import { enterpriseFactsMigration } from './policies/profiles/migrations.js';

import { policyLibraryMigration } from './policies/library/migrations.js';
import { policyLoopMigration } from './policies/loop/migrations.js';
import { policyBenefitsMigration } from './policies/benefits/migrations.js';
import { supervisionAlertsMigration, supervisionAlertsSweepMigration } from './supervision/alerts/migrations.js';
import { supervisionFlagsMigration, supervisionFlagsRaiserRegionMigration } from './supervision/flags/migrations.js';
import { transparencyMigration } from './transparency/migrations.js';
import { applicationsSupervisionIndexesMigration } from './applications/migrations.js';
import { supervisionDashboardMigration, supervisionRefreshLeaseMigration, supervisionRegionRollupMigration } from './supervision/dashboard/migrations.js';
import { supervisionRegionItemsMigration, supervisionReviewRollupMigration } from './supervision/dashboard/migrations.js';
import { evaluationReviewsCreatedIndexMigration } from './evaluation/migrations.js';
import { creditMigration } from './credit/migrations.js';

/** Every capability's migrations, in the order they run. */
export const MIGRATIONS: PlatformMigration[] = [auditMigration, jobsMigration, outboxMigration, inboxMigration, identityMigration, enterprisesMigration, oidcMigration, referenceCalendarMigration, catalogMigration, applicationsMigration, certificatesMigration, evaluationMigration, filesMigration, enterpriseFactsMigration, policyLibraryMigration, policyLoopMigration, policyBenefitsMigration, creditMigration, applicationsSupervisionIndexesMigration, supervisionDashboardMigration, transparencyMigration, supervisionAlertsMigration, supervisionFlagsMigration, supervisionAlertsSweepMigration, supervisionFlagsRaiserRegionMigration, supervisionRefreshLeaseMigration, supervisionRegionRollupMigration, evaluationReviewsCreatedIndexMigration, supervisionReviewRollupMigration, supervisionRegionItemsMigration, applicationsQueueOrderMigration];
