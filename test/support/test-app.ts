import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApplication, Started } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import type { Clock } from '../../src/shared/clock';
import { createTestDatabase, TestDatabase } from './test-database';
import { newMasterKey } from '../../src/personal-data/sealing';

export const KEYS = {
  admin: 'admin-secret-0123456789',
  operator: 'operator-secret-0123456789',
  auditor: 'auditor-secret-0123456789',
  analyst: 'analyst-secret-0123456789',
} as const;

export const API_KEYS_ENV = Object.entries(KEYS)
  .map(([role, secret]) => `${role}-key:${role}:${secret}`)
  .join(',');

/** A clock the test moves by hand; business dates are Asia/Jakarta dates. */
export class FixedClock implements Clock {
  constructor(private date: string) {}

  set(date: string): void {
    this.date = date;
  }

  now(): Date {
    return new Date(`${this.date}T10:00:00+07:00`);
  }

  today(): string {
    return this.date;
  }
}

export interface Agent {
  get(path: string): request.Test;
  post(path: string): request.Test;
  put(path: string): request.Test;
  patch(path: string): request.Test;
}

export interface TestApp {
  started: Started;
  app: INestApplication;
  db: TestDatabase;
  /** Where it keeps its data: pass it to another createTestApp for a second instance, or a restart. */
  backend: TestBackend;
  clock: FixedClock;
  /** supertest agent bound to the app, authenticated as `role` (or anonymous). */
  as(role?: keyof typeof KEYS): Agent;
  /** The same, authenticated with any secret (a managed key, an extra configured one). */
  withSecret(secret: string): Agent;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  today?: string;
  /** Reuse an existing backend (restart tests). */
  backend?: TestBackend;
}

/**
 * Where a test app keeps its data: a database of its own and, when the suite runs in its EventStoreDB
 * variant (ASUH_TEST_EVENT_STORE=esdb), an event store of its own: the real server at EVENTSTORE_URL,
 * or a fresh gRPC emulator (never presented as a real server).
 */
export interface TestBackend {
  db: TestDatabase;
  eventStoreUrl?: string;
  /** The master key of this backend's key store (kept across restarts of the app). */
  masterKey: string;
  release(): Promise<void>;
}

export const eventStoreVariant = (): 'postgres' | 'esdb' => (process.env.ASUH_TEST_EVENT_STORE === 'esdb' ? 'esdb' : 'postgres');

export async function createTestBackend(): Promise<TestBackend> {
  const db = await createTestDatabase();
  const masterKey = newMasterKey();
  if (eventStoreVariant() === 'postgres') return { db, masterKey, release: () => db.drop() };
  if (process.env.EVENTSTORE_URL) return { db, masterKey, eventStoreUrl: process.env.EVENTSTORE_URL, release: () => db.drop() };
  const { startEsdbEmulator } = await import('../esdb-emulator');
  const emulator = await startEsdbEmulator();
  return {
    db,
    masterKey,
    eventStoreUrl: emulator.url,
    release: async () => {
      await emulator.stop();
      await db.drop();
    },
  };
}

/** The whole Nest app on a database of its own (real PostgreSQL), reached over HTTP through supertest. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? (await createTestBackend());
  const db = backend.db;
  const clock = new FixedClock(options.today ?? '2026-11-23');
  const config = loadConfig({
    DATABASE_URL: db.url,
    ...(backend.eventStoreUrl ? { EVENTSTORE_URL: backend.eventStoreUrl } : {}),
    ASUH_API_KEYS: API_KEYS_ENV,
    ASUH_MASTER_KEY: backend.masterKey,
    LOG_LEVEL: 'silent',
    ASUH_RUN_LAPSE_SCHEDULE: 'false',
    ...options.env,
  });
  const started = await startApplication(config, { clock, listen: false, announce: () => undefined });
  const server = started.app.getHttpServer();
  const withSecret = (secret?: string): Agent => {
    const auth = (t: request.Test) => (secret ? t.set('Authorization', `Bearer ${secret}`) : t);
    return {
      get: (path: string) => auth(request(server).get(path)),
      post: (path: string) => auth(request(server).post(path)),
      put: (path: string) => auth(request(server).put(path)),
      patch: (path: string) => auth(request(server).patch(path)),
    };
  };
  return {
    started,
    app: started.app,
    db,
    backend,
    clock,
    as: (role?: keyof typeof KEYS) => withSecret(role ? KEYS[role] : undefined),
    withSecret,
    close: async () => {
      await started.close();
      if (!options.backend) await backend.release();
    },
  };
}
