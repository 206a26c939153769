import { requirePerson } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import type { InboxService } from './inbox.js';
import { inboxPages } from './pages/inbox.js';
import { InboxParams, InboxQuery, InboxView } from './schema.js';

/** The in-app inbox: API and page. Messages are written by the Notifier inside other capabilities' transactions. */
export function notificationRoutes(app: HttpApp, inbox: InboxService): void {
  const tags = ['notifications'];

  app.get(
    '/api/v1/inbox',
    {
      schema: {
        tags,
        summary: 'My messages, newest first, in the language of the request, with the unread count',
        querystring: InboxQuery,
        response: { 200: InboxView },
      },
    },
    async (request) => inbox.list(requirePerson(request).personId, request.locale, request.query),
  );

  app.post(
    '/api/v1/inbox/:id/read',
    { schema: { tags, summary: 'Mark a message read (reading it again changes nothing)', params: InboxParams } },
    async (request, reply) => {
      await inbox.markRead(requirePerson(request).personId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.post('/api/v1/inbox/read-all', { schema: { tags, summary: 'Mark every message read' } }, async (request, reply) => {
    await inbox.markAllRead(requirePerson(request).personId);
    return reply.status(204).send();
  });

  inboxPages(app, inbox);
}
