/**
 * Data for `npm run bench:applications`: the departments and catalogue of a realistic deployment,
 * a million applications written straight through SQL in big transactions, and the raw-insert
 * baseline table. Rows follow what ApplicationService writes (queue keys from `queueKeys`, time
 * limits from `deadlines`, form data sealed by the vault), so the server reads them as its own.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { newId } from '../src/core/ids.js';
import type { Platform } from '../src/core/platform.js';
import { queueKeys } from '../src/applications/service.js';
import type { ApplicationRow } from '../src/applications/store.js';
import { deadlines, type ClockState } from '../src/applications/time-limits.js';
import type { ApplicationStatus } from '../src/applications/workflow.js';
import type { ItemDefinition } from '../src/catalog/schema.js';
import { demoItemDefinition } from '../src/demo/catalog.js';
import type { DeadlineCalendar } from '../src/reference/calendar-service.js';
import { fromDayNumber, shanghaiDate, toDayNumber } from '../src/reference/dates.js';
import { children, getRegion } from '../src/reference/regions.js';
import type { Services } from '../src/services.js';
import { staffPrincipal } from './support.js';

type Template = Parameters<typeof demoItemDefinition>[0];

/** Kinds of county and city bureaus and the demo items each implements. */
const BUREAUS: { code: string; zh: string; en: string; templates: Template[] }[] = [
  { code: 'SAMR', zh: '市场监督管理局', en: 'Market Regulation Bureau', templates: ['individualBusiness', 'enterpriseEstablishment', 'foodBusinessLicence'] },
  { code: 'HRSS', zh: '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau', templates: ['employerInsurance', 'unemployment', 'card', 'flexibleInsurance'] },
  { code: 'HEALTH', zh: '卫生健康委员会', en: 'Health Commission', templates: ['publicPlaceHygiene', 'birthRegistration'] },
  { code: 'PSB', zh: '公安分局', en: 'Public Security Branch', templates: ['residencePermit', 'newbornHousehold'] },
  { code: 'TAX', zh: '税务局', en: 'Tax Service', templates: ['newTaxpayer', 'invoice', 'taxDeregistration'] },
];

/** Counties (districts) of a few provinces: Shanghai, Beijing, Hangzhou, Nanjing, Shenzhen, Guangzhou. */
const REGION_PARENTS = ['310100', '110100', '330100', '320100', '440300', '440100'];

export interface BenchDepartment {
  id: string;
  code: string;
  nameZh: string;
  regionCode: string;
  items: BenchItem[];
}

export interface BenchItem {
  itemId: string;
  versionId: string;
  nameZh: string;
  nameEn: string;
  timeUnit: ItemDefinition['timeLimitUnit'];
  promisedDays: number;
  legalDays: number;
}

/** The department whose officer reads the queue, and whose editor publishes the item people apply for. */
export const BUSY_REGION = '310115';
export const BUSY_CODE = `BENCH-${BUSY_REGION}-SAMR`;

/**
 * About `count` departments (county bureaus of six cities, Pudong's market regulation bureau
 * first), each publishing the demo items of its kind: a few hundred items for search to work on.
 */
export async function seedCatalogue(services: Services, count: number): Promise<BenchDepartment[]> {
  const all = REGION_PARENTS.flatMap((parent) => children(parent).filter((r) => r.level === 'county'));
  const counties = [...all.filter((r) => r.code === BUSY_REGION), ...all.filter((r) => r.code !== BUSY_REGION)];
  const departments: BenchDepartment[] = [];
  for (let i = 0; departments.length < count && i < counties.length * BUREAUS.length; i++) {
    const region = counties[Math.floor(i / BUREAUS.length)]!;
    const bureau = BUREAUS[i % BUREAUS.length]!;
    const city = getRegion(region.parentCode ?? '')?.name ?? '';
    const code = `BENCH-${region.code}-${bureau.code}`;
    const department = await services.identity.createDepartment({
      code,
      nameZh: `${city === '市辖区' ? (getRegion(`${region.code.slice(0, 2)}0000`)?.name ?? '') : city}${region.name}${bureau.zh}`,
      nameEn: `${region.code} ${bureau.en}`,
      level: 'county',
      regionCode: region.code,
    });
    const editor = staffPrincipal(`bench-editor-${code}`, ['catalogEditor'], department.id, region.code, 'benchmark editor');
    const items: BenchItem[] = [];
    for (const template of bureau.templates) {
      const published = await services.catalog.publishItem(editor, demoItemDefinition(template, code));
      items.push(benchItem(published));
    }
    departments.push({ id: department.id, code, nameZh: department.nameZh, regionCode: region.code, items });
  }
  return departments;
}

