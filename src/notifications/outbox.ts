import type { Clock } from '../core/clock.js';
import type { Db, Tx } from '../core/db.js';
import { newId } from '../core/ids.js';
import type { PlatformMigration } from '../core/migrate.js';
import type { PersonalDataVault } from '../core/personal-data.js';
import type { Logger } from 'pino';

export interface OutboxMessagesTable {
  id: string;
  channel: 'sms' | 'email';
  recipientEnc: string;
  recipientMasked: string;
  body: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
}

declare module '../core/db.js' {
  interface Tables {
    outboxMessages: OutboxMessagesTable;
  }
}

export const outboxMigration: PlatformMigration = {
  name: '0050-notifications-outbox',
  async up(db) {
    await db.schema
      .createTable('outbox_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient_enc', 'text', (c) => c.notNull())
      .addColumn('recipient_masked', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_messages_pending').on('outbox_messages').columns(['sent_at', 'created_at']).execute();
  },
};

/** Delivers one message; the embedded gateway only logs it (masked) and leaves it on the developer page. */
export interface MessageGateway {
  send(channel: 'sms' | 'email', recipient: string, body: string): Promise<void>;
}

export function loggingGateway(logger: Logger): MessageGateway {
  return {
    async send(channel, _recipient, body) {
      logger.info({ channel, body }, 'embedded message gateway: message delivered to the developer outbox');
    },
  };
}

/**
 * Outgoing SMS and email. A message is written in the same transaction as what caused it and
 * delivered afterwards, so it is never lost if the process stops between commit and send.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly gateway: MessageGateway,
  ) {}

  async enqueue(tx: Tx | Db, message: { channel: 'sms' | 'email'; recipient: string; recipientMasked: string; body: string }): Promise<string> {
    const id = newId();
    await tx
      .insertInto('outboxMessages')
      .values({
        id,
        channel: message.channel,
        recipientEnc: this.vault.encrypt(message.recipient),
        recipientMasked: message.recipientMasked,
        body: message.body,
        createdAt: this.clock.now().toISOString(),
        sentAt: null,
        attempts: 0,
      })
      .execute();
    return id;
  }

  /** Sends what is pending, oldest first. Returns how many were delivered. */
  async deliverPending(limit = 50): Promise<number> {
    const pending = await this.db
      .selectFrom('outboxMessages')
      .selectAll()
      .where('sentAt', 'is', null)
      .where('attempts', '<', 10)
      .orderBy('createdAt')
      .limit(limit)
      .execute();
    let delivered = 0;
    for (const message of pending) {
      try {
        await this.gateway.send(message.channel, this.vault.decrypt(message.recipientEnc), message.body);
        await this.db
          .updateTable('outboxMessages')
          .set({ sentAt: this.clock.now().toISOString(), attempts: message.attempts + 1 })
          .where('id', '=', message.id)
          .where('sentAt', 'is', null)
          .execute();
        delivered++;
      } catch {
        await this.db.updateTable('outboxMessages').set({ attempts: message.attempts + 1 }).where('id', '=', message.id).execute();
      }
    }
    return delivered;
  }

  /** The developer page: recent messages, recipients masked. */
  async recent(limit = 50) {
    return this.db
      .selectFrom('outboxMessages')
      .select(['id', 'channel', 'recipientMasked', 'body', 'createdAt', 'sentAt'])
      .orderBy('createdAt', 'desc')
      // Ids are time-ordered (UUIDv7), so they break ties between messages of the same instant.
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
