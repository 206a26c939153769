import { CompiledQuery } from 'kysely';
import type { Db, Tx } from '../../core/db.js';
import type { FactValue, Facts } from '../rules/evaluate.js';
import { regionPath } from '../rules/hierarchy.js';
import { checkProfile, factsOn, type ProfileInput, type StoredProfile } from './profile.js';

export type { BuiltinFactsInput, ProfileInput, StoredProfile } from './profile.js';

export interface EnterpriseFactsTable {
  uscc: string;
  name: string | null;
  regionCode: string;
  /** '/310000/310100/310115/': the regions the enterprise lies within, itself last. */
  regionPath: string;
  industryCode: string | null;
  industrySection: string | null;
  entityType: string | null;
  sizeClass: string | null;
  establishedOn: string | null;
  employees: number | null;
  insuredEmployees: number | null;
  operatingRevenue: number | null;
  totalAssets: number | null;
  taxableIncome: number | null;
  taxpayerType: string | null;
  taxCreditRating: string | null;
  layoffRate: number | null;
  unemploymentInsurancePaid: number | null;
  untrustworthy: number | null;
  /** NULL when the qualifications are unknown, 0 when known to be none. */
  qualificationCount: number | null;
  updatedAt: string;
}

export interface EnterpriseFactItemsTable {
  uscc: string;
  fact: string;
  item: string;
  position: number;
}

export type DeclaredKind = 'number' | 'string' | 'boolean' | 'list';

export interface EnterpriseDeclaredFactsTable {
  uscc: string;
  name: string;
  kind: DeclaredKind;
  numberValue: number | null;
  textValue: string | null;
}

declare module '../../core/db.js' {
  interface Tables {
    enterpriseFacts: EnterpriseFactsTable;
    enterpriseFactItems: EnterpriseFactItemsTable;
    enterpriseDeclaredFacts: EnterpriseDeclaredFactsTable;
  }
}

export type ScalarColumnKind = 'text' | 'number' | 'boolean';

/**
 * The column of each built-in scalar fact and how its value is stored. `qualifications` (items in
 * enterprise_fact_items, count in qualification_count) and `ageMonths` (from established_on and
 * the date asked about) are not plain columns.
 */
export const SCALAR_FACT_COLUMNS = {
  region: { column: 'regionCode', kind: 'text' },
  industry: { column: 'industryCode', kind: 'text' },
  industrySection: { column: 'industrySection', kind: 'text' },
  entityType: { column: 'entityType', kind: 'text' },
  sizeClass: { column: 'sizeClass', kind: 'text' },
  establishedOn: { column: 'establishedOn', kind: 'text' },
  employees: { column: 'employees', kind: 'number' },
  insuredEmployees: { column: 'insuredEmployees', kind: 'number' },
  operatingRevenue: { column: 'operatingRevenue', kind: 'number' },
  totalAssets: { column: 'totalAssets', kind: 'number' },
  taxableIncome: { column: 'taxableIncome', kind: 'number' },
  taxpayerType: { column: 'taxpayerType', kind: 'text' },
  taxCreditRating: { column: 'taxCreditRating', kind: 'text' },
  layoffRate: { column: 'layoffRate', kind: 'number' },
  unemploymentInsurancePaid: { column: 'unemploymentInsurancePaid', kind: 'number' },
  untrustworthy: { column: 'untrustworthy', kind: 'boolean' },
} as const satisfies Record<string, { column: keyof EnterpriseFactsTable; kind: ScalarColumnKind }>;

type ScalarFact = keyof typeof SCALAR_FACT_COLUMNS;
const SCALAR_FACTS = Object.keys(SCALAR_FACT_COLUMNS) as ScalarFact[];
const QUALIFICATIONS = 'qualifications';

interface ProfileRows {
  row: EnterpriseFactsTable;
  items: EnterpriseFactItemsTable[];
  declared: EnterpriseDeclaredFactsTable[];
}

