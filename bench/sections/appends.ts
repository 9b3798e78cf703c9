import { getPostgreSQLEventStore, type PostgresEventStore as EmmettEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { BenchContext, paymentEvents, POOL_SIZE } from '../lib/context';
import { fmtInt, median } from '../lib/report';

/**
 * 1. Event-store appends on the PostgreSQL adapter, against plain INSERTs of the same rows and against the
 * peer library Emmett (`@event-driven-io/emmett-postgresql`), on the same server at the same concurrency.
 *
 * Ours: `PostgresEventStore.appendToStream` (pool of 20, a LISTEN subscriber attached as in a running
 * service), each writer appending to its own worker stream with the expected revision, one event (or one
 * batch of 100) per call. Raw: the same rows INSERTed with `pg` (pool of 20) into a plain table with the
 * same columns, jsonb payloads and keys (bigserial position, unique event id, unique stream+revision).
 * Emmett: `getPostgreSQLEventStore(...).appendToStream` over a `pg` pool of 20, in a database of its own
 * (its schema lives in `public`), the same stream names, event ids, types, data and metadata, each append
 * stating its expected stream version (Emmett counts versions from 1: the version after n events is n, and
 * a new stream is expected at 0, which is what its command handlers pass for a stream that does not exist).
 * Events are built (metadata, hash chain) before the clock starts. Every repetition runs the three sides
 * one after the other, the order rotating from one repetition to the next; medians are reported, and the
 * ratios are of the medians.
 */

const RAW_TABLE_SQL = `
CREATE SCHEMA bench_raw;
CREATE TABLE bench_raw.events (
  position   bigserial PRIMARY KEY,
  stream_id  text NOT NULL,
  revision   bigint NOT NULL,
  event_id   uuid NOT NULL UNIQUE,
  type       text NOT NULL,
  data       jsonb NOT NULL,
  metadata   jsonb NOT NULL,
  created    timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (stream_id, revision)
);`;

interface Config {
  key: string;
  label: string;
  writers: number;
  eventsPerAppend: number;
  /** Appends per writer per repetition. */
  appendsPerWriter: number;
}

const SIDES = ['ours', 'raw', 'emmett'] as const;
type Side = (typeof SIDES)[number];

interface Sides {
  store: PostgresEventStore;
  raw: Pool;
  emmett: EmmettEventStore;
}

/** Targets of issue #14 for this section. */
const SINGLE_OF_RAW = 0.8;
const SINGLE_OF_EMMETT = 2.0;
const BATCH_OF_EMMETT = 1.5;

export async function benchAppends(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  rec.section('1. Event-store appends (PostgreSQL adapter vs plain INSERT vs Emmett, same rows, pool 20)');
  const reps = quick ? 5 : 9;
  const scale = quick ? 1 : 3;
  const configs: Config[] = [
    { key: '1w', label: '1 writer, single-event appends', writers: 1, eventsPerAppend: 1, appendsPerWriter: 150 * scale },
    { key: '16w', label: '16 writers, single-event appends', writers: 16, eventsPerAppend: 1, appendsPerWriter: 20 * scale },
    { key: '64w', label: '64 writers, single-event appends', writers: 64, eventsPerAppend: 1, appendsPerWriter: 6 * scale },
    { key: 'batch1w', label: '1 writer, 100-event batches', writers: 1, eventsPerAppend: 100, appendsPerWriter: 15 * scale },
    { key: 'batch16w', label: '16 writers, 100-event batches', writers: 16, eventsPerAppend: 100, appendsPerWriter: 4 * scale },
  ];

  const url = await ctx.dbs.create('appends');
  const emmettUrl = await ctx.dbs.create('appends_emmett');
  const store = await PostgresEventStore.connect(url, { poolSize: POOL_SIZE });
  const stopListening = store.onAppended(() => undefined);
  const raw = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'asuh-bench-raw' });
  raw.on('error', () => undefined);
  const emmettPool = new Pool({ connectionString: emmettUrl, max: POOL_SIZE, application_name: 'asuh-bench-emmett' });
  emmettPool.on('error', () => undefined);
  const emmett = getPostgreSQLEventStore(emmettUrl, { connectionOptions: { pool: emmettPool } });
  const sides: Sides = { store, raw, emmett };
  try {
    await raw.query(RAW_TABLE_SQL);
    await emmett.schema.migrate();
    // Warm every path (connections, plans, functions) before the clock runs.
    for (const side of SIDES) {
      await runOnce(side, { key: 'warm', label: '', writers: POOL_SIZE, eventsPerAppend: 1, appendsPerWriter: 10 }, sides, 'warm');
    }
    rec.info(`${reps} repetitions per configuration, the order of the three sides rotating; counts: ${configs.map((c) => `${c.key} ${c.writers * c.appendsPerWriter * c.eventsPerAppend} events`).join(', ')}`);
    for (const config of configs) {
      const rates: Record<Side, number[]> = { ours: [], raw: [], emmett: [] };
      for (let rep = 0; rep < reps; rep++) {
        for (let i = 0; i < SIDES.length; i++) {
          const side = SIDES[(rep + i) % SIDES.length];
          rates[side].push(await runOnce(side, config, sides, `${config.key}-${rep}`));
        }
      }
      const ours = median(rates.ours);
      const base = median(rates.raw);
      const peer = median(rates.emmett);
      const ofRaw = ours / base;
      const ofPeer = ours / peer;
      const detail = {
        oursEventsPerSecond: ours,
        rawEventsPerSecond: base,
        emmettEventsPerSecond: peer,
        ratio: ofRaw,
        emmettRatio: ofPeer,
        runs: rates,
        writers: config.writers,
        eventsPerAppend: config.eventsPerAppend,
      };
      const shown = `ours ${fmtInt(ours)} ev/s | raw ${fmtInt(base)} ev/s | Emmett ${fmtInt(peer)} ev/s | ${ofRaw.toFixed(2)} of raw`;
      const single = config.eventsPerAppend === 1;
      rec.record({
        section: 'appends',
        name: `${config.label} (of raw)`,
        shown,
        value: ofRaw,
        target: single ? { op: '>=', value: SINGLE_OF_RAW, label: `>= ${SINGLE_OF_RAW.toFixed(2)} of raw` } : undefined,
        detail,
      });
      const peerTarget = single ? SINGLE_OF_EMMETT : BATCH_OF_EMMETT;
      rec.record({
        section: 'appends',
        name: `${config.label} (of Emmett)`,
        shown: `${ofPeer.toFixed(2)}x Emmett (Emmett ${(peer / base).toFixed(2)} of raw)`,
        value: ofPeer,
        target: { op: '>=', value: peerTarget, label: `>= ${peerTarget.toFixed(1)}x Emmett` },
        detail,
      });
      ctx.shared[`appends.${config.key}`] = detail;
    }
  } finally {
    stopListening();
    await store.close();
    await raw.end();
    await emmett.close().catch(() => undefined);
    await emmettPool.end().catch(() => undefined);
    await ctx.dbs.drop(url);
    await ctx.dbs.drop(emmettUrl);
  }
}