export function benchItem(published: { itemId: string; versionId: string; definition: ItemDefinition }): BenchItem {
  const d = published.definition;
  return {
    itemId: published.itemId,
    versionId: published.versionId,
    nameZh: d.name['zh-CN'],
    nameEn: d.name.en,
    timeUnit: d.timeLimitUnit,
    promisedDays: d.promisedLimitDays,
    legalDays: d.legalLimitDays,
  };
}

/**
 * 个体工商户设立登记 as Pudong publishes it, with the only material the operator's identity taken
 * from the population registry (with consent): applying needs no upload, so the benchmark can
 * submit in one request.
 */
export function onlineOnlyItem(): ItemDefinition {
  const definition = demoItemDefinition('individualBusiness', BUSY_CODE);
  return {
    ...definition,
    implementationCode: `${BUSY_CODE}-ONLINE-${Date.now().toString(36)}`,
    materials: definition.materials.filter((m) => m.source === 'governmentData' && !m.uploadAllowed),
  };
}

/** The answers a person types for the online-only item (name, ID number and phone are prefilled). */
export const ONLINE_ITEM_ANSWERS = { businessName: '王记面馆', businessAddress: '上海市浦东新区张杨路500号', businessScope: '小吃店：热食类食品制售' };

// Application rows

/** A small deterministic generator, so that two runs load the same shape of data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['芳', '伟', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '平', '刚'];
const OPEN: [ApplicationStatus, number][] = [
  ['submitted', 0.25],
  ['accepted', 0.2],
  ['underReview', 0.3],
  ['supplementRequested', 0.12],
  ['specialProcedure', 0.05],
  ['approved', 0.05],
  ['rejected', 0.03],
];

/** A unique 8-character suffix per application (the service draws a random one). */
function trackingSuffix(n: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    s = TRACKING_ALPHABET[n % 32]! + s;
    n = Math.floor(n / 32);
  }
  return s;
}

export interface RowContext {
  departments: BenchDepartment[];
  calendar: DeadlineCalendar;
  /** Vault ciphertext of one realistic form, reused by every row. */
  formData: string;
  materials: string;
  today: string;
  now: Date;
  /** Share of applications that go to the first (busy) department. */
  busyShare: number;
  /** Share still in a department's hands (submitted to approved/rejected). */
  openShare: number;
}

/** What the service stores for the identity material taken from the registry. */
export function governmentDataMaterials(consentedAt: string): string {
  return JSON.stringify({
    residentIdentity: {
      kind: 'governmentData',
      consentedAt,
      record: {
        dataset: 'residentIdentity',
        source: 'national population registry (real-name verified)',
        retrievedAt: consentedAt,
        fields: { name: '王芳', idNumber: '3101**********1234', sex: 'female', birthDate: '1988-04-12', realNameLevel: 2 },
      },
    },
  });
}

export function sealedForm(platform: Platform): string {
  return platform.vault.encrypt(
    JSON.stringify({ applicantName: '王芳', applicantIdNumber: '310115198804121234', applicantPhone: '13912345678', ...ONLINE_ITEM_ANSWERS }),
  );
}

const DAY_MS = 86_400_000;

/**
 * Application number `n`: most concluded or delivered over the past two years, a few percent open
 * with deadlines around today (some overdue, some due soon), a few drafts and withdrawals.
 */
