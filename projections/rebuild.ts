import { randomBytes } from 'node:crypto';
import { Client, Pool, type ClientBase } from 'pg';
import type { EventCodec } from '../src/event-sourcing/event-codec';
import type { EventStore } from '../src/event-store/event-store.port';
import { LOCK_NAMESPACE, LockKey } from './advisory-locks';
import { applyBatch, applyBatchInTransaction } from './apply-batch';
import { leastOf, readCheckpoints, readCommonCheckpoint, writeCheckpoints } from './checkpoint/checkpoint';
import { silentLogger, type ReadSideLogger } from './logger';
import { assertSchemaName, CHECKPOINT_TABLE, LIVE_SCHEMA, type ProjectedEvent, type Projection, tablesOf } from './projection';
import { READ_MODEL_PROJECTIONS } from './read-model-projections';

/**
 * Blue-green rebuild of the read models.
 *
 * 1. Replay: create a scratch schema with copies of the rebuilt projections' live tables (same columns,
 *    constraints and index names) and a checkpoint table of its own, and replay the whole log into it with
 *    the same projection code, page by page, without disturbing the live projector or the readers.
 * 2. Switch, in one transaction: take the read-model write lock (the live projector's batches take it
 *    too, so the switch waits for the batch in flight and the projector's next batch waits for the
 *    switch), replay the few events appended since step 1, then move those live tables into a retired
 *    schema and the scratch tables into `public`, and set the rebuilt projections' live checkpoints to the
 *    scratch ones. The running projector, whose next batch re-reads every checkpoint, skips what the rebuild
 *    applied and carries on. Readers wait only for the moves themselves (milliseconds) and never see a
 *    half-built table; the other read models keep serving throughout.
 * 3. Drop the retired tables.
 */

/**
 * A connection that fails while idle (server restart, a forced drop) must not crash the process with an
 * unhandled 'error' event; the next query on it fails and is handled there.
 */
const ignoreIdleConnectionError = (): void => undefined;

export interface RebuildProgress {
  phase: 'replay' | 'switch' | 'done';
  eventsReplayed: number;
  /** Last replayed position. */
  position: bigint;
  /** Last position of the log when the phase began (for a progress bar). */
  headPosition: bigint;
}

export interface ReplayOptions {
  eventStore: EventStore;
  /** The read path of the log: pages are decoded (upcast) before the projections see them. */
  codec: EventCodec;
  databaseUrl: string;
  /** Name of the scratch schema to create (it must not exist); default `<prefix>_<time>_<random>`. */
  schema?: string;
  /** Prefix of the generated schema name (default `rebuild`). */
  prefix?: string;
  /** Replay only events at or before this position (verify compares at the live checkpoint). */
  upTo?: bigint;
  /** Events per page read and per transaction (default 2000). */
  batchSize?: number;
  /** The read models to rebuild (default: all of them). */
  projections?: readonly Projection[];
  onProgress?: (progress: RebuildProgress) => void;
}

export interface ReplayResult {
  schema: string;
  eventsReplayed: number;
  /** Position of the last replayed event (0n for an empty log). */
  position: bigint;
}

export interface RebuildOptions extends Omit<ReplayOptions, 'schema' | 'upTo'> {
  logger?: ReadSideLogger;
  /** Attempts at the switch when readers keep the tables too long or deadlock it (default 5). */
  switchAttempts?: number;
  /** How long one attempt tries to get the live tables from the readers (default 5000 ms). */
  switchLockTimeoutMs?: number;
}

export interface RebuildResult {
  eventsReplayed: number;
  position: bigint;
  elapsedMs: number;
  eventsPerSecond: number;
}

