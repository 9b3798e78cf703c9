import { Pool, type PoolClient } from 'pg';
import { LOCK_NAMESPACE, LockKey } from '../../projections/advisory-locks';
import { applyBatchInTransaction } from '../../projections/apply-batch';
import { readCheckpoint } from '../../projections/checkpoint/checkpoint';
import { LIVE_SCHEMA, READ_MODEL_TABLES } from '../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import { dropScratchSchema, replayIntoScratchSchema } from '../../projections/rebuild';
import { formatPosition, type EventStore } from '../event-store/event-store.port';
import { walkHashChains, type BrokenLink } from './hash-chain';
import { compareReadModels, type Mismatch, type TableComparison } from './read-model-diff';

/** Every read model, the checkpoint excepted: it is bookkeeping of where the tables are, compared separately. */
export const VERIFIED_TABLES = READ_MODEL_TABLES.filter((table) => table !== 'projection_checkpoint');

export interface VerifyProgress {
  phase: 'chains' | 'waiting' | 'replay' | 'compare';
  /** Share of the phase done, 0..1 (by log position for the log phases, by table for the comparison). */
  fraction: number;
  detail: string;
}

export interface VerifyOptions {
  eventStore: EventStore;
  databaseUrl: string;
  /**
   * Waits until the live read models have applied `position` (false on timeout). The comparison is made at
   * whatever position the live read models have reached; waiting first makes that the head of the log.
   */
  waitForLive?: (position: bigint) => Promise<boolean>;
  /** Most mismatches and broken links listed (default 50 each). */
  limit?: number;
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyReport {
  /** No mismatch and no broken chain. */
  ok: boolean;
  /** Events replayed into the scratch read models: the log up to `position`. */
  eventsReplayed: number;
  /** Log position at which live and replayed read models were compared (decimal string). */
  position: string;
  /** Log head when the verification began (decimal string). */
  headPosition: string;
  /** The live read models had reached the head before the comparison. */
  liveCaughtUp: boolean;
  mismatches: Mismatch[];
  tables: TableComparison[];
  /** Events whose hash links were checked (the whole log up to `headPosition`). */
  eventsHashed: number;
  streamsHashed: number;
  /** First broken link of each broken stream. */
  brokenChains: BrokenLink[];
}

/** Attempts at catching a moving live projector in one snapshot before the live writes are held for the comparison. */
const SNAPSHOT_ATTEMPTS = 5;

/** Share of the log span [start, end] up to `position`: positions are not counts, so it is an estimate. */
const fractionOf = (start: bigint, position: bigint, end: bigint) =>
  end > start ? Math.max(0, Math.min(1, Number(((position - start) * 1000n) / (end - start)) / 1000)) : 1;

/**
 * Proves the read models are what the log says, and the log is what was written:
 *
 * 1. Hash chains: every stream's chain is walked through the whole log (tamper evidence).
 * 2. Replay: once the live read models have caught up with the head (or given up waiting), the log up to
 *    the live checkpoint is replayed into a scratch schema with the same projection code.
 * 3. Compare, in one snapshot of the live tables whose checkpoint equals the replayed position: if the live
 *    projector moved on meanwhile, the scratch schema first applies the same further events, so both sides
 *    always stand at exactly the same log prefix. Every read-model table, row by row by primary key,
 *    every column.
 * 4. The scratch schema is dropped, whatever happened.
 */
export async function verifyReadModels(options: VerifyOptions): Promise<VerifyReport> {
  const limit = options.limit ?? 50;
  const progress = options.onProgress ?? (() => undefined);

  let logStart = 0n;
  const chains = await walkHashChains(options.eventStore, {
    limit,
    onProgress: ({ startPosition, position, headPosition, eventsChecked }) => {
      logStart = startPosition;
      progress({ phase: 'chains', fraction: fractionOf(startPosition, position, headPosition), detail: `${eventsChecked} events hashed` });
    },
  });
  const head = await options.eventStore.headPosition();

  progress({ phase: 'waiting', fraction: 0, detail: `live read models catching up with ${formatPosition(head)}` });
  const liveCaughtUp = options.waitForLive ? await options.waitForLive(head) : false;

  const pool = new Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'asuh-verify' });
  // An idle connection failing (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  let schema: string | null = null;
  try {
    const target = await withClient(pool, async (client) => (await readCheckpoint(client, LIVE_SCHEMA)).position);
    const replay = await replayIntoScratchSchema({
      eventStore: options.eventStore,
      databaseUrl: options.databaseUrl,
      prefix: 'verify',
      upTo: target,
      onProgress: (p) => progress({ phase: 'replay', fraction: fractionOf(logStart, p.position, target), detail: `${p.eventsReplayed} events replayed` }),
    });
    schema = replay.schema;
    let replayed = replay.position;
    let eventsReplayed = replay.eventsReplayed;

    for (let attempt = 1; ; attempt++) {
      const compared = await withClient(pool, async (client) => {
        const holdLiveWrites = attempt >= SNAPSHOT_ATTEMPTS;
        // One snapshot for the checkpoint and every table. The last attempt instead holds the live writers
        // (every live batch and switch takes this lock first), so every statement sees the same tables.
        await client.query(holdLiveWrites ? 'BEGIN ISOLATION LEVEL READ COMMITTED' : 'BEGIN ISOLATION LEVEL REPEATABLE READ');
        try {
          if (holdLiveWrites) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.READ_MODEL_WRITE]);
          const live = (await readCheckpoint(client, LIVE_SCHEMA)).position;
          if (live !== replayed) return { live, diff: null };
          const diff = await compareReadModels(client, LIVE_SCHEMA, replay.schema, VERIFIED_TABLES, {
            limit,
            onTable: (index, table) => progress({ phase: 'compare', fraction: index / VERIFIED_TABLES.length, detail: table }),
          });
          return { live, diff };
        } finally {
          await client.query('ROLLBACK');
        }
      });
      if (compared.diff) {
        progress({ phase: 'compare', fraction: 1, detail: 'done' });
        return {
          ok: compared.diff.mismatches.length === 0 && chains.brokenChains.length === 0,
          eventsReplayed,
          position: formatPosition(replayed),
          headPosition: formatPosition(head),
          liveCaughtUp,
          mismatches: compared.diff.mismatches,
          tables: compared.diff.tables,
          eventsHashed: chains.eventsChecked,
          streamsHashed: chains.streamsChecked,
          brokenChains: chains.brokenChains,
        };
      }
      // The live projector moved on since the replay: bring the scratch tables to the same position.
      if (compared.live < replayed) throw new Error(`The live checkpoint ${compared.live} went back behind ${replayed}`);
      const caughtUp = await applyRange(options.eventStore, pool, replay.schema, replayed, compared.live);
      eventsReplayed += caughtUp.applied;
      replayed = caughtUp.position;
    }
  } finally {
    await pool.end();
    if (schema) await dropScratchSchema(options.databaseUrl, schema);
  }
}

async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

/** Applies the events in (after, upTo] to the scratch read models, with the live projection code. */
async function applyRange(store: EventStore, pool: Pool, schema: string, after: bigint, upTo: bigint): Promise<{ applied: number; position: bigint }> {
  let applied = 0;
  let position = after;
  while (position < upTo) {
    const page = (await store.readAll({ after: position, maxCount: 2000 })).filter((event) => event.position <= upTo);
    if (page.length === 0) break;
    const result = await applyBatchInTransaction(pool, page, { projections: READ_MODEL_PROJECTIONS, schema, lockLiveWrites: false });
    applied += result.applied;
    position = page[page.length - 1].position;
  }
  return { applied, position };
}
