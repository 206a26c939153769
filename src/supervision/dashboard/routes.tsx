import { NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../../core/auth.js';
import { AppError, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { queryOf } from '../../identity/pages/context.js';
import { pageStaff } from '../../evaluation/pages/components.js';
import { formStateFrom, sendPage, tr } from '../../web/page.js';
import { CSV_TABLES, dashboardCsv, type CsvTable } from './csv.js';
import { DashboardPage } from './pages/dashboard.js';
import { DashboardView, IdParams, PeriodQuery, RefreshResult, RegionParams } from './schema.js';
import type { DashboardService } from './service.js';

type Scope = { kind: 'home' } | { kind: 'region'; id: string } | { kind: 'department'; id: string } | { kind: 'item'; id: string };

/** Supervision dashboards: the JSON API under /api/v1/supervision and the pages under /supervision. Thin. */
export function supervisionDashboardRoutes(app: HttpApp, dashboards: DashboardService): void {
  const tags = ['supervision'];
  const description =
    'Supervisors only (role supervisor, bound to a region): their region and everything below; 403 outsideSupervisedRegion elsewhere. ' +
    'Period: from/to as YYYY-MM (Asia/Shanghai), at most 24 months, default the year to date; `previous` holds the same figures for the same number of months before. ' +
    'Period figures come from the supervision rollup as of `asOf`; inProgress, overdue, dueSoon and the lists are live. See docs/supervision.md for every definition.';

  const view = (request: FastifyRequest, scope: Scope, query: { from?: string; to?: string }) => {
    const staff = requireRole(request, 'supervisor');
    switch (scope.kind) {
      case 'home':
        return dashboards.region(staff, undefined, query);
      case 'region':
        return dashboards.region(staff, scope.id, query);
      case 'department':
        return dashboards.department(staff, scope.id, query);
      case 'item':
        return dashboards.item(staff, scope.id, query);
    }
  };

  app.get('/api/v1/supervision/dashboard', { schema: { tags, summary: "The dashboard of the supervisor's own region", description, querystring: PeriodQuery, response: { 200: DashboardView } } }, async (request) =>
    view(request, { kind: 'home' }, request.query),
  );
  app.get(
    '/api/v1/supervision/regions/:code',
    { schema: { tags, summary: 'The dashboard of a region: its child regions and its own departments side by side', description, params: RegionParams, querystring: PeriodQuery, response: { 200: DashboardView } } },
    async (request) => view(request, { kind: 'region', id: request.params.code }, request.query),
  );
  app.get(
    '/api/v1/supervision/departments/:id',
    { schema: { tags, summary: 'The dashboard of a department: its items side by side', description, params: IdParams, querystring: PeriodQuery, response: { 200: DashboardView } } },
    async (request) => view(request, { kind: 'department', id: request.params.id }, request.query),
  );
  app.get(
    '/api/v1/supervision/items/:id',
    { schema: { tags, summary: 'The dashboard of one service item', description, params: IdParams, querystring: PeriodQuery, response: { 200: DashboardView } } },
    async (request) => view(request, { kind: 'item', id: request.params.id }, request.query),
  );
  app.post(
    '/api/v1/supervision/rollup/refresh',
    {
      schema: {
        tags,
        summary: 'Refresh the supervision rollup now (national supervisors)',
        description: 'The recurring job does this every 5 minutes; this runs it at once. Idempotent.',
        response: { 200: RefreshResult },
      },
    },
    async (request) => {
      const staff = requireRole(request, 'supervisor');
      if (staff.regionCode !== NATIONWIDE_REGION_CODE) throw new AppError(403, 'nationalSupervisorOnly', 'error.forbidden.title', 'supervision.scope.outside');
      return dashboards.refresh();
    },
  );

  // Pages

  const page = async (request: FastifyRequest, reply: FastifyReply, scope: Scope) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    const query = queryOf(request);
    const period = { from: query.from || undefined, to: query.to || undefined };
    let result;
    let form;
    try {
      result = await view(request, scope, period);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalidPeriod') throw error;
      // A mistyped month shows the default period with the error at the field.
      form = formStateFrom(error, request, { from: query.from, to: query.to });
      result = await view(request, scope, {});
    }
    const t = tr(request);
    return sendPage(request, reply, { title: t('supervision.page.titleOf', { name: result.scope.name[request.locale ?? 'zh-CN'] }), width: 'wide', form, children: <DashboardPage view={result} /> });
  };

  app.get('/supervision', { schema: { hide: true } }, async (request, reply) => page(request, reply, { kind: 'home' }));
  app.get<{ Params: { code: string } }>('/supervision/regions/:code', { schema: { hide: true } }, async (request, reply) => page(request, reply, { kind: 'region', id: request.params.code }));
  app.get<{ Params: { id: string } }>('/supervision/departments/:id', { schema: { hide: true } }, async (request, reply) => page(request, reply, { kind: 'department', id: request.params.id }));
  app.get<{ Params: { id: string } }>('/supervision/items/:id', { schema: { hide: true } }, async (request, reply) => page(request, reply, { kind: 'item', id: request.params.id }));

  const csv = async (request: FastifyRequest, reply: FastifyReply, scope: Scope, table: string) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    if (!(CSV_TABLES as readonly string[]).includes(table)) throw notFound();
    const query = queryOf(request);
    const result = await view(request, scope, { from: query.from || undefined, to: query.to || undefined });
    const name = `supervision-${scope.kind === 'home' ? 'home' : scope.id}-${table}-${result.period.from}-${result.period.to}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
      .header('cache-control', 'no-store')
      .send(dashboardCsv(result, table as CsvTable, tr(request), request.locale ?? 'zh-CN'));
  };
  app.get<{ Params: { code: string; table: string } }>('/supervision/regions/:code/:table.csv', { schema: { hide: true } }, async (request, reply) =>
    csv(request, reply, { kind: 'region', id: request.params.code }, request.params.table),
  );
  app.get<{ Params: { id: string; table: string } }>('/supervision/departments/:id/:table.csv', { schema: { hide: true } }, async (request, reply) =>
    csv(request, reply, { kind: 'department', id: request.params.id }, request.params.table),
  );
  app.get<{ Params: { id: string; table: string } }>('/supervision/items/:id/:table.csv', { schema: { hide: true } }, async (request, reply) =>
    csv(request, reply, { kind: 'item', id: request.params.id }, request.params.table),
  );
}