export function applicationRow(n: number, next: () => number, ctx: RowContext): ApplicationRow {
  const { departments } = ctx;
  const department = next() < ctx.busyShare ? departments[0]! : departments[1 + Math.floor(next() * (departments.length - 1))]!;
  const item = department.items[Math.floor(next() * department.items.length)]!;
  const r = next();
  let status: ApplicationStatus;
  if (r < 0.01) status = 'draft';
  else if (r < 0.03) status = 'withdrawn';
  else if (r < 0.03 + ctx.openShare) {
    let pick = next();
    status = OPEN.find(([, share]) => (pick -= share) < 0)?.[0] ?? 'underReview';
  } else if (r < 0.12 + ctx.openShare) status = 'concluded';
  else status = 'delivered';

  const open = status !== 'draft' && status !== 'withdrawn' && status !== 'concluded' && status !== 'delivered';
  const todayNumber = toDayNumber(ctx.today);
  // Open applications arrived in the last few weeks; the rest over the last two years.
  const submittedDay = open ? todayNumber - Math.floor(next() * 25) : todayNumber - 30 - Math.floor(next() * 700);
  const clockRuns = status !== 'draft' && status !== 'submitted' && !(status === 'withdrawn' && next() < 0.5);
  let clock: ClockState = { unit: item.timeUnit, promisedDays: item.promisedDays, legalDays: item.legalDays, startedOn: null, pausedDays: 0, pausedSince: null, stoppedOn: null };
  if (clockRuns) {
    const started = submittedDay + Math.floor(next() * 2);
    clock = {
      ...clock,
      startedOn: fromDayNumber(started),
      // Paused some time between acceptance and today (the pause moves both deadlines back day by day).
      pausedSince: status === 'supplementRequested' || status === 'specialProcedure' ? fromDayNumber(Math.min(todayNumber, started + 1 + Math.floor(next() * Math.max(1, todayNumber - started)))) : null,
      stoppedOn: open ? null : fromDayNumber(Math.min(todayNumber, started + 1 + Math.floor(next() * (item.promisedDays + 3)))),
    };
  }
  // As the service computes them, provisional (weekends only) where a year's holidays are not published yet.
  const limits = deadlines(ctx.calendar, clock, ctx.today);
  const submittedIso = new Date((submittedDay * DAY_MS) + 1_800_000 + Math.floor(next() * 36_000_000)).toISOString();
  const createdAt = status === 'draft' ? new Date(ctx.now.getTime() - Math.floor(next() * 30 * DAY_MS)).toISOString() : submittedIso;
  const concludedAt = status === 'concluded' || status === 'delivered' ? `${clock.stoppedOn ?? fromDayNumber(submittedDay + 3)}T07:30:00.000Z` : null;
  const row: ApplicationRow = {
    id: newId(Date.parse(createdAt)),
    trackingNumber: status === 'draft' ? null : `${department.regionCode}-${fromDayNumber(submittedDay).replaceAll('-', '')}-${trackingSuffix(n)}`,
    itemId: item.itemId,
    itemVersionId: item.versionId,
    itemNameZh: item.nameZh,
    itemNameEn: item.nameEn,
    departmentId: department.id,
    regionCode: department.regionCode,
    collectingDepartmentId: null,
    collectedAt: null,
    bundleSubmissionId: null,
    applicantPersonId: `bench-person-${Math.floor(next() * 300_000)}`,
    applicantName: `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / 20) % GIVEN.length]}`,
    applicantRegionCode: department.regionCode,
    enterpriseId: null,
    createdByAccountId: `bench-account-${Math.floor(next() * 300_000)}`,
    idempotencyKey: `bench-load-${n}`,
    status,
    formData: ctx.formData,
    materials: ctx.materials,
    supplementRequest:
      status === 'supplementRequested'
        ? JSON.stringify({ requestedAt: `${clock.pausedSince}T02:00:00.000Z`, materials: ['residentIdentity'], fields: ['businessAddress'], note: '请补充经营场所地址' })
        : null,
    resumeStatus: status === 'supplementRequested' ? 'underReview' : null,
    claimedByStaffId: null,
    timeUnit: item.timeUnit,
    promisedDays: item.promisedDays,
    legalDays: item.legalDays,
    clockStartedOn: clock.startedOn,
    clockPausedDays: 0,
    clockPausedSince: clock.pausedSince,
    clockStoppedOn: clock.stoppedOn,
    promisedDueOn: limits.promisedDue,
    legalDueOn: limits.legalDue,
    isOpen: 0,
    queueDue: '',
    decision: status === 'approved' || status === 'delivered' || status === 'concluded' ? 'approved' : status === 'rejected' ? 'rejected' : null,
    decisionReason: status === 'rejected' ? '经营范围属于禁止类' : null,
    certificateId: null,
    submittedAt: status === 'draft' ? null : submittedIso,
    concludedAt,
    createdAt,
    updatedAt: concludedAt ?? submittedIso,
    revision: open ? 2 : 5,
  };
  return { ...row, ...queueKeys(row) };
}

