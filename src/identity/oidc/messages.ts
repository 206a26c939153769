import { defineMessages, type KeysOf } from '../../core/i18n.js';

export const oidcMessages = defineMessages(
  {
    'oidc.redirectUri.invalid': '回调地址不是有效的网址（不能带 # 片段）。',
    'oidc.redirectUri.https': '回调地址必须使用 https（开发环境可用 http://localhost）。',
    'oidc.redirectUri.required': '使用授权码方式登录的客户端至少需要一个回调地址。',
    'oidc.scope.unknown': '不支持的权限范围。',
    'oidc.client.notFound': '没有找到这个客户端。',
    'oidc.consent.title': '授权“{client}”使用您的信息',
    'oidc.consent.lead': '“{client}”请求通过通办账号登录，并获取以下信息：',
    'oidc.consent.allow': '同意并继续',
    'oidc.consent.deny': '拒绝',
    'oidc.consent.remember': '您的选择会被记住；以后可以在“我的账户”中查看谁使用过您的信息。',
    'oidc.scope.openid': '您在通办的账号标识',
    'oidc.scope.profile': '姓名',
    'oidc.scope.phone': '手机号码',
    'oidc.scope.realname': '实名认证等级',
    'oidc.scope.id_number': '身份证件号码（完整号码）',
    'oidc.scope.offline_access': '在您离开后继续访问（刷新令牌）',
    'oidc.login.lead': '“{client}”请求通过通办账号登录。请先登录通办。',
    'oidc.login.continue': '登录通办',
    'oidc.interaction.expired': '登录请求已过期，请回到原网站重新开始。',
  },
  {
    'oidc.redirectUri.invalid': 'The redirect URI is not a valid web address (no # fragment allowed).',
    'oidc.redirectUri.https': 'Redirect URIs must use https (http://localhost is allowed outside production).',
    'oidc.redirectUri.required': 'A client that signs people in with the authorization code needs at least one redirect URI.',
    'oidc.scope.unknown': 'This scope is not supported.',
    'oidc.client.notFound': 'No such client.',
    'oidc.consent.title': 'Allow "{client}" to use your information',
    'oidc.consent.lead': '"{client}" asks to sign you in with your Tongban account and to receive:',
    'oidc.consent.allow': 'Allow and continue',
    'oidc.consent.deny': 'Deny',
    'oidc.consent.remember': 'Your choice is remembered; "My account" shows who has used your information.',
    'oidc.scope.openid': 'your Tongban account identifier',
    'oidc.scope.profile': 'your name',
    'oidc.scope.phone': 'your mobile number',
    'oidc.scope.realname': 'your real-name verification level',
    'oidc.scope.id_number': 'your full resident ID number',
    'oidc.scope.offline_access': 'access while you are away (refresh token)',
    'oidc.login.lead': '"{client}" asks to sign you in with your Tongban account. Sign in to Tongban first.',
    'oidc.login.continue': 'Sign in to Tongban',
    'oidc.interaction.expired': 'This sign-in request has expired; go back to the other site and start again.',
  },
);

declare module '../../core/i18n.js' {
  interface MessageKeys extends KeysOf<typeof oidcMessages> {}
}
