/**
 * `npm run projections:rebuild`: rebuilds the read models from the whole log, blue-green (see rebuild.ts),
 * while the API and the projector keep running. Same environment as the projector (DATABASE_URL,
 * EVENTSTORE_URL). Prints events replayed, elapsed time and events per second.
 *
 *   --batch-size=N   events per page and transaction (default 2000)
 *   --only=a,b       rebuild only these read models (e.g. worker-status); the others keep serving untouched
 *
 * Exit status: 0 rebuilt, 1 the rebuild failed (the live read models are then untouched).
 */
import { Presets, SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config';
import type { EventStore } from '../src/event-store/event-store.port';
import type { EmbeddedDatabase } from '../src/infra/embedded-postgres';
import { runMigrations } from './data-source';
import type { PersonalDataVault } from '../src/personal-data/vault';
import { READ_MODEL_PROJECTIONS, projectionsNamed } from './read-model-projections';
import { rebuildReadModels, type RebuildProgress } from './rebuild';
import { createEventStoreFromEnv, readModelDatabaseFromEnv, readPathFromEnv } from './runtime';

/** Positions are not event counts (EventStoreDB positions are log offsets): the bar shows the share of the log span. */
function progressBar(): { update(progress: RebuildProgress): void; stop(): void } {
  const bar = new SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {events} events | {rate} events/s', hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return {
    update({ phase, eventsReplayed, position, headPosition }) {
      const payload = { phase: phase.padEnd(6), events: eventsReplayed, rate: rate(eventsReplayed, Date.now() - started) };
      const value = headPosition > 0n ? Number((position * 1000n) / headPosition) : 1000;
      if (!running) {
        bar.start(1000, 0, payload);
        running = true;
      }
      bar.update(Math.min(value, 1000), payload);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

const rate = (events: number, elapsedMs: number) => (elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : events);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'batch-size': { type: 'string', default: '2000' }, only: { type: 'string' } } });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive whole number');
  const projections = values.only ? projectionsNamed(values.only.split(',').map((name) => name.trim())) : READ_MODEL_PROJECTIONS;
  const config = loadConfig(process.env);

  let embedded: EmbeddedDatabase | undefined;
  let eventStore: EventStore | undefined;
  let vault: PersonalDataVault | undefined;
  const bar = progressBar();
  try {
    const database = await readModelDatabaseFromEnv(config, (line) => process.stderr.write(`${line}\n`));
    embedded = database.embedded;
    eventStore = await createEventStoreFromEnv(config, database.url);
    await runMigrations(database.url);
    const readPath = await readPathFromEnv(config, database.url, (line) => process.stderr.write(`${line}\n`));
    vault = readPath.vault;
    const result = await rebuildReadModels({
      eventStore,
      codec: readPath.codec,
      databaseUrl: database.url,
      batchSize,
      projections,
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    process.stdout.write(
      `Rebuilt ${projections.map((p) => p.name).join(', ')} up to log position ${result.position}: ${result.eventsReplayed} events replayed in ` +
        `${(result.elapsedMs / 1000).toFixed(1)} s (${result.eventsPerSecond} events/s).\n`,
    );
  } finally {
    bar.stop();
    await eventStore?.close();
    await vault?.close();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`projections:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
