import { Client } from 'pg';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LOCK_NAMESPACE, LockKey } from './advisory-locks';
import { ProjectionCheckpointRow } from './checkpoint/projection-checkpoint.entity';
import { ContributionLedgerRow } from './contribution-ledger/contribution-ledger.entity';
import { CreateReadModels1763900000000 } from './migrations/1763900000000-create-read-models';
import { WorkerStatusCounts1764000000000 } from './migrations/1764000000000-worker-status-counts';
import { MonthlyStatsRow } from './monthly-stats/monthly-stats.entity';
import { OpdHeadcountHistoryRow } from './opd-participation/opd-headcount-history.entity';
import { OpdParticipationRow } from './opd-participation/opd-participation.entity';
import { SponsorSummaryRow } from './sponsor-summary/sponsor-summary.entity';
import { WorkerStatusRow } from './worker-status/worker-status.entity';
import { WorkerStatusCountRow } from './worker-status/worker-status-counts.entity';
import { WorkerStatusSponsorRow } from './worker-status/worker-status-sponsor.entity';
import { OpdParticipationSponsorRow } from './opd-participation/opd-participation-sponsor.entity';
import { OpdParticipationWorkerRow, SponsorSummaryWorkerRow } from './shared/worker-membership.entity';
import { StandaloneReadModels1764100000000 } from './migrations/1764100000000-standalone-read-models';
import { PersonalDataSealed1764200000000 } from './migrations/1764200000000-personal-data-sealed';
import { OpdRetirement1764300000000 } from './migrations/1764300000000-opd-retirement';
import { PaymentReversals1764400000000 } from './migrations/1764400000000-payment-reversals';
import { WorkerNameTrigramRow } from './worker-status/worker-name-trigram.entity';
import { UcjTargetRow } from './ucj-targets/ucj-target.entity';
import { UcjTargets1764350000000 } from './migrations/1764350000000-ucj-targets';
import { ApiKeyRow } from './api-keys/api-key.entity';
import { ApiKeys1764500000000 } from './migrations/1764500000000-api-keys';
import { ImportJobs1764600000000 } from './migrations/1764600000000-import-jobs';

export const READ_MODEL_ENTITIES = [
  ProjectionCheckpointRow,
  OpdParticipationRow,
  OpdHeadcountHistoryRow,
  OpdParticipationSponsorRow,
  OpdParticipationWorkerRow,
  SponsorSummaryRow,
  SponsorSummaryWorkerRow,
  WorkerStatusRow,
  WorkerStatusCountRow,
  WorkerStatusSponsorRow,
  WorkerNameTrigramRow,
  MonthlyStatsRow,
  ContributionLedgerRow,
  UcjTargetRow,
  ApiKeyRow,
];

export const READ_MODEL_MIGRATIONS = [
  CreateReadModels1763900000000,
  WorkerStatusCounts1764000000000,
  StandaloneReadModels1764100000000,
  PersonalDataSealed1764200000000,
  OpdRetirement1764300000000,
  UcjTargets1764350000000,
  PaymentReversals1764400000000,
  ApiKeys1764500000000,
  ImportJobs1764600000000,
];

export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

/** A DataSource over the read models (schema `public`). Schema changes only through migrations. */
export function createReadModelDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
  });
}

/**
 * Applies pending read-model migrations, one process at a time (the API and the projector may start
 * together against the same database). Returns the names of the migrations applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LockKey.MIGRATIONS]);
    const dataSource = createReadModelDataSource(url);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}

/** The default bound of a database call (ASUH_DB_TIMEOUT_MS). */
export const DEFAULT_DB_TIMEOUT_MS = 5000;

/**
 * node-postgres pool and session settings that bound every call by `timeoutMs`: getting a connection
 * (a new one, or a free one from a busy pool), each statement (cancelled by the server: SQLSTATE 57014),
 * a transaction left idle (its session ended: 25P03), and, for a server that does not answer at all (frozen,
 * unreachable behind a dead link), the client's own read deadline a moment after the statement's.
 * Long-running maintenance (migrations, rebuilds, verify) does not use these.
 */
export function boundedPoolOptions(timeoutMs: number) {
  return {
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs,
    query_timeout: timeoutMs + Math.min(1000, Math.ceil(timeoutMs / 4)),
  };
}

/** The API's TypeORM connection of the read models. Migrations run at start (under a lock), never synchronize. */
export function readModelDataSourceOptions(url: string, timeoutMs = DEFAULT_DB_TIMEOUT_MS): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: 20, application_name: 'asuh-api', ...boundedPoolOptions(timeoutMs) },
  };
}
