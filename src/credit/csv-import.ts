import { AppError } from '../core/errors.js';
import { translate, type Locale, type MessageKey } from '../core/i18n.js';
import { parseCsvLines } from '../reference/industries.js';
import { type ImportResult, type RecordInput } from './schema.js';
import type { CheckedRecord, CreditService, Reporter } from './service.js';

/** The columns of a credit CSV, in any order; the header row names them. */
export const CSV_COLUMNS = [
  'category',
  'severity',
  'subjectKind',
  'uscc',
  'subjectName',
  'idNumber',
  'title',
  'content',
  'legalBasis',
  'documentNumber',
  'decidedOn',
  'effectiveFrom',
  'effectiveTo',
  'publicFields',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['category', 'subjectKind', 'subjectName', 'title', 'content', 'legalBasis', 'documentNumber', 'decidedOn'];
export const IMPORT_MAX_ROWS = 5000;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** Where a problem the service names by JSON pointer sits in the CSV. */
const COLUMN_OF: Record<string, Column> = {
  '/subject/kind': 'subjectKind',
  '/subject/uscc': 'uscc',
  '/subject/name': 'subjectName',
  '/subject/idNumber': 'idNumber',
};

function toInput(values: Partial<Record<Column, string>>): RecordInput {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const kind = blank(values.subjectKind);
  const subject =
    kind === 'person'
      ? { kind: 'person' as const, name: values.subjectName ?? '', idNumber: values.idNumber ?? '' }
      : { kind: kind as 'enterprise', uscc: values.uscc ?? '', name: values.subjectName ?? '' };
  const publicFields = blank(values.publicFields);
  return {
    category: blank(values.category) as RecordInput['category'],
    subject,
    title: values.title ?? '',
    content: values.content ?? '',
    legalBasis: values.legalBasis ?? '',
    documentNumber: values.documentNumber ?? '',
    decidedOn: values.decidedOn?.trim() ?? '',
    ...(blank(values.effectiveFrom) ? { effectiveFrom: blank(values.effectiveFrom) } : {}),
    ...(blank(values.effectiveTo) ? { effectiveTo: blank(values.effectiveTo) } : {}),
    ...(blank(values.severity) ? { severity: blank(values.severity) as RecordInput['severity'] } : {}),
    ...(publicFields !== undefined ? { publicFields: publicFields.split(/[|;；]/).map((f) => f.trim()).filter(Boolean) as RecordInput['publicFields'] } : {}),
  };
}

/**
 * Imports a CSV of records (UTF-8, with or without a byte order mark, a header row naming the
 * columns). All or nothing: every row is checked first and any problem, in any row, imports none
 * of them; the answer lists every problem with its row: the line of the file on which the record
 * starts (the header is line 1; blank lines count, and a quoted line break moves the next record
 * down), as an editor shows it; and its column and a message in the reader's language. Rows already reported identically are counted unchanged.
 */
export async function importCreditCsv(credit: CreditService, reporter: Reporter, csvText: string, locale: Locale): Promise<ImportResult> {
  const errors: ImportResult['errors'] = [];
  const problem = (row: number, field: string, code: string, key: MessageKey, params: Record<string, string | number> = {}) =>
    errors.push({ row, field, code, message: translate(locale, key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && /^\{[\w.]+\}$/.test(v) ? translate(locale, v.slice(1, -1)) : v]))) });
  let rows: { line: number; cells: string[] }[];
  try {
    rows = parseCsvLines(csvText.startsWith('\uFEFF') ? csvText.slice(1) : csvText);
  } catch {
    problem(0, '', 'csvMalformed', 'credit.csv.malformed');
    return { imported: 0, unchanged: 0, errors };
  }
  const [header, ...data] = rows;
  if (!header) {
    problem(1, '', 'csvEmpty', 'credit.csv.empty');
    return { imported: 0, unchanged: 0, errors };
  }
  const columns = header.cells.map((h) => h.trim());
  columns.forEach((name, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) problem(header.line, name, 'unknownColumn', 'credit.csv.unknownColumn', { column: name || `#${index + 1}` });
  });
  for (const required of REQUIRED) if (!columns.includes(required)) problem(header.line, required, 'missingColumn', 'credit.csv.missingColumn', { column: required });
  if (data.length === 0) problem(header.line, '', 'csvEmpty', 'credit.csv.empty');
  if (data.length > IMPORT_MAX_ROWS) problem(header.line, '', 'csvTooManyRows', 'credit.csv.tooManyRows', { max: IMPORT_MAX_ROWS });
  if (errors.length) return { imported: 0, unchanged: 0, errors };

  const checkedRows: { row: number; checked: CheckedRecord }[] = [];
  const seen = new Map<string, number>();
  for (const { line: row, cells } of data) {
    if (cells.length !== columns.length) {
      problem(row, '', 'wrongCellCount', 'credit.csv.cellCount', { expected: columns.length, found: cells.length });
      continue;
    }
    const values = Object.fromEntries(columns.map((c, i) => [c, cells[i]])) as Partial<Record<Column, string>>;
    const input = toInput(values);
    let checked: CheckedRecord;
    try {
      checked = await credit.check(input, reporter);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      for (const field of error.fields) problem(row, COLUMN_OF[field.field] ?? field.field.slice(1), error.code, field.message, field.params);
      continue;
    }
    const key = input.documentNumber.trim();
    const earlier = seen.get(key);
    if (earlier) problem(row, 'documentNumber', 'duplicateInFile', 'credit.csv.duplicate', { row: earlier });
    else seen.set(key, row);
    checkedRows.push({ row, checked });
  }
  if (errors.length) return { imported: 0, unchanged: 0, errors };
  const outcome = await credit.reportMany(reporter, checkedRows);
  for (const conflictRow of outcome.conflicts) problem(conflictRow.row, 'documentNumber', 'documentNumberTaken', 'credit.document.taken', { documentNumber: conflictRow.documentNumber });
  return { imported: errors.length ? 0 : outcome.imported, unchanged: errors.length ? 0 : outcome.unchanged, errors };
}
