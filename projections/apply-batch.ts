import type { ClientBase, Pool } from 'pg';
import { LOCK_NAMESPACE, LockKey } from './advisory-locks';
import { type Checkpoint, leastOf, readCheckpoints, writeCheckpoints } from './checkpoint/checkpoint';
import { LIVE_SCHEMA, type PersonalDataPort, type ProjectedEvent, type Projection, projectionContext } from './projection';

export interface BatchOptions {
  projections: readonly Projection[];
  /** Schema of the read models to write; `public` for the live ones. */
  schema?: string;
  /** The key store, for projections that keep personal data sealed. */
  personal?: PersonalDataPort;
}

export interface BatchResult {
  /** Events of the batch some projection had not seen yet, now applied. */
  applied: number;
  /** Events every projection had seen already, skipped. */
  skipped: number;
  /** Where the projections all are after the batch (the least advanced one's checkpoint). */
  checkpoint: bigint;
  lastEventAt: Date | null;
}

/**
 * Applies a batch inside the caller's transaction. Each projection gets the events of its types that lie
 * after its own checkpoint, and its checkpoint moves to the end of the batch, so its rows and its checkpoint
 * commit (or vanish) together. A projection that is ahead (just rebuilt) skips what it has seen.
 */
export async function applyBatch(db: ClientBase, events: readonly ProjectedEvent[], options: BatchOptions): Promise<BatchResult> {
  const schema = options.schema ?? LIVE_SCHEMA;
  const names = options.projections.map((p) => p.name);
  const before = await readCheckpoints(db, schema, names, { forUpdate: true });
  const last = events[events.length - 1];
  const ctx = projectionContext(db, schema, options.personal);
  const after = new Map<string, Checkpoint>();
  const lowest = leastOf([...before.values()]).position;
  for (const p of options.projections) {
    const seen = before.get(p.name)!;
    if (!last || last.position <= seen.position) continue;
    const handled = events.filter((e) => e.position > seen.position && p.canHandle.includes(e.type));
    if (handled.length > 0) await p.handle(handled, ctx);
    after.set(p.name, { position: last.position, lastEventAt: last.created });
  }
  await writeCheckpoints(db, schema, after);
  const now = leastOf(names.map((name) => after.get(name) ?? before.get(name)!));
  const applied = events.filter((e) => e.position > lowest).length;
  return { applied, skipped: events.length - applied, checkpoint: now.position, lastEventAt: now.lastEventAt };
}

/**
 * How a batch's transaction starts, in one round trip (simple protocol, constants only): with asynchronous
 * commit, and for the live read models with the write lock. A batch's commit need not wait for its WAL flush:
 * the read models are derived from the log, and their checkpoints commit with their rows, so a batch lost by
 * a server crash is lost whole, rows and checkpoint together, and the projector applies it again from the
 * checkpoint that survived. Readers see a batch as soon as it commits, as before. (The flush was a fifth of a
 * batch's time on a loaded server; see docs/benchmarks.md.)
 */
const BEGIN_BATCH = `BEGIN; SET LOCAL synchronous_commit = off`;
const BEGIN_LIVE_BATCH = `${BEGIN_BATCH}; SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${LockKey.READ_MODEL_WRITE})`;

/**
 * One transaction per batch. Writers of the live read models first take the transaction-level write lock,
 * before naming any table: a blue-green swap waits for the batch in flight, and a batch that waited for a
 * swap then resolves the table names to the new tables and reads their checkpoints.
 */
export async function applyBatchInTransaction(
  pool: Pool,
  events: readonly ProjectedEvent[],
  options: BatchOptions & { lockLiveWrites?: boolean },
): Promise<BatchResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies mid-batch emits 'error' on the checked-out client: note it, do not crash.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    const lockLiveWrites = options.lockLiveWrites ?? (options.schema ?? LIVE_SCHEMA) === LIVE_SCHEMA;
    try {
      await client.query(lockLiveWrites ? BEGIN_LIVE_BATCH : BEGIN_BATCH);
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
