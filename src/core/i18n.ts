/**
 * Message catalogues. Each capability defines its own with `defineMessages` (Chinese first, then
 * English with exactly the same keys, checked by the compiler) and adds the keys to `MessageKeys`,
 * so `t('some.key')` with a key that does not exist fails the type check.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageKeys {}
export type MessageKey = keyof MessageKeys & string;
export type MessageParams = Record<string, string | number>;

const catalogue: Record<Locale, Map<string, string>> = { 'zh-CN': new Map(), en: new Map() };

export type KeysOf<T> = { [K in keyof T]: true };

export function defineMessages<const Zh extends Record<string, string>>(
  zh: Zh,
  en: { [K in keyof Zh]: string },
): Zh {
  for (const [key, text] of Object.entries(zh)) catalogue['zh-CN'].set(key, text);
  for (const [key, text] of Object.entries(en)) catalogue.en.set(key, text as string);
  return zh;
}

export function translate(locale: Locale, key: MessageKey | string, params: MessageParams = {}): string {
  const text = catalogue[locale].get(key) ?? catalogue[DEFAULT_LOCALE].get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best of our locales from an Accept-Language header (RFC 9110 quality values). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return DEFAULT_LOCALE;
}
