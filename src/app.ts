import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import { AppError } from './core/errors.js';
import { createHttpApp } from './core/http.js';
import type { Platform } from './core/platform.js';
import { identityAdminRoutes } from './identity/admin-routes.js';
import { enterpriseRoutes } from './identity/enterprises/routes.js';
import { oidcRoutes } from './identity/oidc/routes.js';
import { identityRoutes, registerAuthentication, type BearerResolver } from './identity/routes.js';
import { identityPageRoutes } from './identity/pages/routes.js';
import { registerPortal } from './web/portal.js';
import { referenceRoutes } from './reference/routes.js';
import { createServices, type Services } from './services.js';
import { catalogRoutes } from './catalog/routes.js';
import { applicationRoutes } from './applications/routes.js';
import { applicationPages } from './applications/pages/routes.js';
import { evaluationRoutes } from './evaluation/routes.js';
import { evaluationPages } from './evaluation/pages/routes.js';
import { certificateRoutes } from './certificates/routes.js';
import { certificatePages } from './certificates/pages/routes.js';
import { registerMultipart } from './files/multipart.js';
import { fileRoutes } from './files/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { policyRoutes } from './policies/routes.js';
import { policyLoopRoutes } from './policies/loop/routes.js';
import { policyBenefitRoutes } from './policies/benefits/routes.js';
import { policyPages } from './policies/pages/routes.js';
import { policyBenefitPages } from './policies/benefits/pages.js';
import { supervisionAlertRoutes } from './supervision/alerts/routes.js';
import { supervisionFlagRoutes } from './supervision/flags/routes.js';
import { isWithin } from './reference/regions.js';
import { transparencyRoutes } from './transparency/routes.js';
import { creditRoutes } from './credit/routes.js';
import { creditPages } from './credit/pages/routes.js';
import { supervisionDashboardRoutes } from './supervision/dashboard/routes.js';

/** Builds the whole HTTP application on a platform: the one list of capabilities that are served. */
export async function buildApp(platform: Platform, services: Services = createServices(platform)) {
  const app = await createHttpApp({
    logger: platform.logger,
    production: platform.config.production,
    publicUrl: platform.config.publicUrl,
  });

  await registerMultipart(app);
  const bearer: { resolve?: BearerResolver } = { resolve: (token) => services.oidc.resolveClientToken(token) };
  registerAuthentication(app, services.identity, bearer);
  const cookie = { secure: platform.config.production };
  registerPortal(app, { secureCookies: cookie.secure, production: platform.config.production });
  identityPageRoutes(app, { ...services, cookie, production: platform.config.production });
  identityRoutes(app, services.identity, cookie);
  referenceRoutes(app, { calendar: services.calendar, clock: platform.clock });
  identityAdminRoutes(app, services.identity);
  oidcRoutes(app, services.oidc);
  enterpriseRoutes(app, services.enterprises);
  catalogRoutes(app, services.catalog, async (itemId) => {
    const view = await services.evaluation.satisfactionByItem(itemId);
    return { reviews: view.reviews, averageRating: view.averageRating, goodShare: view.shares.good };
  });
  applicationRoutes(app, services.applications);
  applicationPages(app, services);
  evaluationRoutes(app, services.evaluation);
  evaluationPages(app, services.evaluation);
  certificateRoutes(app, services.certificates);
  certificatePages(app, services.certificates);
  fileRoutes(app, services.files);
  notificationRoutes(app, services.inbox);
  policyRoutes(app, services);
  policyLoopRoutes(app, services);
  policyBenefitRoutes(app, services);
  policyPages(app, services);
  policyBenefitPages(app, services);
  supervisionAlertRoutes(app, services.supervisionAlerts);
  supervisionFlagRoutes(app, {
    flags: services.supervisionFlags,
    departmentsWithin: async (regionCode) => (await services.identity.store.listDepartments()).filter((d) => isWithin(d.regionCode, regionCode)),
  });
  transparencyRoutes(app, services.transparency);
  creditRoutes(app, services.credit);
  creditPages(app, services);
  supervisionDashboardRoutes(app, services.supervisionDashboards);

  app.get(
    '/api/health',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }) },
      },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(platform.db);
      } catch {
        throw new AppError(503, 'databaseUnavailable', 'error.unavailable.title', 'error.unavailable.detail');
      }
      return { status: 'ok' as const, database: platform.dialect.name };
    },
  );

  return app;
}
