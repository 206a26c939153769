import type { SessionPrincipal } from '../core/auth.js';
import { parseCursor, type AuditEventsTable, type AuditSearchFilter } from '../core/audit.js';
import { fieldInvalid } from '../core/errors.js';
import { translate, type Locale } from '../core/i18n.js';
import type { Platform } from '../core/platform.js';
import { actorOf } from '../identity/service.js';
import { UTF8_BOM, csvLine } from '../policies/benefits/csv.js';
import { fromDayNumber, isIsoDate, toDayNumber } from '../reference/dates.js';
import { AuditCheckpoints } from './checkpoints.js';
import type { AuditEventView, AuditSearchQuery, AuditSearchResult } from './schema.js';
import './messages.js';

const DEFAULT_LIMIT = 50;
/** An export is one request: past this many events, narrow the period. */
export const EXPORT_MAX_EVENTS = 50_000;
const EXPORT_PAGE = 1000;

/** The start of a calendar day in China as an ISO instant (UTC+8, no daylight saving since 1991). */
function shanghaiDayStart(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

function eventView(row: AuditEventsTable): AuditEventView {
  let detail: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.detail) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) detail = parsed as Record<string, unknown>;
  } catch {
    // Shown empty; `tongban audit verify` reports the row if it was tampered with.
  }
  return {
    seq: Number(row.seq),
    id: row.id,
    occurredAt: row.occurredAt,
    action: row.action,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    subjectPersonId: row.subjectPersonId,
    subjectEnterpriseId: row.subjectEnterpriseId,
    purpose: row.purpose,
    outcome: row.outcome,
    detail,
    hash: row.hash,
  };
}

/**
 * Whom a search is about: the person or enterprise filtered by subject, and a person filtered by
 * actor (what someone did on the platform is their data too). An actor id without an actor type
 * may be a person's: it is treated as one (an id of staff or a client matches no person's page).
 */
function subjectsOf(query: AuditSearchQuery): { personId?: string; enterpriseId?: string } {
  const actorPerson = query.actorId && (query.actorType === undefined || query.actorType === 'person') ? query.actorId : undefined;
  return { personId: query.subjectPersonId ?? actorPerson, enterpriseId: query.subjectEnterpriseId };
}

/** A search by actor label that may find people by name (a person's events carry their name as label). */
const searchesPersonsByName = (query: AuditSearchQuery) => Boolean(query.actor?.trim()) && (query.actorType === undefined || query.actorType === 'person');

/**
 * Transparency for administrators and auditors: searching and exporting the audit trail (each
 * search is itself audited, with the person or enterprise searched for as its subject so that
 * they see it) and the trail's signed checkpoints.
 */
export class TransparencyService {
  readonly checkpoints: AuditCheckpoints;

  constructor(private readonly platform: Platform) {
    this.checkpoints = new AuditCheckpoints(platform, { dir: platform.config.auditCheckpointDir });
  }

  /** The query's filters for the trail; the period is calendar days in China, both inclusive. */
  filterOf(query: AuditSearchQuery): Omit<AuditSearchFilter, 'limit'> {
    const problems: { field: string; message: 'transparency.period.invalid' }[] = [];
    if (query.from !== undefined && !isIsoDate(query.from)) problems.push({ field: '/querystring/from', message: 'transparency.period.invalid' });
    if (query.to !== undefined && !isIsoDate(query.to)) problems.push({ field: '/querystring/to', message: 'transparency.period.invalid' });
    if (!problems.length && query.from && query.to && query.to < query.from) problems.push({ field: '/querystring/to', message: 'transparency.period.invalid' });
    if (problems.length) throw fieldInvalid('invalidPeriod', problems[0]!.field, problems[0]!.message);
    // Looking someone up in the trail is itself a read of their data: say why, and they will see it.
    const subjects = subjectsOf(query);
    if ((subjects.personId || subjects.enterpriseId || searchesPersonsByName(query)) && !query.purpose?.trim()) throw fieldInvalid('purposeRequired', '/querystring/purpose', 'transparency.purpose.required');
    return {
      from: query.from ? shanghaiDayStart(query.from) : undefined,
      to: query.to ? shanghaiDayStart(fromDayNumber(toDayNumber(query.to) + 1)) : undefined,
      action: query.action?.trim() || undefined,
      actorType: query.actorType,
      actorId: query.actorId,
      actorLabel: query.actor?.trim() || undefined,
      subjectPersonId: query.subjectPersonId,
      subjectEnterpriseId: query.subjectEnterpriseId,
      outcome: query.outcome,
      beforeSeq: parseCursor(query.before),
    };
  }

  /** Who searched for what is itself on the trail; a search about someone is shown to them. */
  private async recordSearch(principal: SessionPrincipal, action: 'audit.searched' | 'audit.exported', query: AuditSearchQuery, found: number, personsFound: string[] = []): Promise<void> {
    const { purpose, limit: _limit, before: _before, ...filters } = query;
    const subjects = subjectsOf(query);
    const entry = { action, actor: actorOf(principal), purpose: purpose?.trim() || undefined, detail: { filters, found } };
    await this.platform.audit.record({ ...entry, subjectPersonId: subjects.personId, subjectEnterpriseId: subjects.enterpriseId });
    // Found by name: each person whose own events the search showed sees it on their page too.
    for (const personId of personsFound) if (personId !== subjects.personId) await this.platform.audit.record({ ...entry, subjectPersonId: personId });
  }

  async search(principal: SessionPrincipal, query: AuditSearchQuery): Promise<AuditSearchResult> {
    const filter = this.filterOf(query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.platform.audit.search({ ...filter, limit: limit + 1 });
    const items = rows.slice(0, limit).map(eventView);
    const personsFound = searchesPersonsByName(query) ? [...new Set(items.filter((e) => e.actorType === 'person' && e.actorId).map((e) => e.actorId!))] : [];
    await this.recordSearch(principal, 'audit.searched', query, items.length, personsFound);
    return { items, next: rows.length > limit ? String(items.at(-1)!.seq) : null };
  }

  /**
   * The search as CSV (UTF-8 with a byte order mark, for Excel), newest first, at most
   * EXPORT_MAX_EVENTS events; the export is audited before the first byte is sent.
   */
  async exportCsv(principal: SessionPrincipal, query: AuditSearchQuery, locale: Locale): Promise<AsyncGenerator<string>> {
    const filter = this.filterOf(query);
    await this.recordSearch(principal, 'audit.exported', query, -1);
    const audit = this.platform.audit;
    return (async function* () {
      yield UTF8_BOM + `${translate(locale, 'transparency.csv.header')}\r\n`;
      let beforeSeq = filter.beforeSeq;
      let sent = 0;
      while (sent < EXPORT_MAX_EVENTS) {
        const rows = await audit.search({ ...filter, beforeSeq, limit: Math.min(EXPORT_PAGE, EXPORT_MAX_EVENTS - sent) });
        if (rows.length === 0) return;
        yield rows
          .map((row) =>
            csvLine([Number(row.seq), row.occurredAt, row.action, row.actorType, row.actorId, row.actorLabel, row.subjectPersonId, row.subjectEnterpriseId, row.purpose, row.outcome, row.detail, row.hash]),
          )
          .join('');
        sent += rows.length;
        beforeSeq = Number(rows.at(-1)!.seq);
        if (rows.length < EXPORT_PAGE) return;
      }
    })();
  }
}
