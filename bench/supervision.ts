/**
 * npm run bench:supervision — the supervision dashboards benchmark. Not a test: it prints figures
 * and ratios.
 *
 * On PostgreSQL, in a schema of its own that it creates and drops (the database named by
 * BENCH_DATABASE_URL or DATABASE_URL is otherwise untouched):
 *   1. a department in every province, city and county of GB/T 2260, each publishing one to two
 *      demo items through the catalogue service (what the rollup copies);
 *   2. BENCH_APPLICATIONS applications (default 1,000,000) written by one INSERT ... SELECT over
 *      generate_series: a year of submissions over every item, 1% drafts, 2% withdrawn, 5% still
 *      open (a quarter of those overdue or paused), the rest concluded, some late; the open ones'
 *      deadlines then computed with the official calendar as the service computes them;
 *   3. BENCH_REVIEWS reviews (default 100,000) of concluded applications, 8% bad, each bad one with
 *      a rectification case (responded on time, late, or still open);
 *   4. the full rollup refresh (what the recurring job does after a restore), then an incremental
 *      one with BENCH_CHANGED applications changed (default 1,000);
 *   5. p50/p95 over BENCH_RUNS runs (default 50) of the dashboards through the service, as the API
 *      serves them: national, province, city, county, department and item, and the overdue list.
 *      Baselines in the same run: a `SELECT 1` round trip, and the naive live aggregate over the
 *      applications table for the national view (what the rollup replaces).
 *
 * Options (environment): BENCH_APPLICATIONS, BENCH_REVIEWS, BENCH_RUNS, BENCH_CHANGED,
 * BENCH_DATABASE_URL (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 * BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the national view's queries, BENCH_KEEP=1 keeps the schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { SessionPrincipal } from '../src/core/auth.js';
import { ManualClock } from '../src/core/clock.js';
import { loadConfig } from '../src/core/config.js';
import { migrateToLatest } from '../src/core/migrate.js';
import { openPlatform, type Platform } from '../src/core/platform.js';
import { clockOf, queueKeys } from '../src/applications/service.js';
import { deadlines } from '../src/applications/time-limits.js';
import type { ApplicationStatus } from '../src/applications/workflow.js';
import { demoItemDefinition } from '../src/demo/catalog.js';
import { MIGRATIONS } from '../src/migrations.js';
import { NATIONWIDE_REGION_CODE, children, provinces, type Region } from '../src/reference/regions.js';
import { makeResidentId } from '../src/reference/testing.js';
import { createServices, type Services } from '../src/services.js';
import { regionCodesWithin } from '../src/supervision/dashboard/service.js';
import { row, staffPrincipal } from './support.js';

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 1_000_000);
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CHANGED = Number(process.env.BENCH_CHANGED ?? 1_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
/** Leaves the schema in place afterwards (to look at plans by hand); drop it yourself. */
const KEEP = process.env.BENCH_KEEP === '1';
/** The benchmark stands on a fixed day, so that two runs see the same shape of data. */
const NOW = new Date('2026-11-26T02:00:00.000Z');
const TODAY = '2026-11-26';
const TARGET_MS = 200;

