import { defineMessages, type KeysOf } from '../core/i18n.js';

export const notificationMessages = defineMessages(
  {
    'notifications.sms.text': '【通办】{title}：{body} 详情请登录通办查看：{url}',
    'notifications.sms.textWithoutLink': '【通办】{title}：{body}',
    'notifications.notFound': '没有找到这条消息。',
    'notifications.inbox.title': '消息',
    'notifications.inbox.lead': '办件进度、补正通知、证照发放等消息都会发到这里，重要消息同时以短信通知。',
    'notifications.inbox.none': '暂无消息。',
    'notifications.inbox.unread': '{count} 条未读',
    'notifications.inbox.allRead': '全部已读',
    'notifications.inbox.new': '未读',
    'notifications.inbox.received': '收到时间：{when}',
    'notifications.inbox.open': '查看详情',
    'notifications.inbox.markRead': '标为已读',
    'notifications.inbox.markReadLabel': '将“{title}”标为已读',
    'notifications.inbox.markAllRead': '全部标为已读',
    'notifications.inbox.older': '更早的消息',
    'notifications.inbox.newest': '回到最新消息',
    'notifications.inbox.markedRead': '已标为已读。',
    'notifications.account.link': '消息（{count} 条未读）',
    'notifications.account.linkNone': '消息',
    'notifications.application.statusChanged.title': '办件进度：{item}',
    'notifications.application.statusChanged.body': '您申请的“{item}”（受理编号 {trackingNumber}）{status}。',
  },
  {
    'notifications.sms.text': '[Tongban] {title}: {body} Sign in to Tongban for details: {url}',
    'notifications.sms.textWithoutLink': '[Tongban] {title}: {body}',
    'notifications.notFound': 'There is no such message.',
    'notifications.inbox.title': 'Messages',
    'notifications.inbox.lead': 'Progress of your applications, requests for more material and certificates issued arrive here; important ones also by SMS.',
    'notifications.inbox.none': 'No messages yet.',
    'notifications.inbox.unread': '{count} unread',
    'notifications.inbox.allRead': 'All read',
    'notifications.inbox.new': 'Unread',
    'notifications.inbox.received': 'Received {when}',
    'notifications.inbox.open': 'See details',
    'notifications.inbox.markRead': 'Mark as read',
    'notifications.inbox.markReadLabel': 'Mark "{title}" as read',
    'notifications.inbox.markAllRead': 'Mark all as read',
    'notifications.inbox.older': 'Older messages',
    'notifications.inbox.newest': 'Back to the newest messages',
    'notifications.inbox.markedRead': 'Marked as read.',
    'notifications.account.link': 'Messages ({count} unread)',
    'notifications.account.linkNone': 'Messages',
    'notifications.application.statusChanged.title': 'Application update: {item}',
    'notifications.application.statusChanged.body': 'Your application for "{item}" (tracking number {trackingNumber}) {status}.',
  },
);

declare module '../core/i18n.js' {
  interface MessageKeys extends KeysOf<typeof notificationMessages> {}
}
