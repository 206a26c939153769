import type { Clock } from '../core/clock.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db, Dialect, Tables, Tx } from '../core/db.js';
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
  /** Until then one deliverer holds the message (added by 0060-notifications-inbox). */
  claimedUntil: string | null;
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

/**
 * Delivers one message; the embedded gateway only logs it (masked) and leaves it on the developer
 * page. `messageId` is the same for every attempt at one message: a gateway that accepts an
 * idempotency key should pass it on, so that a retry after a crash mid-send is not sent twice.
 */
export interface MessageGateway {
  send(channel: 'sms' | 'email', recipient: string, body: string, messageId?: string): Promise<void>;
}

export function loggingGateway(logger: Logger): MessageGateway {
  return {
    async send(channel, _recipient, body, messageId) {
      logger.info({ channel, body, messageId }, 'embedded message gateway: message delivered to the developer outbox');
    },
  };
}

/** How long one deliverer holds a message it is sending before another may try. */
const CLAIM_MS = 60_000;
const MAX_ATTEMPTS = 10;

/**
 * Outgoing SMS and email. A message is written in the same transaction as what caused it and
 * delivered afterwards, so it is never lost if the process stops between commit and send.
 * Deliverers (every request that just wrote a message, the recurring job, every server copy)
 * claim messages before sending, so two of them never send the same message at once.
 */
export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly gateway: MessageGateway,
    private readonly dialect?: Dialect,
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

  /**
   * Takes up to `limit` pending messages for this deliverer: unsent, not given up, and not held
   * by another deliverer (`SKIP LOCKED` on PostgreSQL; SQLite has one writer at a time anyway).
   * The outer conditions are checked again on the locked row, so a message claimed meanwhile is
   * not taken twice.
   */
  private async claim(limit: number) {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const free = (eb: ExpressionBuilder<Tables, 'outboxMessages'>) =>
      eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', nowIso)]);
    let due = this.db
      .selectFrom('outboxMessages')
      .select('id')
      .where('sentAt', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .where(free)
      .orderBy('createdAt')
      .limit(limit);
    if (this.dialect) due = this.dialect.skipLocked(due);
    const claimed = await this.db
      .updateTable('outboxMessages')
      .set({ claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString() })
      .where('id', 'in', due)
      .where('sentAt', 'is', null)
      .where(free)
      .returningAll()
      .execute();
    return claimed.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Sends what is pending, oldest first. Returns how many were delivered. */
  async deliverPending(limit = 50): Promise<number> {
    const pending = await this.claim(limit);
    let delivered = 0;
    for (const message of pending) {
      const attempts = message.attempts + 1;
      try {
        await this.gateway.send(message.channel, this.vault.decrypt(message.recipientEnc), message.body, message.id);
        await this.db
          .updateTable('outboxMessages')
          .set({ sentAt: this.clock.now().toISOString(), attempts, claimedUntil: null })
          .where('id', '=', message.id)
          .where('sentAt', 'is', null)
          .execute();
        delivered++;
      } catch {
        // A failing gateway is tried again later, each time waiting twice as long (at most an hour).
        const retryAt = new Date(this.clock.now().getTime() + Math.min(2 ** attempts * 1000, 3_600_000)).toISOString();
        await this.db.updateTable('outboxMessages').set({ attempts, claimedUntil: retryAt }).where('id', '=', message.id).execute();
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
