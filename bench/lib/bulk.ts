import { SingleBar, Presets } from 'cli-progress';
import { Pool } from 'pg';
import type { Append } from './city';

/**
 * Bulk loading through the adapter's own SQL: `bench.append_many` calls `event_store.append_events` (the
 * adapter's append as a function that can run several times in one transaction: the same expected-revision
 * check and row format as PostgresEventStore.appendToStream) once per append, in order, inside one
 * transaction per chunk. The rows are therefore exactly what the adapter writes: positions
 * xid * 2^20 + ordinal (several appends in one transaction continue the ordinal), revisions checked
 * against the stream's last revision, the same event ids, data and metadata. Only the number of round trips
 * and commits differs from appending them one by one.
 */
export const APPEND_MANY_SQL = `
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.append_many(p_appends jsonb) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  a jsonb;
  last bigint := 0;
BEGIN
  FOR a IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
    SELECT last_position INTO last FROM event_store.append_events(a->>0, a->>1, a->2);
  END LOOP;
  RETURN last;
END
$fn$;`;

export interface BulkResult {
  events: number;
  appends: number;
  elapsedMs: number;
}

function progressBar(label: string, total: number | undefined): SingleBar | null {
  if (!total || !process.stderr.isTTY) return null;
  const bar = new SingleBar(
    { format: `   ${label} [{bar}] {percentage}% {value}/{total} events, {eta_formatted} left`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/**
 * Appends everything the iterator yields, `eventsPerTransaction` at a time (the next chunk is built
 * while the previous one is written). Shows a progress bar when `expectedEvents` is given and stderr is
 * a terminal; otherwise prints a line every ~10%.
 */
export async function bulkAppend(
  databaseUrl: string,
  appends: Iterable<Append> | AsyncIterable<Append>,
  options: { label: string; expectedEvents?: number; eventsPerTransaction?: number; log?: (line: string) => void },
): Promise<BulkResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'asuh-bench-bulk' });
  const started = Date.now();
  const bar = progressBar(options.label, options.expectedEvents);
  const perTransaction = options.eventsPerTransaction ?? 4000;
  let events = 0;
  let count = 0;
  let nextReport = 0.1;
  try {
    await pool.query(APPEND_MANY_SQL);
    const iterator: Iterator<Append> | AsyncIterator<Append> = Symbol.asyncIterator in appends ? appends[Symbol.asyncIterator]() : appends[Symbol.iterator]();
    const nextChunk = async (): Promise<{ payload: string; events: number; appends: number } | null> => {
      const parts: string[] = [];
      let n = 0;
      let a = 0;
      while (n < perTransaction) {
        const next = await iterator.next();
        if (next.done) break;
        const { streamId, expected, events: batch } = next.value;
        parts.push(JSON.stringify([streamId, typeof expected === 'bigint' ? expected.toString() : expected, batch]));
        n += batch.length;
        a++;
      }
      return parts.length ? { payload: `[${parts.join(',')}]`, events: n, appends: a } : null;
    };
    let chunk = await nextChunk();
    while (chunk) {
      const writing = pool.query('SELECT bench.append_many($1::jsonb)', [chunk.payload]);
      writing.catch(() => undefined);
      const following = await nextChunk();
      await writing;
      events += chunk.events;
      count += chunk.appends;
      bar?.update(Math.min(events, options.expectedEvents ?? events));
      if (!bar && options.expectedEvents && options.log && events >= nextReport * options.expectedEvents) {
        options.log(`${options.label}: ${events.toLocaleString('en-US')} events (${Math.round(((Date.now() - started) / 1000) * 10) / 10} s)`);
        nextReport += 0.1;
      }
      chunk = following;
    }
  } finally {
    bar?.stop();
    await pool.end();
  }
  return { events, appends: count, elapsedMs: Date.now() - started };
}
