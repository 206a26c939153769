/**
 * Industrial classification for national economic activities, GB/T 4754-2017.
 *
 * The table lives in tables/gbt4754-2017-industries.csv (not data/: the repository ignores every
 * folder named data/). It is parsed on first use.
 *
 * Hierarchy: section (letter A-T) > division (2 digits) > group (3 digits) > class (4 digits).
 * Numeric codes nest by prefix; the section is a column of the table because divisions are not
 * derivable from the letter.
 */
import { readFileSync } from 'node:fs';

export type IndustryLevel = 'section' | 'division' | 'group' | 'class';

export interface Industry {
  code: string;
  level: IndustryLevel;
  name: string;
  /** Explanatory note of the standard (说明), when the standard gives one. */
  note?: string;
  section: string;
  division?: string;
  group?: string;
  /** The code one level up; null for a section. */
  parentCode: string | null;
}

const CSV_URL = new URL('./tables/gbt4754-2017-industries.csv', import.meta.url);
const CSV_HEADER = ['code', 'level', 'section', 'division', 'group', 'name', 'note'] as const;
const LEVELS: readonly IndustryLevel[] = ['section', 'division', 'group', 'class'];

/**
 * RFC 4180 CSV: fields may be quoted, quotes inside quoted fields are doubled, quoted fields may
 * hold commas and line breaks. The notes of the standard contain commas, so a split(',') is wrong.
 * Blank lines are dropped.
 */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((record) => record.cells);
}

/**
 * parseCsv, with the line of the file (1-based) on which each record starts, so that a report
 * about a record names the line an editor shows even after blank lines or quoted line breaks.
 */
export function parseCsvLines(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push({ line: rowLine, cells: row });
      line++;
      rowLine = line;
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push({ line: rowLine, cells: row });
  }
  return rows.filter((r) => !(r.cells.length === 1 && r.cells[0] === ''));
}

/** Parses the table; exported so that a newer edition can be checked before it replaces the file. */
export function parseIndustryTable(csvText: string): Map<string, Industry> {
  const text = csvText.startsWith('\uFEFF') ? csvText.slice(1) : csvText;
  const [header, ...rows] = parseCsv(text);
  if (!header || header.join(',') !== CSV_HEADER.join(',')) {
    throw new Error(`Unexpected industry table header: ${header?.join(',')}`);
  }
  const industries = new Map<string, Industry>();
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== CSV_HEADER.length) throw new Error(`Industry table line ${line}: ${cells.length} fields`);
    const [code, level, section, division, group, name, note] = cells as [string, string, string, string, string, string, string];
    if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`Industry table line ${line}: level ${level}`);
    const industry: Industry = {
      code,
      level: level as IndustryLevel,
      name,
      section,
      parentCode: parentCodeOf(code, level as IndustryLevel, section),
    };
    if (note) industry.note = note;
    if (division) industry.division = division;
    if (group) industry.group = group;
    if (industries.has(code)) throw new Error(`Industry table line ${line}: duplicate code ${code}`);
    industries.set(code, Object.freeze(industry));
  });
  for (const industry of industries.values()) {
    if (industry.parentCode !== null && !industries.has(industry.parentCode)) {
      throw new Error(`Industry ${industry.code} has no parent ${industry.parentCode} in the table`);
    }
  }
  return industries;
}

function parentCodeOf(code: string, level: IndustryLevel, section: string): string | null {
  switch (level) {
    case 'section':
      return null;
    case 'division':
      return section;
    case 'group':
      return code.slice(0, 2);
    case 'class':
      return code.slice(0, 3);
  }
}

let industries: Map<string, Industry> | undefined;

function industryTable(): Map<string, Industry> {
  industries ??= parseIndustryTable(readFileSync(CSV_URL, 'utf8'));
  return industries;
}

export function getIndustry(code: string): Industry | undefined {
  return industryTable().get(code);
}

export function allIndustries(level?: IndustryLevel): Industry[] {
  const list = [...industryTable().values()];
  return level ? list.filter((i) => i.level === level) : list;
}

export function isKnownIndustryClass(code: string): boolean {
  return getIndustry(code)?.level === 'class';
}

/** Section letter of any known code, e.g. '6210' (正餐服务) → 'H'. */
export function industrySection(code: string): string | undefined {
  return getIndustry(code)?.section;
}

/**
 * Whether `code` equals or lies below `ancestorCode` in the hierarchy, e.g. 6210 within 62 within
 * H. Both must be known codes.
 */
export function isIndustryWithin(code: string, ancestorCode: string): boolean {
  const industry = getIndustry(code);
  const ancestor = getIndustry(ancestorCode);
  if (!industry || !ancestor) return false;
  if (ancestor.level === 'section') return industry.section === ancestor.code;
  return industry.level !== 'section' && industry.code.startsWith(ancestor.code);
}