/** A freshly submitted application, as the raw-insert baseline writes it. */
export function submittedRow(n: number, ctx: RowContext, accountId: string, personId: string): ApplicationRow {
  const nowIso = new Date().toISOString();
  const item = ctx.departments[0]!.items[0]!;
  const row: ApplicationRow = {
    id: newId(),
    trackingNumber: `${BUSY_REGION}-${ctx.today.replaceAll('-', '')}-R${trackingSuffix(n).slice(1)}`,
    itemId: item.itemId,
    itemVersionId: item.versionId,
    itemNameZh: item.nameZh,
    itemNameEn: item.nameEn,
    departmentId: ctx.departments[0]!.id,
    regionCode: BUSY_REGION,
    collectingDepartmentId: null,
    collectedAt: null,
    bundleSubmissionId: null,
    applicantPersonId: personId,
    applicantName: '王芳',
    applicantRegionCode: BUSY_REGION,
    enterpriseId: null,
    createdByAccountId: accountId,
    idempotencyKey: `bench-raw-${n}`,
    status: 'submitted',
    formData: ctx.formData,
    materials: ctx.materials,
    supplementRequest: null,
    resumeStatus: null,
    claimedByStaffId: null,
    timeUnit: item.timeUnit,
    promisedDays: item.promisedDays,
    legalDays: item.legalDays,
    clockStartedOn: null,
    clockPausedDays: 0,
    clockPausedSince: null,
    clockStoppedOn: null,
    promisedDueOn: null,
    legalDueOn: null,
    isOpen: 0,
    queueDue: '',
    decision: null,
    decisionReason: null,
    certificateId: null,
    submittedAt: nowIso,
    concludedAt: null,
    createdAt: nowIso,
    updatedAt: nowIso,
    revision: 1,
  };
  return { ...row, ...queueKeys(row) };
}

export function todayIn(now: Date): string {
  return shanghaiDate(now);
}

// SQL

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const INTEGER_COLUMNS = new Set(['promisedDays', 'legalDays', 'clockPausedDays', 'isOpen', 'revision']);

/** The columns of `applications`, in the order of a row's keys. */
export function columnsOf(row: ApplicationRow): (keyof ApplicationRow)[] {
  return Object.keys(row) as (keyof ApplicationRow)[];
}

export function insertSql(table: string, columns: (keyof ApplicationRow)[], dialect: 'sqlite' | 'postgres'): string {
  const placeholders = columns.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?')).join(', ');
  return `INSERT INTO ${table} (${columns.map(snake).join(', ')}) VALUES (${placeholders})`;
}

export interface Loader {
  /** Writes rows in one transaction. */
  load(rows: ApplicationRow[]): Promise<void>;
  close(): Promise<void>;
}

