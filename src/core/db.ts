import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  type Compilable,
  PostgresDialect,
  SqliteDialect,
  sql,
  type ColumnDataType,
  type Expression,
  type RawBuilder,
  type Transaction,
} from 'kysely';
import pg from 'pg';

/**
 * The table types of every capability. Each store declares its own tables by augmenting this
 * interface (`declare module '../core/db.js' { interface Tables { ... } }`), so core never has to
 * know the capabilities that sit on top of it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tables {}

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Db;
  dialect: DialectName;
  /** The PostgreSQL schema every table lives in (none on SQLite). */
  schema?: string;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) arrives from pg as a string; our integers (fen, counters) stay well
// inside 2^53, so numbers are what the rest of the code expects on both dialects.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PostgreSQL schema; created when missing. */
  schema?: string;
  poolSize?: number;
  /** SQLite file; ':memory:' for a throw-away database. */
  sqliteFile?: string;
}

export function openDatabase(options: DatabaseOptions): Database {
  const plugins = [new CamelCasePlugin()];
  if (options.databaseUrl) {
    const schema = options.schema ?? 'public';
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema} -c timezone=UTC`,
    });
    let schemaReady: Promise<void> | undefined;
    const ensureSchema = (): Promise<void> =>
      (schemaReady ??= pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined));
    const db = new Kysely<Tables>({
      dialect: new PostgresDialect({
        pool: async () => {
          await ensureSchema();
          return pool;
        },
      }),
      plugins,
    });
    return { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? ':memory:';
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Lets the planner use statistics gathered in earlier runs (and gathers what is missing, within a limit).
  sqlite.pragma('optimize = 0x10002');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; preparing is a measurable share of a short request on
 * SQLite. The same SQL text reuses its statement (least recently used ones are dropped). Safe
 * because Kysely runs one query at a time on the single SQLite connection.
 */
function withStatementCache(database: SQLite.Database, size = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/**
 * A query built and compiled once per database and then run with new values. Building and
 * compiling a query costs Kysely about as much as SQLite takes to run it, which matters only on
 * the few paths that answer thousands of requests a second (token and identity lookups). The
 * query's shape must not depend on its values: `build` is called once with placeholders, and each
 * placeholder found among the compiled parameters is replaced by the value given at run time.
 */
export function preparedQuery<Values extends unknown[], Row>(build: (db: Db, ...values: Values) => Compilable<Row>) {
  const compiled = new WeakMap<Db | Tx, { sql: string; parameters: readonly unknown[]; slots: number[] }>();
  return {
    async execute(db: Db | Tx, ...values: Values): Promise<Row[]> {
      let entry = compiled.get(db);
      if (!entry) {
        const placeholders = values.map((_, index) => `\u0000prepared-${index}\u0000`) as unknown as Values;
        const query = build(db as Db, ...placeholders).compile();
        const slots = query.parameters.map((parameter) => (placeholders as unknown[]).indexOf(parameter));
        for (let index = 0; index < values.length; index++) {
          if (slots.filter((slot) => slot === index).length !== 1) throw new Error(`preparedQuery: value ${index} must appear exactly once among the parameters`);
        }
        entry = { sql: query.sql, parameters: query.parameters, slots };
        compiled.set(db, entry);
      }
      const parameters = entry.parameters.map((constant, index) => (entry.slots[index]! >= 0 ? values[entry.slots[index]!] : constant));
      const result = await db.executeQuery<Row>(CompiledQuery.raw(entry.sql, parameters));
      return result.rows;
    },
  };
}

/**
 * The one place where SQLite and PostgreSQL differ. Stores and migrations ask this object instead
 * of branching on the dialect themselves. Conventions shared by both: timestamps and dates are ISO
 * strings (UTC, `Z`), booleans are 0/1 integers, JSON is text, ids are UUIDv7 text.
 */
export class Dialect {
  constructor(readonly name: DialectName) {}

  /** Column type for an auto-incrementing 64-bit key. */
  get serial(): ColumnDataType {
    return this.name === 'postgres' ? 'bigserial' : 'integer';
  }

  /** Column type for large integers (money in fen, counters). */
  get bigint(): ColumnDataType {
    return this.name === 'postgres' ? 'bigint' : 'integer';
  }

  /** Column type for binary data. */
  get bytes(): ColumnDataType {
    return this.name === 'postgres' ? 'bytea' : 'blob';
  }

  /**
   * Column type for text compared and sorted by code point, as JavaScript compares ISO dates and
   * codes: SQLite's default collation already does; PostgreSQL's default follows the server
   * locale, hence "C" (which also lets a plain index serve `LIKE 'prefix%'`).
   */
  get codePointText(): RawBuilder<unknown> {
    return this.name === 'postgres' ? sql`text collate "C"` : sql`text`;
  }

  /** A top-level text field of a JSON column (`key` is a fixed name from our code, never input). */
  jsonText(column: string, key: string): RawBuilder<string | null> {
    if (!/^\w+$/.test(key)) throw new Error(`jsonText: unsafe key ${key}`);
    return this.name === 'postgres'
      ? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})`
      : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
  }

  /**
   * Serialises writers that must see each other's results (the audit hash chain). PostgreSQL takes
   * a transaction-scoped advisory lock; SQLite already has a single writer per transaction.
   */
  async lockForTransaction(tx: Tx, key: number): Promise<void> {
    if (this.name === 'postgres') await sql`SELECT pg_advisory_xact_lock(${key})`.execute(tx);
  }

  /**
   * A transaction-scoped lock on a name (such as "one enterprise's agents"), for check-then-insert
   * rules that no unique index can express. SQLite's single writer already serialises these.
   */
  async lockName(tx: Tx, name: string): Promise<void> {
    if (this.name === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(tx);
  }

  /** `FOR UPDATE SKIP LOCKED` where the engine has it, so that concurrent job runners never collide. */
  /**
   * Keeps the planner's statistics current as tables grow (SQLite gathers none by itself; without
   * them a search may probe an index once per catalogue item). PostgreSQL's autovacuum does this.
   */
  async optimize(db: Db): Promise<void> {
    if (this.name === 'sqlite') await sql`PRAGMA optimize`.execute(db);
  }

  skipLocked<Q extends { forUpdate(): Q; skipLocked(): Q }>(query: Q): Q {
    return this.name === 'postgres' ? query.forUpdate().skipLocked() : query;
  }
}

export const toBool = (value: number | boolean | null | undefined): boolean => value === 1 || value === true;
export const fromBool = (value: boolean): number => (value ? 1 : 0);
