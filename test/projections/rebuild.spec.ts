import { Client } from 'pg';
import { readCitySummary } from '../../projections/city-summary/city-summary.query';
import { createReadModelDataSource } from '../../projections/data-source';
import { LOCK_NAMESPACE, LockKey } from '../../projections/advisory-locks';
import { projection } from '../../projections/projection';
import { Projector } from '../../projections/projector/projector';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
import { readOpdParticipation } from '../../projections/opd-participation/opd-participation.query';
import { workerStatusProjection } from '../../projections/worker-status/worker-status.projection';
import {
  createScratchSchema,
  dropScratchSchema,
  rebuildReadModels,
  replayIntoScratchSchema,
  type RebuildProgress,
} from '../../projections/rebuild';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { EventLog } from './support/event-log';
import { eventually } from './support/eventually';
import { InMemoryEventStore } from './support/in-memory-event-store';
import { createReadModelDatabase, READ_MODEL_TABLES, type ReadModelDatabase } from './support/read-model-database';
import { testCodec } from '../support/codec';
import { Scenario } from './support/scenario';

describe('blue-green rebuild of the read models', () => {
  let db: ReadModelDatabase;
  let store: InMemoryEventStore;
  let projector: Projector | undefined;

  /** The read models `events` should give: the projections applied directly, in a scratch schema. */
  const expectedRows = async (events: readonly RecordedEvent[]) => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS expected CASCADE');
      await createScratchSchema(client, 'expected', READ_MODEL_TABLES);
    } finally {
      await client.end();
    }
    await db.apply(events, { schema: 'expected', batchSize: 33 });
    const { projection_checkpoint: _ignored, ...rows } = await db.snapshot('expected');
    await dropScratchSchema(db.url, 'expected');
    return rows;
  };

  const rowsIn = async (schema = 'public') => {
    const { projection_checkpoint: _ignored, ...rows } = await db.snapshot(schema);
    return rows;
  };

  const scratchSchemas = async () =>
    (await db.rows<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^(rebuild|retired|scratch|verify)_' ORDER BY 1`)).map((r) => r.nspname);

  const liveIndexes = async () =>
    (await db.rows<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.name);

  beforeAll(async () => {
    db = await createReadModelDatabase();
  });

  beforeEach(async () => {
    await db.reset();
    store = new InMemoryEventStore();
  });

  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
  });

  afterAll(async () => {
    await db.close();
  });

  it('rebuilds the same rows as incremental projection while readers keep reading and the projector keeps going', async () => {
    const log = new EventLog();
    const scenario = new Scenario(log, 42).generate(800);
    store.publish(log.events);
    // A live projector slower than the appends, so the switch usually lands while it still has events to
    // apply: after the switch its batches must skip what the rebuild applied and carry on from there.
    const unhurried = projection({
      name: 'unhurried',
      canHandle: ['PremiumPaid'],
      tables: [],
      handle: () => new Promise((resolve) => setTimeout(resolve, 5)),
    });
    projector = new Projector({
      eventStore: store,
      codec: testCodec(db.vault),
      databaseUrl: db.url,
      batchSize: 10,
      lagLogMs: 0,
      projections: [...READ_MODEL_PROJECTIONS, unhurried],
    });
    await projector.start();
    await projector.waitForPosition(log.events[log.events.length - 1].position, 30_000);
    const incremental = await rowsIn();
    const indexesBefore = await liveIndexes();
    const [tableBefore] = await db.rows<{ oid: number }>(`SELECT 'public.worker_status'::regclass::oid AS oid`);

    // Readers query the live read models all along; the log keeps growing during the rebuild.
    let rebuilding = true;
    const readerErrors: unknown[] = [];
    const seenRegistered: number[] = [];
    const reader = (async () => {
      while (rebuilding) {
        try {
          seenRegistered.push((await readCitySummary(db.pool)).workersRegistered);
        } catch (error) {
          readerErrors.push(error);
        }
      }
    })();
    let appending = true;
    const appender = (async () => {
      for (let round = 0; round < 40 && appending; round++) {
        const mark = log.events.length;
        scenario.generate(10);
        store.publish(log.since(mark));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const progress: RebuildProgress['phase'][] = [];

    const result = await rebuildReadModels({
      eventStore: store,
      codec: testCodec(db.vault),
      databaseUrl: db.url,
      batchSize: 100,
      onProgress: (p) => progress.push(p.phase),
    });
    appending = false;
    await appender;
    await eventually(() => seenRegistered.length > 3, 'readers reading after the switch');
    rebuilding = false;
    await reader;
    const head = log.events[log.events.length - 1].position;
    expect(await projector.waitForPosition(head, 30_000)).toBe(true);

    expect(readerErrors).toEqual([]);
    expect(seenRegistered.every((n, i) => n >= incremental.worker_status.length && (i === 0 || n >= seenRegistered[i - 1]))).toBe(true);
    expect(result.eventsReplayed).toBeGreaterThanOrEqual(800);
    expect(result.position).toBeLessThanOrEqual(head);
    expect(new Set(progress)).toEqual(new Set(['replay', 'switch', 'done']));
    const [tableAfter] = await db.rows<{ oid: number }>(`SELECT 'public.worker_status'::regclass::oid AS oid`);
    expect(tableAfter.oid).not.toBe(tableBefore.oid);
    expect(await rowsIn()).toEqual(await expectedRows(log.events));
    expect(await liveIndexes()).toEqual(indexesBefore);
    expect(await scratchSchemas()).toEqual([]);
  });

  it('rebuilds one read model alone: its tables are replaced, the others keep serving untouched and the projector goes on', async () => {
    const log = new EventLog();
    const scenario = new Scenario(log, 44).generate(400);
    store.publish(log.events);
    projector = new Projector({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url, batchSize: 25, lagLogMs: 0 });
    await projector.start();
    await projector.waitForPosition(log.events[log.events.length - 1].position, 30_000);
    const oids = async () =>
      Object.fromEntries(
        (await db.rows<{ relname: string; oid: number }>(`SELECT relname, oid::int FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`)).map((r) => [r.relname, r.oid]),
      );
    const before = await oids();
    const otherCheckpoints = async () =>
      db.rows(`SELECT name, position::text FROM projection_checkpoint WHERE name <> 'worker-status' ORDER BY name`);
    // The worker-status read model has drifted; the others are right.
    await db.rows(`UPDATE worker_status SET status = 'ENDED'`);
    await db.rows(`DELETE FROM worker_status_counts`);
    const othersBefore = await otherCheckpoints();

    let rebuilding = true;
    const readerErrors: unknown[] = [];
    const opdReads: number[] = [];
    const reader = (async () => {
      while (rebuilding) {
        try {
          opdReads.push((await readOpdParticipation(db.pool)).length);
        } catch (error) {
          readerErrors.push(error);
        }
      }
    })();
    const result = await rebuildReadModels({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url, projections: [workerStatusProjection] });
    rebuilding = false;
    await reader;

    const after = await oids();
    for (const table of ['worker_status', 'worker_status_counts', 'worker_status_sponsors']) expect({ table, replaced: after[table] !== before[table] }).toEqual({ table, replaced: true });
    for (const table of ['opd_participation', 'sponsor_summary', 'monthly_stats', 'contribution_ledger', 'projection_checkpoint']) {
      expect({ table, replaced: after[table] !== before[table] }).toEqual({ table, replaced: false });
    }
    expect(await otherCheckpoints()).toEqual(othersBefore);
    expect(readerErrors).toEqual([]);
    expect(opdReads.length).toBeGreaterThan(0);
    expect(result.eventsReplayed).toBeGreaterThan(0);

    // The live projector carries on for every read model, the rebuilt one included.
    const mark = log.events.length;
    scenario.generate(100);
    store.publish(log.since(mark));
    expect(await projector.waitForPosition(log.events[log.events.length - 1].position, 30_000)).toBe(true);
    expect(await rowsIn()).toEqual(await expectedRows(log.events));
    expect(await scratchSchemas()).toEqual([]);
  });

  it('leaves tables the migrations and entities still recognise, and repairs rows that had drifted', async () => {
    const log = new EventLog();
    new Scenario(log, 43).generate(200);
    store.publish(log.events);
    await db.apply(log.events);
    await db.rows(`UPDATE sponsor_summary SET workers_active = workers_active + 5`);
    await db.rows(`DELETE FROM contribution_ledger WHERE position IN (SELECT position FROM contribution_ledger LIMIT 3)`);

    await rebuildReadModels({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url });

    expect(await rowsIn()).toEqual(await expectedRows(log.events));
    const dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    try {
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('replays into a scratch schema of its own, up to a given position, without touching the live read models', async () => {
    const log = new EventLog();
    new Scenario(log, 44).generate(150);
    store.publish(log.events);
    const upTo = log.events[99].position;
    const before = await db.snapshot();

    const replay = await replayIntoScratchSchema({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url, upTo, batchSize: 40, prefix: 'verify' });

    expect(replay.schema).toMatch(/^verify_/);
    expect(replay).toMatchObject({ eventsReplayed: 100, position: upTo });
    expect(await rowsIn(replay.schema)).toEqual(await expectedRows(log.events.slice(0, 100)));
    expect(await db.snapshot()).toEqual(before);
    await dropScratchSchema(db.url, replay.schema);
    expect(await scratchSchemas()).toEqual([]);
  });

  it('refuses to run while another rebuild is running', async () => {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LockKey.REBUILD]);
      await expect(rebuildReadModels({ eventStore: store, codec: testCodec(db.vault), databaseUrl: db.url })).rejects.toThrow('Another rebuild of the read models is running');
    } finally {
      await other.end();
    }
  });
});
