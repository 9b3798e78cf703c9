/**
 * `npm run bench` (full) and `npm run bench -- --quick` (smaller sizes, under two minutes): every
 * measurement of the performance issue in one run, each printed as target vs measured with PASS/MISS,
 * the machine first and a one-line summary last. Results also go to bench-results/<stamp>.json.
 *
 * Options: --quick; --only=appends,http,projector,queries,growth,encryption,imports (development aid).
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BenchDatabases } from './lib/db';
import { BenchContext } from './lib/context';
import { describeMachine, machineLine } from './lib/machine';
import { Recorder } from './lib/report';
import { summaryLine } from './lib/summary';
import { benchAppends } from './sections/appends';
import { benchHttp } from './sections/http';
import { benchProjector } from './sections/projector';
import { benchQueries } from './sections/queries';
import { benchGrowth } from './sections/growth';
import { benchEncryption } from './sections/encryption';
import { benchImports } from './sections/imports';

const SECTIONS: Array<[string, (ctx: BenchContext) => Promise<void>]> = [
  ['appends', benchAppends],
  ['http', benchHttp],
  ['projector', benchProjector],
  ['queries', benchQueries],
  ['growth', benchGrowth],
  ['encryption', benchEncryption],
  ['imports', benchImports],
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = args.filter((a) => a !== '--quick' && !a.startsWith('--only='));
  if (unknown.length) {
    process.stderr.write(`bench: unknown option(s) ${unknown.join(' ')}; use --quick and/or --only=${SECTIONS.map(([n]) => n).join(',')}\n`);
    return 2;
  }

  const rec = new Recorder();
  const dbs = new BenchDatabases();
  const ctx: BenchContext = { quick, rec, dbs, cleanups: [], shared: {} };
  const started = Date.now();

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}; stopping and dropping the bench databases…\n`);
    void cleanUp(ctx).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const machine = await describeMachine();
  const code = codeVersion();
  rec.info(`bench ${quick ? 'QUICK' : 'FULL'} mode${quick ? ' (smaller sizes: 100k-event projector log, 20k workers for queries, growth at 1M only; 10M skipped)' : ''}`);
  rec.info(`machine: ${machineLine(machine)}`);
  rec.info(`PostgreSQL settings: ${Object.entries(machine.postgresSettings).map(([k, v]) => `${k}=${v}`).join(', ')}; load average at start ${machine.loadAverageAtStart.join(' ')}`);
  rec.info(`code measured: ${code} (compiled into dist-bench/ when the run started)`);
  rec.info(`databases: ${dbs.prefix}_* (dropped at the end)`);

  const failures: string[] = [];
  try {
    for (const [name, run] of SECTIONS) {
      if (only && !only.includes(name)) continue;
      const t = Date.now();
      try {
        await run(ctx);
      } catch (error) {
        failures.push(name);
        rec.note(`section ${name} FAILED: ${(error as Error).stack ?? String(error)}`);
      } finally {
        await runCleanups(ctx);
      }
      rec.info(`(${name} took ${((Date.now() - t) / 1000).toFixed(1)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    }
  } finally {
    await cleanUp(ctx);
  }

  const elapsedS = Math.round((Date.now() - started) / 100) / 10;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stamp}-${quick ? 'quick' : 'full'}.json`);
  writeFileSync(file, JSON.stringify({ mode: quick ? 'quick' : 'full', machine, code, elapsedS, failures, notes: rec.notes, measurements: rec.measurements }, null, 2));

  const misses = rec.misses();
  rec.section('Targets');
  rec.info(`${rec.measurements.filter((m) => m.pass === true).length} PASS, ${misses.length} MISS${failures.length ? `, sections failed: ${failures.join(', ')}` : ''}; took ${elapsedS} s; results in ${file}`);
  for (const m of misses) rec.info(`MISS ${m.section}: ${m.name}: ${m.shown} (target ${m.target?.label})`);
  process.stdout.write(`\n${summaryLine(rec, quick, failures)}\n`);
  return failures.length ? 1 : 0;
}

/** The commit the run measured, and whether src/ or projections/ differed from it. */
function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'projections'], { encoding: 'utf8' }).trim();
    return dirty ? `${commit} + uncommitted changes in src/ or projections/` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function runCleanups(ctx: BenchContext): Promise<void> {
  while (ctx.cleanups.length) {
    const cleanup = ctx.cleanups.pop()!;
    await cleanup().catch((error: Error) => process.stderr.write(`bench: cleanup failed: ${error.message}\n`));
  }
}

async function cleanUp(ctx: BenchContext): Promise<void> {
  await runCleanups(ctx);
  await ctx.dbs.dropAll();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
