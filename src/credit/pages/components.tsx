import type { FastifyReply, FastifyRequest } from 'fastify';
import { requirePerson, type SessionPrincipal } from '../../core/auth.js';
import { AppError } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n.js';
import { pageAccount } from '../../identity/pages/context.js';
import { SummaryList, Table, usePage } from '../../web/page.js';
import type { PublicRecord, RecordView } from '../schema.js';
import type { StaffStanding } from '../service.js';
import '../messages.js';

export const categoryKey = (category: string) => `credit.category.${category}` as MessageKey;
export const ID_PATTERN = /^[\w-]{1,64}$/;

export { pageStaff } from '../../evaluation/pages/components.js';

export function pagePerson(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  if (!pageAccount(request, reply)) return undefined;
  return requirePerson(request);
}

/** The service names subject problems `/subject/uscc`; on the form they are fields of their own. */
export function flattenSubjectFields(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.fields.some((f) => f.field.startsWith('/subject/'))) return error;
  const rename: Record<string, string> = { '/subject/kind': '/subjectKind', '/subject/name': '/subjectName', '/subject/uscc': '/uscc', '/subject/idNumber': '/idNumber' };
  const fields = error.fields.map((f) => ({ ...f, field: rename[f.field] ?? f.field }));
  return new AppError(error.status, error.code, error.titleKey, error.detailKey, error.params, fields, error.headers);
}

export { Notice } from '../../policies/loop/pages/components.js';

function period(t: ReturnType<typeof usePage>['t'], from: string | undefined, to: string | null | undefined): string {
  if (!from) return '';
  return to ? t('credit.page.lookup.period', { from, to }) : t('credit.page.lookup.openEnded', { from });
}

/** One enterprise's public records: what is not published says so, and is never rendered. */
export function PublicRecordTable({ name, records }: { name: string; records: PublicRecord[] }) {
  const { t, locale } = usePage();
  const hidden = t('credit.page.lookup.notPublic');
  return (
    <Table
      caption={t('credit.page.lookup.caption', { name })}
      head={[t('credit.field.category'), t('credit.field.title'), t('credit.field.content'), t('credit.field.department'), t('credit.field.decidedOn'), t('credit.field.documentNumber'), t('credit.field.legalBasis'), t('credit.field.effectiveFrom')]}
      rows={records.map((r) => ({
        key: r.id,
        cells: [
          `${t(categoryKey(r.category))}${r.severity ? `（${t(`credit.severity.${r.severity}` as MessageKey)}）` : ''}`,
          r.title ?? hidden,
          r.content ?? hidden,
          r.departmentName[locale],
          r.decidedOn,
          r.documentNumber ?? hidden,
          r.legalBasis ?? hidden,
          r.effectiveFrom !== undefined ? period(t, r.effectiveFrom, r.effectiveTo) : hidden,
        ],
      }))}
    />
  );
}

/** The standing; the counts only when the reader may see them (staff of one department see the status alone). */
export function StandingSummary({ standing }: { standing: StaffStanding }) {
  const { t } = usePage();
  const { counts } = standing;
  return (
    <SummaryList
      rows={[
        { key: t('credit.page.workbench.standing'), value: t(`credit.standing.${standing.status}` as MessageKey) },
        ...(counts
          ? [
              { key: t('credit.category.licence'), value: String(counts.licences) },
              { key: t('credit.category.penalty'), value: String(counts.penalties) },
              { key: t('credit.category.honour'), value: String(counts.honours) },
              { key: t('credit.category.commitmentKept'), value: String(counts.commitmentsKept) },
              { key: t('credit.category.commitmentBroken'), value: String(counts.commitmentsBroken) },
            ]
          : []),
      ]}
    />
  );
}

/** Full records, as staff and the subject see them; `repairLink` adds the subject's way to apply for repair. */
export function RecordTable({ caption, records, repairLink }: { caption: string; records: RecordView[]; repairLink?: boolean }) {
  const { t, locale } = usePage();
  return (
    <Table
      caption={caption}
      head={[
        t('credit.field.category'),
        t('credit.field.title'),
        t('credit.field.content'),
        t('credit.field.department'),
        t('credit.field.documentNumber'),
        t('credit.field.decidedOn'),
        t('credit.field.effectiveFrom'),
        t('credit.page.records.publicUntil'),
        t('credit.page.records.status'),
        ...(repairLink ? [t('credit.page.records.repair')] : []),
      ]}
      rows={records.map((r) => ({
        key: r.id,
        cells: [
          `${t(categoryKey(r.category))}${r.severity ? `（${t(`credit.severity.${r.severity}` as MessageKey)}）` : ''}`,
          r.title,
          r.content,
          r.departmentName[locale],
          r.documentNumber,
          r.decidedOn,
          period(t, r.effectiveFrom, r.effectiveTo),
          r.publicUntil ?? '',
          t(`credit.status.${r.status}` as MessageKey),
          ...(repairLink
            ? [
                r.repairableFrom ? (
                  <a href={`/credit/records/${encodeURIComponent(r.id)}/repair`} aria-label={`${t('credit.page.records.repair')}：${r.title}`}>
                    {t('credit.page.records.repair')}
                  </a>
                ) : (
                  ''
                ),
              ]
            : []),
        ],
      }))}
    />
  );
}
