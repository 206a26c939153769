/**
 * npm run bench:identity — the identity benchmark. Not a test: it prints figures and ratios.
 *
 * For SQLite and (when reachable) PostgreSQL: seeds 100,000 persons, starts the real server in its
 * own process, and measures with autocannon
 *   - the identity verification API (requests/s, p99) against a bare Fastify hello-world,
 *   - password login (logins/s) against a bare argon2id hash loop,
 *   - the server's resident memory after the load and at its peak;
 * then the cold start of `npm start` on a fresh data directory and on a warm one.
 *
 * Options (environment): BENCH_PERSONS (default 100000), BENCH_SECONDS (default 8),
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; "none" skips PostgreSQL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import pg from 'pg';
import { loadConfig } from '../src/core/config.js';
import { migrateToLatest } from '../src/core/migrate.js';
import { openPlatform } from '../src/core/platform.js';
import { ARGON2_OPTIONS, IdentityService } from '../src/identity/service.js';
import { MIGRATIONS } from '../src/migrations.js';
import { makeResidentId } from '../src/reference/testing.js';
import { createServices } from '../src/services.js';
import { createVerificationClient } from './verification-client.js';
import { freePort, load, peakRssMb, row, rssMb, startServer, treeRssMb, type LoadResult } from './support.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench-password-2026';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['芳', '伟', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '平', '刚'];

function benchPerson(i: number) {
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10);
  return {
    name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / 20) % GIVEN.length]}`,
    idNumber: makeResidentId({ region: '310115', birthDate: birth, sequence: Math.floor(i / 20_000) + 100 }),
    phone: String(13_000_000_000 + i),
  };
}

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

async function argon2Rate(seconds: number, concurrency: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await argon2.hash(PASSWORD, ARGON2_OPTIONS);
      count++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

interface DialectFigures {
  dialect: string;
  hello: LoadResult;
  verification: LoadResult;
  login: LoadResult;
  argon2PerSecond: number;
  memoryMb: number;
  peakMemoryMb: number;
  seedSeconds: number;
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<DialectFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `tongban-bench-${dialect}-`));
  const schema = `bench_${Date.now().toString(36)}`;
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: dialect === 'postgres' ? PG_URL : undefined,
    DATABASE_SCHEMA: dialect === 'postgres' ? schema : undefined,
  };
  console.log(`\n[${dialect}] seeding ${PERSONS.toLocaleString('en')} persons ...`);
  const config = await loadConfig({ ...env, PUBLIC_URL: 'http://127.0.0.1' });
  const platform = openPlatform(config);
  await migrateToLatest(platform.database, MIGRATIONS);
  const services = createServices(platform);
  const seedStarted = performance.now();
  const passwordHash = await IdentityService.hashPassword(PASSWORD);
  const people = Array.from({ length: PERSONS }, (_, i) => benchPerson(i));
  await services.identity.importVerifiedPersons(people, passwordHash);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const client = await createVerificationClient(platform, services);
  await platform.database.close();

  const helloPort = await freePort();
  const hello = await startServer([process.execPath, '--import', 'tsx', 'bench/hello.ts'], {}, helloPort);
  const serverPort = await freePort();
  // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the server (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const server = await startServer([process.execPath, ...profile, 'bin/tongban.js', 'serve'], env, serverPort);
  try {
    const token = await client.token(server.url);
    const helloResult = await load({ url: `${hello.url}/hello`, method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' }, duration: SECONDS });

    let n = 0;
    const verification = await load({
      url: `${server.url}/api/v1/identity/verifications`,
      method: 'POST',
      duration: SECONDS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: [
        {
          setupRequest: (request) => {
            const person = people[(n++ * 7919) % people.length]!;
            // Every fourth request asks about a name that does not match.
            const name = n % 4 === 0 ? `${person.name}某` : person.name;
            return { ...request, body: JSON.stringify({ name, idNumber: person.idNumber }) };
          },
        },
      ],
    });

    const argon2PerSecond = await argon2Rate(Math.min(SECONDS, 5), 4);
    let m = 0;
    const login = await load({
      url: `${server.url}/api/v1/identity/sessions`,
      method: 'POST',
      duration: SECONDS,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => {
            const person = people[(m++ * 104_729) % people.length]!;
            return { ...request, body: JSON.stringify({ login: person.phone, password: PASSWORD }) };
          },
        },
      ],
    });
    const memoryMb = rssMb(server.child.pid!);
    const peakMemoryMb = peakRssMb(server.child.pid!);
    return { dialect, hello: helloResult, verification, login, argon2PerSecond, memoryMb, peakMemoryMb, seedSeconds };
  } finally {
    await server.stop();
    await hello.stop();
    if (dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function coldStart(): Promise<{ firstMs: number; warmMs: number; memoryMb: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-bench-start-'));
  try {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: undefined };
    const first = await startServer(['npm', 'start', '--silent'], env, await freePort());
    const memoryMb = treeRssMb(first.child.pid!);
    await first.stop();
    const warm = await startServer(['npm', 'start', '--silent'], env, await freePort());
    await warm.stop();
    return { firstMs: first.startMs, warmMs: warm.startMs, memoryMb };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(f: DialectFigures, targetShare: number): void {
  const ratio = f.verification.requestsPerSecond / f.hello.requestsPerSecond;
  const loginRatio = f.login.requestsPerSecond / f.argon2PerSecond;
  console.log(`\n== ${f.dialect} (${PERSONS.toLocaleString('en')} persons, seeded in ${f.seedSeconds.toFixed(1)} s)`);
  row('baseline: bare Fastify hello-world', `${f.hello.requestsPerSecond.toFixed(0)} req/s, p99 ${f.hello.p99Ms} ms`);
  row('verification API', `${f.verification.requestsPerSecond.toFixed(0)} req/s, p99 ${f.verification.p99Ms} ms, non-2xx ${f.verification.non2xx}`);
  row('  ratio to hello-world', `${ratio.toFixed(2)} (target >= ${targetShare}) ${ratio >= targetShare ? 'met' : 'NOT met'}`);
  row('  p99', `${f.verification.p99Ms} ms (target < 20 ms) ${f.verification.p99Ms < 20 ? 'met' : 'NOT met'}`);
  row('baseline: bare argon2id hashes, same parameters (4 in flight)', `${f.argon2PerSecond.toFixed(1)} hashes/s`);
  row('password login', `${f.login.requestsPerSecond.toFixed(1)} logins/s, p99 ${f.login.p99Ms} ms, non-2xx ${f.login.non2xx}`);
  row('  ratio to bare hash rate', `${loginRatio.toFixed(2)} (target >= 0.8) ${loginRatio >= 0.8 ? 'met' : 'NOT met'}`);
  row('server resident memory after load', `${f.memoryMb.toFixed(0)} MB (target < 300 MB) ${f.memoryMb < 300 ? 'met' : 'NOT met'}`);
  row('  peak during the run', `${f.peakMemoryMb.toFixed(0)} MB`);
}

const figures: DialectFigures[] = [await benchDialect('sqlite')];
if (await postgresReachable()) figures.push(await benchDialect('postgres'));
else console.log('\nPostgreSQL not reachable at BENCH_DATABASE_URL: skipped.');
const start = await coldStart();

console.log('\n# Tongban identity benchmark');
for (const f of figures) report(f, f.dialect === 'sqlite' ? 0.5 : 0.25);
console.log('\n== cold start of `npm start` (SQLite, demo data)');
row('fresh data directory (migrate + seed)', `${start.firstMs.toFixed(0)} ms`);
row('existing data directory', `${start.warmMs.toFixed(0)} ms (target < 2000 ms) ${start.warmMs < 2000 ? 'met' : 'NOT met'}`);
row('memory (npm + server)', `${start.memoryMb.toFixed(0)} MB`);
