import type { HttpApp } from '../../core/http.js';
import { formatDateTime } from '../../web/format.js';
import { Table, sendPage, tr } from '../../web/page.js';
import type { IdentityPageDeps } from './context.js';

/** Embedded mode only: the SMS and emails the platform would have sent, so a developer can read the codes. */
export function outboxPages(app: HttpApp, deps: IdentityPageDeps): void {
  if (deps.production) return;
  app.get('/dev/outbox', { schema: { hide: true } }, async (request, reply) => {
    const t = tr(request);
    const messages = await deps.outbox.recent(50);
    return sendPage(request, reply, {
      title: t('pages.outbox.title'),
      width: 'wide',
      children: (
        <>
          <h1>{t('pages.outbox.title')}</h1>
          <p>{t('pages.outbox.lead')}</p>
          {messages.length === 0 ? (
            <p>{t('pages.outbox.none')}</p>
          ) : (
            <Table
              caption={t('pages.outbox.caption')}
              head={[t('pages.outbox.when'), t('pages.outbox.channel'), t('pages.outbox.to'), t('pages.outbox.body')]}
              rows={messages.map((message) => ({
                key: message.id,
                cells: [formatDateTime(message.createdAt, request.locale), message.channel.toUpperCase(), message.recipientMasked, message.body],
              }))}
            />
          )}
        </>
      ),
    });
  });
}
