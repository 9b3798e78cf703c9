import { Client } from 'pg';
import { EVENTS_PER_APPEND_LIMIT } from '../../src/event-store/postgres/postgres-event-store.schema';

/**
 * Filler for the growth measurement: rows in the adapter's exact format (position = xid * 2^20 + ordinal
 * of the writing transaction, transaction_id = that xid, revisions 0 and 1 of streams `filler-<n>`),
 * PremiumPaid-shaped data and full metadata of realistic size,
 * generated inside PostgreSQL (1,024 distinct payloads repeated; event ids unique). Only the size matters.
 */
export const FILLER_EVENTS_PER_STREAM = 2;

const fillSql = (from: number, count: number) => `
WITH payload AS MATERIALIZED (
  SELECT k,
         jsonb_build_object('workerId', md5('w' || k)::uuid, 'paymentRef', 'FILL-' || k, 'months', 1, 'amount', 16800,
                            'paidOn', '2025-03-10', 'payer', jsonb_build_object('type', 'ASN_SPONSOR', 'sponsorId', md5('s' || k)::uuid),
                            'opdCode', 'OPD' || lpad((k % 63 + 1)::text, 3, '0'), 'coveredFrom', '2025-03', 'coveredThrough', '2025-03',
                            'statusAfter', 'ACTIVE') AS data,
         jsonb_build_object('eventId', md5('e' || k)::uuid, 'occurredAt', '2025-03-10T00:00:00+07:00', 'recordedAt', '2025-03-10T03:00:00.000Z',
                            'recordedBy', 'bench-operator', 'correlationId', md5('c' || k)::uuid, 'causationId', md5('c' || k)::uuid,
                            'schemaVersion', 1, 'prevHash', md5('p' || k) || md5('q' || k), 'hash', md5('h' || k) || md5('i' || k)) AS metadata
    FROM generate_series(0, 1023) AS k
)
INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
SELECT pg_current_xact_id()::text::bigint * ${EVENTS_PER_APPEND_LIMIT} + (n - ${from} + 1),
       pg_current_xact_id(),
       'filler-' || (n / ${FILLER_EVENTS_PER_STREAM}),
       n % ${FILLER_EVENTS_PER_STREAM},
       gen_random_uuid(),
       'PremiumPaid',
       p.data,
       p.metadata
  FROM generate_series(${from}::bigint, ${from + count - 1}::bigint) AS n
  JOIN payload p ON p.k = n % 1024;`;

/**
 * Grows the log from `have` to `want` events, at most `perTransaction` per transaction (< 2^20). For a
 * large fill the secondary keys are dropped and rebuilt afterwards (much faster than maintaining a random
 * uuid index row by row); the table ends with exactly the adapter's keys again.
 */
export async function fillTo(url: string, have: number, want: number, onProgress?: (done: number) => void): Promise<void> {
  if (want <= have) return;
  if (have % FILLER_EVENTS_PER_STREAM !== 0 || want % FILLER_EVENTS_PER_STREAM !== 0) throw new RangeError('filler sizes must be multiples of the events per stream');
  const c = new Client({ connectionString: url, application_name: 'asuh-bench-filler' });
  c.on('error', () => undefined);
  await c.connect();
  const rebuildKeys = want - have >= 500_000;
  try {
    await c.query(`SET maintenance_work_mem = '512MB'`);
    if (rebuildKeys) {
      await c.query('ALTER TABLE event_store.events DROP CONSTRAINT events_event_id_key, DROP CONSTRAINT events_stream_revision_key');
    }
    const perTransaction = 500_000;
    // Filler numbers start at 10^9 so they never collide with a stream the bench appends to itself.
    for (let done = have; done < want; done += perTransaction) {
      const count = Math.min(perTransaction, want - done);
      await c.query('BEGIN');
      await c.query(fillSql(1_000_000_000 + done, count));
      await c.query('COMMIT');
      onProgress?.(done + count);
    }
    if (rebuildKeys) {
      await c.query('ALTER TABLE event_store.events ADD CONSTRAINT events_event_id_key UNIQUE (event_id)');
      await c.query('ALTER TABLE event_store.events ADD CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)');
    }
    await c.query('ANALYZE event_store.events');
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

/** A filler stream holding `FILLER_EVENTS_PER_STREAM` events (revisions 0..1), for appends at expected revision 1. */
export const fillerStream = (eventIndex: number) => `filler-${Math.floor((1_000_000_000 + eventIndex) / FILLER_EVENTS_PER_STREAM)}`;
