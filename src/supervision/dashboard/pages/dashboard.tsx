import type { MessageKey } from '../../../core/i18n.js';
import { formatDateTime } from '../../../web/format.js';
import { Button, Table, TextInput, usePage } from '../../../web/page.js';
import { FIGURE_KEYS, figureLabel, figureText, rankedRows, type CsvTable, type FigureKey } from '../csv.js';
import type { DashboardView, DueRow, ScopeRef } from '../schema.js';
import { BarChart } from './charts.js';

/** Where a scope's page lives. */
export function scopePath(ref: Pick<ScopeRef, 'kind' | 'id'>): string {
  const id = encodeURIComponent(ref.id);
  return ref.kind === 'region' ? `/supervision/regions/${id}` : ref.kind === 'department' ? `/supervision/departments/${id}` : `/supervision/items/${id}`;
}

const periodQuery = (view: DashboardView) => `?from=${view.period.from}&to=${view.period.to}`;

/** The figures of the comparison table (the CSV has every figure). */
const COMPARE: FigureKey[] = ['received', 'concluded', 'inProgress', 'overdue', 'dueSoon', 'onTimePromisedRate', 'onTimeLegalRate', 'averageHandlingDays', 'oneVisitRate', 'fullyOnlineRate', 'goodRate', 'rectificationRate', 'rectificationTimelyRate', 'policyClaims', 'policyGrantedFen', 'openInquiries'];

function CsvLink({ view, table, label }: { view: DashboardView; table: CsvTable; label: string }) {
  const { t, locale } = usePage();
  return (
    <p>
      <a href={`${scopePath(view.scope)}/${table}.csv${periodQuery(view)}&lang=${locale}`} download>
        {t('supervision.page.csv', { table: label })}
      </a>
    </p>
  );
}

function DueTable({ rows, caption }: { rows: DueRow[]; caption: string }) {
  const { t, locale } = usePage();
  if (rows.length === 0) return <p>{t('supervision.page.noneDue')}</p>;
  return (
    <Table
      rowHeaders
      caption={caption}
      head={[t('supervision.page.trackingNumber'), t('supervision.page.item'), t('supervision.page.department'), t('supervision.page.status'), t('supervision.page.dueOn'), t('supervision.page.daysLeft')]}
      rows={rows.map((row) => ({
        key: row.applicationId,
        // Supervisors do not open applications (that is the officers' workbench): the tracking number identifies it.
        cells: [row.trackingNumber, <a href={scopePath({ kind: 'item', id: row.itemId })}>{row.itemName[locale]}</a>, row.departmentName[locale], t(`applications.status.${row.status}` as MessageKey), row.dueOn, String(row.daysLeft)],
      }))}
    />
  );
}