/** Rebuilds the live read models from the whole log and switches them in without stopping readers. */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const logger = options.logger ?? silentLogger;
  const started = Date.now();
  const lock = new Client({ connectionString: options.databaseUrl, application_name: 'asuh-rebuild' });
  lock.on('error', ignoreIdleConnectionError);
  await lock.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_NAMESPACE, LockKey.REBUILD]);
    if (!rows[0].locked) throw new Error('Another rebuild of the read models is running');

    const replay = await replayIntoScratchSchema({ ...options, prefix: options.prefix ?? 'rebuild' });
    logger.info({ schema: replay.schema, eventsReplayed: replay.eventsReplayed, position: replay.position.toString() }, 'rebuild replayed the log');

    const pool = new Pool({ connectionString: options.databaseUrl, max: 1, application_name: 'asuh-rebuild' });
    pool.on('error', ignoreIdleConnectionError);
    try {
      // Catch up with what was appended meanwhile before the switch, which holds up the live projector.
      let replayed: ReplayResult = replay;
      for (let pass = 0; pass < 3; pass++) {
        const head = await options.eventStore.headPosition();
        const next = await catchUp(pool, options.eventStore, replay.schema, head, options, replayed.eventsReplayed);
        const caughtUp = next.eventsReplayed - replayed.eventsReplayed < (options.batchSize ?? 2000);
        replayed = { ...replayed, ...next };
        if (caughtUp) break;
      }
      const switched = await switchToScratch(pool, replayed, options, logger);
      const eventsReplayed = replayed.eventsReplayed + switched.tail;
      const elapsedMs = Date.now() - started;
      options.onProgress?.({ phase: 'done', eventsReplayed, position: switched.position, headPosition: switched.position });
      logger.info({ eventsReplayed, position: switched.position.toString(), elapsedMs }, 'rebuild switched the read models');
      return { eventsReplayed, position: switched.position, elapsedMs, eventsPerSecond: perSecond(eventsReplayed, elapsedMs) };
    } catch (error) {
      await dropSchema(pool, replay.schema).catch(() => undefined);
      throw error;
    } finally {
      await pool.end();
    }
  } finally {
    await lock.end();
  }
}

/**
 * Replays the log into a new scratch schema holding copies of the read-model tables, with the projection
 * code of the live read models. The caller owns the schema afterwards (`dropScratchSchema`).
 */
export async function replayIntoScratchSchema(options: ReplayOptions): Promise<ReplayResult> {
  const schema = assertSchemaName(options.schema ?? scratchSchemaName(options.prefix ?? 'scratch'));
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'asuh-replay' });
    pool.on('error', ignoreIdleConnectionError);
  try {
    const projections = options.projections ?? READ_MODEL_PROJECTIONS;
    const deferred = new Set(projections.flatMap((p) => p.tables.flatMap((t) => t.queryIndexes ?? [])));
    const later = await inTransaction(pool, (client) => createScratchSchema(client, schema, tablesOf(projections), { defer: deferred }));
    try {
      // The log as of now: a log growing faster than the replay must not keep it chasing.
      const target = options.upTo ?? (await options.eventStore.headPosition());
      const replayed = await catchUp(pool, options.eventStore, schema, target, options, 0);
      // The query side's indexes, built once over the replayed rows (see TableDescription.queryIndexes).
      for (const definition of later) await pool.query(definition);
      return { schema, ...replayed };
    } catch (error) {
      await dropSchema(pool, schema).catch(() => undefined);
      throw error;
    }
  } finally {
    await pool.end();
  }
}

/** Replays into `schema`, one transaction per page, from its checkpoint up to `target`. */
async function catchUp(
  pool: Pool,
  eventStore: EventStore,
  schema: string,
  target: bigint,
  options: Pick<ReplayOptions, 'batchSize' | 'projections' | 'onProgress' | 'codec'>,
  alreadyReplayed: number,
): Promise<{ eventsReplayed: number; position: bigint }> {
  const projections = options.projections ?? READ_MODEL_PROJECTIONS;
  const from = await withClient(pool, (client) => readCommonCheckpoint(client, schema, projections.map((p) => p.name)));
  let eventsReplayed = alreadyReplayed;
  let position = from.position;
  await forEachPage(eventStore, options.codec, from.position, options.batchSize ?? 2000, target, async (page) => {
    const result = await applyBatchInTransaction(pool, page, { projections, schema, lockLiveWrites: false, personal: options.codec.vault });
    eventsReplayed += result.applied;
    position = result.checkpoint;
    options.onProgress?.({ phase: 'replay', eventsReplayed, position, headPosition: target });
  });
  return { eventsReplayed, position };
}