/** One repetition of one side: every writer appends its events in order; returns events per second. */
async function runOnce(side: Side, config: Config, sides: Sides, tag: string): Promise<number> {
  const perStream = config.appendsPerWriter * config.eventsPerAppend;
  const streams = await Promise.all(Array.from({ length: config.writers }, async (_, w) => ({ id: `worker-bench-${side}-${tag}-${w}`, events: await paymentEvents(perStream) })));
  const started = process.hrtime.bigint();
  await Promise.all(
    streams.map(async ({ id, events }) => {
      for (let i = 0; i < config.appendsPerWriter; i++) {
        const batch = events.slice(i * config.eventsPerAppend, (i + 1) * config.eventsPerAppend);
        const firstRevision = i * config.eventsPerAppend;
        if (side === 'ours') await sides.store.appendToStream(id, batch, firstRevision === 0 ? 'no_stream' : BigInt(firstRevision - 1));
        else if (side === 'raw') await rawInsert(sides.raw, id, firstRevision, batch);
        else await emmettAppend(sides.emmett, id, firstRevision, batch);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (config.writers * perStream) / seconds;
}

async function rawInsert(pool: Pool, streamId: string, firstRevision: number, events: NewEvent[]): Promise<void> {
  const params: unknown[] = [];
  const rows = events.map((e, i) => {
    params.push(streamId, firstRevision + i, e.id, e.type, e.data, e.metadata);
    const b = i * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
  });
  await pool.query(`INSERT INTO bench_raw.events (stream_id, revision, event_id, type, data, metadata) VALUES ${rows.join(', ')}`, params);
}

/** Emmett takes the event id from `metadata.messageId` (and stores the rest of the metadata as given). */
async function emmettAppend(store: EmmettEventStore, streamId: string, firstRevision: number, events: NewEvent[]): Promise<void> {
  await store.appendToStream(
    streamId,
    events.map((e) => ({ type: e.type, data: e.data, metadata: { ...e.metadata, messageId: e.id } })),
    { expectedStreamVersion: BigInt(firstRevision) },
  );
}
