import { fork } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { runMigrations } from '../../projections/data-source';
import { bulkAppend } from '../lib/bulk';
import { City } from '../lib/city';
import { BenchContext } from '../lib/context';
import { fmtInt, fmtS } from '../lib/report';
import { waitUntilLogVisible } from '../lib/visibility';
import { EventWriter } from '../lib/writer';
import type { ChildJob, ChildProgress, ChildResult } from './projector-child';

/**
 * 3. The projector over a generated city: about 80k workers with a year of payments (≈1M events; quick:
 * ≈8k workers, ≈100k events), written as the service writes them (current shapes, personal data sealed
 * under the run's master key, see lib/writer.ts) and appended through the adapter's own append function in
 * chronological order. The children open the vault with the same master key, so catch-up and rebuild
 * unseal every enrolment and the worker-status projection re-seals names and hashes NIKs and trigrams.
 * Measured, each in a child process of its own (peak RSS = that process's max RSS):
 *  - catch-up: a fresh `Projector` from checkpoint 0 to the head (events/s);
 *  - rebuild: `rebuildReadModels` (blue-green) over the same log, live read models in place (time, RSS).
 * Baseline: COPY of the same event rows out of the log to a file and into a plain table with the same
 * columns (no indexes), i.e. what moving those rows costs PostgreSQL at all.
 */

/** Events per worker of the generated year (reservations included), to size the city for a target log. */
export const EVENTS_PER_WORKER = 12.9;

/** Targets of issue #14 for this section. */
const CATCH_UP_OF_COPY = 0.35;
const REBUILD_MS_PER_MILLION = 30_000;

