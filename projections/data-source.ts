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
import { WorkerNameTrigramRow } from './worker-status/worker-name-trigram.entity';

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
];

export const READ_MODEL_MIGRATIONS = [
  CreateReadModels1763900000000,
  WorkerStatusCounts1764000000000,
  StandaloneReadModels1764100000000,
  PersonalDataSealed1764200000000,
  OpdRetirement1764300000000,
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

/** The API's TypeORM connection of the read models. Migrations run at start (under a lock), never synchronize. */
export function readModelDataSourceOptions(url: string): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: 20, application_name: 'asuh-api' },
  };
}