/** Which demo items a department of each level publishes (by its place in the list, for variety). */
const KINDS: { code: string; zh: string; en: string; templates: Parameters<typeof demoItemDefinition>[0][] }[] = [
  { code: 'SAMR', zh: '市场监督管理局', en: 'Market Regulation Bureau', templates: ['individualBusiness', 'foodBusinessLicence'] },
  { code: 'HRSS', zh: '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau', templates: ['card', 'unemployment'] },
  { code: 'TAX', zh: '税务局', en: 'Tax Service', templates: ['newTaxpayer', 'annualTax'] },
  { code: 'HEALTH', zh: '卫生健康委员会', en: 'Health Commission', templates: ['publicPlaceHygiene', 'birthRegistration'] },
  { code: 'PSB', zh: '公安局', en: 'Public Security Bureau', templates: ['residencePermit', 'newbornHousehold'] },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const seconds = (started: number) => (performance.now() - started) / 1000;

interface BenchItem {
  itemId: string;
  versionId: string;
  departmentId: string;
  regionCode: string;
  nameZh: string;
  nameEn: string;
  timeUnit: string;
  promisedDays: number;
  legalDays: number;
}

/** Every region below the nation, provinces first. */
function allRegions(): Region[] {
  const result: Region[] = [];
  const walk = (region: Region) => {
    result.push(region);
    for (const child of children(region.code)) walk(child);
  };
  for (const province of provinces()) walk(province);
  return result;
}

/** A department in every region; county and city ones publish two items, provincial ones one. */
async function seedCatalogue(services: Services): Promise<BenchItem[]> {
  const items: BenchItem[] = [];
  const regions = allRegions();
  // Four at a time: the catalogue service's writes are small transactions, so they overlap well.
  const publish = async (index: number, region: Region) => {
    const kind = KINDS[index % KINDS.length]!;
    const code = `BENCH-${region.code}-${kind.code}`;
    const department = await services.identity.createDepartment({ code, nameZh: `${region.name}${kind.zh}`, nameEn: `${region.code} ${kind.en}`, level: region.level === 'province' ? 'provincial' : region.level, regionCode: region.code });
    const editor = staffPrincipal(`bench-editor-${code}`, ['catalogEditor'], department.id, region.code, 'benchmark editor');
    for (const template of kind.templates.slice(0, region.level === 'province' ? 1 : 2)) {
      const published = await services.catalog.publishItem(editor, demoItemDefinition(template, code));
      const d = published.definition;
      items.push({ itemId: published.itemId, versionId: published.versionId, departmentId: department.id, regionCode: region.code, nameZh: d.name['zh-CN'], nameEn: d.name.en, timeUnit: d.timeLimitUnit, promisedDays: d.promisedLimitDays, legalDays: d.legalLimitDays });
    }
  };
  for (let i = 0; i < regions.length; i += 4) await Promise.all(regions.slice(i, i + 4).map((region, j) => publish(i + j, region)));
  // In a fixed order, so that the same draws give the same items every run.
  return items.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.nameEn.localeCompare(b.nameEn));
}

/**
 * The applications, in one statement over generate_series. Random numbers come from a seeded
 * table first (PostgreSQL's random() after setseed() repeats), so the shape is the same every run.
 * Items are drawn with a skew (a few busy, many quiet), submissions spread over the past year.
 */