async function withClient<T>(pool: Pool, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

export async function dropScratchSchema(databaseUrl: string, schema: string): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'asuh-rebuild' });
  pool.on('error', ignoreIdleConnectionError);
  try {
    await dropSchema(pool, schema);
  } finally {
    await pool.end();
  }
}

/**
 * Creates `schema` with an empty copy of the given live read-model tables: columns, defaults, checks and
 * NOT NULLs through LIKE, then primary keys, unique constraints and indexes recreated under their live
 * names (plain `INCLUDING ALL` would invent new index names, which would then differ from what the
 * migrations created and later migrations expect once the tables are switched in), and the live grants.
 * The indexes named in `defer` are not created but returned, as statements to run on the scratch tables later.
 */
export async function createScratchSchema(
  db: ClientBase,
  schema: string,
  tables: readonly string[],
  options: { defer?: ReadonlySet<string> } = {},
): Promise<string[]> {
  const deferred: string[] = [];
  assertSchemaName(schema);
  if (schema === LIVE_SCHEMA) throw new RangeError('The scratch schema cannot be the live one');
  await db.query(`CREATE SCHEMA "${schema}"`);
  for (const table of tables) {
    const live = `"${LIVE_SCHEMA}"."${table}"`;
    const scratch = `"${schema}"."${table}"`;
    await db.query(`CREATE TABLE ${scratch} (LIKE ${live} INCLUDING ALL EXCLUDING INDEXES)`);
    const constraints = await db.query<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
      [live],
    );
    for (const c of constraints.rows) {
      await db.query(`ALTER TABLE ${scratch} ADD CONSTRAINT "${c.name}" ${c.definition}`);
    }
    const indexes = await db.query<{ name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
        WHERE i.indrelid = $1::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY i.indexrelid`,
      [live],
    );
    for (const { name, definition } of indexes.rows) {
      const onScratch = definition.replace(/ ON (ONLY )?("?public"?\.)?"?[a-z_]+"? USING /, ` ON ${scratch} USING `);
      if (onScratch === definition) throw new Error(`Cannot move index definition to ${scratch}: ${definition}`);
      if (options.defer?.has(name.replace(/^"?public"?\./, '').replace(/"/g, ''))) deferred.push(onScratch);
      else await db.query(onScratch);
    }
    const grants = await db.query<{ privilege: string; grantee: string }>(
      `SELECT a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
         FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
      [live],
    );
    for (const g of grants.rows) await db.query(`GRANT ${g.privilege} ON ${scratch} TO ${g.grantee}`);
  }
  return deferred;
}

// -------------------------------------------------------------------------------------------------------

