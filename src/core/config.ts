import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every setting the platform reads from the environment, in one table. The README's configuration
 * section is generated from this list (`npm run docs:config`), so the two cannot drift apart.
 */
export interface Setting {
  name: string;
  description: string;
  default?: string;
  /** Generated and kept in DATA_DIR in embedded mode; required in production. */
  generated?: boolean;
}

export const SETTINGS: Setting[] = [
  { name: 'PORT', description: 'TCP port the HTTP server listens on.', default: '3000' },
  { name: 'HOST', description: 'Interface the HTTP server binds to.', default: '0.0.0.0' },
  { name: 'NODE_ENV', description: '`production` requires every secret below and marks cookies Secure.', default: 'development' },
  { name: 'PUBLIC_URL', description: 'External base URL (used as the OpenID Connect issuer and in links).', default: 'http://localhost:$PORT' },
  { name: 'DATA_DIR', description: 'Directory for the embedded SQLite database, generated secrets and uploads.', default: './data' },
  { name: 'DATABASE_URL', description: 'PostgreSQL connection string; when absent the embedded SQLite database in DATA_DIR is used.' },
  { name: 'DATABASE_SCHEMA', description: 'PostgreSQL schema to use (created if missing); tests use one fresh schema per run.', default: 'public' },
  { name: 'DATABASE_POOL_SIZE', description: 'Maximum PostgreSQL connections per process.', default: '10' },
  { name: 'LOG_LEVEL', description: 'pino log level: fatal, error, warn, info, debug, trace or silent.', default: 'info' },
  { name: 'SESSION_SECRET', description: 'Secret for session and CSRF tokens (at least 32 characters).', generated: true },
  { name: 'ENCRYPTION_KEY', description: 'AES-256-GCM key for personal data at rest, 32 bytes in base64.', generated: true },
  { name: 'LOOKUP_KEY', description: 'HMAC key for the searchable hash of ID and phone numbers, 32 bytes in base64.', generated: true },
  { name: 'SIGNING_JWKS', description: 'JSON Web Key Set with the private keys that sign ID tokens and certificates (RS256 and EdDSA).', generated: true },
  { name: 'POPULATION_REGISTRY_URL', description: 'HTTPS endpoint of the population registry adapter; when absent the embedded registry of synthetic residents is used.' },
  { name: 'POPULATION_REGISTRY_TOKEN', description: 'Bearer token for the population registry adapter.' },
  { name: 'ENTERPRISE_REGISTRY_URL', description: 'HTTPS endpoint of the enterprise registry adapter; when absent the embedded registry of synthetic enterprises is used.' },
  { name: 'ENTERPRISE_REGISTRY_TOKEN', description: 'Bearer token for the enterprise registry adapter.' },
  { name: 'SESSION_IDLE_MINUTES', description: 'A session unused this long is ended.', default: '30' },
  { name: 'SESSION_ABSOLUTE_HOURS', description: 'A session ends this long after login, used or not.', default: '12' },
  { name: 'RECTIFICATION_WORKING_DAYS', description: 'Working days a department has to call back and respond after a bad review (rating 1 or 2) opens a rectification case.', default: '5' },
  { name: 'AUDIT_CHECKPOINT_DIR', description: 'Directory (ideally on other storage, append-only or shipped off the machine) where each signed audit checkpoint is also written as a file, so that cutting the audit trail and deleting its checkpoint rows is still detected; the log always gets a copy.' },
  { name: 'SUPERVISION_ESCALATION_HOURS', description: 'A supervision alert (application due soon or overdue, late rectification, unanswered inquiry, late flag response) still open this many hours after it was raised goes to the supervisors of the region.', default: '24' },
];

export interface Secrets {
  sessionSecret: string;
  encryptionKey: Buffer;
  lookupKey: Buffer;
  signingJwks: { keys: Record<string, unknown>[] };
}

