import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { getRegion } from '../../reference/regions.js';
import { describeUserAgent, formatDateTime } from '../../web/format.js';
import { Button, Form, InsetText, SummaryList, Table, WarningText, seeOther, sendPage, tr, usePage } from '../../web/page.js';
import type { AccountProfile } from '../service.js';
import { clearSessionCookie } from '../routes.js';
import { AccessLogTable } from './access-log.js';
import { pageAccount, queryOf, type IdentityPageDeps } from './context.js';
import '../../notifications/messages.js';

type Sessions = Awaited<ReturnType<IdentityPageDeps['identity']['listSessions']>>;
type AccessLog = Awaited<ReturnType<IdentityPageDeps['identity']['accessLog']>>;

function levelKey(level: number): MessageKey {
  return level >= 3 ? 'pages.account.level.3' : level === 2 ? 'pages.account.level.2' : 'pages.account.level.1';
}

function Profile({ profile }: { profile: AccountProfile }) {
  const { t } = usePage();
  const region = profile.regionCode ? getRegion(profile.regionCode) : undefined;
  const rows =
    profile.kind === 'person'
      ? [
          { key: t('pages.account.name'), value: profile.name },
          { key: t('pages.account.idNumber'), value: profile.idNumberMasked ?? '' },
          { key: t('pages.account.phone'), value: profile.phoneMasked ?? t('pages.account.phone.none') },
          { key: t('pages.account.birthDate'), value: profile.birthDate ?? '' },
          { key: t('pages.account.region'), value: region ? `${region.name}（${region.code}）` : (profile.regionCode ?? '') },
          { key: t('pages.account.level'), value: profile.realNameLevel ? t(levelKey(profile.realNameLevel)) : '' },
        ]
      : [
          { key: t('pages.account.name'), value: profile.name },
          { key: t('pages.account.roles'), value: profile.roles.join(', ') },
          { key: t('pages.account.region'), value: region ? `${region.name}（${region.code}）` : (profile.regionCode ?? '') },
          { key: t('pages.account.mfa'), value: profile.mfaEnrolled ? t('pages.account.mfa.on') : t('pages.account.mfa.off') },
        ];
  return (
    <>
      <h2 id="profile">{t('pages.account.profile')}</h2>
      <SummaryList rows={rows} />
      {profile.kind === 'person' ? (
        <InsetText>
          <p>{t('pages.account.level.explain')}</p>
          {profile.realNameLevel === 1 ? <p>{t('pages.account.confirmPhone')}</p> : null}
        </InsetText>
      ) : null}
    </>
  );
}

function SessionList({ sessions, revoked }: { sessions: Sessions; revoked: boolean }) {
  const { t, locale } = usePage();
  return (
    <>
      <h2 id="sessions">{t('pages.account.sessions')}</h2>
      {revoked ? (
        <p className="tag" role="status">
          {t('pages.account.sessions.revoked')}
        </p>
      ) : null}
      <Table
        caption={t('pages.account.sessions.caption')}
        head={[
          t('pages.account.sessions.device'),
          t('pages.account.sessions.started'),
          t('pages.account.sessions.lastSeen'),
          t('pages.account.sessions.place'),
          t('pages.account.sessions.action'),
        ]}
        rows={sessions.map((session) => {
          const started = formatDateTime(session.createdAt, locale);
          return {
            key: session.id,
            cells: [
              <>
                {describeUserAgent(session.userAgent) ?? t('pages.account.sessions.unknownDevice')}
                {session.current ? (
                  <>
                    {' '}
                    <span className="tag">{t('pages.account.sessions.current')}</span>
                  </>
                ) : null}
              </>,
              started,
              formatDateTime(session.lastSeenAt, locale),
              session.ipHint ?? '',
              session.current ? (
                ''
              ) : (
                <Form action={`/account/sessions/${encodeURIComponent(session.id)}/revoke`} className="inline-form">
                  <button type="submit" className="link-button" aria-label={t('pages.account.sessions.revokeLabel', { started })}>
                    {t('pages.account.sessions.revoke')}
                  </button>
                </Form>
              ),
            ],
          };
        })}
      />
      <WarningText>{t('pages.account.sessions.revokeAllHint')}</WarningText>
      <Form action="/account/sessions/revoke-all">
        <Button variant="warning">{t('pages.account.sessions.revokeAll')}</Button>
      </Form>
    </>
  );
}

function AccessLogSection({ log }: { log: AccessLog }) {
  const { t } = usePage();
  return (
    <>
      <h2 id="access">{t('pages.account.access')}</h2>
      <p>{t('pages.account.access.lead')}</p>
      {log.entries.length === 0 ? (
        <p>{t('pages.account.access.none')}</p>
      ) : (
        <AccessLogTable entries={log.entries} caption={t('pages.account.access.caption')} />
      )}
      {log.next ? (
        <p>
          <a href={`/account/access-log?before=${encodeURIComponent(log.next)}`}>{t('pages.access.older')}</a>
        </p>
      ) : null}
    </>
  );
}

/** My account: profile and real-name level, sessions with revoke, and who looked at my data. */
export function accountPages(app: HttpApp, deps: IdentityPageDeps): void {
  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const [profile, sessions, access, unread] = await Promise.all([
      deps.identity.profile(principal),
      deps.identity.listSessions(principal),
      deps.identity.accessLog(principal),
      principal.personId && deps.inbox ? deps.inbox.unreadCount(principal.personId) : null,
    ]);
    const t = tr(request);
    return sendPage(request, reply, {
      title: t('pages.account.title'),
      width: 'wide',
      children: (
        <>
          <h1>{t('pages.account.title')}</h1>
          {unread === null ? null : (
            <p>
              <a href="/account/inbox">{unread > 0 ? t('notifications.account.link', { count: unread }) : t('notifications.account.linkNone')}</a>
            </p>
          )}
          <Profile profile={profile} />
          <SessionList sessions={sessions} revoked={queryOf(request).revoked === '1'} />
          {profile.kind === 'person' ? <AccessLogSection log={access} /> : null}
        </>
      ),
    });
  });

  app.post('/account/sessions/:sessionId/revoke', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { sessionId } = request.params as { sessionId: string };
    await deps.identity.revokeSession(principal, sessionId.slice(0, 64));
    return seeOther(reply, '/account?revoked=1#sessions');
  });

  app.post('/account/sessions/revoke-all', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    await deps.identity.revokeAllSessions(principal);
    clearSessionCookie(reply, deps.cookie);
    return seeOther(reply, '/signed-out?everywhere=1');
  });
}
