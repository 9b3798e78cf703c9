import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule, Runtime } from './app.module';
import { resolveApiKeys } from './auth/api-keys';
import { AppConfig } from './config/config';
import { createEventStore } from './event-store/event-store.factory';
import { setUpOpenApi } from './http/openapi';
import { validationPipe } from './http/validation';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { answerClientErrorsAsProblems } from './http/client-errors';
import { useJsonBodies } from './http/json-body';
import { requestIds } from './http/request-id';
import { useCors, useSecurityHeaders } from './http/security';
import { TextSafetyPipe } from './http/text-safety.pipe';
import { startEmbeddedPostgres, EmbeddedDatabase } from './infra/embedded-postgres';
import { Clock, SystemClock } from './shared/clock';
import { FEATURE_MODULES } from './features';
import { createEventCodec } from './event-catalog';
import { openVault } from './personal-data/open-vault';
import type { PersonalDataVault } from './personal-data/vault';
import type { EventCodec } from './event-sourcing/event-codec';
import { runMigrations } from '../projections/data-source';

export interface Started {
  app: NestExpressApplication;
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
  /**
   * Builds the codec from the vault instead of the service's own (createEventCodec). Not configurable from
   * the environment: only the benchmark's comparison of sealed and clear-text personal data uses it.
   */
  codec?: (vault: PersonalDataVault) => EventCodec;
}

/** Database to use: DATABASE_URL, or an embedded PostgreSQL with its data under ASUH_DATA_DIR. */
export async function resolveDatabase(config: AppConfig, log: (line: string) => void): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  log(`DATABASE_URL not set: using the embedded PostgreSQL (data in ${join(config.dataDir, 'pg')}, port ${config.embeddedPostgresPort})`);
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPostgresPort);
  return { url: embedded.url, embedded };
}

/**
 * The HTTP edge, in the order a request meets it: its ids (echoed on every answer), security headers,
 * CORS, JSON-only bodies of bounded size and depth; then, per route, the rate limit and the key (guards),
 * text safety and DTO validation (pipes). Errors of any step leave as problem+json (ProblemDetailsFilter).
 */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.use(requestIds);
  useSecurityHeaders(app);
  useCors(app, config.corsOrigins);
  useJsonBodies(app);
  app.useGlobalPipes(new TextSafetyPipe(), validationPipe());
  answerClientErrorsAsProblems(app.getHttpServer());
  setUpOpenApi(app);
}

export async function startApplication(config: AppConfig, options: StartOptions = {}): Promise<Started> {
  const announce = options.announce ?? ((message: string) => process.stdout.write(`\n${message}\n\n`));
  const database = await resolveDatabase(config, (line) => process.stdout.write(`${line}\n`));
  let eventStore;
  try {
    eventStore = await createEventStore({ databaseUrl: database.url, eventStoreUrl: config.eventStoreUrl, timeoutMs: config.dbTimeoutMs });
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
    codec: options.codec ? options.codec(vault) : createEventCodec(config, vault),
    keyHasher: vault,
    clock: options.clock ?? new SystemClock(config.timezone),
    apiKeys: resolveApiKeys(config, announce),
  };
  // Nest's own body parsers (JSON and form-encoded) are off: configureHttp installs the only one, JSON.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ runtime, features: FEATURE_MODULES }), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  configureHttp(app, config);
  await app.init();
  if (options.listen !== false) await app.listen(config.port, config.host);
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