export function DashboardPage({ view }: { view: DashboardView }) {
  const { t, locale, form } = usePage();
  const name = view.scope.name[locale];
  const ranked = rankedRows(view);
  const bySatisfaction = [...view.rows].sort((a, b) => (b.figures.goodRate ?? -1) - (a.figures.goodRate ?? -1) || a.id.localeCompare(b.id));
  const query = periodQuery(view);
  return (
    <>
      {view.path.length ? (
        <nav aria-label={t('supervision.page.breadcrumbs')} className="breadcrumbs">
          <ol className="breadcrumbs__list">
            {view.path.map((ref) => (
              <li key={`${ref.kind}:${ref.id}`} className="breadcrumbs__item">
                <a href={`${scopePath(ref)}${query}`}>{ref.name[locale]}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <span className="caption">{t(`supervision.page.kind.${view.scope.kind}` as MessageKey)}</span>
      <h1>{t('supervision.page.titleOf', { name })}</h1>
      <p className="lead">{view.asOf ? t('supervision.page.asOf', { asOf: formatDateTime(view.asOf, locale) }) : t('supervision.page.notRefreshed')}</p>

      <form method="get" action={scopePath(view.scope)} className="period-form" noValidate>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t('supervision.page.period')}</legend>
          <p>{t('supervision.page.periodText', { from: view.period.from, to: view.period.to, prevFrom: view.previousPeriod.from, prevTo: view.previousPeriod.to })}</p>
          <TextInput name="from" label={t('supervision.page.from')} hint={t('supervision.page.monthHint')} value={String(form.values?.from ?? view.period.from)} width={10} autoComplete="off" />
          <TextInput name="to" label={t('supervision.page.to')} hint={t('supervision.page.monthHint')} value={String(form.values?.to ?? view.period.to)} width={10} autoComplete="off" />
          <input type="hidden" name="lang" value={locale} />
          <Button variant="secondary">{t('supervision.page.show')}</Button>
        </fieldset>
      </form>

      <h2 id="summary">{t('supervision.page.summary')}</h2>
      <Table
        rowHeaders
        caption={t('supervision.page.summaryCaption', { name })}
        head={[t('supervision.page.figure'), t('supervision.page.thisPeriod'), t('supervision.page.previousPeriod')]}
        rows={FIGURE_KEYS.map((key) => ({ key, cells: [figureLabel(t, key), figureText(view.totals, key), figureText(view.previous, key)] }))}
      />
      <CsvLink view={view} table="summary" label={t('supervision.page.summary')} />

      {view.rows.length ? (
        <>
          <h2 id="charts">{t('supervision.page.chartOnTime')}</h2>
          <BarChart
            title={t('supervision.page.chartTitle', { name, chart: t('supervision.page.chartOnTime') })}
            description={t('supervision.page.chartOnTimeDesc')}
            noData={t('supervision.page.noData')}
            bars={ranked.map((row) => ({ label: row.name[locale], value: row.figures.onTimePromisedRate }))}
          />
          <Table
            rowHeaders
            caption={t('supervision.page.chartCaption', { chart: t('supervision.page.chartOnTime') })}
            head={[t('supervision.page.name'), t('supervision.figure.onTimePromisedRate'), t('supervision.figure.timed')]}
            rows={ranked.map((row) => ({ key: `${row.kind}:${row.id}`, cells: [row.name[locale], figureText(row.figures, 'onTimePromisedRate'), String(row.figures.timed)] }))}
          />
          <h2 id="satisfaction">{t('supervision.page.chartSatisfaction')}</h2>
          <BarChart
            title={t('supervision.page.chartTitle', { name, chart: t('supervision.page.chartSatisfaction') })}
            description={t('supervision.page.chartSatisfactionDesc')}
            noData={t('supervision.page.noData')}
            bars={bySatisfaction.map((row) => ({ label: row.name[locale], value: row.figures.goodRate }))}
          />
          <Table
            rowHeaders
            caption={t('supervision.page.chartCaption', { chart: t('supervision.page.chartSatisfaction') })}
            head={[t('supervision.page.name'), t('supervision.figure.goodRate'), t('supervision.figure.reviews')]}
            rows={bySatisfaction.map((row) => ({ key: `${row.kind}:${row.id}`, cells: [row.name[locale], figureText(row.figures, 'goodRate'), String(row.figures.reviews)] }))}
          />
          <h2 id="compare">{t('supervision.page.compare')}</h2>
          <Table
            rowHeaders
            caption={t('supervision.page.compareCaption', { name })}
            head={[t('supervision.page.name'), ...COMPARE.map((key) => figureLabel(t, key))]}
            rows={ranked.map((row) => ({
              key: `${row.kind}:${row.id}`,
              cells: [
                <a href={`${scopePath(row)}${query}`}>{row.name[locale]}</a>,
                ...COMPARE.map((key) => figureText(row.figures, key)),
              ],
            }))}
          />
          <CsvLink view={view} table="rows" label={t('supervision.page.compare')} />
        </>
      ) : (
        <p>{t('supervision.page.noRows')}</p>
      )}

      <h2 id="overdue">{t('supervision.page.overdueList')}</h2>
      <p className="hint">{t('supervision.page.listLimit')}</p>
      <DueTable rows={view.overdue} caption={t('supervision.page.overdueList')} />
      {view.overdue.length ? <CsvLink view={view} table="overdue" label={t('supervision.page.overdueList')} /> : null}
      <h2 id="due-soon">{t('supervision.page.dueSoonList')}</h2>
      <DueTable rows={view.dueSoon} caption={t('supervision.page.dueSoonList')} />
      {view.dueSoon.length ? <CsvLink view={view} table="dueSoon" label={t('supervision.page.dueSoonList')} /> : null}
    </>
  );
}
