import { createServer } from 'node:net';
import { startApplication, Started } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { ProjectorService } from '../../src/read-models/projector.service';
import type { EventCodec } from '../../src/event-sourcing/event-codec';
import { newMasterKey } from '../../src/personal-data/sealing';
import type { PersonalDataVault } from '../../src/personal-data/vault';
import type { Clock } from '../../src/shared/clock';
import { sleep } from './context';

export const TOKENS = {
  operator: 'bench-operator-secret-0123456789',
  analyst: 'bench-analyst-secret-0123456789',
  admin: 'bench-admin-secret-0123456789',
} as const;

/** A clock stopped on one business date (10:00 Asia/Jakarta), so payments stay inside the allowed range. */
export class FixedClock implements Clock {
  constructor(private readonly date: string) {}
  now(): Date {
    return new Date(`${this.date}T10:00:00+07:00`);
  }
  today(): string {
    return this.date;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchApp {
  started: Started;
  baseUrl: string;
  close(): Promise<void>;
  /** Waits until the in-process projector has applied the whole log (or throws after `timeoutMs`). */
  waitForProjector(timeoutMs: number): Promise<number>;
}

/**
 * The real application (`startApplication` with listen), as `npm start` runs it: API, projector in the
 * same process, PostgreSQL event store; logs silenced, lapse schedule off, clock fixed on `today`, and the
 * master key of the database's key store (ASUH_MASTER_KEY; a fresh one for a database without personal data).
 * `codec` replaces the service's codec: only the clear-text side of the encryption-overhead section uses it.
 */
export async function startBenchApp(
  databaseUrl: string,
  today: string,
  masterKey: string = newMasterKey(),
  codec?: (vault: PersonalDataVault) => EventCodec,
): Promise<BenchApp> {
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    ASUH_MASTER_KEY: masterKey,
    PORT: String(port),
    ASUH_API_KEYS: Object.entries(TOKENS)
      .map(([role, secret]) => `bench-${role}:${role}:${secret}`)
      .join(','),
    LOG_LEVEL: 'silent',
    // One key sends every request of a load run: the limit (still checked on every request) must not refuse them.
    ASUH_RATE_LIMIT_PER_MINUTE: '10000000',
    ASUH_RUN_LAPSE_SCHEDULE: 'false',
  });
  const started = await startApplication(config, { clock: new FixedClock(today), announce: () => undefined, codec });
  const projector = started.app.get(ProjectorService);
  return {
    started,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => started.close(),
    waitForProjector: async (timeoutMs: number) => {
      const t = Date.now();
      for (;;) {
        const lag = await projector.lag();
        if (lag.caughtUp && lag.running) return Date.now() - t;
        if (Date.now() - t > timeoutMs) throw new Error(`projector not caught up after ${timeoutMs} ms (checkpoint ${lag.checkpoint}, head ${lag.head})`);
        await sleep(200);
      }
    },
  };
}
