import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { AuditTrail } from './audit.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Dialect, openDatabase, type Database, type Db } from './db.js';
import { LOG_REDACT_PATHS, logSerializers } from './http.js';
import { PersonalDataVault } from './personal-data.js';

/**
 * Everything a capability needs from the outside world, built once in the composition root and
 * handed down. Nothing in it is process-local state that another server copy would need.
 */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditTrail;
  vault: PersonalDataVault;
  logger: Logger;
}

/** The platform's logger: JSON lines to stdout, or to `destination` (tests capture what would be logged). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, serializers: logSerializers, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

export function openPlatform(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Platform {
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    poolSize: config.databasePoolSize,
    sqliteFile: path.join(config.dataDir, 'tongban.sqlite'),
  });
  const dialect = new Dialect(database.dialect);
  const clock = options.clock ?? systemClock;
  return {
    config,
    database,
    db: database.db,
    dialect,
    clock,
    audit: new AuditTrail(database.db, dialect, clock),
    vault: new PersonalDataVault(config.secrets.encryptionKey, config.secrets.lookupKey),
    logger: options.logger ?? createLogger(config.logLevel),
  };
}
