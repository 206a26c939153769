import { forbidden } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { formatDateTime } from '../../web/format.js';
import { Button, Form, seeOther, sendPage, tr, usePage } from '../../web/page.js';
import type { InboxMessage, InboxService } from '../inbox.js';
import '../messages.js';

const ID_PATTERN = /^[\w-]{1,64}$/;

function MessageItem({ message }: { message: InboxMessage }) {
  const { t, locale } = usePage();
  const unread = message.readAt === null;
  return (
    <li className={unread ? 'inbox__item inbox__item--unread' : 'inbox__item'} id={`message-${message.id}`}>
      <h2 className="inbox__title">
        {unread ? (
          <>
            <span className="tag">{t('notifications.inbox.new')}</span>{' '}
          </>
        ) : null}
        {message.title}
      </h2>
      <p>{message.body}</p>
      <p className="secondary-text">{t('notifications.inbox.received', { when: formatDateTime(message.createdAt, locale) })}</p>
      {message.link ? (
        <p>
          <a href={message.link}>
            {t('notifications.inbox.open')}
            <span className="visually-hidden">{`: ${message.title}`}</span>
          </a>
        </p>
      ) : null}
      {unread ? (
        <Form action={`/account/inbox/${encodeURIComponent(message.id)}/read`} className="inline-form">
          <button type="submit" className="link-button" aria-label={t('notifications.inbox.markReadLabel', { title: message.title })}>
            {t('notifications.inbox.markRead')}
          </button>
        </Form>
      ) : null}
    </li>
  );
}

/** My messages: the inbox page, in the reader's language, with mark-as-read forms that work without JavaScript. */
export function inboxPages(app: HttpApp, inbox: InboxService): void {
  app.get('/account/inbox', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    if (!principal.personId) throw forbidden('personOnly');
    const query = queryOf(request);
    const before = query.before && ID_PATTERN.test(query.before) ? query.before : undefined;
    const page = await inbox.list(principal.personId, request.locale, { before });
    const t = tr(request);
    return sendPage(request, reply, {
      title: t('notifications.inbox.title'),
      children: (
        <>
          <h1>{t('notifications.inbox.title')}</h1>
          <p className="lead">{t('notifications.inbox.lead')}</p>
          <p role="status">
            {query.read === '1' ? `${t('notifications.inbox.markedRead')} ` : ''}
            {page.unread > 0 ? t('notifications.inbox.unread', { count: page.unread }) : t('notifications.inbox.allRead')}
          </p>
          {page.messages.length === 0 ? (
            <p>{t('notifications.inbox.none')}</p>
          ) : (
            <ol className="inbox">
              {page.messages.map((message) => (
                <MessageItem key={message.id} message={message} />
              ))}
            </ol>
          )}
          {page.olderBefore || before ? (
            <p className="inbox__pages">
              {before ? <a href="/account/inbox">{t('notifications.inbox.newest')}</a> : null}{' '}
              {page.olderBefore ? <a href={`/account/inbox?before=${encodeURIComponent(page.olderBefore)}`}>{t('notifications.inbox.older')}</a> : null}
            </p>
          ) : null}
          {page.unread > 0 ? (
            <Form action="/account/inbox/read-all">
              <Button variant="secondary">{t('notifications.inbox.markAllRead')}</Button>
            </Form>
          ) : null}
        </>
      ),
    });
  });

  app.post('/account/inbox/:id/read', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    if (!principal.personId) throw forbidden('personOnly');
    const { id } = request.params as { id: string };
    await inbox.markRead(principal.personId, id.slice(0, 64));
    return seeOther(reply, '/account/inbox?read=1');
  });

  app.post('/account/inbox/read-all', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    if (!principal.personId) throw forbidden('personOnly');
    await inbox.markAllRead(principal.personId);
    return seeOther(reply, '/account/inbox?read=1');
  });
}