function rowsOf({ uscc, name, facts }: StoredProfile, updatedAt: string): ProfileRows {
  const row = { uscc, name, regionPath: regionPath(facts.region as string), updatedAt, qualificationCount: null } as Record<string, unknown>;
  for (const fact of SCALAR_FACTS) {
    const value = facts[fact];
    row[SCALAR_FACT_COLUMNS[fact].column] = value === undefined ? null : typeof value === 'boolean' ? Number(value) : value;
  }
  const items: EnterpriseFactItemsTable[] = [];
  const addItems = (fact: string, list: readonly string[]) => list.forEach((item, position) => items.push({ uscc, fact, item, position }));
  const qualifications = facts[QUALIFICATIONS];
  if (Array.isArray(qualifications)) {
    row.qualificationCount = qualifications.length;
    addItems(QUALIFICATIONS, qualifications);
  }
  const declared: EnterpriseDeclaredFactsTable[] = [];
  for (const [factName, value] of Object.entries(facts)) {
    if (Object.hasOwn(SCALAR_FACT_COLUMNS, factName) || factName === QUALIFICATIONS || value === undefined) continue;
    if (Array.isArray(value)) {
      declared.push({ uscc, name: factName, kind: 'list', numberValue: null, textValue: null });
      addItems(factName, value);
    } else if (typeof value === 'number') declared.push({ uscc, name: factName, kind: 'number', numberValue: value, textValue: null });
    else if (typeof value === 'boolean') declared.push({ uscc, name: factName, kind: 'boolean', numberValue: Number(value), textValue: null });
    else declared.push({ uscc, name: factName, kind: 'string', numberValue: null, textValue: value });
  }
  return { row: row as unknown as EnterpriseFactsTable, items, declared };
}

function storedFacts(row: EnterpriseFactsTable, items: readonly EnterpriseFactItemsTable[], declared: readonly EnterpriseDeclaredFactsTable[]): Facts {
  const facts: Record<string, FactValue> = {};
  for (const fact of SCALAR_FACTS) {
    const { column, kind } = SCALAR_FACT_COLUMNS[fact];
    const value = row[column];
    if (value !== null) facts[fact] = kind === 'boolean' ? value === 1 : (value as string | number);
  }
  const lists = new Map<string, string[]>();
  for (const item of [...items].sort((a, b) => a.position - b.position)) {
    const list = lists.get(item.fact) ?? [];
    list.push(item.item);
    lists.set(item.fact, list);
  }
  if (row.qualificationCount !== null) facts[QUALIFICATIONS] = lists.get(QUALIFICATIONS) ?? [];
  for (const d of declared) {
    if (d.kind === 'list') facts[d.name] = lists.get(d.name) ?? [];
    else if (d.kind === 'boolean') facts[d.name] = d.numberValue === 1;
    else if (d.kind === 'number') facts[d.name] = d.numberValue as number;
    else facts[d.name] = d.textValue as string;
  }
  return facts;
}

// Both engines accept this many bound values in one statement (SQLite's limit is 32,766).
const MAX_PARAMETERS = 30_000;

type TableName = 'enterpriseFacts' | 'enterpriseFactItems' | 'enterpriseDeclaredFacts';

/**
 * Multi-row inserts in chunks of as many rows as the parameter limit allows. Kysely would spend
 * about as long building each chunk's SQL as the database takes to run it, so the text of a chunk
 * size is built once and reused with the next chunk's values (every row has the same columns).
 */
class ChunkedInsert {
  private readonly texts = new Map<string, string>();

  async run(tx: Tx, table: TableName, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const chunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    for (let start = 0; start < rows.length; start += chunk) {
      const slice = rows.slice(start, start + chunk) as ReadonlyArray<Record<string, unknown>>;
      const parameters = slice.flatMap((row) => columns.map((column) => row[column]));
      const key = `${table}:${columns.join(',')}:${slice.length}`;
      let text = this.texts.get(key);
      if (!text) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const compiled = tx.insertInto(table).values(slice as any).compile();
        // The reuse relies on Kysely binding row by row, column by column: checked on first use.
        if (compiled.parameters.length !== parameters.length || compiled.parameters.some((value, index) => value !== parameters[index])) {
          throw new Error(`Unexpected parameter order in the insert into ${table}`);
        }
        text = compiled.sql;
        this.texts.set(key, text);
      }
      await tx.executeQuery(CompiledQuery.raw(text, parameters));
    }
  }
}

/**
 * The SQL of the enterprise facts population. Profiles are checked (checkProfile) before anything
 * is written; a bad one in a batch writes nothing.
 */
export class ProfileStore {
  private readonly inserts = new ChunkedInsert();

  constructor(private readonly db: Db) {}