/** SQLite: one prepared statement, many rows per transaction, on its own connection to the file. */
export function sqliteLoader(file: string, columns: (keyof ApplicationRow)[]): Loader {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A bulk load touches index pages all over (ids, tracking numbers and applicants arrive in no
  // order); a 256 MB page cache instead of the default 2 MB keeps them in memory between batches.
  db.pragma('cache_size = -262144');
  const statement = db.prepare(insertSql('applications', columns, 'sqlite'));
  const insertMany = db.transaction((rows: ApplicationRow[]) => {
    for (const row of rows) statement.run(columns.map((c) => row[c]));
  });
  return {
    async load(rows) {
      insertMany(rows);
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** PostgreSQL: 5,000 rows per statement through unnest() of one array per column. */
export function postgresLoader(url: string, schema: string, columns: (keyof ApplicationRow)[]): Loader {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema} -c timezone=UTC` });
  const connected = client.connect();
  const arrays = columns.map((c, i) => `$${i + 1}::${INTEGER_COLUMNS.has(c) ? 'integer' : 'text'}[]`).join(', ');
  const text = `INSERT INTO applications (${columns.map(snake).join(', ')}) SELECT * FROM unnest(${arrays})`;
  return {
    async load(rows) {
      await connected;
      await client.query('BEGIN');
      for (let start = 0; start < rows.length; start += 5000) {
        const chunk = rows.slice(start, start + 5000);
        await client.query(text, columns.map((c) => chunk.map((row) => row[c])));
      }
      await client.query('COMMIT');
    },
    async close() {
      await connected;
      await client.end();
    },
  };
}

/**
 * The baseline table: the same columns and indexes as `applications`. PostgreSQL copies them
 * with LIKE ... INCLUDING ALL; SQLite replays the table's and its indexes' own DDL under a new name.
 */
export async function createRawTable(dialect: 'sqlite' | 'postgres', connection: { sqliteFile?: string; url?: string; schema?: string }): Promise<void> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: connection.url, options: `-c search_path=${connection.schema}` });
    await client.connect();
    await client.query('CREATE TABLE bench_applications_raw (LIKE applications INCLUDING ALL)');
    await client.end();
    return;
  }
  const db = new SQLite(connection.sqliteFile!);
  const ddl = db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'applications' AND sql IS NOT NULL ORDER BY type DESC").all() as { sql: string }[];
  for (const { sql } of ddl) db.exec(sql.replace(/"applications(_\w+)?"/g, (_, suffix: string | undefined) => `"bench_applications_raw${suffix ?? ''}"`));
  db.close();
}

export async function dropRawTable(dialect: 'sqlite' | 'postgres', connection: { sqliteFile?: string; url?: string; schema?: string }): Promise<void> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: connection.url, options: `-c search_path=${connection.schema}` });
    await client.connect();
    await client.query('DROP TABLE bench_applications_raw');
    await client.end();
    return;
  }
  const db = new SQLite(connection.sqliteFile!);
  db.exec('DROP TABLE bench_applications_raw');
  db.close();
}

/**
 * Raw single-row inserts, each its own committed transaction, for `seconds`. SQLite: one after
 * another on one connection with the app's pragmas (WAL, synchronous = NORMAL), as the app's single
 * connection commits. PostgreSQL: `clients` connections inserting at once (autocommit).
 */
export async function rawInsertRate(
  dialect: 'sqlite' | 'postgres',
  connection: { sqliteFile?: string; url?: string; schema?: string },
  clients: number,
  seconds: number,
  rowAt: (n: number) => ApplicationRow,
): Promise<{ perSecond: number; rows: number }> {
  const columns = columnsOf(rowAt(0));
  let n = 1;
  if (dialect === 'sqlite') {
    const db = new SQLite(connection.sqliteFile!);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const statement = db.prepare(insertSql('bench_applications_raw', columns, 'sqlite'));
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let rows = 0;
    while (performance.now() < deadline) {
      const row = rowAt(n++);
      statement.run(columns.map((c) => row[c]));
      rows++;
    }
    const elapsed = (performance.now() - started) / 1000;
    const counted = (db.prepare('SELECT count(*) AS n FROM bench_applications_raw').get() as { n: number }).n;
    db.close();
    if (counted !== rows) throw new Error(`raw baseline: ${rows} inserts but ${counted} rows`);
    return { perSecond: rows / elapsed, rows };
  }
  const pool = new pg.Pool({ connectionString: connection.url, max: clients, options: `-c search_path=${connection.schema} -c timezone=UTC` });
  const text = insertSql('bench_applications_raw', columns, 'postgres');
  // Connect every client before the clock starts, as the server's pool is warm too.
  const warm = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
  for (const client of warm) client.release();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let rows = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const row = rowAt(n++);
        await pool.query(text, columns.map((c) => row[c]));
        rows++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const counted = Number((await pool.query('SELECT count(*) AS n FROM bench_applications_raw')).rows[0].n);
  await pool.end();
  if (counted !== rows) throw new Error(`raw baseline: ${rows} inserts but ${counted} rows`);
  return { perSecond: rows / elapsed, rows };
}
