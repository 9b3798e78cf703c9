import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { runMigrations } from '../../projections/data-source';
import { startBenchApp, TOKENS } from '../lib/app';
import { bulkAppend } from '../lib/bulk';
import { City } from '../lib/city';
import { BenchContext } from '../lib/context';
import { fmtInt, fmtMs, fmtS, median } from '../lib/report';
import { waitUntilLogVisible } from '../lib/visibility';
import { clearTextCodec, EventWriter } from '../lib/writer';
import { inChild } from './http';
import type { LoadJob, LoadResult } from './http-load';
import { EVENTS_PER_WORKER, runChild } from './projector';

/**
 * 6. What sealing personal data costs, side by side in one run: the same work with the personal fields
 * sealed (as the service writes them) and with the same events in clear text (the service's catalog with
 * sealing switched off, see lib/writer.ts; the read path, the worker-status projection's re-sealing and
 * hashing are the same code on both sides, so the difference is sealing on write and unsealing on read).
 *  - enrolments over HTTP (POST /v1/workers, autocannon, 50 connections) on two apps, each on a database of
 *    its own, the runs alternating; each enrolment seals the worker's NIK, name, birth date and contact
 *    with a data key made for the new worker;
 *  - projector catch-up from 0 over two cities generated from the same seed, sealed and clear, alternating,
 *    each run a fresh child process (cold key cache), read models emptied before each run.
 * Overhead = 1 - sealed / clear (target < 15%).
 */

const TODAY = '2025-03-25';
const CONNECTIONS = 50;
const OVERHEAD_TARGET = 0.15;

type Side = 'sealed' | 'clear';
const SIDES: Side[] = ['sealed', 'clear'];

