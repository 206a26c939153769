import { Readable } from 'node:stream';
import { requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import { AuditSearchQuery, AuditSearchResult } from './schema.js';
import type { TransparencyService } from './service.js';
import { auditPages } from './pages/audit.js';

/** Who may search the trail: administrators, and auditors who may do nothing else. */
export const AUDIT_ROLES = ['admin', 'auditor'] as const;

/** The administrators' audit trail search (JSON and CSV) and its page. Thin. */
export function transparencyRoutes(app: HttpApp, transparency: TransparencyService): void {
  const tags = ['administration'];

  app.get(
    '/api/v1/admin/audit-events',
    {
      schema: {
        tags,
        summary: 'Search the audit trail (administrator or auditor)',
        description:
          'Every filter optional; the period is calendar days in China, both inclusive; `actor` matches part of the actor label. Newest first, ' +
          'keyset paged: pass `next` as `before`. The search itself is audited (with the person or enterprise searched for as its subject, so they see it).',
        querystring: AuditSearchQuery,
        response: { 200: AuditSearchResult },
      },
    },
    async (request) => transparency.search(requireRole(request, ...AUDIT_ROLES), request.query),
  );

  app.get(
    '/api/v1/admin/audit-events.csv',
    {
      schema: {
        tags,
        summary: 'The same search as CSV (UTF-8 with a byte order mark), at most 50,000 events; audited',
        querystring: AuditSearchQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const chunks = await transparency.exportCsv(requireRole(request, ...AUDIT_ROLES), request.query, request.locale ?? 'zh-CN');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-events.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(chunks));
    },
  );

  auditPages(app, transparency);
}
