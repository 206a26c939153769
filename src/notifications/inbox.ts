import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db.js';
import { notFound } from '../core/errors.js';
import { LOCALES, translate, type Locale, type MessageParams } from '../core/i18n.js';
import { InboxStore, type InboxRow } from './store.js';
import './messages.js';

/** Text given in both languages (the catalogue's LocalizedText), such as an item's name. */
export type LocalizedParam = Record<Locale, string>;

/**
 * Parameters of a notification's title and body. A string written `{some.key}` is itself a
 * catalogue message (a status name, say) and is translated too; a LocalizedParam gives the
 * reader's language; anything else is shown as it is.
 */
export type NotificationParams = Record<string, string | number | LocalizedParam>;

function isLocalized(value: unknown): value is LocalizedParam {
  return typeof value === 'object' && value !== null && LOCALES.every((locale) => typeof (value as Record<string, unknown>)[locale] === 'string');
}

export function resolveParams(locale: Locale, params: NotificationParams): MessageParams {
  const resolved: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (isLocalized(value)) resolved[name] = value[locale];
    else if (typeof value === 'string' && /^\{[\w.-]+\}$/.test(value)) resolved[name] = translate(locale, value.slice(1, -1));
    else resolved[name] = value as string | number;
  }
  return resolved;
}

/** Whether `key` is in the message catalogue (so an inbox never shows a bare key to a citizen). */
export function isKnownMessage(key: string): boolean {
  return translate('zh-CN', key) !== key && translate('en', key) !== key;
}

/** A message as its reader sees it. */
export interface InboxMessage {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export function renderMessage(row: InboxRow, locale: Locale): InboxMessage {
  let params: NotificationParams = {};
  try {
    params = JSON.parse(row.params) as NotificationParams;
  } catch {
    // Written by our own code as JSON; an unreadable value shows the message without parameters.
  }
  const resolved = resolveParams(locale, params);
  return {
    id: row.id,
    kind: row.kind,
    title: translate(locale, row.titleKey, resolved),
    body: translate(locale, row.bodyKey, resolved),
    link: row.link,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

export const INBOX_PAGE_SIZE = 20;
export const INBOX_MAX_PAGE_SIZE = 100;

/** A person's in-app inbox: reading and marking read. Messages are written by the Notifier. */
export class InboxService {
  readonly store: InboxStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.store = new InboxStore(db);
  }

  /** Newest first, rendered in `locale`; `before` is the id of the last message already shown. */
  async list(personId: string, locale: Locale, options: { limit?: number; before?: string } = {}) {
    const limit = Math.min(Math.max(options.limit ?? INBOX_PAGE_SIZE, 1), INBOX_MAX_PAGE_SIZE);
    let after: { createdAt: string; id: string } | undefined;
    if (options.before) {
      const anchor = await this.store.byId(options.before);
      if (!anchor || anchor.personId !== personId) throw notFound('inboxMessageNotFound', 'notifications.notFound');
      after = { createdAt: anchor.createdAt, id: anchor.id };
    }
    // One more than asked tells whether an older page exists.
    const [rows, unread] = await Promise.all([this.store.page(personId, limit + 1, after), this.store.unreadCount(personId)]);
    const messages = rows.slice(0, limit).map((row) => renderMessage(row, locale));
    return { unread, messages, olderBefore: rows.length > limit ? messages[messages.length - 1]!.id : null };
  }

  unreadCount(personId: string): Promise<number> {
    return this.store.unreadCount(personId);
  }

  /** Marks a message read; 404 when it is not this person's. Reading it again changes nothing. */
  async markRead(personId: string, id: string): Promise<void> {
    if (!(await this.store.markRead(personId, id, this.clock.now().toISOString()))) {
      throw notFound('inboxMessageNotFound', 'notifications.notFound');
    }
  }

  markAllRead(personId: string): Promise<number> {
    return this.store.markAllRead(personId, this.clock.now().toISOString());
  }
}
