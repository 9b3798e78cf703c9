import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule, Runtime } from './app.module';
import { resolveApiKeys } from './auth/api-keys';
import { AppConfig } from './config/config';
import { createEventStore } from './event-store/event-store.factory';
import { setUpOpenApi } from './http/openapi';
import { validationPipe } from './http/validation';
import { startEmbeddedPostgres, EmbeddedDatabase } from './infra/embedded-postgres';
import { Clock, SystemClock } from './shared/clock';
import { FEATURE_MODULES } from './features';
import { createEventCodec } from './event-catalog';
import { openVault } from './personal-data/open-vault';
import type { PersonalDataVault } from './personal-data/vault';
import { runMigrations } from '../projections/data-source';

export interface Started {
  app: INestApplication;
  runtime: Runtime;
  /** Closes the app, the event store and the embedded database (if any), in that order. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Print function for the one-time generated key notice (default: stdout). */
  announce?: (message: string) => void;
  /** Listen on config.port (default true). Tests use supertest on the HTTP server instead. */
  listen?: boolean;
}

/** Database to use: DATABASE_URL, or an embedded PostgreSQL with its data under ASUH_DATA_DIR. */
export async function resolveDatabase(config: AppConfig, log: (line: string) => void): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  log(`DATABASE_URL not set: using the embedded PostgreSQL (data in ${join(config.dataDir, 'pg')}, port ${config.embeddedPostgresPort})`);
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPostgresPort);
  return { url: embedded.url, embedded };
}

export function configureHttp(app: INestApplication): void {
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useGlobalPipes(validationPipe());
  setUpOpenApi(app);
}

export async function startApplication(config: AppConfig, options: StartOptions = {}): Promise<Started> {
  const announce = options.announce ?? ((message: string) => process.stdout.write(`\n${message}\n\n`));
  const database = await resolveDatabase(config, (line) => process.stdout.write(`${line}\n`));
  let eventStore;
  try {
    eventStore = await createEventStore({ databaseUrl: database.url, eventStoreUrl: config.eventStoreUrl });
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  }
  let vault: PersonalDataVault;
  try {
    await runMigrations(database.url);
    vault = await openVault(config, database.url, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    await eventStore.close();
    await database.embedded?.stop();
    throw error;
  }
  const runtime: Runtime = {
    config,
    databaseUrl: database.url,
    eventStore,
    vault,
    codec: createEventCodec(config, vault),
    keyHasher: vault,
    clock: options.clock ?? new SystemClock(config.timezone),
    apiKeys: resolveApiKeys(config, announce),
  };
  const app = await NestFactory.create(AppModule.forRoot({ runtime, features: FEATURE_MODULES }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.init();
  if (options.listen !== false) await app.listen(config.port);
  let closed = false;
  return {
    app,
    runtime,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await eventStore.close();
      await vault.close();
      await database.embedded?.stop();
    },
  };
}
