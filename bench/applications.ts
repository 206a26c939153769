/**
 * npm run bench:applications — the applications benchmark. Not a test: it prints figures and ratios.
 *
 * For SQLite and (when reachable) PostgreSQL, each on a fresh database with ~200 departments and
 * the few hundred items they publish, against the real server in its own process:
 *   1. durable submissions per second: verified persons apply in one request
 *      (POST /api/v1/applications, a unique Idempotency-Key each) from concurrent autocannon
 *      connections; the applications committed are counted in the database afterwards. Baseline,
 *      in the same run: raw single-row inserts, each its own transaction, into a table with the
 *      columns and indexes of `applications`, at the same concurrency.
 *   2. with BENCH_APPLICATIONS applications loaded (bulk SQL, big transactions): the officer queue
 *      of a busy department (plain, due soon, by tracking number) and catalogue search (keyword,
 *      region): requests/s and p99.
 *
 * Options (environment): BENCH_APPLICATIONS (default 1000000), BENCH_SECONDS (default 8),
 * BENCH_CONNECTIONS (default 10; also the server's and the baseline's PostgreSQL pool size),
 * BENCH_DEPARTMENTS (default 200), BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test; "none" skips PostgreSQL), BENCH_ONLY (sqlite or
 * postgres: run one), BENCH_EXPLAIN=1 prints the query plans of the queue and search queries
 * (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import * as OTPAuth from 'otpauth';
import pg from 'pg';
import { ApplicationStore, type ApplicationRow, type QueueFilters } from '../src/applications/store.js';
import { regionFilter } from '../src/catalog/service.js';
import { CatalogStore } from '../src/catalog/store.js';
import { queryTerms } from '../src/catalog/terms.js';
import { loadConfig } from '../src/core/config.js';
import type { Tables } from '../src/core/db.js';
import { migrateToLatest } from '../src/core/migrate.js';
import { openPlatform } from '../src/core/platform.js';
import { IdentityService } from '../src/identity/service.js';
import { MIGRATIONS } from '../src/migrations.js';
import { makeResidentId } from '../src/reference/testing.js';
import { createServices } from '../src/services.js';
import {
  BUSY_REGION,
  applicationRow,
  benchItem,
  columnsOf,
  createRawTable,
  dropRawTable,
  governmentDataMaterials,
  onlineOnlyItem,
  ONLINE_ITEM_ANSWERS,
  postgresLoader,
  random,
  rawInsertRate,
  sealedForm,
  seedCatalogue,
  sqliteLoader,
  submittedRow,
  todayIn,
  type RowContext,
} from './applications-data.js';
import { freePort, load, row, startServer, type LoadResult } from './support.js';

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DEPARTMENTS = Number(process.env.BENCH_DEPARTMENTS ?? 200);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const ONLY = process.env.BENCH_ONLY;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PERSONS = 200;
const PASSWORD = 'bench-password-2026';
const STAFF_PASSWORD = 'bench-staff-password-2026';
const LOAD_BATCH = 50_000;
const SUBMIT_TARGET = 0.3;
const P99_TARGET_MS = 50;

async function postgresReachable(): Promise<boolean> {
  if (PG_URL === 'none') return false;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function json(response: Response, expected: number, what: string): Promise<any> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tb_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

async function logIn(url: string, login: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/identity/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (response.status !== 201) await json(response, 201, `login ${login}`);
  return sessionCookie(response);
}

/** A staff login past TOTP, as the workbench needs. */
async function staffLogIn(url: string, staff: { username: string; secret: string }): Promise<string> {
  const cookie = await logIn(url, staff.username, STAFF_PASSWORD);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate();
  const response = await fetch(`${url}/api/v1/identity/sessions/current/mfa`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ code }) });
  await json(response, 200, `TOTP of ${staff.username}`);
  return cookie;
}

interface ReadFigure {
  label: string;
  result: LoadResult;
  note: string;
}