  /** Adds or replaces one enterprise's profile (its lists and declared facts replaced as a whole). */
  async upsert(input: ProfileInput, updatedAt: string): Promise<StoredProfile> {
    const profile = checkProfile(input);
    const { row, items, declared } = rowsOf(profile, updatedAt);
    await this.db.transaction().execute(async (tx) => {
      const { uscc: _key, ...changes } = row;
      await tx.insertInto('enterpriseFacts').values(row).onConflict((oc) => oc.column('uscc').doUpdateSet(changes)).execute();
      await tx.deleteFrom('enterpriseFactItems').where('uscc', '=', row.uscc).execute();
      await tx.deleteFrom('enterpriseDeclaredFacts').where('uscc', '=', row.uscc).execute();
      await this.inserts.run(tx, 'enterpriseFactItems', items);
      await this.inserts.run(tx, 'enterpriseDeclaredFacts', declared);
    });
    return profile;
  }

  /**
   * Inserts new profiles in multi-row statements, all in one transaction (loading a whole registry
   * extract is a batch job; call it per slice of a few hundred thousand). Every profile is checked
   * first, the problems' fields prefixed with the profile's index (`/12/facts/region`).
   */
  async insertMany(inputs: readonly ProfileInput[], updatedAt: string): Promise<number> {
    const rows: EnterpriseFactsTable[] = [];
    const items: EnterpriseFactItemsTable[] = [];
    const declared: EnterpriseDeclaredFactsTable[] = [];
    inputs.forEach((input, index) => {
      const profileRows = rowsOf(checkProfile(input, `/${index}`), updatedAt);
      rows.push(profileRows.row);
      items.push(...profileRows.items);
      declared.push(...profileRows.declared);
    });
    await this.db.transaction().execute(async (tx) => {
      await this.inserts.run(tx, 'enterpriseFacts', rows);
      await this.inserts.run(tx, 'enterpriseFactItems', items);
      await this.inserts.run(tx, 'enterpriseDeclaredFacts', declared);
    });
    return rows.length;
  }

  async remove(uscc: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('enterpriseFactItems').where('uscc', '=', uscc).execute();
      await tx.deleteFrom('enterpriseDeclaredFacts').where('uscc', '=', uscc).execute();
      await tx.deleteFrom('enterpriseFacts').where('uscc', '=', uscc).execute();
    });
  }

  /**
   * Sets the `untrustworthy` fact of one enterprise from the credit list and bumps its
   * authority-data timestamp, so the push sweep re-matches it. In the caller's transaction; false
   * when the enterprise is not in the population (its facts, once loaded, carry their own value).
   */
  async setUntrustworthy(tx: Tx, uscc: string, value: boolean, updatedAt: string): Promise<boolean> {
    const result = await tx.updateTable('enterpriseFacts').set({ untrustworthy: value ? 1 : 0, updatedAt }).where('uscc', '=', uscc).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** One enterprise's facts as the reference interpreter takes them, as of `on` (YYYY-MM-DD). */
  async facts(uscc: string, on: string): Promise<Facts | undefined> {
    return (await this.factsOfMany([uscc], on)).get(uscc);
  }

  /** Several enterprises' facts as of `on`, by USCC; unknown USCCs are absent from the map. */
  async factsOfMany(usccs: readonly string[], on: string): Promise<Map<string, Facts>> {
    const result = new Map<string, Facts>();
    const chunk = MAX_PARAMETERS;
    for (let start = 0; start < usccs.length; start += chunk) {
      const keys = usccs.slice(start, start + chunk);
      const [rows, items, declared] = await Promise.all([
        this.db.selectFrom('enterpriseFacts').selectAll().where('uscc', 'in', keys).execute(),
        this.db.selectFrom('enterpriseFactItems').selectAll().where('uscc', 'in', keys).execute(),
        this.db.selectFrom('enterpriseDeclaredFacts').selectAll().where('uscc', 'in', keys).execute(),
      ]);
      const itemsOf = groupBy(items);
      const declaredOf = groupBy(declared);
      for (const row of rows) result.set(row.uscc, factsOn(storedFacts(row, itemsOf.get(row.uscc) ?? [], declaredOf.get(row.uscc) ?? []), on));
    }
    return result;
  }
}

function groupBy<Row extends { uscc: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.uscc) ?? [];
    group.push(row);
    groups.set(row.uscc, group);
  }
  return groups;
}
