/**
 * The projector and the rebuild, each in a process of its own so that its peak RSS is its own (the
 * parent holds the generated city). Receives a ChildJob over IPC, sends progress messages and one result.
 */
import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { EVENTS_PER_APPEND_LIMIT } from '../../src/event-store/postgres/postgres-event-store.schema';
import { Projector } from '../../projections/projector/projector';
import { createEventCodec } from '../../src/event-catalog';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import { PersonalDataVault } from '../../src/personal-data/vault';
import { rebuildReadModels } from '../../projections/rebuild';
import { tablesOf } from '../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';

/** The service's codec over the bench database's vault, opened with the run's master key (default vault options). */
const codecFor = async (job: ChildJob) => createEventCodec({ timezone: 'Asia/Jakarta', policy: DEFAULT_POLICY }, await PersonalDataVault.open(job.databaseUrl, job.masterKey));

export interface ChildJob {
  kind: 'catch-up' | 'rebuild';
  databaseUrl: string;
  /** The master key the city's data keys are wrapped with (the bench's ASUH_MASTER_KEY). */
  masterKey: string;
  /** Give up after this long (the parent then reports the rate of what was applied). */
  timeoutMs: number;
  /** Catch-up: empty the read models and their checkpoints first (a repeated catch-up from 0). */
  fresh?: boolean;
}

export interface ChildProgress {
  progress: { events: number; elapsedMs: number; rss: number };
}

export interface ChildResult {
  result: {
    /** Events applied (catch-up: up to the head at start; rebuild: replayed). */
    events: number;
    elapsedMs: number;
    finished: boolean;
    peakRssSampled: number;
    maxRssKiB: number;
    /** Time the next event was not yet visible to readers because of other sessions' open transactions. */
    stalledMs: number;
  };
}

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  if (rss > peak) peak = rss;
}, 25);
sampler.unref();

const send = (message: ChildProgress | ChildResult | { error: string }) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function countUpTo(url: string, position: bigint): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events WHERE position <= $1', [position.toString()]);
    return Number(rows[0].n);
  } finally {
    await c.end();
  }
}

/**
 * Measures how long the reader could not see the next event because of transactions left open by other
 * sessions on the server (the adapter's visibility bound is the cluster-wide xmin).
 */
function stallMonitor(url: string, position: () => bigint): { stop(): Promise<number> } {
  const c = new Client({ connectionString: url, application_name: 'asuh-bench-stall-monitor' });
  let stalledMs = 0;
  let running = true;
  c.on('error', () => undefined);
  const loop = (async () => {
    await c.connect();
    while (running) {
      const t = Date.now();
      const { rows } = await c.query<{ blocked: boolean | null }>(
        `SELECT (SELECT min(position) FROM event_store.events WHERE position > $1) >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_APPEND_LIMIT} AS blocked`,
        [position().toString()],
      );
      await new Promise((r) => setTimeout(r, 100));
      if (rows[0].blocked) stalledMs += Date.now() - t;
    }
    await c.end();
  })();
  loop.catch(() => undefined);
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
      return stalledMs;
    },
  };
}

async function catchUp(job: ChildJob): Promise<ChildResult['result']> {
  if (job.fresh) {
    const c = new Client({ connectionString: job.databaseUrl });
    await c.connect();
    await c.query(`TRUNCATE ${tablesOf(READ_MODEL_PROJECTIONS).map((t) => `"${t}"`).join(', ')}`);
    await c.query('VACUUM ANALYZE');
    await c.end();
  }
  const store = await PostgresEventStore.connect(job.databaseUrl);
  const head = await store.headPosition();
  const total = await countUpTo(job.databaseUrl, head);
  const projector = new Projector({ eventStore: store, codec: await codecFor(job), databaseUrl: job.databaseUrl, lagLogMs: 0 });
  const started = Date.now();
  const monitor = stallMonitor(job.databaseUrl, () => projector.position());
  await projector.start();
  let lastReport = started;
  let finished = false;
  while (Date.now() - started < job.timeoutMs) {
    if (projector.position() >= head) {
      finished = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    if (Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      await send({ progress: { events: await countUpTo(job.databaseUrl, projector.position()), elapsedMs: Date.now() - started, rss: process.memoryUsage().rss } });
    }
  }
  const elapsedMs = Date.now() - started;
  const reached = projector.position();
  const stalledMs = await monitor.stop();
  await projector.stop();
  await store.close();
  const events = finished ? total : await countUpTo(job.databaseUrl, reached);
  return { events, elapsedMs, finished, peakRssSampled: peak, maxRssKiB: process.resourceUsage().maxRSS, stalledMs };
}

async function rebuild(job: ChildJob): Promise<ChildResult['result']> {
  const store = await PostgresEventStore.connect(job.databaseUrl, { readBatchSize: 2000 });
  const started = Date.now();
  let replayed = 0;
  let at = 0n;
  const monitor = stallMonitor(job.databaseUrl, () => at);
  let lastReport = started;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), job.timeoutMs)));
  const work = rebuildReadModels({
    codec: await codecFor(job),
    eventStore: store,
    databaseUrl: job.databaseUrl,
    onProgress: (p) => {
      replayed = p.eventsReplayed;
      at = p.position;
      if (Date.now() - lastReport > 2000) {
        lastReport = Date.now();
        void send({ progress: { events: replayed, elapsedMs: Date.now() - started, rss: process.memoryUsage().rss } });
      }
    },
  });
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  const elapsedMs = Date.now() - started;
  const stalledMs = await monitor.stop();
  if (outcome === 'timeout') {
    // The parent kills this process; the scratch schema goes with the bench database.
    return { events: replayed, elapsedMs, finished: false, peakRssSampled: peak, maxRssKiB: process.resourceUsage().maxRSS, stalledMs };
  }
  await store.close();
  return { events: outcome.eventsReplayed, elapsedMs, finished: true, peakRssSampled: peak, maxRssKiB: process.resourceUsage().maxRSS, stalledMs };
}

if (require.main === module) {
  process.once('message', (job: ChildJob) => {
    (job.kind === 'catch-up' ? catchUp(job) : rebuild(job)).then(
      async (result) => {
        await send({ result });
        process.exit(0);
      },
      async (error: Error) => {
        await send({ error: error.stack ?? String(error) });
        process.exit(1);
      },
    );
  });
}