interface DialectFigures {
  dialect: 'sqlite' | 'postgres';
  seed: { departments: number; items: number; seconds: number };
  raw: { perSecond: number; rows: number; how: string };
  submit: { perSecond: number; rows: number; seconds: number; result: LoadResult; waits: string[] };
  loading: { seconds: number; rowsPerSecond: number; analyzeSeconds: number | null; open: number; busyOpen: number };
  reads: ReadFigure[];
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<DialectFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `tongban-bench-apps-${dialect}-`));
  const schema = `bench_apps_${Date.now().toString(36)}`;
  const sqliteFile = path.join(dataDir, 'tongban.sqlite');
  const connection = { sqliteFile, url: PG_URL, schema };
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // The server's connections carry the schema as their name, so that pg_stat_activity shows what they wait on.
    DATABASE_URL: dialect === 'postgres' ? `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${schema}` : undefined,
    DATABASE_SCHEMA: dialect === 'postgres' ? schema : undefined,
    DATABASE_POOL_SIZE: String(CONNECTIONS),
  };
  const config = await loadConfig({ ...env, DATABASE_URL: dialect === 'postgres' ? PG_URL : undefined, PUBLIC_URL: 'http://127.0.0.1' });
  const platform = openPlatform(config);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await migrateToLatest(platform.database, MIGRATIONS);
    const services = createServices(platform);

    console.log(`\n[${dialect}] seeding ${DEPARTMENTS} departments, their catalogue and ${PERSONS} verified persons ...`);
    const seedStarted = performance.now();
    const departments = await seedCatalogue(services, DEPARTMENTS);
    const busy = departments[0]!;
    const people = Array.from({ length: PERSONS }, (_, i) => ({
      name: `王${['芳', '伟', '娜', '敏', '静'][i % 5]}`,
      idNumber: makeResidentId({ region: BUSY_REGION, birthDate: '1985-03-14', sequence: 100 + i }),
      phone: String(13_800_000_000 + i),
    }));
    await services.identity.importVerifiedPersons(people, await IdentityService.hashPassword(PASSWORD));
    const staff = async (role: 'catalogEditor' | 'officer', name: string) => {
      const username = `bench.${role.toLowerCase()}`;
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      const { accountId } = await services.identity.createStaff(
        { name, username, password: STAFF_PASSWORD, departmentId: busy.id, regionCode: BUSY_REGION, roles: [role] },
        { type: 'system' },
      );
      await services.identity.enrolTotpWithSecret(accountId, secret);
      return { username, secret };
    };
    const editor = await staff('catalogEditor', '编目员');
    const officer = await staff('officer', '受理员');
    const seed = { departments: departments.length, items: departments.reduce((n, d) => n + d.items.length, 0), seconds: (performance.now() - seedStarted) / 1000 };

    const now = new Date();
    const ctx: RowContext = {
      departments,
      calendar: await services.calendar.deadlineCalendar(),
      formData: sealedForm(platform),
      materials: governmentDataMaterials(now.toISOString()),
      today: todayIn(now),
      now,
      busyShare: 0.05,
      openShare: 0.04,
    };

    console.log(`[${dialect}] baseline: raw single-row inserts for ${SECONDS} s ...`);
    await createRawTable(dialect, connection);
    const rawRate = await rawInsertRate(dialect, connection, CONNECTIONS, SECONDS, (n) => submittedRow(n, ctx, `bench-raw-account-${n % PERSONS}`, `bench-raw-person-${n % PERSONS}`));
    await dropRawTable(dialect, connection);
    const raw = {
      ...rawRate,
      how: dialect === 'sqlite' ? 'one connection, one after another, WAL, synchronous=NORMAL' : `${CONNECTIONS} pooled clients, autocommit`,
    };

    server = await startServer([process.execPath, 'bin/tongban.js', 'serve'], env, await freePort());
    const editorCookie = await staffLogIn(server.url, editor);
    const published = await json(
      await fetch(`${server.url}/api/v1/catalog/items`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: editorCookie }, body: JSON.stringify(onlineOnlyItem()) }),
      201,
      'publishing the online-only item',
    );
    busy.items.push(benchItem(published));
    const cookies: string[] = [];
    for (let i = 0; i < people.length; i += 4) {
      cookies.push(...(await Promise.all(people.slice(i, i + 4).map((p) => logIn(server!.url, p.phone, PASSWORD)))));
    }

    console.log(`[${dialect}] submissions: ${CONNECTIONS} connections for ${SECONDS} s ...`);
    const runId = Date.now().toString(36);
    let n = 0;
    const body = JSON.stringify({ itemId: published.itemId, form: ONLINE_ITEM_ANSWERS, materials: { residentIdentity: { governmentData: true, consent: true } } });
    const sampler = dialect === 'postgres' ? waitSampler(schema) : null;
    const submitStarted = performance.now();
    const submitResult = await load({
      url: `${server.url}/api/v1/applications`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => {
            const i = n++;
            return { ...request, headers: { ...request.headers, cookie: cookies[i % cookies.length]!, 'idempotency-key': `bench-${runId}-${i}` }, body };
          },
        },
      ],
    });
    const submitSeconds = (performance.now() - submitStarted) / 1000;
    const waits = sampler ? await sampler.stop() : [];
    // Requests still in flight when autocannon stopped may yet commit; let them, then count.
    await new Promise((r) => setTimeout(r, 1000));
    const committed = await platform.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('itemId', '=', published.itemId)
      .where('status', '=', 'submitted')
      .where('trackingNumber', 'is not', null)
      .executeTakeFirstOrThrow();
    const submittedRows = Number(committed.n);
    const submit = { perSecond: submittedRows / submitSeconds, rows: submittedRows, seconds: submitSeconds, result: submitResult, waits };
    await server.stop();
    server = undefined;

    console.log(`[${dialect}] loading ${APPLICATIONS.toLocaleString('en')} applications ...`);
    const next = random(20261126);
    const columns = columnsOf(applicationRow(0, random(1), ctx));
    const loader = dialect === 'sqlite' ? sqliteLoader(sqliteFile, columns) : postgresLoader(PG_URL, schema, columns);
    const loadStarted = performance.now();
    let open = 0;
    let busyOpen = 0;
    let busyTracking: string | null = null;
    for (let start = 0; start < APPLICATIONS; start += LOAD_BATCH) {
      const rows: ApplicationRow[] = [];
      for (let i = start; i < Math.min(APPLICATIONS, start + LOAD_BATCH); i++) {
        const application = applicationRow(i, next, ctx);
        if (application.isOpen) {
          open++;
          if (application.departmentId === busy.id) {
            busyOpen++;
            // An open application of the busy department, as an officer would look one up.
            if (busyOpen === 1 || busyOpen === 100) busyTracking = application.trackingNumber;
          }
        }
        rows.push(application);
      }
      await loader.load(rows);
    }
    await loader.close();
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    let analyzeSeconds: number | null = null;
    if (dialect === 'postgres') {
      // Autovacuum would vacuum and analyse the tables shortly after such a load (and after
      // seeding the catalogue); do it now so that what is measured is the settled state: plans
      // from statistics, and counts answered from the index where the pages are all-visible.
      const analyzeStarted = performance.now();
      const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
      await client.connect();
      const tables = await client.query<{ name: string }>("SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1", [schema]);
      await client.query(`VACUUM (ANALYZE) ${tables.rows.map((t) => t.name).join(', ')}`);
      await client.end();
      analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    }
    const loading = { seconds: loadSeconds, rowsPerSecond: APPLICATIONS / loadSeconds, analyzeSeconds, open, busyOpen };
    if (!busyTracking) throw new Error('no open application of the busy department was loaded');

    server = await startServer([process.execPath, 'bin/tongban.js', 'serve'], env, await freePort());
    const officerCookie = await staffLogIn(server.url, officer);
    const dueSoon = ctx.calendar.calendar.addWorkingDays(ctx.today, 2);
    const reads: { label: string; path: string; cookie?: string; describe: (body: any) => string }[] = [
      { label: 'officer queue', path: '/api/v1/workbench/applications', cookie: officerCookie, describe: (b) => `${b.total} open, ${b.items.length} shown` },
      { label: 'officer queue ?due=soon', path: '/api/v1/workbench/applications?due=soon', cookie: officerCookie, describe: (b) => `${b.total} due by ${dueSoon}` },
      {
        label: 'officer queue ?trackingNumber=',
        path: `/api/v1/workbench/applications?trackingNumber=${encodeURIComponent(busyTracking)}`,
        cookie: officerCookie,
        describe: (b) => `${b.total} found`,
      },
      { label: 'catalogue search ?q=个体工商户', path: `/api/v1/catalog/items?q=${encodeURIComponent('个体工商户')}`, describe: (b) => `${b.total} items` },
      { label: 'catalogue search ?regionCode=310115', path: `/api/v1/catalog/items?regionCode=${BUSY_REGION}`, describe: (b) => `${b.total} items` },
    ];
    const readFigures: ReadFigure[] = [];
    for (const read of reads) {
      const headers: Record<string, string> = read.cookie ? { cookie: read.cookie } : {};
      const sample = await json(await fetch(`${server.url}${read.path}`, { headers }), 200, read.label);
      const note = read.describe(sample);
      if (/^0 /.test(note)) throw new Error(`${read.label}: nothing found, the measurement would be meaningless`);
      console.log(`[${dialect}] ${read.label}: ${note} ...`);
      const result = await load({ url: `${server.url}${read.path}`, connections: CONNECTIONS, duration: SECONDS, headers });
      readFigures.push({ label: read.label, result, note });
    }
    await server.stop();
    server = undefined;

    if (EXPLAIN) await explainPlans(dialect, connection, { departmentId: busy.id, dueSoon, trackingNumber: busyTracking });
    return { dialect, seed, raw, submit, loading, reads: readFigures };
  } finally {
    await server?.stop();
    await platform.database.close();
    if (dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Samples pg_stat_activity every few milliseconds while the server is under load: how many of its
 * connections, on average, were in each state (waiting on a lock, on the client, on WAL sync ...).
 */
function waitSampler(applicationName: string): { stop(): Promise<string[]> } {
  const client = new pg.Client({ connectionString: PG_URL });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const result = await client.query<{ state: string }>(
        "SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' (' || state || ')' AS state FROM pg_stat_activity WHERE application_name = $1",
        [applicationName],
      );
      samples++;
      for (const { state } of result.rows) counts.set(state, (counts.get(state) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([state, n]) => `${(n / Math.max(1, samples)).toFixed(1)} ${state}`);
    },
  };
}

/**
 * Prints the plans of exactly the SQL the stores send: the queries are captured from
 * ApplicationStore and CatalogStore running on a logging Kysely, then explained.
 */
async function explainPlans(
  dialect: 'sqlite' | 'postgres',
  connection: { sqliteFile: string; url: string; schema: string },
  q: { departmentId: string; dueSoon: string; trackingNumber: string },
): Promise<void> {
  const captured: CompiledQuery[] = [];
  const log = (event: { level: string; query: CompiledQuery }) => {
    if (event.level === 'query') captured.push(event.query);
  };
  const sqlite = dialect === 'sqlite' ? new SQLite(connection.sqliteFile) : null;
  const pool = dialect === 'postgres' ? new pg.Pool({ connectionString: connection.url, max: 2, options: `-c search_path=${connection.schema}` }) : null;
  const db = new Kysely<Tables>({
    dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }),
    plugins: [new CamelCasePlugin()],
    log,
  });
  const base: QueueFilters = { departmentId: q.departmentId, open: true, limit: 50, offset: 0 };
  const cases: [string, () => Promise<unknown>][] = [
    ['officer queue', () => new ApplicationStore(db).queue(base)],
    ['officer queue ?due=soon', () => new ApplicationStore(db).queue({ ...base, dueOnOrBefore: q.dueSoon })],
    ['officer queue ?trackingNumber=', () => new ApplicationStore(db).queue({ ...base, trackingNumber: q.trackingNumber })],
    ['catalogue search ?q=个体工商户', () => new CatalogStore(db).searchByTerms(queryTerms('个体工商户'), {}, { limit: 20, offset: 0 })],
    ['catalogue search ?regionCode=310115', () => new CatalogStore(db).searchByFilters(regionFilter(BUSY_REGION)!, { limit: 20, offset: 0 })],
  ];
  for (const [label, run] of cases) {
    captured.length = 0;
    await run();
    console.log(`\n-- plan: ${label} (${dialect})`);
    for (const query of [...captured]) {
      console.log(`   ${query.sql}`);
      if (sqlite) {
        const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[];
        for (const step of plan) console.log(`     ${step.detail}`);
      } else {
        const plan = await pool!.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.parameters as unknown[]);
        for (const step of plan.rows) console.log(`     ${step['QUERY PLAN']}`);
      }
    }
  }
  await db.destroy();
}

