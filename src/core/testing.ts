import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { ManualClock, type Clock } from './clock.js';
import { loadConfig, type Config } from './config.js';
import { migrateToLatest } from './migrate.js';
import { createLogger, openPlatform, type Platform } from './platform.js';
import { newToken } from './ids.js';

/**
 * A fresh platform for one test file: a new SQLite file, or a new PostgreSQL schema when
 * DATABASE_URL is set (the CI runs the suite once each way). Nothing is shared between files and
 * nothing is left behind.
 */
export interface TestPlatform {
  platform: Platform;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function createTestPlatform(
  options: { clock?: ManualClock; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestPlatform> {
  const { MIGRATIONS } = await import('../migrations.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tongban-test-'));
  const schema = `t_${newToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}_${Date.now().toString(36)}`;
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_SCHEMA: process.env.DATABASE_URL ? schema : undefined,
    PUBLIC_URL: 'http://localhost:3000',
    ...options.env,
  };
  const config: Config = await loadConfig(env);
  const clock = options.clock ?? new ManualClock();
  const platform = openPlatform(config, { clock: clock as Clock, logger: options.logger ?? createLogger(config.logLevel) });
  await migrateToLatest(platform.database, MIGRATIONS);
  return {
    platform,
    clock,
    async close() {
      await platform.database.close();
      if (config.databaseUrl) {
        const client = new pg.Client({ connectionString: config.databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the real HTTP app on a test platform; requests go through `app.inject` or a real port. */
export async function createTestApp(options: Parameters<typeof createTestPlatform>[0] = {}) {
  const test = await createTestPlatform(options);
  const { buildApp } = await import('../app.js');
  const app = await buildApp(test.platform);
  await app.ready();
  return {
    ...test,
    app,
    async close() {
      await app.close();
      await test.close();
    },
  };
}
