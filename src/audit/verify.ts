import { Pool, type PoolClient } from 'pg';
import { LOCK_NAMESPACE, LockKey } from '../../projections/advisory-locks';
import { applyBatchInTransaction } from '../../projections/apply-batch';
import { leastOf, readCheckpoints } from '../../projections/checkpoint/checkpoint';
import { CHECKPOINT_TABLE, LIVE_SCHEMA, tablesOf } from '../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import { dropScratchSchema, forEachPage, replayIntoScratchSchema } from '../../projections/rebuild';
import type { EventCodec } from '../event-sourcing/event-codec';
import { formatPosition, type EventStore } from '../event-store/event-store.port';
import { walkHashChains, type BrokenLink } from './hash-chain';
import { compareReadModels, type Mismatch, type TableComparison } from './read-model-diff';

/** Every read model, the checkpoints excepted: they are bookkeeping of where the tables are, compared separately. */
export const VERIFIED_TABLES = tablesOf(READ_MODEL_PROJECTIONS).filter((table) => table !== CHECKPOINT_TABLE);

const NAMES = READ_MODEL_PROJECTIONS.map((p) => p.name);

export interface VerifyProgress {
  phase: 'chains' | 'waiting' | 'replay' | 'compare';
  /** Share of the phase done, 0..1 (by log position for the log phases, by table for the comparison). */
  fraction: number;
  detail: string;
}

export interface VerifyOptions {
  eventStore: EventStore;
  /** The read path of the log, as the projector uses it. */
  codec: EventCodec;
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
  /** Events whose schema version says their personal fields are sealed, holding one in clear text (should be none). */
  clearTextPersonalData: ClearTextFinding[];
  /** People whose personal data was erased but whose data key still exists (should be none). */
  keysOfErasedSubjects: string[];
}

export interface ClearTextFinding {
  streamId: string;
  position: string;
  eventId: string;
  type: string;
  fields: string[];
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
 *    the live checkpoints is replayed into a scratch schema with the same projection code.
 * 3. Compare, in one snapshot of the live tables whose checkpoints equal the replayed ones: if a live
 *    projection moved on meanwhile, its scratch copy first applies the same further events, so both sides
 *    of every read model always stand at exactly the same log prefix. Every read-model table, row by row by
 *    primary key, every column.
 * 4. The scratch schema is dropped, whatever happened.
 *
 * Riding along: no event whose schema version says its personal fields are sealed holds one in clear text, and
 * no erased person's data key survives.
 */
export async function verifyReadModels(options: VerifyOptions): Promise<VerifyReport> {
  const limit = options.limit ?? 50;
  const progress = options.onProgress ?? (() => undefined);

  let logStart = 0n;
  const clearText: ClearTextFinding[] = [];
  const chains = await walkHashChains(options.eventStore, {
    limit,
    inspect: (event) => {
      const fields = options.codec.clearTextPersonalFields(event);
      if (fields.length > 0 && clearText.length < limit) {
        clearText.push({ streamId: event.streamId, position: formatPosition(event.position), eventId: event.id, type: event.type, fields });
      }
    },
    onProgress: ({ startPosition, position, headPosition, eventsChecked }) => {
      logStart = startPosition;
      progress({ phase: 'chains', fraction: fractionOf(startPosition, position, headPosition), detail: `${eventsChecked} events hashed` });
    },
  });
  const head = await options.eventStore.headPosition();
  const keysOfErasedSubjects = (await options.codec.vault?.keysOfErasedSubjects()) ?? [];

  progress({ phase: 'waiting', fraction: 0, detail: `live read models catching up with ${formatPosition(head)}` });
  const liveCaughtUp = options.waitForLive ? await options.waitForLive(head) : false;

  const pool = new Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'asuh-verify' });
  // An idle connection failing (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  let schema: string | null = null;
  try {
    const target = await withClient(pool, async (client) => leastOf([...(await readCheckpoints(client, LIVE_SCHEMA, NAMES)).values()]).position);
    const replay = await replayIntoScratchSchema({
      eventStore: options.eventStore,
      codec: options.codec,
      databaseUrl: options.databaseUrl,
      prefix: 'verify',
      upTo: target,
      onProgress: (p) => progress({ phase: 'replay', fraction: fractionOf(logStart, p.position, target), detail: `${p.eventsReplayed} events replayed` }),
    });
    schema = replay.schema;
    let eventsReplayed = replay.eventsReplayed;

    for (let attempt = 1; ; attempt++) {
      const compared = await withClient(pool, async (client) => {
        const holdLiveWrites = attempt >= SNAPSHOT_ATTEMPTS;
        // One snapshot for the checkpoint and every table. The last attempt instead holds the live writers
        // (every live batch and switch takes this lock first), so every statement sees the same tables.
        await client.query(holdLiveWrites ? 'BEGIN ISOLATION LEVEL READ COMMITTED' : 'BEGIN ISOLATION LEVEL REPEATABLE READ');
        try {
          if (holdLiveWrites) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.READ_MODEL_WRITE]);
          const live = await readCheckpoints(client, LIVE_SCHEMA, NAMES);
          const scratch = await readCheckpoints(client, replay.schema, NAMES);
          if (NAMES.some((name) => live.get(name)!.position !== scratch.get(name)!.position)) return { live, scratch, diff: null };
          const diff = await compareReadModels(client, LIVE_SCHEMA, replay.schema, VERIFIED_TABLES, {
            limit,
            onTable: (index, table) => progress({ phase: 'compare', fraction: index / VERIFIED_TABLES.length, detail: table }),
          });
          return { live, scratch, diff };
        } finally {
          await client.query('ROLLBACK');
        }
      });
      if (compared.diff) {
        progress({ phase: 'compare', fraction: 1, detail: 'done' });
        return {
          ok: compared.diff.mismatches.length === 0 && chains.brokenChains.length === 0 && clearText.length === 0 && keysOfErasedSubjects.length === 0,
          eventsReplayed,
          position: formatPosition(leastOf([...compared.scratch.values()]).position),
          headPosition: formatPosition(head),
          liveCaughtUp,
          mismatches: compared.diff.mismatches,
          tables: compared.diff.tables,
          eventsHashed: chains.eventsChecked,
          streamsHashed: chains.streamsChecked,
          brokenChains: chains.brokenChains,
          clearTextPersonalData: clearText,
          keysOfErasedSubjects,
        };
      }
      // A live projection moved on since the replay: bring its scratch copy to the same position.
      for (const projection of READ_MODEL_PROJECTIONS) {
        const live = compared.live.get(projection.name)!.position;
        const scratch = compared.scratch.get(projection.name)!.position;
        if (live < scratch) throw new Error(`The live checkpoint of ${projection.name} (${live}) went back behind ${scratch}`);
        if (live > scratch) eventsReplayed += await applyRange(options, pool, replay.schema, projection.name, scratch, live);
      }
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

/** Applies the events in (after, upTo] to one scratch read model, with the live projection code. */
async function applyRange(
  options: Pick<VerifyOptions, 'eventStore' | 'codec'>,
  pool: Pool,
  schema: string,
  name: string,
  after: bigint,
  upTo: bigint,
): Promise<number> {
  const projections = READ_MODEL_PROJECTIONS.filter((p) => p.name === name);
  let applied = 0;
  await forEachPage(options.eventStore, options.codec, after, 2000, upTo, async (page) => {
    applied += (await applyBatchInTransaction(pool, page, { projections, schema, lockLiveWrites: false, personal: options.codec.vault })).applied;
  });
  return applied;
}