function ok(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function report(f: DialectFigures): void {
  const ratio = f.submit.perSecond / f.raw.perSecond;
  console.log(`\n== ${f.dialect}: ${f.seed.departments} departments, ${f.seed.items} items, ${PERSONS} persons (seeded in ${f.seed.seconds.toFixed(1)} s)`);
  row('baseline: raw single-row inserts', `${f.raw.perSecond.toFixed(0)} commits/s (${f.raw.rows} rows; ${f.raw.how})`);
  const s = f.submit;
  row(
    'submissions, POST /api/v1/applications',
    `${s.perSecond.toFixed(0)} durable/s (${s.rows} rows committed in ${s.seconds.toFixed(1)} s), p99 ${s.result.p99Ms} ms, non-2xx ${s.result.non2xx}, errors ${s.result.errors}`,
  );
  row('  ratio to raw inserts', `${ratio.toFixed(2)} (target >= ${SUBMIT_TARGET}) ${ok(ratio >= SUBMIT_TARGET)}`);
  if (s.waits.length) row('  server connections, on average', s.waits.join('; '));
  const l = f.loading;
  row(
    `loaded ${APPLICATIONS.toLocaleString('en')} applications`,
    `${l.seconds.toFixed(1)} s (${l.rowsPerSecond.toFixed(0)} rows/s)${l.analyzeSeconds === null ? '' : ` + VACUUM ANALYZE ${l.analyzeSeconds.toFixed(1)} s`}; ${l.open.toLocaleString('en')} open, ${l.busyOpen.toLocaleString('en')} in the busy department`,
  );
  for (const read of f.reads) {
    row(read.label, `${read.result.requestsPerSecond.toFixed(0)} req/s, p99 ${read.result.p99Ms} ms (target < ${P99_TARGET_MS} ms) ${ok(read.result.p99Ms < P99_TARGET_MS)}; non-2xx ${read.result.non2xx}; ${read.note}`);
  }
}

const overallStarted = performance.now();
const figures: DialectFigures[] = [];
if (ONLY !== 'postgres') figures.push(await benchDialect('sqlite'));
if (ONLY !== 'sqlite') {
  if (await postgresReachable()) figures.push(await benchDialect('postgres'));
  else console.log('\nPostgreSQL not reachable at BENCH_DATABASE_URL: skipped.');
}

console.log(`\n# Tongban applications benchmark`);
console.log(
  `  ${cpus().length} cores (${availableParallelism()} available, ${cpus()[0]?.model ?? 'unknown'}); ${CONNECTIONS} connections; ${SECONDS} s per measurement; total ${((performance.now() - overallStarted) / 1000).toFixed(0)} s`,
);
for (const f of figures) report(f);

console.log('\n| Figure | ' + figures.map((f) => f.dialect).join(' | ') + ' | Target |');
console.log('| --- | ' + figures.map(() => '---').join(' | ') + ' | --- |');
const line = (label: string, cell: (f: DialectFigures) => string, target: string) => console.log(`| ${label} | ${figures.map(cell).join(' | ')} | ${target} |`);
line('raw single-row inserts/s', (f) => f.raw.perSecond.toFixed(0), '');
line('durable submissions/s', (f) => f.submit.perSecond.toFixed(0), '');
line('submissions / raw inserts', (f) => (f.submit.perSecond / f.raw.perSecond).toFixed(2), `≥ ${SUBMIT_TARGET}`);
line('submission p99', (f) => `${f.submit.result.p99Ms} ms`, '');
line(`load ${APPLICATIONS.toLocaleString('en')} applications`, (f) => `${f.loading.seconds.toFixed(0)} s`, '');
for (const [i, read] of (figures[0]?.reads ?? []).entries()) {
  line(`${read.label}: req/s, p99`, (f) => `${f.reads[i]!.result.requestsPerSecond.toFixed(0)}, ${f.reads[i]!.result.p99Ms} ms`, `p99 < ${P99_TARGET_MS} ms`);
}
