import { Pool } from 'pg';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { BenchContext, paymentEvents, POOL_SIZE } from '../lib/context';
import { fmtInt, median } from '../lib/report';

/**
 * 1. Event-store appends on the PostgreSQL adapter against plain INSERTs of the same rows.
 *
 * Ours: `PostgresEventStore.appendToStream` (pool of 20, a LISTEN subscriber attached as in a running
 * service), each writer appending to its own worker stream with the expected revision, one event (or one
 * batch of 100) per call. Raw: the same rows INSERTed with `pg` (pool of 20) into a plain table with the
 * same columns, jsonb payloads and keys (bigserial position, unique event id, unique stream+revision).
 * Events are built (metadata, hash chain) before the clock starts. Repetitions alternate which side goes
 * first; medians are reported, and the ratio is ours/raw of the medians.
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

type Side = 'ours' | 'raw';

export async function benchAppends(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  rec.section('1. Event-store appends (PostgreSQL adapter vs plain INSERT, same rows, pool 20)');
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
  const store = await PostgresEventStore.connect(url, { poolSize: POOL_SIZE });
  const stopListening = store.onAppended(() => undefined);
  const raw = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'asuh-bench-raw' });
  raw.on('error', () => undefined);
  try {
    await raw.query(RAW_TABLE_SQL);
    // Warm both paths (connections, plans, the plpgsql function) before the clock runs.
    for (const side of ['ours', 'raw'] as Side[]) {
      await runOnce(side, { key: 'warm', label: '', writers: POOL_SIZE, eventsPerAppend: 1, appendsPerWriter: 10 }, store, raw, `warm`);
    }
    rec.info(`${reps} repetitions per configuration, alternating sides; counts: ${configs.map((c) => `${c.key} ${c.writers * c.appendsPerWriter * c.eventsPerAppend} events`).join(', ')}`);
    for (const config of configs) {
      const rates: Record<Side, number[]> = { ours: [], raw: [] };
      for (let rep = 0; rep < reps; rep++) {
        const order: Side[] = rep % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours'];
        for (const side of order) rates[side].push(await runOnce(side, config, store, raw, `${config.key}-${rep}`));
      }
      const ours = median(rates.ours);
      const base = median(rates.raw);
      const ratio = ours / base;
      const shown = `ours ${fmtInt(ours)} ev/s | raw ${fmtInt(base)} ev/s | ${ratio.toFixed(2)} of raw`;
      const detail = { oursEventsPerSecond: ours, rawEventsPerSecond: base, ratio, runs: rates, writers: config.writers, eventsPerAppend: config.eventsPerAppend };
      rec.record({ section: 'appends', name: `${config.label} (ratio)`, shown, value: ratio, target: { op: '>=', value: 0.7, label: '>= 0.70 of raw' }, detail });
      if (config.eventsPerAppend === 100) {
        rec.record({
          section: 'appends',
          name: `${config.label} (rate)`,
          shown: `${fmtInt(ours)} events/s`,
          value: ours,
          target: { op: '>=', value: 50_000, label: '>= 50,000 events/s' },
          detail,
        });
      }
      ctx.shared[`appends.${config.key}`] = detail;
    }
  } finally {
    stopListening();
    await store.close();
    await raw.end();
    await ctx.dbs.drop(url);
  }
}

/** One repetition of one side: every writer appends its events in order; returns events per second. */
async function runOnce(side: Side, config: Config, store: PostgresEventStore, raw: Pool, tag: string): Promise<number> {
  const perStream = config.appendsPerWriter * config.eventsPerAppend;
  const streams = Array.from({ length: config.writers }, (_, w) => ({ id: `worker-bench-${side}-${tag}-${w}`, events: paymentEvents(perStream) }));
  const started = process.hrtime.bigint();
  await Promise.all(
    streams.map(async ({ id, events }) => {
      for (let i = 0; i < config.appendsPerWriter; i++) {
        const batch = events.slice(i * config.eventsPerAppend, (i + 1) * config.eventsPerAppend);
        const firstRevision = i * config.eventsPerAppend;
        if (side === 'ours') await store.appendToStream(id, batch, firstRevision === 0 ? 'no_stream' : BigInt(firstRevision - 1));
        else await rawInsert(raw, id, firstRevision, batch);
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