async function loadApplications(platform: Platform, items: BenchItem[]): Promise<void> {
  const db = platform.db;
  await sql`CREATE UNLOGGED TABLE bench_items (n integer PRIMARY KEY, item_id text, version_id text, department_id text, region_code text, name_zh text, name_en text, time_unit text, promised_days integer, legal_days integer)`.execute(db);
  await sql`INSERT INTO bench_items SELECT * FROM unnest(${items.map((_, i) => i)}::integer[], ${items.map((i) => i.itemId)}::text[], ${items.map((i) => i.versionId)}::text[], ${items.map((i) => i.departmentId)}::text[], ${items.map((i) => i.regionCode)}::text[], ${items.map((i) => i.nameZh)}::text[], ${items.map((i) => i.nameEn)}::text[], ${items.map((i) => i.timeUnit)}::text[], ${items.map((i) => i.promisedDays)}::integer[], ${items.map((i) => i.legalDays)}::integer[])`.execute(db);
  await sql`CREATE UNLOGGED TABLE bench_draws AS SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6 FROM (SELECT setseed(0.42)) s, generate_series(1, ${APPLICATIONS}) g`.execute(db);
  const k = items.length;
  await sql`
    INSERT INTO applications (id, tracking_number, item_id, item_version_id, item_name_zh, item_name_en, department_id, region_code, collecting_department_id, collected_at, bundle_submission_id,
      applicant_person_id, applicant_name, applicant_region_code, enterprise_id, created_by_account_id, idempotency_key, status, form_data, materials, supplement_request, resume_status,
      claimed_by_staff_id, time_unit, promised_days, legal_days, clock_started_on, clock_paused_days, clock_paused_since, clock_stopped_on, promised_due_on, is_open, queue_due, legal_due_on,
      decision, decision_reason, certificate_id, submitted_at, concluded_at, created_at, updated_at, revision)
    SELECT id, CASE WHEN status = 'draft' THEN NULL ELSE region_code || '-' || to_char(day, 'YYYYMMDD') || '-' || lpad(to_hex(g), 8, '0') END,
      item_id, version_id, name_zh, name_en, department_id, region_code, NULL, NULL, NULL,
      'bench-person-' || (g % 300000), '王芳', region_code, NULL, 'bench-account-' || (g % 300000), NULL, status, '', '{}', NULL, NULL,
      NULL, time_unit, promised_days, legal_days,
      to_char(started, 'YYYY-MM-DD'), paused_days, to_char(paused_since, 'YYYY-MM-DD'), to_char(stopped, 'YYYY-MM-DD'), NULL,
      CASE WHEN status IN ('submitted', 'accepted', 'supplementRequested', 'underReview', 'specialProcedure', 'approved', 'rejected') THEN 1 ELSE 0 END, '9999-12-31', NULL,
      CASE WHEN status IN ('concluded', 'delivered', 'approved') THEN 'approved' WHEN status = 'rejected' THEN 'rejected' END, NULL, NULL,
      CASE WHEN status = 'draft' THEN NULL ELSE submitted_at END,
      CASE WHEN status IN ('concluded', 'delivered') THEN to_char(stopped, 'YYYY-MM-DD') || 'T07:30:00.000Z' END,
      submitted_at,
      CASE WHEN status IN ('concluded', 'delivered') THEN to_char(stopped, 'YYYY-MM-DD') || 'T07:30:00.000Z'
           WHEN status = 'withdrawn' THEN to_char(day + 2, 'YYYY-MM-DD') || 'T03:00:00.000Z'
           WHEN paused_since IS NOT NULL THEN to_char(paused_since, 'YYYY-MM-DD') || 'T02:00:00.000Z'
           ELSE submitted_at END,
      CASE WHEN status IN ('concluded', 'delivered') THEN 5 ELSE 2 END
    FROM (
      SELECT *,
        CASE WHEN status IN ('concluded', 'delivered') THEN least(${TODAY}::date - 1, started + floor(r6 * (promised_days * 1.5 + 3))::integer)
             WHEN status = 'withdrawn' AND started IS NOT NULL THEN day + 2 END AS stopped,
        CASE WHEN status IN ('supplementRequested', 'specialProcedure') THEN least(${TODAY}::date, started + 1 + floor(r6 * 5)::integer) END AS paused_since,
        CASE WHEN status IN ('concluded', 'delivered') AND r6 < 0.1 THEN 1 + floor(r6 * 30)::integer ELSE 0 END AS paused_days
      FROM (
        SELECT *, CASE WHEN status IN ('draft', 'submitted') OR (status = 'withdrawn' AND r5 < 0.5) THEN NULL ELSE day + floor(r5 * 2)::integer END AS started,
          to_char(day, 'YYYY-MM-DD') || 'T' || lpad((1 + floor(r5 * 8))::integer::text, 2, '0') || ':' || lpad(floor(r4 * 60)::integer::text, 2, '0') || ':00.000Z' AS submitted_at
        FROM (
          SELECT d.*, i.*, 'bench-' || lpad(to_hex(d.g), 10, '0') AS id,
            CASE WHEN r2 < 0.01 THEN 'draft' WHEN r2 < 0.03 THEN 'withdrawn'
                 WHEN r2 < 0.08 THEN (CASE WHEN r3 < 0.25 THEN 'submitted' WHEN r3 < 0.45 THEN 'accepted' WHEN r3 < 0.75 THEN 'underReview' WHEN r3 < 0.87 THEN 'supplementRequested'
                                           WHEN r3 < 0.92 THEN 'specialProcedure' WHEN r3 < 0.97 THEN 'approved' ELSE 'rejected' END)
                 WHEN r3 < 0.3 THEN 'concluded' ELSE 'delivered' END AS status,
            -- Open ones arrived in the last five weeks, the rest over the year before (all before
            -- today: the benchmark's clock stands at 10:00 in Shanghai, nothing may be later).
            ${TODAY}::date - (CASE WHEN r2 >= 0.03 AND r2 < 0.08 THEN 1 + floor(r4 * 34) ELSE 3 + floor(r4 * 362) END)::integer AS day
          FROM bench_draws d JOIN bench_items i ON i.n = least(${k - 1}, floor(power(r1, 1.6) * ${k})::integer)
        ) a
      ) b
    ) c`.execute(db);
  await sql`DROP TABLE bench_draws`.execute(db);

  // Open applications: the deadlines the service computes, with the official calendar.
  const calendar = await createServices(platform).calendar.deadlineCalendar();
  const open = await db
    .selectFrom('applications')
    .select(['id', 'status', 'timeUnit', 'promisedDays', 'legalDays', 'clockStartedOn', 'clockPausedDays', 'clockPausedSince', 'clockStoppedOn'])
    .where('isOpen', '=', 1)
    .execute();
  const ids: string[] = [];
  const promised: (string | null)[] = [];
  const legal: (string | null)[] = [];
  const queue: string[] = [];
  for (const application of open) {
    const due = deadlines(calendar, clockOf(application), TODAY);
    ids.push(application.id);
    promised.push(due.promisedDue);
    legal.push(due.legalDue);
    queue.push(queueKeys({ status: application.status as ApplicationStatus, promisedDueOn: due.promisedDue, clockPausedSince: application.clockPausedSince }).queueDue);
  }
  for (let i = 0; i < ids.length; i += 20_000) {
    await sql`UPDATE applications a SET promised_due_on = u.promised, legal_due_on = u.legal, queue_due = u.queue
      FROM unnest(${ids.slice(i, i + 20_000)}::text[], ${promised.slice(i, i + 20_000)}::text[], ${legal.slice(i, i + 20_000)}::text[], ${queue.slice(i, i + 20_000)}::text[]) AS u(id, promised, legal, queue)
      WHERE a.id = u.id`.execute(db);
  }
}

