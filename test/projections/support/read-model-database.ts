import { Pool } from 'pg';
import { type ProjectedEvent, projectionContext, tablesOf } from '../../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../../projections/read-model-projections';
import { runMigrations } from '../../../projections/data-source';
import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import { openTestVault, testCodec } from '../../support/codec';
import type { PersonalDataVault } from '../../../src/personal-data/vault';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { inBatches } from './event-log';

export const READ_MODEL_TABLES = tablesOf(READ_MODEL_PROJECTIONS);

/** Primary-key order of every read-model table, for stable snapshots. */
const ORDER_BY: Record<string, string> = {
  projection_checkpoint: 'name',
  opd_participation: 'opd_code',
  opd_headcount_history: 'opd_code, position',
  opd_participation_sponsors: 'sponsor_id',
  opd_participation_workers: 'worker_id',
  sponsor_summary: 'sponsor_id',
  sponsor_summary_workers: 'worker_id',
  worker_status: 'worker_id',
  worker_status_counts: 'status',
  worker_status_sponsors: 'sponsor_id',
  worker_name_trigrams: 'worker_id, trigram',
  monthly_stats: 'month',
  contribution_ledger: 'position',
  ucj_targets: 'year',
  api_keys: 'key_id',
};

export interface ReadModelDatabase {
  url: string;
  pool: Pool;
  /** The key store of this database (the projections seal personal data with it). */
  vault: PersonalDataVault;
  /**
   * Applies events, decoded through the product's codec, straight to the projections (no checkpoint, so replays
   * meet the projections' own position guards), `batchSize` events per transaction.
   */
  apply(events: readonly RecordedEvent[], options?: { batchSize?: number; schema?: string }): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Every read-model table, rows in key order (the checkpoint's clock column left out). */
  snapshot(schema?: string): Promise<Record<string, unknown[]>>;
  /** Empties every read-model table (one database per test file, a clean slate per test). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createReadModelDatabase(): Promise<ReadModelDatabase & { database: TestDatabase }> {
  const database = await createTestDatabase('asuh_proj');
  await runMigrations(database.url);
  const vault = await openTestVault(database.url);
  const pool = new Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  return {
    database,
    url: database.url,
    pool,
    vault,
    async apply(events, options = {}) {
      const codec = testCodec(vault);
      for (const batch of inBatches(events, options.batchSize ?? 1000)) {
        const decoded = (await codec.decode(batch)) as ProjectedEvent[];
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const ctx = projectionContext(client, options.schema, vault);
          for (const projection of READ_MODEL_PROJECTIONS) {
            const handled = decoded.filter((e) => projection.canHandle.includes(e.type));
            if (handled.length > 0) await projection.handle(handled, ctx);
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }
    },
    async rows<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async snapshot(schema = 'public') {
      const result: Record<string, unknown[]> = {};
      for (const table of READ_MODEL_TABLES) {
        const columns = table === 'projection_checkpoint' ? 'name, position, last_event_at' : '*';
        result[table] = (await pool.query(`SELECT ${columns} FROM "${schema}"."${table}" ORDER BY ${ORDER_BY[table]}`)).rows;
      }
      return result;
    },
    async reset() {
      await pool.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"public"."${t}"`).join(', ')}`);
    },
    async close() {
      await vault.close();
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * One read-model database for a spec file: created before its tests, emptied before each, dropped after
 * the file. `assign` receives it, so the spec keeps a plain `db` variable.
 */
export function useReadModelDatabase(assign: (db: ReadModelDatabase) => void): void {
  let db: ReadModelDatabase | undefined;
  beforeAll(async () => {
    db = await createReadModelDatabase();
    assign(db);
  });
  beforeEach(async () => {
    await db!.reset();
  });
  afterAll(async () => {
    await db?.close();
  });
}