async function switchToScratch(
  pool: Pool,
  replay: ReplayResult,
  options: RebuildOptions,
  logger: ReadSideLogger,
): Promise<{ tail: number; position: bigint }> {
  const attempts = options.switchAttempts ?? 5;
  const lockTimeoutMs = options.switchLockTimeoutMs ?? 5000;
  const projections = options.projections ?? READ_MODEL_PROJECTIONS;
  const names = projections.map((p) => p.name);
  const tables = tablesOf(projections).filter((table) => table !== CHECKPOINT_TABLE);
  const retired = scratchSchemaName('retired');
  for (let attempt = 1; ; attempt++) {
    try {
      const switched = await inTransaction(pool, async (client) => {
        // Waits for the live projector's batch in flight; its next batch waits for this transaction.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.READ_MODEL_WRITE]);
        const headPosition = await options.eventStore.headPosition();
        options.onProgress?.({ phase: 'switch', eventsReplayed: replay.eventsReplayed, position: replay.position, headPosition });

        let tail = 0;
        const from = (await readCommonCheckpoint(client, replay.schema, names)).position;
        // Up to the head as of now: later events are the live projector's, once its batch re-reads the checkpoints.
        await forEachPage(options.eventStore, options.codec, from, options.batchSize ?? 2000, headPosition, async (page) => {
          tail += (await applyBatch(client, page, { projections, schema: replay.schema, personal: options.codec.vault })).applied;
        });
        const scratch = await readCheckpoints(client, replay.schema, names);
        const live = await readCheckpoints(client, LIVE_SCHEMA, names);
        for (const name of names) {
          if (scratch.get(name)!.position < live.get(name)!.position) {
            throw new Error(`The rebuilt ${name} (${scratch.get(name)!.position}) is behind the live one (${live.get(name)!.position})`);
          }
        }

        await lockLiveTables(client, tables, lockTimeoutMs);
        await client.query(`CREATE SCHEMA "${retired}"`);
        for (const table of tables) {
          await client.query(`ALTER TABLE "${LIVE_SCHEMA}"."${table}" SET SCHEMA "${retired}"`);
          await client.query(`ALTER TABLE "${replay.schema}"."${table}" SET SCHEMA "${LIVE_SCHEMA}"`);
        }
        await writeCheckpoints(client, LIVE_SCHEMA, scratch);
        return { tail, position: leastOf([...scratch.values()]).position };
      });
      await dropSchema(pool, retired);
      await dropSchema(pool, replay.schema);
      return switched;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retryable = code === '40P01' /* deadlock */ || code === '55P03'; /* lock not available */
      if (!retryable || attempt >= attempts) throw error;
      logger.warn({ err: error, attempt }, 'rebuild switch met a long-running reader; retrying');
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * Takes every live read-model table for the moves. A reader's statement locks its tables one after the
 * other, so waiting for one table while holding others could deadlock with it (and the deadlock detector
 * may pick the reader). So the lock is only tried, all tables or none (NOWAIT, undone to a savepoint),
 * again and again while readers come and go; readers wait only for the moves themselves. Only if readers
 * never let go within `timeoutMs` does the switch queue for the locks, bounded by lock_timeout.
 */
async function lockLiveTables(client: ClientBase, tables: readonly string[], timeoutMs: number): Promise<void> {
  const lockAll = `LOCK TABLE ${tables.map((t) => `"${LIVE_SCHEMA}"."${t}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`;
  const deadline = Date.now() + timeoutMs;
  await client.query('SAVEPOINT switch_locks');
  while (Date.now() < deadline) {
    try {
      await client.query(`${lockAll} NOWAIT`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('ROLLBACK TO SAVEPOINT switch_locks');
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    }
  }
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  await client.query(lockAll);
}

async function inTransaction<T>(pool: Pool, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Reads the log after `after` page by page until it is exhausted, each page decoded (upcast); the next page is
 * read while one is applied.
 */
export async function forEachPage(
  eventStore: EventStore,
  codec: EventCodec,
  after: bigint,
  pageSize: number,
  upTo: bigint | undefined,
  apply: (page: ProjectedEvent[]) => Promise<void>,
): Promise<void> {
  const read = (from: bigint) => {
    const page = eventStore.readAll({ after: from, maxCount: pageSize }).then((events) => codec.decode(events) as Promise<ProjectedEvent[]>);
    page.catch(() => undefined); // awaited below, unless applying the previous page failed first
    return page;
  };
  let next = read(after);
  for (;;) {
    let page = await next;
    if (upTo !== undefined) page = page.filter((e) => e.position <= upTo);
    if (page.length === 0) return;
    const last = page[page.length - 1].position;
    const reachedEnd = upTo !== undefined && last >= upTo;
    if (!reachedEnd) next = read(last);
    await apply(page);
    if (reachedEnd) return;
  }
}

async function dropSchema(db: Pool | ClientBase, schema: string): Promise<void> {
  if (assertSchemaName(schema) === LIVE_SCHEMA) throw new RangeError('Refusing to drop the live schema');
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

function scratchSchemaName(prefix: string): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return assertSchemaName(`${prefix}_${stamp}_${randomBytes(3).toString('hex')}`);
}

function perSecond(events: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : events;
}