/** Reviews of concluded applications, 8% bad; every bad one has a rectification case. */
async function loadReviews(platform: Platform, reviewers: string[]): Promise<void> {
  const db = platform.db;
  await sql`
    INSERT INTO reviews (id, application_id, tracking_number, reviewer_person_id, enterprise_id, department_id, item_id, item_name_zh, item_name_en, rating, efficiency, guidance_accuracy, convenience, comment, created_at)
    SELECT 'rv-' || id, id, tracking_number, (${reviewers}::text[])[1 + h % ${reviewers.length}], NULL, department_id, item_id, item_name_zh, item_name_en, rating, rating, rating, rating,
      CASE WHEN rating <= 2 THEN '等了太久' END, to_char(stopped + 1, 'YYYY-MM-DD') || 'T04:00:00.000Z'
    FROM (
      SELECT *, CASE WHEN h % 100 < 5 THEN 1 WHEN h % 100 < 8 THEN 2 WHEN h % 100 < 14 THEN 3 WHEN h % 100 < 40 THEN 4 ELSE 5 END AS rating
      FROM (
        SELECT a.id, a.tracking_number, a.department_id, a.item_id, a.item_name_zh, a.item_name_en, a.clock_stopped_on::date AS stopped, abs(hashtext(a.id)) AS h
        FROM applications a
        WHERE a.status IN ('concluded', 'delivered') AND a.clock_stopped_on < ${TODAY}
        ORDER BY md5(a.id)
        LIMIT ${REVIEWS}
      ) s
    ) r`.execute(db);
  // Due a week after the review; 70% answered (a fifth of them late), 10% closed, the rest open.
  await sql`
    INSERT INTO rectifications (id, review_id, department_id, department_region_code, status, opened_at, due_on, callback_at, outcome, response, responded_by, responded_at, responded_on,
      applicant_rating, applicant_comment, applicant_rated_at, appeal_reason, appealed_by, appealed_at, appeal_decision, appeal_note, appeal_decided_by, appeal_decided_at)
    SELECT 'rc-' || r.id, r.id, r.department_id, d.region_code, status, r.created_at, to_char(opened + 7, 'YYYY-MM-DD'), NULL,
      CASE WHEN status <> 'open' THEN 'explained' END, CASE WHEN status <> 'open' THEN '已致电说明' END, NULL,
      CASE WHEN status <> 'open' THEN to_char(opened + answer_in, 'YYYY-MM-DD') || 'T06:00:00.000Z' END,
      CASE WHEN status <> 'open' THEN to_char(opened + answer_in, 'YYYY-MM-DD') END,
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM (
      SELECT r.*, left(r.created_at, 10)::date AS opened, abs(hashtext(r.id)) % 100 AS h,
        CASE WHEN abs(hashtext(r.id)) % 100 < 70 THEN 'responded' WHEN abs(hashtext(r.id)) % 100 < 80 THEN 'closed' ELSE 'open' END AS status,
        CASE WHEN abs(hashtext(r.id)) % 100 < 56 THEN 1 + abs(hashtext(r.id)) % 6 ELSE 8 + abs(hashtext(r.id)) % 5 END AS answer_in
      FROM reviews r WHERE r.rating <= 2
    ) r JOIN departments d ON d.id = r.department_id
    -- A case opened in the last days is not due yet, and cannot have been answered in the future.
    WHERE opened + answer_in <= ${TODAY}::date OR status = 'open'`.execute(db);
}

