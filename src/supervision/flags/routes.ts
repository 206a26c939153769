import { requireRole } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import { flagPages, type FlagPageDeps } from './pages/flags.js';
import { CloseFlagBody, FlagList, FlagParams, FlagQuery, FlagResponseBody, FlagView, RaiseFlagBody, ReopenFlagBody } from './schema.js';

/** Supervision flags: raised and closed by supervisors, answered by the flagged department. Thin. */
export function supervisionFlagRoutes(app: HttpApp, deps: FlagPageDeps): void {
  const { flags } = deps;
  const tags = ['supervision'];

  app.post(
    '/api/v1/supervision/flags',
    {
      schema: {
        tags,
        summary: 'Flag an application or a department in my region for follow-up (supervisors)',
        description:
          'Exactly one of applicationId, trackingNumber or departmentId. Outside the supervisor’s region: 403 outsideRegion. The same flag again (same target and reason, by the same supervisor, not yet closed) answers the flag already raised with 200 instead of raising a second one (201).',
        body: RaiseFlagBody,
        response: { 200: FlagView, 201: FlagView },
      },
    },
    async (request, reply) => {
      const { created, flag } = await flags.raise(requireRole(request, 'supervisor'), request.body);
      return reply.status(created ? 201 : 200).send(flag);
    },
  );

  app.get(
    '/api/v1/supervision/flags',
    {
      schema: {
        tags,
        summary: 'Flags of my region (supervisors) or of my department (officers and approvers)',
        querystring: FlagQuery,
        response: { 200: FlagList },
      },
    },
    async (request) => flags.list(requireRole(request, 'supervisor', 'officer', 'approver'), request.query),
  );

  app.get(
    '/api/v1/supervision/flags/:id',
    { schema: { tags, summary: 'One flag with its history', params: FlagParams, response: { 200: FlagView } } },
    async (request) => flags.get(requireRole(request, 'supervisor', 'officer', 'approver'), request.params.id),
  );

  app.post(
    '/api/v1/supervision/flags/:id/response',
    { schema: { tags, summary: 'The flagged department’s response (officers and approvers)', params: FlagParams, body: FlagResponseBody, response: { 200: FlagView } } },
    async (request) => flags.respond(requireRole(request, 'officer', 'approver'), request.params.id, request.body),
  );

  app.post(
    '/api/v1/supervision/flags/:id/close',
    { schema: { tags, summary: 'Close a flag (supervisors of its region)', params: FlagParams, body: CloseFlagBody, response: { 200: FlagView } } },
    async (request) => flags.close(requireRole(request, 'supervisor'), request.params.id, request.body),
  );

  app.post(
    '/api/v1/supervision/flags/:id/reopen',
    { schema: { tags, summary: 'Reopen a responded or closed flag with a note and a new due day (supervisors of its region)', params: FlagParams, body: ReopenFlagBody, response: { 200: FlagView } } },
    async (request) => flags.reopen(requireRole(request, 'supervisor'), request.params.id, request.body),
  );

  flagPages(app, deps);
}
