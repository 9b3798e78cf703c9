import { fork } from 'node:child_process';
import { join } from 'node:path';
import express from 'express';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { startBenchApp, TOKENS } from '../lib/app';
import { bulkAppend } from '../lib/bulk';
import { City } from '../lib/city';
import { EventWriter } from '../lib/writer';
import { BenchContext, POOL_SIZE } from '../lib/context';
import { fmtInt, fmtMs, median } from '../lib/report';
import type { LoadJob, LoadResult, PayTarget } from './http-load';

/**
 * 2. Premium payments over HTTP (autocannon, 50 connections, in a child process) against the real app
 * (`startApplication` with listen: API + in-process projector + PostgreSQL event store, clock fixed on
 * 2025-03-25). The city's workers are enrolled first (bulk, through the adapter's append function);
 * each request pays one month for the next worker in the rotation with a fresh paymentRef, so no two
 * in-flight requests touch the same worker stream. Baseline: a bare Express route registered in the same
 * app (ahead of Nest's router) that does one INSERT of the request body through a pg Pool of the same size.
 */

const TODAY = '2025-03-25';
/** Target of issue #14: payments per second against the bare INSERT route's requests per second. */
const OF_BARE = 0.4;
const CONNECTIONS = 50;

export async function benchHttp(ctx: BenchContext): Promise<void> {
  const { rec, quick } = ctx;
  const workers = quick ? 3_000 : 20_000;
  const reps = quick ? 1 : 3;
  const durationS = quick ? 4 : 10;
  rec.section(`2. HTTP premium payments (autocannon, ${CONNECTIONS} connections, ${durationS} s runs, ${reps} repetition(s), ${fmtInt(workers)} enrolled workers)`);

  const url = await ctx.dbs.create('http');
  const store = await PostgresEventStore.connect(url);
  await store.close();
  const writer = await EventWriter.open(url);
  ctx.cleanups.push(() => writer.close());
  const city = new City(writer, { seed: 7 });
  const load = await bulkAppend(url, city.addWorkers({ count: workers, enrolFrom: '2025-03-01', enrolTo: '2025-03-20' }), {
    label: 'enrolling workers',
    expectedEvents: workers * 2 + 63 + Math.round(workers / 10) * 2,
    log: (l) => rec.info(l),
  });
  rec.info(`enrolled ${fmtInt(workers)} workers (${fmtInt(load.events)} events) in ${(load.elapsedMs / 1000).toFixed(1)} s`);

  const app = await startBenchApp(url, TODAY, writer.masterKey);
  ctx.cleanups.push(() => app.close());
  const caughtUpMs = await app.waitForProjector(300_000);
  rec.info(`app started, projector caught up with the enrolments after ${(caughtUpMs / 1000).toFixed(1)} s`);

  const bare = new Pool({ connectionString: url, max: POOL_SIZE, application_name: 'asuh-bench-bare' });
  bare.on('error', () => undefined);
  ctx.cleanups.push(() => bare.end());
  await bare.query(`CREATE SCHEMA bench_http; CREATE TABLE bench_http.bare (id bigserial PRIMARY KEY, payment_ref text NOT NULL UNIQUE, body jsonb NOT NULL, created timestamptz NOT NULL DEFAULT now())`);
  const instance = app.started.app.getHttpAdapter().getInstance() as express.Application & { router: { stack: unknown[] } };
  instance.post('/bench/bare-insert', express.json(), (req: express.Request, res: express.Response) => {
    bare.query('INSERT INTO bench_http.bare (payment_ref, body) VALUES ($1, $2)', [req.body.paymentRef, req.body]).then(
      () => res.status(201).json({ ok: true }),
      (error: Error) => res.status(500).json({ error: error.message }),
    );
  });
  // Nest has already registered its routes and its 404 handler: move the bare route to the front.
  instance.router.stack.unshift(instance.router.stack.pop());

  const targets: PayTarget[] = city.workers.map((w) => {
    const payer: Record<string, string> = w.sponsorId
      ? { type: 'ASN_SPONSOR', sponsorId: w.sponsorId }
      : w.fundingSource === 'CSR'
        ? { type: 'CSR', name: 'PT Semarang Sejahtera' }
        : { type: w.fundingSource };
    return { workerId: w.workerId, payer };
  });
  let offset = 0;
  let runs = 0;
  const runLoad = async (kind: LoadJob['kind'], seconds: number): Promise<LoadResult> => {
    const job: LoadJob = { url: app.baseUrl, kind, connections: CONNECTIONS, durationS: seconds, token: TOKENS.operator, targets, offset, runId: `${Date.now()}-${runs++}`, paidOn: TODAY };
    const result = await inChild(job, ctx);
    if (kind === 'payments') offset += result.sent;
    return result;
  };

  await runLoad('payments', quick ? 1 : 2);
  await runLoad('bare', 1);
  const pays: LoadResult[] = [];
  const bares: LoadResult[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const order: LoadJob['kind'][] = rep % 2 === 0 ? ['payments', 'bare'] : ['bare', 'payments'];
    for (const kind of order) {
      const r = await runLoad(kind, durationS);
      (kind === 'payments' ? pays : bares).push(r);
      rec.info(`${kind.padEnd(8)} run ${rep + 1}: ${fmtInt(r.rps)} ok/s, p50 ${fmtMs(r.p50)} ms, p99 ${fmtMs(r.p99)} ms, max ${fmtMs(r.max)} ms, status ${JSON.stringify(r.statusCodes)}${r.errors ? `, ${r.errors} errors` : ''}`);
    }
  }
  if (offset > workers * 12) rec.note(`payments rotated ${offset} times over ${workers} workers: later ones may hit the prepay limit`);

  const rps = median(pays.map((r) => r.rps));
  const p50 = median(pays.map((r) => r.p50));
  const p99 = median(pays.map((r) => r.p99));
  const bareRps = median(bares.map((r) => r.rps));
  const bareP99 = median(bares.map((r) => r.p99));
  const failed = pays.reduce((n, r) => n + r.non2xx + r.errors, 0);
  if (failed) rec.note(`${failed} payment requests did not answer 2xx: ${JSON.stringify(pays.map((r) => r.statusCodes))}`);
  const detail = { rps, p50, p99, bareRps, bareP50: median(bares.map((r) => r.p50)), bareP99, runs: { payments: pays, bare: bares }, workers, connections: CONNECTIONS, durationS };
  rec.record({
    section: 'http',
    name: 'payments throughput',
    shown: `${fmtInt(rps)} payments/s (p50 ${fmtMs(p50)} ms) | bare INSERT route ${fmtInt(bareRps)} req/s (p99 ${fmtMs(bareP99)} ms) | ${(rps / bareRps).toFixed(2)} of bare`,
    value: rps / bareRps,
    target: { op: '>=', value: OF_BARE, label: `>= ${OF_BARE.toFixed(2)} of bare` },
    detail,
  });
  rec.record({ section: 'http', name: 'payments p99', shown: `${fmtMs(p99)} ms`, value: p99, target: { op: '<=', value: 100, label: '< 100 ms' }, detail: { p99 } });
  ctx.shared.http = detail;
}

/** Runs one autocannon job in a child process and returns its result. */
export function inChild(job: LoadJob, ctx: BenchContext): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'http-load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const kill = async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    ctx.cleanups.push(kill);
    child.once('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.result) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(job);
  });
}
