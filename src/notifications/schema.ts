import { Type, type Static } from '@sinclair/typebox';
import { INBOX_MAX_PAGE_SIZE } from './inbox.js';

const nullable = <S extends ReturnType<typeof Type.String>>(schema: S) => Type.Union([schema, Type.Null()]);

export const InboxMessageView = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'What happened, e.g. application.accepted' }),
  title: Type.String({ description: "In the reader's language" }),
  body: Type.String(),
  link: nullable(Type.String({ description: 'A path on this site' })),
  createdAt: Type.String(),
  readAt: nullable(Type.String()),
});

export const InboxView = Type.Object({
  unread: Type.Integer({ description: 'Unread messages in the whole inbox' }),
  messages: Type.Array(InboxMessageView),
  olderBefore: nullable(Type.String({ description: 'Pass as `before` for the next, older page; null on the last page' })),
});
export type InboxView = Static<typeof InboxView>;

export const InboxQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: INBOX_MAX_PAGE_SIZE })),
  before: Type.Optional(Type.String({ maxLength: 64, description: 'Id of the last message of the previous page' })),
});

export const InboxParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
