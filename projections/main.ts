/**
 * The projector as a process of its own (docker-compose `projector`, `npm run start:projector`):
 * DATABASE_URL names the read-model database (the embedded PostgreSQL without it), EVENTSTORE_URL the
 * EventStoreDB to read (the PostgreSQL event store without it). Stops cleanly on SIGINT and SIGTERM.
 */
import pino from 'pino';
import { loadConfig } from '../src/config/config';
import { loggerOptions } from '../src/infra/logging';
import { runMigrations } from './data-source';
import { Projector } from './projector/projector';
import { createEventStoreFromEnv, readModelDatabaseFromEnv, readPathFromEnv } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ name: 'projector', ...loggerOptions(config) });
  const database = await readModelDatabaseFromEnv(config, (line) => logger.info({}, line));
  const eventStore = await createEventStoreFromEnv(config, database.url);
  await runMigrations(database.url);
  const { codec, vault } = await readPathFromEnv(config, database.url, (line) => logger.info({}, line));
  const projector = new Projector({ eventStore, codec, databaseUrl: database.url, logger, dbTimeoutMs: config.dbTimeoutMs });

  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'projector shutting down');
      await projector.stop();
      await eventStore.close();
      await vault.close();
      await database.embedded?.stop();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'projector did not shut down cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  await projector.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`projector could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
