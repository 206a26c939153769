import { requireRole, STAFF_ROLES } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import { alertPages } from './pages/alerts.js';
import { AlertList, AlertParams, AlertQuery, AlertView } from './schema.js';
import type { SupervisionAlertService } from './service.js';

/** Supervision alerts: the staff member's own list, the supervisor's regional list, marking read. Thin. */
export function supervisionAlertRoutes(app: HttpApp, alerts: SupervisionAlertService): void {
  const tags = ['supervision'];

  app.get(
    '/api/v1/supervision/alerts/mine',
    {
      schema: {
        tags,
        summary: 'Alerts I was told of (as the responsible officer or as a supervisor), newest first, with the unread count',
        querystring: AlertQuery,
        response: { 200: AlertList },
      },
    },
    async (request) => alerts.mine(requireRole(request, ...STAFF_ROLES), request.query, request.locale),
  );

  app.get(
    '/api/v1/supervision/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts of every department in my region and below (supervisors)',
        querystring: AlertQuery,
        response: { 200: AlertList },
      },
    },
    async (request) => alerts.inRegion(requireRole(request, 'supervisor'), request.query, request.locale),
  );

  app.get(
    '/api/v1/supervision/alerts/:id',
    { schema: { tags, summary: 'One alert (to those told of it and the supervisors of its region)', params: AlertParams, response: { 200: AlertView } } },
    async (request) => alerts.get(requireRole(request, ...STAFF_ROLES), request.params.id, request.locale),
  );

  app.post(
    '/api/v1/supervision/alerts/:id/read',
    { schema: { tags, summary: 'Mark an alert I was told of as read', params: AlertParams, response: { 200: AlertView } } },
    async (request) => alerts.markRead(requireRole(request, ...STAFF_ROLES), request.params.id, request.locale),
  );

  alertPages(app, alerts);
}
