import { CronTime } from 'cron';
import { bool, cleanEnv, num, port, str, url } from 'envalid';
import { ROLES, Role } from '../shared/roles';
import { DEFAULT_POLICY, Policy } from '../shared/policy';

export interface ApiKey {
  name: string;
  role: Role;
  secret: string;
  /** An operator key bound to one OPD (`name:operator:secret:OPDCODE`) acts only within it. */
  opdCode?: string;
}

const OPD_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** ASUH_MASTER_KEY: 64 hexadecimal characters (256 bits). */
export const MASTER_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** Address the HTTP server binds: 0.0.0.0 in production (containers), 127.0.0.1 otherwise. */
  host: string;
  /** Unset: an embedded PostgreSQL is started with its data under `dataDir`. */
  databaseUrl?: string;
  /** `esdb://…` selects EventStoreDB; unset keeps events in PostgreSQL. */
  eventStoreUrl?: string;
  apiKeys: ApiKey[];
  dataDir: string;
  embeddedPostgresPort: number;
  timezone: string;
  consistencyWaitMs: number;
  /** Bound of every PostgreSQL call: connect, statement, idle in transaction (ASUH_DB_TIMEOUT_MS). */
  dbTimeoutMs: number;
  /** Requests per minute under /v1, per API key (per client address without one). */
  rateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  appendRetries: number;
  lapseCheckCron: string;
  runProjector: boolean;
  runLapseSchedule: boolean;
  logLevel: string;
  ucjTarget: number;
  /** Largest CSV file a bulk import accepts, in bytes (ASUH_IMPORT_MAX_BYTES; 413 beyond it). */
  importMaxBytes: number;
  /** Rows of one import decided at the same time (ASUH_IMPORT_CONCURRENCY); rows of one worker stay in file order. */
  importConcurrency: number;
  /** ASUH_MASTER_KEY (64 hex): wraps the data keys of personal data. Required in production. */
  masterKey?: string;
  /** ASUH_PUBLIC_STATS: the aggregate reads (no personal data) answer without a key. */
  publicStats: boolean;
  policy: Policy;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const APP_CONFIG = Symbol('APP_CONFIG');

function parseApiKeys(raw: string, problems: string[]): ApiKey[] {
  if (!raw.trim()) return [];
  const keys: ApiKey[] = [];
  raw.split(',').forEach((entry, index) => {
    const parts = entry.trim().split(':');
    const [name, role] = parts;
    const scoped = parts.length === 4 && role === 'operator' && OPD_CODE.test(parts[3]);
    const secret = scoped ? parts[2] : parts.slice(2).join(':');
    if (parts.length < 3 || !name || !secret) {
      problems.push(`ASUH_API_KEYS: entry ${index + 1} is not name:role:secret`);
    } else if (!(ROLES as readonly string[]).includes(role)) {
      problems.push(`ASUH_API_KEYS: entry ${index + 1} (${name}) has unknown role "${role}" (expected ${ROLES.join(', ')})`);
    } else if (secret.length < 16) {
      problems.push(`ASUH_API_KEYS: entry ${index + 1} (${name}) has a secret shorter than 16 characters`);
    } else if (keys.some((k) => k.name === name)) {
      problems.push(`ASUH_API_KEYS: key name "${name}" is used twice`);
    } else {
      keys.push({ name, role: role as Role, secret, ...(scoped ? { opdCode: parts[3] } : {}) });
    }
  });
  return keys;
}

function parseIntList(name: string, raw: string, problems: string[]): number[] {
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1 || v > 120)) {
    problems.push(`${name}: expected a comma-separated list of whole months, got "${raw}"`);
    return [];
  }
  return values;
}

/** `YYYY-MM:jkk:jkm;YYYY-MM:jkk:jkm` — dated tariffs, each applying from its month on. */
function parseTariffs(raw: string, problems: string[]): Policy['tariffs'] {
  const tariffs = raw.split(';').map((entry) => {
    const [from, jkk, jkm] = entry.trim().split(':');
    return { from, jkk: Number(jkk), jkm: Number(jkm) };
  });
  const bad = tariffs.find(
    (t) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(t.from ?? '') || !Number.isSafeInteger(t.jkk) || !Number.isSafeInteger(t.jkm) || t.jkk < 0 || t.jkm < 0,
  );
  if (bad) {
    problems.push(`ASUH_TARIFFS: expected "YYYY-MM:jkk:jkm;…" in whole rupiah, got "${raw}"`);
    return [];
  }
  return tariffs.sort((a, b) => a.from.localeCompare(b.from));
}

