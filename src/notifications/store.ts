import type { Db, Tx } from '../core/db.js';
import type { PlatformMigration } from '../core/migrate.js';

export interface InboxMessagesTable {
  id: string;
  personId: string;
  /** What happened, for filtering and tests: `application.accepted`, `certificate.issued`, ... */
  kind: string;
  /** Message-catalogue keys, rendered when read, in the reader's language. */
  titleKey: string;
  bodyKey: string;
  /** JSON text: the parameters of both messages (see NotificationParams). */
  params: string;
  /** A path on this site (`/applications/...`), or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

declare module '../core/db.js' {
  interface Tables {
    inboxMessages: InboxMessagesTable;
  }
}

export type InboxRow = InboxMessagesTable;

/**
 * The in-app inbox, and the claim column that lets several deliverers share the outbox. There is
 * no foreign key to persons: this runs before the identity tables exist (0100), and a person id
 * only ever comes from the identity service.
 */
export const inboxMigration: PlatformMigration = {
  name: '0060-notifications-inbox',
  async up(db) {
    await db.schema
      .createTable('inbox_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title_key', 'text', (c) => c.notNull())
      .addColumn('body_key', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('link', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema.createIndex('inbox_messages_person').on('inbox_messages').columns(['person_id', 'created_at']).execute();
    await db.schema.alterTable('outbox_messages').addColumn('claimed_until', 'text').execute();
  },
};

/** The SQL of the inbox; nothing outside this folder touches this table. */
export class InboxStore {
  constructor(private readonly db: Db) {}

  async insert(tx: Tx | Db, row: InboxRow): Promise<void> {
    await tx.insertInto('inboxMessages').values(row).execute();
  }

  byId(id: string) {
    return this.db.selectFrom('inboxMessages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first; `after` is the last message of the previous page (created_at, then id, descending). */
  page(personId: string, limit: number, after?: { createdAt: string; id: string }) {
    let query = this.db.selectFrom('inboxMessages').selectAll().where('personId', '=', personId);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('createdAt', '<', after.createdAt), eb.and([eb('createdAt', '=', after.createdAt), eb('id', '<', after.id)])]),
      );
    }
    return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  async unreadCount(personId: string): Promise<number> {
    const row = await this.db
      .selectFrom('inboxMessages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('personId', '=', personId)
      .where('readAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks one message read (the first reading counts); answers whether the message is this person's. */
  async markRead(personId: string, id: string, nowIso: string): Promise<boolean> {
    await this.db.updateTable('inboxMessages').set({ readAt: nowIso }).where('id', '=', id).where('personId', '=', personId).where('readAt', 'is', null).execute();
    const row = await this.db.selectFrom('inboxMessages').select('id').where('id', '=', id).where('personId', '=', personId).executeTakeFirst();
    return Boolean(row);
  }

  async markAllRead(personId: string, nowIso: string): Promise<number> {
    const result = await this.db.updateTable('inboxMessages').set({ readAt: nowIso }).where('personId', '=', personId).where('readAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
