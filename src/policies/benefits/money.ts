/**
 * Amounts are yuan (numbers) in the interchange format and the API, fen (integers) in the tables,
 * so that totals over many grants add up exactly. Formulas already round to fen.
 */
export const fenOf = (yuan: number): number => Math.round(yuan * 100);

export const yuanOf = (fen: number): number => fen / 100;

/** Fen as yuan with exactly two decimals ("1234.50", "-0.05"), without passing through a float. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const whole = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}

/** Money on the pages: thousands separated and always two decimals, as on a payment list ("18,000.00"). */
export function moneyText(locale: 'zh-CN' | 'en', yuan: number): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(yuan);
}
