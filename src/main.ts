import { loadConfig, ConfigError } from './core/config.js';
import { migrateToLatest } from './core/migrate.js';
import { openPlatform } from './core/platform.js';
import { buildApp } from './app.js';
import { MIGRATIONS } from './migrations.js';
import { createServices, scheduleRecurringJobs } from './services.js';

export interface ServeOptions {
  demo: boolean;
}

/** The composition root: read config, open the database, migrate, build the app, listen. */
export async function serve(options: ServeOptions): Promise<void> {
  const started = performance.now();
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const platform = openPlatform(config);
  await migrateToLatest(platform.database, MIGRATIONS);
  const services = createServices(platform);
  if (options.demo) {
    const { seedDemo, printDemoAccounts } = await import('./demo/seed.js');
    printDemoAccounts(await seedDemo(platform, services), config.publicUrl);
  }
  const app = await buildApp(platform, services);
  await scheduleRecurringJobs(services);
  services.jobs.start();
  const shutdown = async () => {
    await services.jobs.stop();
    await app.close();
    await platform.database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  platform.logger.info({ ms: Math.round(performance.now() - started), database: platform.dialect.name }, 'Tongban is ready');
  console.log(`Tongban is serving ${config.publicUrl} (${platform.dialect.name}, ready in ${Math.round(performance.now() - started)} ms)`);
}
