import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { createEventCodec } from '../../src/event-catalog';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import type { PremiumPaid } from '../../src/workers/worker.events';
import type { BenchDatabases } from './db';
import type { Recorder } from './report';
import { contextOn } from './city';

/** What every section gets from main.ts. */
export interface BenchContext {
  quick: boolean;
  rec: Recorder;
  dbs: BenchDatabases;
  /** Child processes and servers to stop when the run ends, however it ends. */
  cleanups: Array<() => Promise<void>>;
  /** Run-wide values other sections may reuse (e.g. the projector's city for the queries). */
  shared: Record<string, unknown>;
}

/** Pool size of the PostgreSQL adapter's default (PostgresEventStore poolSize 20); the raw baselines use the same. */
export const POOL_SIZE = 20;

/** The service's codec; payments carry no personal data, so it needs no vault. */
const paymentCodec = createEventCodec({ timezone: 'Asia/Jakarta', policy: DEFAULT_POLICY });

/**
 * `count` single PremiumPaid events of one worker stream in their current shape, hash-chained like a handler
 * would append them one command after another (through the service's EventCodec).
 */
export async function paymentEvents(count: number, date = '2025-03-10'): Promise<NewEvent[]> {
  const workerId = randomUUID();
  const sponsorId = randomUUID();
  const out: NewEvent[] = [];
  let prev: string | null = null;
  for (let i = 0; i < count; i++) {
    const paid: PremiumPaid = {
      type: 'PremiumPaid',
      data: {
        workerId,
        paymentRef: `BENCH-${workerId.slice(0, 8)}-${i}`,
        months: 1,
        amount: 16800,
        paidOn: date,
        payer: { type: 'ASN_SPONSOR', sponsorId },
        opdCode: 'OPD001',
        coveredFrom: '2025-03',
        coveredThrough: '2025-03',
        statusAfter: 'ACTIVE',
        occurredOn: date,
      },
    };
    const [event] = await paymentCodec.encode([paid], contextOn(date), prev);
    prev = (event.metadata as { hash: string }).hash;
    out.push(event);
  }
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const uuid = randomUUID;
