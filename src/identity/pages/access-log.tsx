import type { AccessEntry } from '../../core/audit.js';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { formatDateTime } from '../../web/format.js';
import { Table, sendPage, tr, usePage } from '../../web/page.js';
import { pageAccount, queryOf, type IdentityPageDeps } from './context.js';

const ID_PATTERN = /^[0-9A-Za-z-]{1,64}$/;
const CURSOR_PATTERN = /^[1-9][0-9]{0,15}$/;

/** How each audited action reads on the page; an action not listed still shows, with its code. */
const ACTION_LABELS: Record<string, MessageKey> = {
  'personalData.read': 'pages.access.action.personalDataRead',
  'files.read': 'pages.access.action.filesRead',
  'identity.verification': 'pages.access.action.verification',
  'oidc.claimsReleased': 'pages.access.action.claimsReleased',
  'enterpriseData.read': 'pages.access.action.enterpriseDataRead',
  'application.accessDenied': 'pages.access.action.applicationAccessDenied',
  'certificate.issued': 'pages.access.action.certificateIssued',
  'certificate.revoked': 'pages.access.action.certificateRevoked',
  'evaluation.rectificationResponded': 'pages.access.action.rectificationResponded',
  'evaluation.appealed': 'pages.access.action.appealed',
  'evaluation.appealDecided': 'pages.access.action.appealDecided',
  'policies.inquiryAnswered': 'pages.access.action.inquiryAnswered',
  'audit.searched': 'pages.access.action.auditSearched',
  'audit.exported': 'pages.access.action.auditExported',
  'evaluation.appealRead': 'pages.access.action.appealRead',
  'evaluation.rectificationRead': 'pages.access.action.rectificationRead',
};

/** The access log as a table: when, who (department · officer, or the departmental system), what, why. */
export function AccessLogTable({ entries, caption }: { entries: AccessEntry[]; caption: string }) {
  const { t, locale } = usePage();
  return (
    <Table
      caption={caption}
      head={[t('pages.account.access.when'), t('pages.account.access.who'), t('pages.account.access.what'), t('pages.account.access.purpose')]}
      rows={entries.map((entry) => {
        const key = ACTION_LABELS[entry.action];
        const what = key ? t(key) : t('pages.access.action.other', { action: entry.action });
        return {
          key: entry.cursor,
          cells: [
            <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time>,
            <>
              {entry.who}
              {entry.actorType === 'client' ? <span className="secondary-text"> {t('pages.access.viaSystem')}</span> : null}
            </>,
            `${what}${entry.outcome === 'success' ? '' : ` ${t(entry.outcome === 'denied' ? 'pages.access.refused' : 'pages.account.access.failed')}`}`,
            entry.purpose ?? '',
          ],
        };
      })}
    />
  );
}

/** "Newer" back to the first page and "older" on to the next keyset page. */
export function AccessLogPager({ href, next, paged }: { href: string; next: string | null; paged: boolean }) {
  const { t } = usePage();
  if (!next && !paged) return null;
  return (
    <nav aria-label={t('pages.access.pages')}>
      <ul className="pagination">
        {paged ? (
          <li>
            <a href={href}>{t('pages.access.newest')}</a>
          </li>
        ) : null}
        {next ? (
          <li>
            <a href={`${href}?before=${encodeURIComponent(next)}`} rel="next">
              {t('pages.access.older')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function cursorOf(query: Record<string, string | undefined>): string | undefined {
  return query.before && CURSOR_PATTERN.test(query.before) ? query.before : undefined;
}

/** The full, paged "who accessed my data" pages: the person's own and each enterprise's. */
export function accessLogPages(app: HttpApp, deps: IdentityPageDeps): void {
  app.get('/account/access-log', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const before = cursorOf(queryOf(request));
    const page = await deps.identity.accessLog(principal, { before });
    const t = tr(request);
    return sendPage(request, reply, {
      title: t('pages.account.access'),
      width: 'wide',
      children: (
        <>
          <h1>{t('pages.account.access')}</h1>
          <p>{t('pages.account.access.lead')}</p>
          {page.entries.length === 0 ? (
            <p>{t('pages.account.access.none')}</p>
          ) : (
            <AccessLogTable entries={page.entries} caption={t('pages.account.access.caption')} />
          )}
          <AccessLogPager href="/account/access-log" next={page.next} paged={before !== undefined} />
          <p>
            <a href="/account">{t('pages.access.backToAccount')}</a>
          </p>
        </>
      ),
    });
  });

  app.get('/enterprises/:id/access-log', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) return reply.callNotFound();
    const before = cursorOf(queryOf(request));
    const [enterprise, page] = await Promise.all([deps.enterprises.getEnterprise(principal, id), deps.enterprises.accessLog(principal, id, { before })]);
    const t = tr(request);
    const href = `/enterprises/${encodeURIComponent(id)}/access-log`;
    return sendPage(request, reply, {
      title: t('pages.access.enterprise.title', { name: enterprise.name }),
      width: 'wide',
      children: (
        <>
          <h1>{t('pages.access.enterprise.title', { name: enterprise.name })}</h1>
          <p>{t('pages.access.enterprise.lead')}</p>
          {page.entries.length === 0 ? (
            <p>{t('pages.access.enterprise.none')}</p>
          ) : (
            <AccessLogTable entries={page.entries} caption={t('pages.access.enterprise.caption', { name: enterprise.name })} />
          )}
          <AccessLogPager href={href} next={page.next} paged={before !== undefined} />
          <p>
            <a href="/enterprises">{t('pages.agents.back')}</a>
          </p>
        </>
      ),
    });
  });
}
