import { randomInt } from 'node:crypto';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { BenchContext, paymentEvents } from '../lib/context';
import { fillerStream, fillTo, FILLER_EVENTS_PER_STREAM } from '../lib/filler';
import { fmtInt, fmtMs, fmtS, percentile } from '../lib/report';

/**
 * 5. Growth: single-event append latency (one writer, PostgresEventStore.appendToStream at expected
 * revision 1 onto a random existing stream) with a small log, 1M and (full mode) 10M events already in
 * it. Each size is a database of its own, filled with the adapter's row format in bulk (lib/filler.ts);
 * the appends alternate between the databases in slices so that machine noise hits every size alike.
 */

interface Size {
  label: string;
  events: number;
}

export async function benchGrowth(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  const sizes: Size[] = [
    { label: '10k', events: 10_000 },
    { label: '1M', events: 1_000_000 },
    ...(quick ? [] : [{ label: '10M', events: 10_000_000 }]),
  ];
  const appendsPerSize = quick ? 600 : 3000;
  const slice = quick ? 50 : 100;
  rec.section(`5. Growth: single-event append latency at ${sizes.map((s) => s.label).join(', ')} events in the log${quick ? ' (quick: 10M skipped)' : ''}`);

  const stores: Array<{ size: Size; store: PostgresEventStore; stop: () => void; used: Set<number>; latencies: number[] }> = [];
  try {
    for (const size of sizes) {
      const url = await ctx.dbs.create(`grow_${size.label.toLowerCase()}`);
      const store = await PostgresEventStore.connect(url);
      const stop = store.onAppended(() => undefined);
      stores.push({ size, store, stop, used: new Set(), latencies: [] });
      const t = Date.now();
      let lastLog = t;
      await fillTo(url, 0, size.events, (done) => {
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          rec.info(`  filling ${size.label}: ${fmtInt(done)} events after ${fmtS(Date.now() - t)}`);
        }
      });
      rec.info(`filled the ${size.label} log (${fmtInt(size.events)} events) in ${fmtS(Date.now() - t)}`);
    }

    const events = await paymentEvents((appendsPerSize + 1) * stores.length);
    let next = 0;
    const streamsPerSize = (s: Size) => s.events / FILLER_EVENTS_PER_STREAM;
    // Warm each store's connection and plans.
    for (const s of stores) await appendOnce(s, events[next++], streamsPerSize(s.size));
    for (const s of stores) s.latencies.length = 0;
    for (let done = 0; done < appendsPerSize; done += slice) {
      const order = done / slice % 2 === 0 ? stores : [...stores].reverse();
      for (const s of order) {
        for (let i = 0; i < slice; i++) s.latencies.push(await appendOnce(s, events[next++], streamsPerSize(s.size)));
      }
    }

    const base = stores.find((s) => s.size.label === '1M')!;
    const baseP50 = percentile(base.latencies, 50);
    const baseP99 = percentile(base.latencies, 99);
    for (const s of stores) {
      const p50 = percentile(s.latencies, 50);
      const p99 = percentile(s.latencies, 99);
      const detail = { kind: 'latency', sizeLabel: s.size.label, events: s.size.events, p50, p99, appends: s.latencies.length };
      rec.record({ section: 'growth', name: `append p50/p99 at ${s.size.label} events`, shown: `p50 ${fmtMs(p50)} ms, p99 ${fmtMs(p99)} ms (${s.latencies.length} appends)`, value: p50, detail });
      if (s.size.label === '10M') {
        rec.record({
          section: 'growth',
          name: 'append p50 at 10M vs 1M',
          shown: `${(p50 / baseP50).toFixed(2)}x (${fmtMs(p50)} vs ${fmtMs(baseP50)} ms)`,
          value: p50 / baseP50,
          target: { op: '<=', value: 1.2, label: '<= 1.20x' },
          detail,
        });
        rec.record({
          section: 'growth',
          name: 'append p99 at 10M vs 1M',
          shown: `${(p99 / baseP99).toFixed(2)}x (${fmtMs(p99)} vs ${fmtMs(baseP99)} ms)`,
          value: p99 / baseP99,
          target: { op: '<=', value: 1.2, label: '<= 1.20x' },
          detail,
        });
      }
    }
  } finally {
    for (const s of stores) {
      s.stop();
      await s.store.close();
    }
  }
}

async function appendOnce(
  s: { store: PostgresEventStore; used: Set<number> },
  event: Awaited<ReturnType<typeof paymentEvents>>[number],
  streams: number,
): Promise<number> {
  let stream: number;
  do stream = randomInt(0, streams);
  while (s.used.has(stream));
  s.used.add(stream);
  const t = process.hrtime.bigint();
  await s.store.appendToStream(fillerStream(stream * FILLER_EVENTS_PER_STREAM), [event], 1n);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
