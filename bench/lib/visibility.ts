import { Client } from 'pg';
import { EVENTS_PER_APPEND_LIMIT } from '../../src/event-store/postgres/postgres-event-store.schema';
import { sleep } from './context';

/**
 * The PostgreSQL adapter only lets readers see positions below pg_snapshot_xmin * 2^20, and xmin is
 * cluster-wide: a transaction left open in ANY database of the server (another test run, a psql session)
 * holds every reader of the log back. Before timing a reader, wait until the whole log is visible and say
 * how long that took and who held it.
 */
export async function waitUntilLogVisible(url: string, timeoutMs: number): Promise<{ waitedMs: number; holders: string[] }> {
  const c = new Client({ connectionString: url, application_name: 'asuh-bench-visibility' });
  c.on('error', () => undefined);
  await c.connect();
  const started = Date.now();
  const holders = new Set<string>();
  try {
    for (;;) {
      const { rows } = await c.query<{ visible: boolean }>(
        `SELECT coalesce(max(position), 0) < pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_APPEND_LIMIT} AS visible FROM event_store.events`,
      );
      if (rows[0].visible) return { waitedMs: Date.now() - started, holders: [...holders] };
      const open = await c.query<{ who: string }>(
        `SELECT datname || ' pid ' || pid || ' (' || state || ', ' || coalesce(application_name, '') || ')' AS who
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
          ORDER BY age(backend_xid) DESC LIMIT 3`,
      );
      open.rows.forEach((r) => holders.add(r.who));
      if (Date.now() - started > timeoutMs) return { waitedMs: Date.now() - started, holders: [...holders] };
      await sleep(100);
    }
  } finally {
    await c.end();
  }
}
