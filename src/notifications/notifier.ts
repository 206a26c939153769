import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Tx } from '../core/db.js';
import { translate, type Locale } from '../core/i18n.js';
import { newId } from '../core/ids.js';
import { maskPhone } from '../core/personal-data.js';
import { isKnownMessage, resolveParams, type NotificationParams } from './inbox.js';
import type { Outbox } from './outbox.js';
import { InboxStore } from './store.js';
import './messages.js';

export type NotificationChannel = 'inbox' | 'sms' | 'email';

export interface Notification {
  personId: string;
  /** What happened (`application.accepted`), kept with the inbox message. */
  kind: string;
  /** Catalogue keys of the title and the body (any capability's messages.ts). */
  titleKey: string;
  bodyKey: string;
  params?: NotificationParams;
  /** A path on this site the message points to (`/applications/...`). */
  link?: string | null;
  /** Where to send it; the inbox and SMS when not given. */
  channels?: readonly NotificationChannel[];
  /** Language of the SMS or email; Chinese when not given (no language preference is kept yet). */
  locale?: Locale;
}

/** How to reach a person, read inside the notifying transaction. */
export type ContactLookup = (personId: string, tx: Tx) => Promise<{ phone: string | null; email: string | null } | undefined>;

const DEFAULT_CHANNELS: readonly NotificationChannel[] = ['inbox', 'sms'];

/** A path on this site only: `/x`, never `//host` or a `\` that browsers read as `/`. */
function isLocalPath(link: string): boolean {
  return link.startsWith('/') && !link.startsWith('//') && !/[\u0000-\u0020\u007f\\]/.test(link) && link.length <= 500;
}

/**
 * Notifies a person of a step in their affairs: an inbox message (rendered when read, in the
 * reader's language) and an SMS (and an email, once persons have an address) through the outbox.
 * Everything is written in the caller's transaction, so a notification exists exactly when the
 * change it reports does, and is sent after the commit: by `deliverSoon()`/`deliver()` at once,
 * or by the recurring `outbox.deliver` job if the process stopped first.
 */
export class Notifier {
  constructor(
    private readonly inbox: InboxStore,
    private readonly outbox: Outbox,
    private readonly contacts: ContactLookup,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly publicUrl: string,
  ) {}

  async notify(tx: Tx, notification: Notification): Promise<{ inboxMessageId: string | null; outboxMessageIds: string[] }> {
    // Wrong keys or links are bugs in the calling code: fail its transaction rather than show a
    // citizen a bare key or send them off-site.
    for (const key of [notification.titleKey, notification.bodyKey]) {
      if (!isKnownMessage(key)) throw new Error(`notify: "${key}" is not in the message catalogue`);
    }
    if (notification.link && !isLocalPath(notification.link)) throw new Error(`notify: link "${notification.link}" is not a path on this site`);
    const channels = new Set(notification.channels ?? DEFAULT_CHANNELS);
    const params = notification.params ?? {};
    const nowIso = this.clock.now().toISOString();

    let inboxMessageId: string | null = null;
    if (channels.has('inbox')) {
      inboxMessageId = newId();
      await this.inbox.insert(tx, {
        id: inboxMessageId,
        personId: notification.personId,
        kind: notification.kind,
        titleKey: notification.titleKey,
        bodyKey: notification.bodyKey,
        params: JSON.stringify(params),
        link: notification.link ?? null,
        createdAt: nowIso,
        readAt: null,
      });
    }

    const outboxMessageIds: string[] = [];
    if (channels.has('sms') || channels.has('email')) {
      const contact = await this.contacts(notification.personId, tx);
      const locale = notification.locale ?? 'zh-CN';
      const resolved = resolveParams(locale, params);
      const title = translate(locale, notification.titleKey, resolved);
      const body = translate(locale, notification.bodyKey, resolved);
      const text = notification.link
        ? translate(locale, 'notifications.sms.text', { title, body, url: new URL(notification.link, this.publicUrl).toString() })
        : translate(locale, 'notifications.sms.textWithoutLink', { title, body });
      if (channels.has('sms') && contact?.phone) {
        outboxMessageIds.push(await this.outbox.enqueue(tx, { channel: 'sms', recipient: contact.phone, recipientMasked: maskPhone(contact.phone), body: text }));
      }
      if (channels.has('email') && contact?.email) {
        outboxMessageIds.push(await this.outbox.enqueue(tx, { channel: 'email', recipient: contact.email, recipientMasked: maskEmail(contact.email), body: text }));
      }
    }
    return { inboxMessageId, outboxMessageIds };
  }

  /** Sends what is waiting in the outbox; call after the transaction that notified has committed. */
  async deliver(): Promise<number> {
    try {
      return await this.outbox.deliverPending();
    } catch (error) {
      // The change is committed; what could not be sent now the recurring job sends later.
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'outbox delivery after commit failed');
      return 0;
    }
  }

  #delivering: Promise<void> | null = null;
  #again = false;

  /**
   * `deliver()` without waiting: the response need not wait for the SMS gateway. Under load many
   * requests ask at once; one delivery runs at a time and one more follows for whatever arrived
   * meanwhile, instead of a delivery (two write transactions) per request.
   */
  deliverSoon(): void {
    if (this.#delivering) {
      this.#again = true;
      return;
    }
    this.#delivering = (async () => {
      do {
        this.#again = false;
        await this.deliver();
      } while (this.#again);
      this.#delivering = null;
    })();
  }
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at > 1 ? `${email[0]}***${email.slice(at)}` : `***${email.slice(Math.max(at, 0))}`;
}