async function timed(run: () => Promise<unknown>, runs = RUNS, warmUp = 3): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function supervisor(regionCode: string): SessionPrincipal {
  return staffPrincipal(`bench-supervisor-${regionCode}`, ['supervisor'], null, regionCode, 'benchmark supervisor');
}

async function main(): Promise<void> {
  const load = loadavg();
  console.log(`Supervision benchmark (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`);
  console.log(`load average before the run: ${load.map((l) => l.toFixed(2)).join(', ')}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-bench-supervision-'));
  const schema = `bench_supervision_${Date.now().toString(36)}`;
  const config = await loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, PUBLIC_URL: 'http://127.0.0.1' });
  const platform = openPlatform(config, { clock: new ManualClock(NOW) });
  const db = platform.db;
  try {
    await migrateToLatest(platform.database, MIGRATIONS);
    const services = createServices(platform);

    let started = performance.now();
    const items = await seedCatalogue(services);
    const departments = new Set(items.map((i) => i.departmentId)).size;
    row('catalogue (through the catalogue service)', `${departments.toLocaleString('en')} departments, ${items.length.toLocaleString('en')} items in ${seconds(started).toFixed(1)} s`);

    started = performance.now();
    await loadApplications(platform, items);
    row('applications (INSERT ... SELECT generate_series)', `${APPLICATIONS.toLocaleString('en')} in ${seconds(started).toFixed(1)} s`);
    started = performance.now();
    const reviewers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { personId } = await services.identity.createVerifiedPerson({ name: `评价人${i}`, idNumber: makeResidentId({ region: '110105', birthDate: '1985-03-02', sequence: 100 + i }), phone: `1380000${String(i).padStart(4, '0')}` });
      reviewers.push(personId);
    }
    await loadReviews(platform, reviewers);
    // As autovacuum leaves a table at rest: statistics, and the visibility map for index-only scans.
    await sql`VACUUM ANALYZE`.execute(db);
    row('reviews and rectification cases', `${seconds(started).toFixed(1)} s`);
    const shape = (await sql<{ what: string; n: string }>`
      SELECT 'submitted' AS what, count(*) AS n FROM applications WHERE status <> 'draft'
      UNION ALL SELECT 'open', count(*) FROM applications WHERE is_open = 1
      UNION ALL SELECT 'overdue', count(*) FROM applications WHERE is_open = 1 AND queue_due < ${TODAY}
      UNION ALL SELECT 'paused', count(*) FROM applications WHERE is_open = 1 AND clock_paused_since IS NOT NULL
      UNION ALL SELECT 'concluded', count(*) FROM applications WHERE status IN ('concluded', 'delivered')
      UNION ALL SELECT 'withdrawn', count(*) FROM applications WHERE status = 'withdrawn'
      UNION ALL SELECT 'regions', count(DISTINCT region_code) FROM applications
      UNION ALL SELECT 'reviews', count(*) FROM reviews
      UNION ALL SELECT 'bad', count(*) FROM reviews WHERE rating <= 2
      UNION ALL SELECT 'cases', count(*) FROM rectifications
      UNION ALL SELECT 'cases open', count(*) FROM rectifications WHERE status = 'open'`.execute(db)).rows;
    row('data', shape.map((s) => `${s.what} ${Number(s.n).toLocaleString('en')}`).join(', '));

    // The rollup: first in full (every application read through the port), then incrementally.
    console.log('\nrollup refresh');
    started = performance.now();
    const full = await services.supervisionDashboards.refresh({ full: true });
    const fullSeconds = seconds(started);
    row('full refresh', `${fullSeconds.toFixed(1)} s for ${full.applications.toLocaleString('en')} applications (${(full.applications / fullSeconds).toFixed(0)}/s), ${full.months.length} months, ${full.items.toLocaleString('en')} items`);
    started = performance.now();
    await services.supervisionDashboards.refresh();
    row('incremental refresh, nothing changed', `${(seconds(started) * 1000).toFixed(0)} ms`);
    // An application changes "now": the feed picks up exactly those (and the overlap window).
    await sql`UPDATE applications SET updated_at = ${NOW.toISOString()} WHERE id IN (SELECT id FROM applications WHERE status IN ('concluded', 'delivered') ORDER BY id LIMIT ${CHANGED})`.execute(db);
    started = performance.now();
    const incremental = await services.supervisionDashboards.refresh();
    row(`incremental refresh, ${CHANGED.toLocaleString('en')} changed`, `${(seconds(started) * 1000).toFixed(0)} ms (${incremental.applications.toLocaleString('en')} read, ${incremental.months.length} months rebuilt)`);
    await sql`VACUUM ANALYZE`.execute(db);

    // The scopes: the busiest province, its busiest city and county, a department and item there.
    const busiest = async (codes: string[]) =>
      (await sql<{ code: string }>`SELECT region_code AS code FROM supervision_monthly WHERE region_code IN (${sql.join(codes)}) GROUP BY region_code ORDER BY sum(received) DESC LIMIT 1`.execute(db)).rows[0]!.code;
    const province = (await sql<{ code: string }>`SELECT left(region_code, 2) || '0000' AS code FROM supervision_monthly GROUP BY 1 ORDER BY sum(received) DESC LIMIT 1`.execute(db)).rows[0]!.code;
    const cities = children(province).filter((r) => r.level === 'city');
    const city = cities.length ? (await sql<{ code: string }>`SELECT left(region_code, 4) || '00' AS code FROM supervision_monthly WHERE region_code LIKE ${`${province.slice(0, 2)}%`} AND region_code <> ${province} GROUP BY 1 ORDER BY sum(received) DESC LIMIT 1`.execute(db)).rows[0]!.code : province;
    const county = await busiest(regionCodesWithin(city).filter((c) => c !== city));
    const departmentId = items.find((i) => i.regionCode === county)!.departmentId;
    const itemId = items.find((i) => i.regionCode === county)!.itemId;
    const dashboards = services.supervisionDashboards;
    const national = supervisor(NATIONWIDE_REGION_CODE);

    const check = await dashboards.region(national, undefined, {});
    row('national view', `period ${check.period.from}..${check.period.to}: ${check.totals.received.toLocaleString('en')} received, ${check.totals.overdue.toLocaleString('en')} overdue, ${check.totals.reviews.toLocaleString('en')} reviews, ${check.rows.length} rows`);

    console.log(`\ndashboards through the service, ${RUNS} runs each after 3 warm-up runs`);
    const oneRoundTrip = await timed(() => sql`SELECT 1`.execute(db));
    row('baseline: SELECT 1 round trip', `p50 ${ms(percentile(oneRoundTrip, 50))}, p95 ${ms(percentile(oneRoundTrip, 95))}`);
    const cases: [string, () => Promise<unknown>][] = [
      ['national (100000)', () => dashboards.region(national, undefined, {})],
      [`province (${province})`, () => dashboards.region(supervisor(province), undefined, {})],
      [`city (${city})`, () => dashboards.region(supervisor(city), undefined, {})],
      [`county (${county})`, () => dashboards.region(supervisor(county), undefined, {})],
      ['department (as the county supervisor)', () => dashboards.department(supervisor(county), departmentId, {})],
      ['item (as the county supervisor)', () => dashboards.item(supervisor(county), itemId, {})],
      ['overdue list, national (100 rows)', () => services.applications.supervisionDueList({ regionCodes: null, today: TODAY, soonWorking: TODAY, soonCalendar: TODAY }, 'overdue', 100)],
    ];
    const results = new Map<string, number[]>();
    for (const [label, run] of cases) {
      const times = await timed(run);
      results.set(label, times);
      row(label, `p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`);
    }
    const nationalTimes = results.get('national (100000)')!;
    const p95 = percentile(nationalTimes, 95);
    row('  national p95 target', `< ${TARGET_MS} ms: ${p95 < TARGET_MS ? 'met' : 'NOT met'}`);

    // The naive live aggregate the rollup replaces: received and concluded per item over the
    // period, straight from the applications (no working days, no reviews, no previous period).
    const from = new Date(`${check.period.from}-01T00:00:00+08:00`).toISOString();
    const naive = await timed(
      () => sql`
        SELECT region_code, department_id, item_id,
          count(*) FILTER (WHERE submitted_at >= ${from}) AS received,
          count(*) FILTER (WHERE status IN ('concluded', 'delivered') AND concluded_at >= ${from}) AS concluded,
          count(*) FILTER (WHERE status = 'withdrawn' AND updated_at >= ${from}) AS withdrawn,
          count(*) FILTER (WHERE is_open = 1) AS open,
          count(*) FILTER (WHERE is_open = 1 AND queue_due < ${TODAY}) AS overdue
        FROM applications WHERE status <> 'draft' GROUP BY region_code, department_id, item_id`.execute(db),
      5,
      1,
    );
    row('baseline: naive live aggregate, national', `p50 ${ms(percentile(naive, 50))} (5 runs); ÷ the national dashboard's p50: ${(percentile(naive, 50) / percentile(nationalTimes, 50)).toFixed(1)}`);

    if (EXPLAIN) await explainNational(platform);
  } finally {
    if (KEEP) console.log(`\nkept schema ${schema} (DROP SCHEMA ${schema} CASCADE when done)`);
    else await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(db);
    await platform.database.close();
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`\nload average after the run: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  }
}

/** The plans of the national view's queries, to see where its time goes. */
async function explainNational(platform: Platform): Promise<void> {
  const db = platform.db;
  const plans: [string, ReturnType<typeof sql>][] = [
    ['rollup', sql`SELECT item_id, department_id, region_code, sum(received), sum(concluded), sum(timed) FROM supervision_monthly WHERE month >= '2026-01' AND month <= '2026-11' GROUP BY item_id, department_id, region_code`],
    ['open counts', sql`SELECT region_code, department_id, item_id, count(*), sum(case when queue_due < ${TODAY} then 1 else 0 end) FROM applications WHERE is_open = 1 GROUP BY region_code, department_id, item_id`],
    ['overdue list', sql`SELECT id FROM applications WHERE is_open = 1 AND queue_due < ${TODAY} ORDER BY queue_due, submitted_at, id LIMIT 100`],
    ['review rollup', sql`SELECT region_code, sum(reviews), sum(good), sum(bad) FROM supervision_review_region_monthly WHERE month >= '2026-01' AND month <= '2026-11' GROUP BY region_code`],
    ['rectification cases (live)', sql`SELECT department_id, count(*), sum(CASE WHEN status IN ('responded', 'closed') AND responded_on <= due_on THEN 1 ELSE 0 END) FROM rectifications WHERE opened_at >= '2025-12-31T16:00:00.000Z' AND opened_at < '2026-11-30T16:00:00.000Z' GROUP BY department_id`],
    ['published items by region', sql`SELECT a.ancestor_code, count(*) FROM supervision_items i JOIN supervision_region_ancestors a ON a.region_code = i.region_code WHERE i.status = 'published' AND a.ancestor_code IN ('100000', '110000', '130000', '310000') GROUP BY a.ancestor_code`],
  ];
  for (const [label, query] of plans) {
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ANALYZE ${query}`.execute(db);
    console.log(`\nEXPLAIN ANALYZE ${label}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

await main();
