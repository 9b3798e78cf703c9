import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './auth/api-key.guard';
import { API_KEYS } from './auth/api-keys';
import { ManagedApiKeys } from './auth/managed-api-keys';
import type { ApiKey, AppConfig } from './config/config';
import { APP_CONFIG } from './config/config';
import { EVENT_STORE, EventStore } from './event-store/event-store.port';
import { HealthController } from './health/health.controller';
import { CommandContextFactory } from './http/command-context.factory';
import { PersonalDataAccess } from './http/personal-data-access';
import { CommandRunner } from './event-sourcing/command-runner';
import { EVENT_CODEC, type EventCodec } from './event-sourcing/event-codec';
import { KEY_HASHER, type KeyHasher } from './event-sourcing/unique-keys';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from './personal-data/vault';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { CLOCK, Clock } from './shared/clock';
import { readModelDataSourceOptions } from '../projections/data-source';
import { DATABASE_URL } from './read-models/tokens';
import { loggerOptions } from './infra/logging';
import { requestIdOf } from './http/request-id';
import { RateLimitGuard, rateLimitModule } from './http/rate-limit';

/** Everything the process set up before Nest starts: validated config, database, event store, clock. */
export interface Runtime {
  config: AppConfig;
  databaseUrl: string;
  eventStore: EventStore;
  /** The one read path of the log (unsealing, upcasting) and the write path's metadata and sealing. */
  codec: EventCodec;
  /** Personal data: data keys, keyed hashes, the access log. */
  vault: PersonalDataVault;
  keyHasher: KeyHasher;
  clock: Clock;
  apiKeys: ApiKey[];
}

/** Feature modules registered by the features themselves (see src/features.ts). */
export interface AppModuleOptions {
  runtime: Runtime;
  features: Type<unknown>[];
}


@Global()
@Module({})
export class CoreModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: EVENT_STORE, useValue: runtime.eventStore },
      { provide: EVENT_CODEC, useValue: runtime.codec },
      { provide: KEY_HASHER, useValue: runtime.keyHasher },
      { provide: PERSONAL_DATA_VAULT, useValue: runtime.vault },
      { provide: CLOCK, useValue: runtime.clock },
      { provide: API_KEYS, useValue: runtime.apiKeys },
      { provide: DATABASE_URL, useValue: runtime.databaseUrl },
      CommandContextFactory,
      CommandRunner,
      PersonalDataAccess,
      ManagedApiKeys,
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  static forRoot({ runtime, features }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(runtime),
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions(runtime.config),
            genReqId: requestIdOf,
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
            quietReqLogger: true,
          },
        }),
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        TypeOrmModule.forRoot(readModelDataSourceOptions(runtime.databaseUrl, runtime.config.dbTimeoutMs)),
        rateLimitModule(runtime.config.rateLimitPerMinute),
        ...features,
      ],
      controllers: [HealthController],
      providers: [
        // In this order: the rate limit counts every request under /v1, wrong keys included, before any key check.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
