import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';

/**
 * With DATABASE_URL set, tests use that server (each test file in its own database, see test-database.ts).
 * Without it, one embedded PostgreSQL is started for the run, with throwaway data under .asuh/test-pg.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.ASUH_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // One directory per run, so parallel runs (and a crashed earlier run's leftovers) never collide.
  const dataDir = join(__dirname, '..', '..', '.asuh', `test-pg-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const port = 55432 + Math.floor(Math.random() * 1000);
  const db = await startEmbeddedPostgres(dataDir, port);
  process.env.ASUH_TEST_ADMIN_URL = db.url;
  (globalThis as { __asuhEmbedded?: unknown }).__asuhEmbedded = { db, dataDir: db.dataDir };
}
