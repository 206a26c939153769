import { defineMessages, type KeysOf } from '../../core/i18n.js';

/** Problems with an enterprise profile loaded into the population the policy zone matches against. */
export const profileMessages = defineMessages(
  {
    'policies.profile.sectionMismatch': '行业门类应与行业代码 {industry} 所属的门类 {section} 一致。',
    'policies.profile.declaredName': '“{name}”不能作为申报事实的名称：名称应以小写字母开头，只含字母和数字，且不与内置事实重名。',
    'policies.profile.declaredValue': '申报事实的值应为有限的数字、不含空字符的文字、是或否，或文字列表。',
  },
  {
    'policies.profile.sectionMismatch': 'The industry section must be {section}, the section of industry code {industry}.',
    'policies.profile.declaredName': '"{name}" cannot name a declared fact: start with a lower-case letter, use letters and digits only, and do not reuse a built-in fact\'s name.',
    'policies.profile.declaredValue': 'A declared fact is a finite number, text without NUL characters, true or false, or a list of texts.',
  },
);

declare module '../../core/i18n.js' {
  interface MessageKeys extends KeysOf<typeof profileMessages> {}
}