export async function benchProjector(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  const targetEvents = quick ? 100_000 : 1_000_000;
  const workers = Math.round(targetEvents / EVENTS_PER_WORKER);
  const catchUpTimeoutMs = quick ? 15_000 : 600_000;
  const rebuildTimeoutMs = quick ? 15_000 : 600_000;
  rec.section(`3. Projector: catch-up and full rebuild over a ${quick ? '~100k' : '~1M'}-event city (${fmtInt(workers)} workers, one year of payments)`);

  const url = await ctx.dbs.create('projector');
  const store = await PostgresEventStore.connect(url);
  await store.close();
  await runMigrations(url);
  const writer = await EventWriter.open(url);
  ctx.cleanups.push(() => writer.close());
  const city = new City(writer, { seed: 11 });
  const load = await bulkAppend(url, city.addWorkers({ count: workers, enrolFrom: '2025-01-06', enrolTo: '2025-03-28', payUntil: '2025-12-31' }), {
    label: 'generating the city',
    expectedEvents: Math.round(workers * EVENTS_PER_WORKER),
    log: (l) => rec.info(l),
  });
  const events = load.events;
  const eventsLabel = events >= 950_000 ? `${(events / 1e6).toFixed(1)}M` : `${Math.round(events / 1000)}k`;
  rec.info(`generated ${fmtInt(events)} events (${fmtInt(workers)} workers, ${fmtInt(city.sponsors.length)} sponsors) in ${fmtS(load.elapsedMs)} (${fmtInt(events / (load.elapsedMs / 1000))} events/s through the adapter's append function)`);
  const shared = { url, city, events, complete: false, masterKey: writer.masterKey };
  ctx.shared.projectorCity = shared;

  const admin = new Client({ connectionString: url, application_name: 'asuh-bench-projector' });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query('VACUUM ANALYZE event_store.events');
    await admin.query('CHECKPOINT');

    // Baseline: COPY the same rows out and into a plain table.
    const file = `/tmp/${ctx.dbs.prefix}_events.copy`;
    await admin.query(`CREATE TABLE bench_copy_events (LIKE event_store.events)`);
    let t = Date.now();
    await admin.query(`COPY (SELECT * FROM event_store.events ORDER BY position) TO '${file}'`);
    const copyOutMs = Date.now() - t;
    t = Date.now();
    await admin.query(`COPY bench_copy_events FROM '${file}'`);
    const copyInMs = Date.now() - t;
    try {
      unlinkSync(file);
    } catch {
      await admin.query(`COPY (SELECT 1) TO PROGRAM 'rm -f ${file}'`).catch(() => undefined);
    }
    await admin.query('DROP TABLE bench_copy_events');
    const copyRate = events / ((copyOutMs + copyInMs) / 1000);
    rec.info(`COPY baseline: out ${fmtS(copyOutMs)}, in ${fmtS(copyInMs)}: ${fmtInt(copyRate)} events/s (out + in)`);
    await admin.query('CHECKPOINT');

    const visible = await waitUntilLogVisible(url, quick ? 60_000 : 600_000);
    if (visible.waitedMs > 1000) rec.note(`waited ${fmtS(visible.waitedMs)} for transactions of other sessions on the server before the log was visible: ${visible.holders.join('; ')}`);
    const stalled = (ms: number) => (ms > 500 ? `; ${fmtS(ms)} of it stalled by other sessions' open transactions` : '');

    const catchUp = await runChild({ kind: 'catch-up', databaseUrl: url, masterKey: writer.masterKey, timeoutMs: catchUpTimeoutMs }, ctx, (p) =>
      rec.info(`  catch-up: ${fmtInt(p.events)} events after ${fmtS(p.elapsedMs)}, rss ${Math.round(p.rss / 2 ** 20)} MB`),
    );
    const catchUpRate = catchUp.events / (catchUp.elapsedMs / 1000);
    const catchUpRssMb = Math.max(catchUp.maxRssKiB / 1024, catchUp.peakRssSampled / 2 ** 20);
    if (!catchUp.finished) rec.note(`the catch-up did not finish within ${fmtS(catchUpTimeoutMs)}: ${fmtInt(catchUp.events)} of ${fmtInt(events)} events applied; the rate is over that part`);
    if (catchUp.stalledMs > 500) rec.note(`catch-up: the log was invisible for ${fmtS(catchUp.stalledMs)} because of other sessions' open transactions (included in the time)`);
    rec.record({
      section: 'projector',
      name: 'catch-up rate',
      shown: `${fmtInt(catchUpRate)} events/s (${fmtInt(catchUp.events)} events in ${fmtS(catchUp.elapsedMs)}, peak RSS ${Math.round(catchUpRssMb)} MB${stalled(catchUp.stalledMs)}) | COPY ${fmtInt(copyRate)} events/s | ${(catchUpRate / copyRate).toFixed(3)} of COPY`,
      value: catchUpRate / copyRate,
      target: { op: '>=', value: CATCH_UP_OF_COPY, label: `>= ${CATCH_UP_OF_COPY} of COPY` },
      detail: { ...catchUp, events, eventsLabel, copyOutMs, copyInMs, copyRate, rate: catchUpRate, rssMb: catchUpRssMb, workers },
    });

    await admin.query('CHECKPOINT');
    const rebuild = await runChild({ kind: 'rebuild', databaseUrl: url, masterKey: writer.masterKey, timeoutMs: rebuildTimeoutMs }, ctx, (p) =>
      rec.info(`  rebuild: ${fmtInt(p.events)} events replayed after ${fmtS(p.elapsedMs)}, rss ${Math.round(p.rss / 2 ** 20)} MB`),
    );
    const rebuildRssMb = Math.max(rebuild.maxRssKiB / 1024, rebuild.peakRssSampled / 2 ** 20);
    let rebuildMs = rebuild.elapsedMs;
    if (!rebuild.finished) {
      // Extrapolated from the replayed part, and reported as such.
      rebuildMs = rebuild.events > 0 ? (rebuild.elapsedMs * events) / rebuild.events : Infinity;
      rec.note(`the rebuild did not finish within ${fmtS(rebuildTimeoutMs)} (${fmtInt(rebuild.events)} of ${fmtInt(events)} events replayed); its time is extrapolated`);
    }
    if (rebuild.stalledMs > 500) rec.note(`rebuild: the log was invisible for ${fmtS(rebuild.stalledMs)} because of other sessions' open transactions (included in the time)`);
    shared.complete = catchUp.finished || rebuild.finished;
    rec.record({
      section: 'projector',
      name: 'rebuild time',
      shown: `${fmtS(rebuildMs)} for ${fmtInt(events)} events (${fmtInt(events / (rebuildMs / 1000))} events/s${stalled(rebuild.stalledMs)})${rebuild.finished ? '' : ' EXTRAPOLATED from the replayed part'}${quick ? ' [quick: 1M target scaled to this log]' : ''}`,
      value: rebuildMs,
      target: quick
        ? { op: '<=', value: (REBUILD_MS_PER_MILLION * events) / 1_000_000, label: `< ${fmtS((REBUILD_MS_PER_MILLION * events) / 1_000_000)} (30 s per 1M)` }
        : { op: '<=', value: REBUILD_MS_PER_MILLION, label: '< 30 s' },
      detail: { ...rebuild, events, eventsLabel },
    });
    rec.record({
      section: 'projector',
      name: 'rebuild peak RSS',
      shown: `${Math.round(rebuildRssMb)} MB (catch-up ${Math.round(catchUpRssMb)} MB)`,
      value: rebuildRssMb,
      target: { op: '<=', value: 300, label: '< 300 MB' },
      detail: { rebuildRssMb, catchUpRssMb },
    });
  } finally {
    await admin.end();
  }
}

export function runChild(job: ChildJob, ctx: BenchContext, onProgress: (p: ChildProgress['progress']) => void): Promise<ChildResult['result']> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'projector-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    ctx.cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('message', (message: ChildProgress | ChildResult | { error: string }) => {
      if ('progress' in message) onProgress(message.progress);
      else if ('result' in message) {
        resolve(message.result);
        if (!message.result.finished) setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 1000);
      } else reject(new Error(`${job.kind} failed: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) reject(new Error(`${job.kind} process exited with ${code}`));
    });
    child.send(job);
  });
}