/** An IPv4 or IPv6 address, or a host name. */
const HOST = /^([0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*)$/;

/** `https://host[:port],…`: exact origins, as browsers send them (scheme, host, port; no path, no wildcard). */
function parseOrigins(raw: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of raw.split(',').map((v) => v.trim()).filter(Boolean)) {
    let origin: string | null = null;
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/$/, '')) origin = url.origin;
    } catch {
      origin = null;
    }
    if (origin) origins.push(origin);
    else problems.push(`ASUH_CORS_ORIGINS: "${entry}" is not an origin such as https://dashboard.example.go.id (scheme, host and port only)`);
  }
  return origins;
}

const defaultTariffs = DEFAULT_POLICY.tariffs.map((t) => `${t.from}:${t.jkk}:${t.jkm}`).join(';');

/**
 * Reads and validates the environment. Every problem is collected and reported by variable name,
 * without echoing secrets, so a bad value stops the start with a message that says what to fix.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const e = cleanEnv(
    env,
    {
      NODE_ENV: str({ default: 'development' }),
      PORT: port({ default: 3000 }),
      HOST: str({ default: '' }),
      DATABASE_URL: url({ default: undefined }),
      EVENTSTORE_URL: str({ default: undefined }),
      ASUH_API_KEYS: str({ default: '' }),
      ASUH_DATA_DIR: str({ default: '.asuh' }),
      ASUH_EMBEDDED_PG_PORT: port({ default: 54329 }),
      ASUH_TIMEZONE: str({ default: 'Asia/Jakarta' }),
      ASUH_CONSISTENCY_WAIT_MS: num({ default: 5000 }),
      ASUH_DB_TIMEOUT_MS: num({ default: 5000 }),
      ASUH_RATE_LIMIT_PER_MINUTE: num({ default: 6000 }),
      ASUH_CORS_ORIGINS: str({ default: '' }),
      ASUH_APPEND_RETRIES: num({ default: 12 }),
      ASUH_LAPSE_CHECK_CRON: str({ default: '0 5 0 * * *' }),
      ASUH_RUN_PROJECTOR: bool({ default: true }),
      ASUH_RUN_LAPSE_SCHEDULE: bool({ default: true }),
      LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
      ASUH_UCJ_TARGET: num({ default: 100000 }),
      ASUH_IMPORT_MAX_BYTES: num({ default: 20 * 1024 * 1024 }),
      ASUH_IMPORT_CONCURRENCY: num({ default: 8 }),
      ASUH_MASTER_KEY: str({ default: undefined }),
      ASUH_PUBLIC_STATS: bool({ default: false }),
      ASUH_DUE_DAY: num({ default: DEFAULT_POLICY.dueDay }),
      ASUH_ARREARS_WINDOW_MONTHS: num({ default: DEFAULT_POLICY.arrearsWindowMonths }),
      ASUH_PAYMENT_PERIODS: str({ default: DEFAULT_POLICY.paymentPeriods.join(',') }),
      ASUH_MAX_ENROLMENT_AGE_MONTHS: num({ default: DEFAULT_POLICY.maxEnrolmentAgeMonths }),
      ASUH_MAX_PREPAY_MONTHS: num({ default: DEFAULT_POLICY.maxPrepayMonths }),
      ASUH_TARIFFS: str({ default: defaultTariffs }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) {
          problems.push(`${name}: ${(error as Error).message}`);
        }
      },
    },
  );
  if (problems.length) throw new ConfigError(problems);

  if (e.EVENTSTORE_URL && !/^esdb(\+discover)?:\/\//.test(e.EVENTSTORE_URL)) {
    problems.push('EVENTSTORE_URL: expected an esdb:// or esdb+discover:// connection string');
  }
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: e.ASUH_TIMEZONE });
  } catch {
    problems.push(`ASUH_TIMEZONE: unknown time zone "${e.ASUH_TIMEZONE}"`);
  }
  const wholeNumber = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name}: expected a whole number from ${min} to ${max}, got ${value}`);
  };
  wholeNumber('ASUH_CONSISTENCY_WAIT_MS', e.ASUH_CONSISTENCY_WAIT_MS, 0, 60000);
  wholeNumber('ASUH_DB_TIMEOUT_MS', e.ASUH_DB_TIMEOUT_MS, 100, 600000);
  wholeNumber('ASUH_RATE_LIMIT_PER_MINUTE', e.ASUH_RATE_LIMIT_PER_MINUTE, 1, 10_000_000);
  wholeNumber('ASUH_APPEND_RETRIES', e.ASUH_APPEND_RETRIES, 0, 50);
  wholeNumber('ASUH_DUE_DAY', e.ASUH_DUE_DAY, 1, 28);
  wholeNumber('ASUH_ARREARS_WINDOW_MONTHS', e.ASUH_ARREARS_WINDOW_MONTHS, 0, 24);
  wholeNumber('ASUH_MAX_ENROLMENT_AGE_MONTHS', e.ASUH_MAX_ENROLMENT_AGE_MONTHS, 12, 1200);
  wholeNumber('ASUH_MAX_PREPAY_MONTHS', e.ASUH_MAX_PREPAY_MONTHS, 0, 120);
  wholeNumber('ASUH_UCJ_TARGET', e.ASUH_UCJ_TARGET, 1, 1_000_000_000);
  wholeNumber('ASUH_IMPORT_MAX_BYTES', e.ASUH_IMPORT_MAX_BYTES, 1024, 1024 * 1024 * 1024);
  wholeNumber('ASUH_IMPORT_CONCURRENCY', e.ASUH_IMPORT_CONCURRENCY, 1, 64);

  try {
    new CronTime(e.ASUH_LAPSE_CHECK_CRON);
  } catch {
    problems.push(`ASUH_LAPSE_CHECK_CRON: not a cron expression: "${e.ASUH_LAPSE_CHECK_CRON}"`);
  }
  const apiKeys = parseApiKeys(e.ASUH_API_KEYS, problems);
  const paymentPeriods = parseIntList('ASUH_PAYMENT_PERIODS', e.ASUH_PAYMENT_PERIODS, problems);
  const tariffs = parseTariffs(e.ASUH_TARIFFS, problems);
  const production = e.NODE_ENV === 'production';
  const host = e.HOST.trim() || (production ? '0.0.0.0' : '127.0.0.1');
  if (!HOST.test(host)) problems.push(`HOST: expected an IP address or a host name to bind, got "${e.HOST}"`);
  const corsOrigins = parseOrigins(e.ASUH_CORS_ORIGINS, problems);
  if (production && apiKeys.length === 0) problems.push('ASUH_API_KEYS: required in production (name:role:secret, comma-separated)');
  if (e.ASUH_MASTER_KEY !== undefined && !MASTER_KEY_PATTERN.test(e.ASUH_MASTER_KEY)) {
    problems.push('ASUH_MASTER_KEY: expected 64 hexadecimal characters (256 bits), e.g. from `openssl rand -hex 32`');
  }
  if (production && !e.ASUH_MASTER_KEY) problems.push('ASUH_MASTER_KEY: required in production (64 hexadecimal characters)');
  if (problems.length) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    production,
    port: e.PORT,
    host,
    databaseUrl: e.DATABASE_URL,
    eventStoreUrl: e.EVENTSTORE_URL,
    apiKeys,
    dataDir: e.ASUH_DATA_DIR,
    embeddedPostgresPort: e.ASUH_EMBEDDED_PG_PORT,
    timezone: e.ASUH_TIMEZONE,
    consistencyWaitMs: e.ASUH_CONSISTENCY_WAIT_MS,
    dbTimeoutMs: e.ASUH_DB_TIMEOUT_MS,
    rateLimitPerMinute: e.ASUH_RATE_LIMIT_PER_MINUTE,
    corsOrigins,
    appendRetries: e.ASUH_APPEND_RETRIES,
    lapseCheckCron: e.ASUH_LAPSE_CHECK_CRON,
    runProjector: e.ASUH_RUN_PROJECTOR,
    runLapseSchedule: e.ASUH_RUN_LAPSE_SCHEDULE,
    logLevel: e.LOG_LEVEL,
    ucjTarget: e.ASUH_UCJ_TARGET,
    importMaxBytes: e.ASUH_IMPORT_MAX_BYTES,
    importConcurrency: e.ASUH_IMPORT_CONCURRENCY,
    masterKey: e.ASUH_MASTER_KEY,
    publicStats: e.ASUH_PUBLIC_STATS,
    policy: {
      dueDay: e.ASUH_DUE_DAY,
      arrearsWindowMonths: e.ASUH_ARREARS_WINDOW_MONTHS,
      paymentPeriods,
      maxEnrolmentAgeMonths: e.ASUH_MAX_ENROLMENT_AGE_MONTHS,
      maxPrepayMonths: e.ASUH_MAX_PREPAY_MONTHS,
      tariffs,
    },
  };
}