export async function benchEncryption(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  const reps = quick ? 2 : 3;
  const durationS = quick ? 2 : 6;
  const cityEvents = quick ? 10_000 : 100_000;
  rec.section(`6. Encryption of personal data: sealed vs clear text (HTTP enrolments ${durationS} s x ${reps}; catch-up of a ~${Math.round(cityEvents / 1000)}k-event city x ${reps}; alternating)`);

  // Enrolments over HTTP.
  const apps: Record<Side, { baseUrl: string; sponsorIds: string[]; close(): Promise<void> }> = {} as never;
  for (const side of SIDES) {
    const url = await ctx.dbs.create(`enc_http_${side}`);
    await (await PostgresEventStore.connect(url)).close();
    await runMigrations(url);
    const writer = await EventWriter.open(url, { sealed: side === 'sealed' });
    ctx.cleanups.push(() => writer.close());
    const city = new City(writer, { seed: 5 });
    await bulkAppend(url, city.found(2000), { label: `founding the ${side} city` });
    const app = await startBenchApp(url, TODAY, writer.masterKey, side === 'clear' ? clearTextCodec : undefined);
    ctx.cleanups.push(() => app.close());
    await app.waitForProjector(120_000);
    apps[side] = { baseUrl: app.baseUrl, sponsorIds: city.sponsors.map((s) => s.sponsorId), close: () => app.close() };
  }
  const offsets: Record<Side, number> = { sealed: 0, clear: 0 };
  const enrol = async (side: Side, seconds: number): Promise<LoadResult> => {
    const job: LoadJob = {
      url: apps[side].baseUrl,
      kind: 'enrolments',
      connections: CONNECTIONS,
      durationS: seconds,
      token: TOKENS.operator,
      targets: [],
      offset: offsets[side],
      runId: `${side}-${offsets[side]}`,
      paidOn: TODAY,
      sponsorIds: apps[side].sponsorIds,
    };
    const result = await inChild(job, ctx);
    offsets[side] += result.sent;
    return result;
  };
  for (const side of SIDES) await enrol(side, 1);
  const enrolments: Record<Side, LoadResult[]> = { sealed: [], clear: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const side of rep % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const r = await enrol(side, durationS);
      enrolments[side].push(r);
      rec.info(`enrolments ${side.padEnd(6)} run ${rep + 1}: ${fmtInt(r.rps)} ok/s, p50 ${fmtMs(r.p50)} ms, p99 ${fmtMs(r.p99)} ms, status ${JSON.stringify(r.statusCodes)}`);
    }
  }
  const failed = SIDES.flatMap((side) => enrolments[side]).reduce((n, r) => n + r.non2xx + r.errors, 0);
  if (failed) rec.note(`${failed} enrolment requests did not answer 2xx`);
  const rate = (side: Side) => median(enrolments[side].map((r) => r.rps));
  const httpOverhead = 1 - rate('sealed') / rate('clear');
  rec.record({
    section: 'encryption',
    name: 'HTTP enrolments, sealing overhead',
    shown: `sealed ${fmtInt(rate('sealed'))}/s (p99 ${fmtMs(median(enrolments.sealed.map((r) => r.p99)))} ms) | clear ${fmtInt(rate('clear'))}/s (p99 ${fmtMs(median(enrolments.clear.map((r) => r.p99)))} ms) | overhead ${(httpOverhead * 100).toFixed(1)}%`,
    value: httpOverhead,
    target: { op: '<=', value: OVERHEAD_TARGET, label: `< ${OVERHEAD_TARGET * 100}%` },
    detail: { sealedRps: rate('sealed'), clearRps: rate('clear'), runs: enrolments },
  });

  for (const side of SIDES) await apps[side].close();

  // Catch-up over the same city, sealed and clear.
  const cities: Record<Side, { url: string; masterKey: string; events: number }> = {} as never;
  for (const side of SIDES) {
    const url = await ctx.dbs.create(`enc_log_${side}`);
    await (await PostgresEventStore.connect(url)).close();
    await runMigrations(url);
    const writer = await EventWriter.open(url, { sealed: side === 'sealed' });
    const workers = Math.round(cityEvents / EVENTS_PER_WORKER);
    const load = await bulkAppend(url, new City(writer, { seed: 13 }).addWorkers({ count: workers, enrolFrom: '2025-01-06', enrolTo: '2025-03-28', payUntil: '2025-12-31' }), {
      label: `generating the ${side} city`,
    });
    await writer.close();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('VACUUM ANALYZE');
    await admin.end();
    cities[side] = { url, masterKey: writer.masterKey, events: load.events };
  }
  rec.info(`two cities of ${fmtInt(cities.sealed.events)} events (sealed) and ${fmtInt(cities.clear.events)} (clear)`);
  for (const side of SIDES) await waitUntilLogVisible(cities[side].url, 60_000);
  const catchUps: Record<Side, number[]> = { sealed: [], clear: [] };
  // One unmeasured run each first: the first reader of a fresh log pays for setting its hint bits.
  for (const side of SIDES) await runChild({ kind: 'catch-up', databaseUrl: cities[side].url, masterKey: cities[side].masterKey, timeoutMs: 120_000, fresh: true }, ctx, () => undefined);
  for (let rep = 0; rep < reps; rep++) {
    for (const side of rep % 2 === 0 ? [...SIDES].reverse() : SIDES) {
      const r = await runChild({ kind: 'catch-up', databaseUrl: cities[side].url, masterKey: cities[side].masterKey, timeoutMs: quick ? 30_000 : 120_000, fresh: true }, ctx, () => undefined);
      const perSecond = r.events / (r.elapsedMs / 1000);
      catchUps[side].push(perSecond);
      rec.info(`catch-up ${side.padEnd(6)} run ${rep + 1}: ${fmtInt(perSecond)} events/s (${fmtS(r.elapsedMs)}${r.finished ? '' : ', NOT finished'})`);
    }
  }
  const catchUpOverhead = 1 - median(catchUps.sealed) / median(catchUps.clear);
  rec.record({
    section: 'encryption',
    name: 'catch-up, sealing overhead',
    shown: `sealed ${fmtInt(median(catchUps.sealed))} events/s | clear ${fmtInt(median(catchUps.clear))} events/s | overhead ${(catchUpOverhead * 100).toFixed(1)}%`,
    value: catchUpOverhead,
    target: { op: '<=', value: OVERHEAD_TARGET, label: `< ${OVERHEAD_TARGET * 100}%` },
    detail: { sealed: catchUps.sealed, clear: catchUps.clear, events: cities.sealed.events },
  });
}
