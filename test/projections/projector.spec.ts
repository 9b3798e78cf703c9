import { Client } from 'pg';
import { createScratchSchema, dropScratchSchema } from '../../projections/rebuild';
import { Projector, type ProjectorOptions } from '../../projections/projector/projector';
import { projection, type Projection } from '../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { EventLog } from './support/event-log';
import { eventually } from './support/eventually';
import { InMemoryEventStore } from './support/in-memory-event-store';
import { createReadModelDatabase, READ_MODEL_TABLES, type ReadModelDatabase } from './support/read-model-database';
import { testCodec } from '../support/codec';
import { RecordingLogger } from './support/recording-logger';
import { Scenario } from './support/scenario';

describe('projector', () => {
  let db: ReadModelDatabase;
  let store: InMemoryEventStore;
  const running: Projector[] = [];

  const projector = (options: Partial<ProjectorOptions> = {}) => {
    const p = new Projector({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url, lockRetryMs: 20, retryDelayMs: { initial: 20, max: 100 }, lagLogMs: 0, ...options });
    running.push(p);
    return p;
  };

  /** The rows the read models should hold after `events`: the projections applied directly, in a scratch schema. */
  const expectedRows = async (events: readonly RecordedEvent[]) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS expected CASCADE');
      await createScratchSchema(client, 'expected', READ_MODEL_TABLES);
    } finally {
      await client.end();
    }
    await db.apply(events, { schema: 'expected', batchSize: 1 });
    const { projection_checkpoint: _ignored, ...rows } = await db.snapshot('expected');
    await dropScratchSchema(db.url, 'expected');
    return rows;
  };

  const liveRows = async () => {
    const { projection_checkpoint: _ignored, ...rows } = await db.snapshot();
    return rows;
  };

  const checkpoint = async () =>
    (await db.rows<{ position: string | null }>(`SELECT min(position)::text AS position FROM projection_checkpoint`))[0]?.position ?? undefined;

  beforeAll(async () => {
    db = await createReadModelDatabase();
  });

  beforeEach(async () => {
    await db.reset();
    store = new InMemoryEventStore();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });

  afterAll(async () => {
    await db.close();
  });

  it('applies the whole log to the read models and commits its checkpoint with them', async () => {
    const log = new EventLog();
    new Scenario(log, 7).generate(400);
    store.publish(log.events);
    const last = log.events[log.events.length - 1].position;
    const p = projector({ batchSize: 50 });

    await p.start();

    expect(await p.waitForPosition(last, 30_000)).toBe(true);
    expect(p.position()).toBe(last);
    expect(await checkpoint()).toBe(last.toString());
    expect(await liveRows()).toEqual(await expectedRows(log.events));
  });

  it('keeps projecting live events after catching up, and reports its lag', async () => {
    const log = new EventLog();
    new Scenario(log, 8).generate(50);
    store.publish(log.events);
    const p = projector();
    await p.start();
    await p.waitForPosition(log.events[log.events.length - 1].position, 30_000);

    const mark = log.events.length;
    const workerId = log.workerEnrolled({ fundingSource: 'SELF' });
    log.premiumPaid(workerId, { payer: { type: 'SELF' } });
    store.publish(log.since(mark));
    const last = log.events[log.events.length - 1];

    expect(await p.waitForPosition(last.position, 30_000)).toBe(true);
    expect(await db.rows(`SELECT status FROM worker_status WHERE worker_id = $1`, [workerId])).toEqual([{ status: 'ACTIVE' }]);
    expect(await p.lag()).toEqual({
      state: 'running',
      checkpoint: last.position.toString(),
      headPosition: last.position.toString(),
      caughtUp: true,
      lastEventAt: last.created.toISOString(),
      lastEventAgeMs: expect.any(Number),
    });
  });

  it('answers waitForPosition false when the position is not reached in time', async () => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    store.publish(log.events);
    const p = projector();
    await p.start();

    expect(await p.waitForPosition(log.events[0].position + 1000n, 50)).toBe(false);
  });

  it.each([
    ['throws', async () => Promise.reject(new Error('projection bug'))],
    ['loses its database connection', async (db: { query: (sql: string) => Promise<unknown> }) => db.query('SELECT pg_terminate_backend(pg_backend_pid())')],
  ])('leaves no partial rows and no checkpoint move when a projection in the middle of a batch %s', async (_how, fail) => {
    const log = new EventLog();
    log.opdRegistered('DINKES');
    const sponsorId = log.sponsorRegistered('DINKES');
    const workerId = log.workerEnrolled({ sponsorId });
    const poisoned = log.premiumPaid(workerId, { payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES' });
    log.coverageLapsed(workerId);
    store.publish(log.events);
    const poison: Projection = projection({
      name: 'poison',
      canHandle: ['PremiumPaid'],
      tables: [],
      async handle(events, ctx) {
        if (events.some((e) => e.position === poisoned.position)) await fail(ctx.db);
      },
    });
    const logger = new RecordingLogger();
    const failing = projector({ projections: [...READ_MODEL_PROJECTIONS, poison], logger, batchSize: 100 });

    await failing.start();
    await eventually(() => logger.messages('error').length >= 2, 'the projector failing and retrying');
    await failing.stop();

    const { projection_checkpoint: checkpoints, ...rows } = await db.snapshot();
    expect(Object.values(rows).every((table) => table.length === 0)).toBe(true);
    expect(checkpoints).toEqual([]);

    const healthy = projector();
    await healthy.start();
    expect(await healthy.waitForPosition(log.events[log.events.length - 1].position, 30_000)).toBe(true);
    expect(await liveRows()).toEqual(await expectedRows(log.events));
  });

  it('continues from its checkpoint after a restart, and skips events at or below it when they come again', async () => {
    const log = new EventLog();
    const scenario = new Scenario(log, 9).generate(200);
    store.publish(log.events);
    const first = projector({ batchSize: 30 });
    await first.start();
    const firstLast = log.events[log.events.length - 1].position;
    await first.waitForPosition(firstLast, 30_000);
    await first.stop();

    const mark = log.events.length;
    scenario.generate(100);
    store.publish(log.since(mark));
    store.redeliverFromStart = true;
    const second = projector({ batchSize: 30 });
    await second.start();

    expect(await second.waitForPosition(log.events[log.events.length - 1].position, 30_000)).toBe(true);
    expect(store.subscriptions.map((s) => s.after)).toEqual([0n, firstLast]);
    expect(await liveRows()).toEqual(await expectedRows(log.events));
  });

  it('lets one projector work at a time: a second instance waits for the lock until the first stops', async () => {
    const log = new EventLog();
    const scenario = new Scenario(log, 10).generate(50);
    store.publish(log.events);
    const first = projector();
    await first.start();
    const secondLogger = new RecordingLogger();
    const second = projector({ logger: secondLogger });
    let secondLeads = false;
    const secondStarted = second.start().then(() => (secondLeads = true));

    await eventually(() => second.state === 'waiting-for-lock', 'the second projector waiting');
    let mark = log.events.length;
    scenario.generate(30);
    store.publish(log.since(mark));
    const head = log.events[log.events.length - 1].position;
    // A waiting instance still answers read-your-writes from the checkpoint the first one commits.
    expect(await second.waitForPosition(head, 30_000)).toBe(true);
    expect(await first.waitForPosition(head, 30_000)).toBe(true);
    expect(secondLeads).toBe(false);
    expect(store.subscriptions).toHaveLength(1);
    expect(secondLogger.entries).toContainEqual({
      level: 'info',
      msg: 'another projector holds the lock; waiting for it',
      obj: { holder: expect.objectContaining({ applicationName: 'asuh-projector-lock' }) },
    });

    await first.stop();
    await secondStarted;
    expect(second.state).toBe('running');
    mark = log.events.length;
    scenario.generate(30);
    store.publish(log.since(mark));

    expect(await second.waitForPosition(log.events[log.events.length - 1].position, 30_000)).toBe(true);
    expect(store.subscriptions.map((s) => s.after)).toEqual([0n, head]);
    expect(await liveRows()).toEqual(await expectedRows(log.events));
  });
});
