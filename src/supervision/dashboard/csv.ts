import type { Locale, Translator, MessageKey } from '../../core/i18n.js';
import { UTF8_BOM, csvLine } from '../../policies/benefits/csv.js';
import { yuanText } from '../../policies/benefits/money.js';
import type { DashboardView, DueRow, Figures, PreviousFigures } from './schema.js';

/** The figures every table shows, in order; money is fen in the API and yuan on pages and in CSV. */
export const FIGURE_KEYS = [
  'received',
  'concluded',
  'withdrawn',
  'inProgress',
  'overdue',
  'dueSoon',
  'timed',
  'onTimePromisedRate',
  'onTimeLegalRate',
  'averageHandlingDays',
  'items',
  'oneVisitRate',
  'fullyOnlineRate',
  'reviews',
  'good',
  'bad',
  'goodRate',
  'rectificationCases',
  'rectified',
  'rectificationRate',
  'rectifiedOnTime',
  'rectificationTimelyRate',
  'rectificationOverdue',
  'policyEligible',
  'policyClaims',
  'policyClaimedFen',
  'policyGrants',
  'policyGrantedFen',
  'openInquiries',
  'overdueInquiries',
] as const satisfies readonly (keyof Figures)[];
export type FigureKey = (typeof FIGURE_KEYS)[number];

export const figureLabel = (t: Translator, key: FigureKey) => t(`supervision.figure.${key}` as MessageKey);

/** A figure as text: rates as percentages with one decimal, money in yuan, "—" for no data. */
export function figureText(figures: Figures | PreviousFigures, key: FigureKey): string {
  const value = figures[key];
  if (value === null) return '—';
  if (key.endsWith('Rate')) return `${(value * 100).toFixed(1)}%`;
  if (key.endsWith('Fen')) return yuanText(value);
  return String(value);
}

/** Rows are ranked by the on-time rate against the promised limit, rows without one last. */
export function rankedRows(view: DashboardView) {
  return [...view.rows].sort((a, b) => (b.figures.onTimePromisedRate ?? -1) - (a.figures.onTimePromisedRate ?? -1) || b.figures.received - a.figures.received || a.id.localeCompare(b.id));
}

export const CSV_TABLES = ['summary', 'rows', 'overdue', 'dueSoon'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** One of the page's tables as CSV (UTF-8 with BOM, quoted, formula-safe), in the reader's language. */
export function dashboardCsv(view: DashboardView, table: CsvTable, t: Translator, locale: Locale): string {
  let out = UTF8_BOM;
  if (table === 'summary') {
    out += csvLine([t('supervision.page.figure'), `${t('supervision.page.thisPeriod')} ${view.period.from}..${view.period.to}`, `${t('supervision.page.previousPeriod')} ${view.previousPeriod.from}..${view.previousPeriod.to}`]);
    for (const key of FIGURE_KEYS) out += csvLine([figureLabel(t, key), figureText(view.totals, key), figureText(view.previous, key)]);
  } else if (table === 'rows') {
    out += csvLine([t('supervision.page.rowKind'), 'id', t('supervision.page.name'), ...FIGURE_KEYS.map((key) => figureLabel(t, key))]);
    for (const row of rankedRows(view)) out += csvLine([t(`supervision.page.kind.${row.kind}` as MessageKey), row.id, row.name[locale], ...FIGURE_KEYS.map((key) => figureText(row.figures, key))]);
  } else {
    const rows: DueRow[] = table === 'overdue' ? view.overdue : view.dueSoon;
    out += csvLine([t('supervision.page.trackingNumber'), t('supervision.page.item'), t('supervision.page.department'), t('supervision.page.status'), t('supervision.page.dueOn'), t('supervision.page.daysLeft')]);
    for (const row of rows) out += csvLine([row.trackingNumber, row.itemName[locale], row.departmentName[locale], t(`applications.status.${row.status}` as MessageKey), row.dueOn, row.daysLeft]);
  }
  return out;
}