export interface Config {
  port: number;
  host: string;
  production: boolean;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema: string;
  databasePoolSize: number;
  logLevel: string;
  populationRegistryUrl?: string;
  populationRegistryToken?: string;
  enterpriseRegistryUrl?: string;
  enterpriseRegistryToken?: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Working days a department has to respond to a bad review. */
  rectificationWorkingDays: number;
  /** Where signed audit checkpoints are also written as files (unset: the log line only). */
  auditCheckpointDir?: string;
  /** Hours an alert stays with the department before it is escalated to the supervisors. */
  supervisionEscalationHours: number;
  secrets: Secrets;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Configuration error in ${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}.`);
  return value;
}

function key32(name: string, raw: string): Buffer {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'expected 32 bytes encoded in base64 (44 characters).');
  return key;
}

function parseJwks(name: string, raw: string): Secrets['signingJwks'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'expected a JSON Web Key Set, the value is not JSON.');
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => k && typeof k === 'object' && 'd' in k)) {
    throw new ConfigError(name, 'expected {"keys": [...]} holding at least one private key.');
  }
  return { keys: keys as Record<string, unknown>[] };
}

async function generateSigningJwks(): Promise<Secrets['signingJwks']> {
  const { generateKeyPair, exportJWK } = await import('jose');
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const stamp = Date.now().toString(36);
  return {
    keys: [
      { ...(await exportJWK(rsa.privateKey)), kid: `rs-${stamp}`, alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ed.privateKey)), kid: `ed-${stamp}`, alg: 'EdDSA', use: 'sig' },
    ],
  };
}

/**
 * In embedded mode a newcomer should not have to invent keys: they are generated once and kept in
 * DATA_DIR/secrets.json (mode 0600). Production must hand them in, so a lost disk cannot silently
 * rotate the key that decrypts everyone's ID numbers.
 */
async function loadSecrets(env: Env, production: boolean, dataDir: string): Promise<Secrets> {
  const provided = {
    SESSION_SECRET: env.SESSION_SECRET,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY,
    LOOKUP_KEY: env.LOOKUP_KEY,
    SIGNING_JWKS: env.SIGNING_JWKS,
  };
  if (production) {
    for (const [name, value] of Object.entries(provided)) {
      if (!value) throw new ConfigError(name, 'must be set when NODE_ENV=production (generated keys are for embedded mode only).');
    }
  }
  let stored: Partial<Record<keyof typeof provided, string>> = {};
  const file = path.join(dataDir, 'secrets.json');
  const missing = Object.values(provided).some((v) => !v);
  if (missing) {
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } else {
      stored = {
        SESSION_SECRET: randomBytes(32).toString('base64url'),
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOOKUP_KEY: randomBytes(32).toString('base64'),
        SIGNING_JWKS: JSON.stringify(await generateSigningJwks()),
      };
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    }
  }
  const pick = (name: keyof typeof provided): string => provided[name] || stored[name] || '';
  const sessionSecret = pick('SESSION_SECRET');
  if (sessionSecret.length < 32) throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long.');
  return {
    sessionSecret,
    encryptionKey: key32('ENCRYPTION_KEY', pick('ENCRYPTION_KEY')),
    lookupKey: key32('LOOKUP_KEY', pick('LOOKUP_KEY')),
    signingJwks: parseJwks('SIGNING_JWKS', pick('SIGNING_JWKS')),
  };
}

export async function loadConfig(env: Env = process.env): Promise<Config> {
  const production = env.NODE_ENV === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// connection string.');
  }
  const databaseSchema = env.DATABASE_SCHEMA || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'expected a lower-case SQL identifier.');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `unknown level "${logLevel}".`);
  }
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError('PUBLIC_URL', `"${publicUrl}" is not an absolute URL.`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    production,
    publicUrl,
    dataDir,
    databaseUrl,
    databaseSchema,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    logLevel,
    populationRegistryUrl: env.POPULATION_REGISTRY_URL || undefined,
    populationRegistryToken: env.POPULATION_REGISTRY_TOKEN || undefined,
    enterpriseRegistryUrl: env.ENTERPRISE_REGISTRY_URL || undefined,
    enterpriseRegistryToken: env.ENTERPRISE_REGISTRY_TOKEN || undefined,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    rectificationWorkingDays: integer(env, 'RECTIFICATION_WORKING_DAYS', 5, 1, 60),
    auditCheckpointDir: env.AUDIT_CHECKPOINT_DIR ? path.resolve(env.AUDIT_CHECKPOINT_DIR) : undefined,
    supervisionEscalationHours: integer(env, 'SUPERVISION_ESCALATION_HOURS', 24, 1, 24 * 30),
    secrets: await loadSecrets(env, production, dataDir),
  };
}
