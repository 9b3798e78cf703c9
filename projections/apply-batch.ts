import type { ClientBase, Pool } from 'pg';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { LOCK_NAMESPACE, LockKey } from './advisory-locks';
import { readCheckpoint, writeCheckpoint } from './checkpoint/checkpoint';
import { applyProjections, LIVE_SCHEMA, projectionContext, type Projection } from './projection';

export interface BatchOptions {
  projections: readonly Projection[];
  /** Schema of the read models to write; `public` for the live ones. */
  schema?: string;
}

export interface BatchResult {
  /** Events of the batch after the checkpoint, now applied. */
  applied: number;
  /** Events at or below the checkpoint, skipped: already applied. */
  skipped: number;
  /** The checkpoint after the batch (it may be ahead of the batch: a rebuild can move it forward). */
  checkpoint: bigint;
  lastEventAt: Date | null;
}

/**
 * Applies a batch inside the caller's transaction: skips what the checkpoint says was applied, hands the
 * rest to the projections and moves the checkpoint, so rows and checkpoint commit (or vanish) together.
 */
export async function applyBatch(db: ClientBase, events: readonly RecordedEvent[], options: BatchOptions): Promise<BatchResult> {
  const schema = options.schema ?? LIVE_SCHEMA;
  const before = await readCheckpoint(db, schema, { forUpdate: true });
  const fresh = events.filter((e) => e.position > before.position);
  if (fresh.length === 0) {
    return { applied: 0, skipped: events.length, checkpoint: before.position, lastEventAt: before.lastEventAt };
  }
  await applyProjections(options.projections, fresh, projectionContext(db, schema));
  const last = fresh[fresh.length - 1];
  await writeCheckpoint(db, schema, last);
  return { applied: fresh.length, skipped: events.length - fresh.length, checkpoint: last.position, lastEventAt: last.created };
}

/**
 * One transaction per batch. Writers of the live read models first take the transaction-level write lock,
 * before naming any table: a blue-green swap waits for the batch in flight, and a batch that waited for a
 * swap then resolves the table names to the new tables and reads their checkpoint.
 */
export async function applyBatchInTransaction(
  pool: Pool,
  events: readonly RecordedEvent[],
  options: BatchOptions & { lockLiveWrites?: boolean },
): Promise<BatchResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies mid-batch emits 'error' on the checked-out client: note it, do not crash.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    try {
      if (options.lockLiveWrites ?? (options.schema ?? LIVE_SCHEMA) === LIVE_SCHEMA) {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.READ_MODEL_WRITE]);
      }
      const result = await applyBatch(client, events, options);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    client.off('error', onError);
    // A connection that failed or could not roll back is not handed to the next batch.
    client.release(broken);
  }
}
