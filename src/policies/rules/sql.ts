import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../core/db.js';
import { isIsoDate } from '../../reference/dates.js';
import { isKnownRegion, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { getIndustry } from '../../reference/industries.js';
import { SCALAR_FACT_COLUMNS, type ScalarColumnKind } from '../profiles/store.js';
import type { Condition, Leaf, Operator, Outcome, Scalar } from './evaluate.js';
import { divisionsOfSection, regionPath } from './hierarchy.js';
import { BUILTIN_FACTS, type FactType } from './validate.js';

/**
 * Rules compiled to SQL over the enterprise facts population (profiles/), one text for SQLite and
 * PostgreSQL. SQL's AND, OR and NOT are Kleene's logic, the interpreter's: a leaf on a missing
 * fact is NULL, except `exists`, which is never NULL. Rule values are bound parameters; the only
 * literals are constants of this file. Text columns compare by code point (see the migration), as
 * JavaScript compares strings.
 *
 * Precondition, kept by the store: region codes are known (or 100000) and industries are known
 * class codes, so the hierarchy tests below agree with isWithin and isIndustryWithin.
 */
export const FACTS_ALIAS = 'f';

export interface RuleSqlOptions {
  /** The date the rule is evaluated on (YYYY-MM-DD); `ageMonths` counts to it. */
  on: string;
  /** Facts declared by the policy file; any other fact a rule names must be built in. */
  declared?: Readonly<Record<string, FactType>>;
}

/** A SQL truth value (TRUE, FALSE or NULL), or a constant known when compiling. */
type Truth = RawBuilder<SqlBool> | boolean;

const TRUE = sql<SqlBool>`TRUE`;
const FALSE = sql<SqlBool>`FALSE`;
const toSql = (value: Truth): RawBuilder<SqlBool> => (value === true ? TRUE : value === false ? FALSE : value);

function and(parts: Truth[]): Truth {
  if (parts.includes(false)) return false;
  const open = parts.filter((part): part is RawBuilder<SqlBool> => part !== true);
  if (open.length === 0) return true;
  return open.length === 1 ? open[0]! : sql<SqlBool>`(${sql.join(open, sql` AND `)})`;
}

function or(parts: Truth[]): Truth {
  if (parts.includes(true)) return true;
  const open = parts.filter((part): part is RawBuilder<SqlBool> => part !== false);
  if (open.length === 0) return false;
  return open.length === 1 ? open[0]! : sql<SqlBool>`(${sql.join(open, sql` OR `)})`;
}

const not = (part: Truth): Truth => (typeof part === 'boolean' ? !part : sql<SqlBool>`(NOT ${part})`);

/** `result` where `value` is present, NULL where it is missing: for results that do not propagate NULL themselves. */
const whenPresent = (value: RawBuilder<unknown>, result: Truth): RawBuilder<SqlBool> => sql<SqlBool>`(CASE WHEN ${value} IS NOT NULL THEN ${toSql(result)} END)`;

const asList = (value: Scalar | Scalar[]): Scalar[] => (Array.isArray(value) ? value : [value]);
const col = (column: string) => sql.ref(`${FACTS_ALIAS}.${column}`);

type ValueKind = ScalarColumnKind | 'list';

const fitsKind = (kind: ScalarColumnKind, value: unknown): value is Scalar =>
  kind === 'number' ? typeof value === 'number' : kind === 'text' ? typeof value === 'string' : typeof value === 'boolean';
const bound = (value: Scalar) => (typeof value === 'boolean' ? Number(value) : value);

/** The text that follows every text starting with `prefix` in code point order (exclusive bound). */
function afterPrefix(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** `value` starts with `prefix`, as a range (index-friendly, nothing to escape). */
function startsWith(value: RawBuilder<unknown>, prefix: string): Truth {
  if (prefix.length === 0) return true;
  return sql<SqlBool>`(${value} >= ${prefix} AND ${value} < ${afterPrefix(prefix)})`;
}

/**
 * A leaf's test of a present scalar value of a known storage kind. The SQL propagates NULL (so a
 * missing value gives NULL); constants are the verdict for every present value of the kind.
 */
function scalarTest(op: Exclude<Operator, 'exists' | 'within'>, expected: Scalar | Scalar[], value: RawBuilder<unknown>, kind: ScalarColumnKind): Truth {
  switch (op) {
    case 'eq':
      return !Array.isArray(expected) && fitsKind(kind, expected) && sql<SqlBool>`(${value} = ${bound(expected)})`;
    case 'ne':
      return Array.isArray(expected) || !fitsKind(kind, expected) || sql<SqlBool>`(${value} <> ${bound(expected)})`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (Array.isArray(expected) || kind === 'boolean' || !fitsKind(kind, expected)) return false;
      const operator = sql.raw({ lt: '<', lte: '<=', gt: '>', gte: '>=' }[op]);
      return sql<SqlBool>`(${value} ${operator} ${expected})`;
    }
    case 'in':
    case 'notIn': {
      const members = [...new Set(asList(expected).filter((member) => fitsKind(kind, member)))].map(bound);
      if (members.length === 0) return op === 'notIn';
      return op === 'in' ? sql<SqlBool>`(${value} IN (${sql.join(members)}))` : sql<SqlBool>`(${value} NOT IN (${sql.join(members)}))`;
    }
    case 'between': {
      const [low, high] = asList(expected);
      if (low === undefined || high === undefined || kind === 'boolean' || !fitsKind(kind, low) || !fitsKind(kind, high)) return false;
      return sql<SqlBool>`(${value} >= ${low} AND ${value} <= ${high})`;
    }
    case 'prefix': {
      if (kind !== 'text') return false;
      const codes = asList(expected).filter((code): code is string => typeof code === 'string');
      // A section letter covers the codes of its divisions (the first two digits of a known code).
      const divisions = codes.filter((code) => getIndustry(code)?.level === 'section').flatMap((section) => divisionsOfSection(section));
      const bySection: Truth = divisions.length > 0 && sql<SqlBool>`(substr(${value}, 1, 2) IN (${sql.join(divisions)}))`;
      return or([...codes.map((code) => startsWith(value, code)), bySection]);
    }
    case 'has':
      return false;
  }
}

/** A leaf's test of a present list (its items in enterprise_fact_items under `fact`). */
function listTest(op: Exclude<Operator, 'exists'>, expected: Scalar | Scalar[], fact: RawBuilder<unknown>): Truth {
  switch (op) {
    case 'has': {
      const wanted = asList(expected);
      if (wanted.some((item) => typeof item !== 'string')) return false;
      return and(
        [...new Set(wanted)].map(
          (item) =>
            sql<SqlBool>`EXISTS (SELECT 1 FROM enterprise_fact_items i WHERE i.uscc = ${col('uscc')} AND i.fact = ${fact} AND i.item = ${item})`,
        ),
      );
    }
    // A list equals no scalar and lies in no set of scalars, as evaluateLeaf has it.
    case 'ne':
    case 'notIn':
      return true;
    default:
      return false;
  }
}

function regionWithin(expected: Scalar | Scalar[]): Truth {
  const codes = asList(expected).filter((code): code is string => typeof code === 'string');
  if (codes.includes(NATIONWIDE_REGION_CODE)) return whenPresent(col('regionCode'), true);
  const path = col('regionPath');
  // A known region covers the enterprises whose path starts with its own; an unknown one only itself.
  return or(codes.map((code) => (isKnownRegion(code) ? startsWith(path, regionPath(code)) : sql<SqlBool>`(${col('regionCode')} = ${code})`)));
}

/** The last establishment date giving an age of at least `months` whole months on `on`. */
function latestEstablishedFor(months: number, on: string): string | boolean {
  if (months <= 0) return true;
  const [year, month, day] = on.split('-') as [string, string, string];
  const index = Number(year) * 12 + Number(month) - 1 - months;
  if (index < 0) return false;
  // monthsBetween counts a month once the day of the month is reached, so the day stays the same;
  // a day past the month's end (02-31) still sorts after every real date of that month.
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-${day}`;
}

/**
 * `ageMonths` is monthsBetween(establishedOn, on), known when established on or before `on`; an
 * age of at least N months is an establishment date up to a threshold, so every comparison
 * becomes one on established_on.
 */
function ageLeaf(op: Operator, expected: Scalar | Scalar[], on: string): RawBuilder<SqlBool> {
  const established = col('establishedOn');
  const known = sql<SqlBool>`(${established} IS NOT NULL AND ${established} <= ${on})`;
  if (op === 'exists') return expected === true ? known : sql<SqlBool>`(NOT ${known})`;
  const atLeast = (months: number): Truth => {
    const latest = latestEstablishedFor(months, on);
    return typeof latest === 'boolean' ? latest : sql<SqlBool>`(${established} <= ${latest})`;
  };
  const equals = (months: Scalar): Truth => typeof months === 'number' && Number.isInteger(months) && and([atLeast(months), not(atLeast(months + 1))]);
  const number = typeof expected === 'number' ? expected : undefined;
  let test: Truth;
  switch (op) {
    case 'eq':
      test = !Array.isArray(expected) && equals(expected);
      break;
    case 'ne':
      test = Array.isArray(expected) || not(equals(expected));
      break;
    case 'gte':
      test = number !== undefined && atLeast(Math.ceil(number));
      break;
    case 'gt':
      test = number !== undefined && atLeast(Math.floor(number) + 1);
      break;
    case 'lte':
      test = number !== undefined && not(atLeast(Math.floor(number) + 1));
      break;
    case 'lt':
      test = number !== undefined && not(atLeast(Math.ceil(number)));
      break;
    case 'in':
      test = or(asList(expected).map(equals));
      break;
    case 'notIn':
      test = not(or(asList(expected).map(equals)));
      break;
    case 'between': {
      const [low, high] = asList(expected);
      test = typeof low === 'number' && typeof high === 'number' && and([atLeast(Math.ceil(low)), not(atLeast(Math.floor(high) + 1))]);
      break;
    }
    default:
      test = false;
  }
  return sql<SqlBool>`(CASE WHEN ${established} <= ${on} THEN ${toSql(test)} END)`;
}

/**
 * A declared fact: a row of enterprise_declared_facts whose `kind` says where the value is. The
 * scalar subquery is NULL when the enterprise has not declared it.
 */
function declaredLeaf(leaf: Leaf): RawBuilder<SqlBool> {
  const row = sql`FROM enterprise_declared_facts d WHERE d.uscc = ${col('uscc')} AND d.name = ${leaf.fact}`;
  if (leaf.op === 'exists') return leaf.value === true ? sql<SqlBool>`EXISTS (SELECT 1 ${row})` : sql<SqlBool>`(NOT EXISTS (SELECT 1 ${row}))`;
  if (leaf.op === 'within') throw new Error(`within applies to the region, not to the declared fact ${leaf.fact}`);
  const op = leaf.op;
  if (op === 'prefix') throw new Error(`prefix applies to the industry, not to the declared fact ${leaf.fact}`);
  const numberValue = sql.ref('d.numberValue');
  const branches: Record<ValueKind, Truth> = {
    number: scalarTest(op, leaf.value, numberValue, 'number'),
    boolean: scalarTest(op, leaf.value, numberValue, 'boolean'),
    text: scalarTest(op, leaf.value, sql.ref('d.textValue'), 'text'),
    list: listTest(op, leaf.value, sql.ref('d.name')),
  };
  return sql<SqlBool>`(SELECT CASE d.kind WHEN 'number' THEN ${toSql(branches.number)} WHEN 'boolean' THEN ${toSql(branches.boolean)} WHEN 'string' THEN ${toSql(branches.text)} WHEN 'list' THEN ${toSql(branches.list)} END ${row})`;
}

function builtinLeaf(leaf: Leaf, options: RuleSqlOptions): RawBuilder<SqlBool> {
  if (leaf.fact === 'ageMonths') return ageLeaf(leaf.op, leaf.value, options.on);
  if (leaf.fact === 'qualifications') {
    const count = col('qualificationCount');
    if (leaf.op === 'exists') return leaf.value === true ? sql<SqlBool>`(${count} IS NOT NULL)` : sql<SqlBool>`(${count} IS NULL)`;
    return whenPresent(count, listTest(leaf.op, leaf.value, sql`${'qualifications'}`));
  }
  const { column, kind } = SCALAR_FACT_COLUMNS[leaf.fact as keyof typeof SCALAR_FACT_COLUMNS];
  const value = col(column);
  if (leaf.op === 'exists') return leaf.value === true ? sql<SqlBool>`(${value} IS NOT NULL)` : sql<SqlBool>`(${value} IS NULL)`;
  if (leaf.op === 'within') {
    if (leaf.fact !== 'region') throw new Error(`within applies to the region, not to ${leaf.fact}`);
    return toSqlWhenPresent(value, regionWithin(leaf.value));
  }
  if (leaf.op === 'prefix' && leaf.fact !== 'industry') throw new Error(`prefix applies to the industry, not to ${leaf.fact}`);
  return toSqlWhenPresent(value, scalarTest(leaf.op, leaf.value, value, kind));
}

/** SQL that already propagates NULL stays as it is; a constant holds only where the value is present. */
const toSqlWhenPresent = (value: RawBuilder<unknown>, test: Truth): RawBuilder<SqlBool> => (typeof test === 'boolean' ? whenPresent(value, test) : test);

function compile(condition: Condition, options: RuleSqlOptions): RawBuilder<SqlBool> {
  if ('all' in condition) return sql<SqlBool>`(${sql.join(condition.all.map((c) => compile(c, options)), sql` AND `)})`;
  if ('any' in condition) return sql<SqlBool>`(${sql.join(condition.any.map((c) => compile(c, options)), sql` OR `)})`;
  if ('not' in condition) return sql<SqlBool>`(NOT ${compile(condition.not, options)})`;
  if (Object.hasOwn(BUILTIN_FACTS, condition.fact)) return builtinLeaf(condition, options);
  if (options.declared && Object.hasOwn(options.declared, condition.fact)) return declaredLeaf(condition);
  throw new Error(`The rule names ${condition.fact}, which is neither built in nor declared`);
}

function checkedOptions<Options extends RuleSqlOptions>(options: Options): Options {
  if (!isIsoDate(options.on)) throw new Error(`Rules are evaluated on a date (YYYY-MM-DD), not ${options.on}`);
  return options;
}

/** The rule as a SQL truth value over the facts table aliased `f`: TRUE, FALSE, or NULL when undetermined. */
export function conditionSql(condition: Condition, options: RuleSqlOptions): RawBuilder<SqlBool> {
  return compile(condition, checkedOptions(options));
}

/** The rule's outcome per enterprise, as the interpreter names it. */
export function outcomeSql(condition: Condition, options: RuleSqlOptions): RawBuilder<Outcome> {
  const eligible: Outcome = 'eligible';
  const ineligible: Outcome = 'ineligible';
  const undetermined: Outcome = 'undetermined';
  return sql<Outcome>`(CASE ${compile(condition, checkedOptions(options))} WHEN TRUE THEN ${sql.lit(eligible)} WHEN FALSE THEN ${sql.lit(ineligible)} ELSE ${sql.lit(undetermined)} END)`;
}

export interface ScanOptions extends RuleSqlOptions {
  /** The policy's regions (GB/T 2260, 100000 the nation): only enterprises within one are scanned. */
  regions?: readonly string[];
}

/** The query scanEligible runs, for callers that page through it or ask the planner how it runs. */
export function eligibleQuery(db: Db, condition: Condition, options: ScanOptions) {
  let query = db.selectFrom('enterpriseFacts as f').select('f.uscc').where(compile(condition, checkedOptions(options)));
  if (options.regions) query = query.where(toSql(options.regions.length === 0 ? false : regionWithin([...options.regions])));
  return query.orderBy('f.uscc');
}

/**
 * The USCCs of every enterprise eligible under the rule (grants without application), sorted: one
 * query, one pass over the table (or over the policy regions' range of the region path index).
 */
export async function scanEligible(db: Db, condition: Condition, options: ScanOptions): Promise<string[]> {
  const rows = await eligibleQuery(db, condition, options).execute();
  return rows.map((row) => row.uscc);
}
