import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { WrongExpectedRevisionError } from '../../src/event-store/event-store.port';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { consume, describeEventStoreContract, expectWrongRevision, newEvent, uniqueStream } from './event-store.contract';

describeEventStoreContract(
  'PostgresEventStore',
  async () => {
    const db = await createTestDatabase();
    const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 200 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await db.drop();
      },
    };
  },
  ({ store }) => {
    describe('appending to several streams at once, one stream named twice', () => {
      it('appends its parts one after the other, the later part at the revision the earlier one left', async () => {
        const streamId = uniqueStream('twice');
        const other = uniqueStream('twice-other');
        const results = await store().appendToStreams!([
          { streamId, events: [newEvent('A'), newEvent('B')], expectedRevision: 'no_stream' },
          { streamId: other, events: [newEvent('X')], expectedRevision: 'no_stream' },
          { streamId, events: [newEvent('C')], expectedRevision: 1n },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 0n, 2n]);
        expect(results[2].position > results[1].position && results[1].position > results[0].position).toBe(true);
        const events = await store().readStream(streamId);
        expect(events.map((e) => [e.revision, e.type])).toEqual([
          [0n, 'A'],
          [1n, 'B'],
          [2n, 'C'],
        ]);
      });

      it('writes nothing when the later part expects a revision the earlier part does not leave', async () => {
        const streamId = uniqueStream('twice-wrong');
        await expectWrongRevision(
          store().appendToStreams!([
            { streamId, events: [newEvent('A')], expectedRevision: 'no_stream' },
            { streamId, events: [newEvent('B')], expectedRevision: 5n },
          ]),
          streamId,
          'no_stream',
          0n,
        );
        expect(await store().readStream(streamId)).toEqual([]);
      });
    });
  },
);

// The same contract with one append statement in flight at a time: concurrent appends then share statements.
describeEventStoreContract('PostgresEventStore (one append statement at a time)', async () => {
  const db = await createTestDatabase();
  const store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 200, maxConcurrentAppends: 1 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL event store: concurrent appends written in one statement', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await PostgresEventStore.connect(db.url, { maxConcurrentAppends: 1 });
  });

  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('each succeed or fail on their own: a wrong expected revision refuses only that append', async () => {
    const existing = uniqueStream('shared-existing');
    await store.appendToStream(existing, [newEvent()], 'no_stream');
    const streams = Array.from({ length: 4 }, (_, i) => uniqueStream(`shared-${i}`));

    // Issued together while the first statement is in flight, the rest wait and share the next one.
    const outcomes = await Promise.allSettled([
      store.appendToStream(streams[0], [newEvent('Alone')], 'no_stream'),
      store.appendToStream(streams[1], [newEvent('Shared')], 'no_stream'),
      store.appendToStream(existing, [newEvent('WrongRevision')], 5n),
      store.appendToStreams([
        { streamId: streams[2], events: [newEvent('Shared'), newEvent('Shared')], expectedRevision: 'no_stream' },
        { streamId: streams[3], events: [newEvent('Shared')], expectedRevision: 'no_stream' },
      ]),
      store.appendToStreams([
        { streamId: uniqueStream('shared-refused'), events: [newEvent('Refused')], expectedRevision: 'no_stream' },
        { streamId: existing, events: [newEvent('Refused')], expectedRevision: 'no_stream' },
      ]),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ streamId: existing, expected: 5n, actual: 0n });
    expect((outcomes[4] as PromiseRejectedResult).reason).toMatchObject({ streamId: existing, expected: 'no_stream', actual: 0n });
    expect(await store.readStream(existing)).toHaveLength(1);

    const [alone, one, two, three] = await Promise.all(streams.map((streamId) => store.readStream(streamId)));
    expect([alone, one, two, three].map((events) => events.map((e) => e.revision))).toEqual([[0n], [0n], [0n, 1n], [0n]]);
    expect((outcomes[3] as PromiseFulfilledResult<unknown>).value).toEqual([
      { nextExpectedRevision: 1n, position: two[1].position },
      { nextExpectedRevision: 0n, position: three[0].position },
    ]);
    expect(await transactionsOf(db.url, streams.slice(1))).toHaveLength(1);
  });

  it('each succeed or fail on their own: an event id used before refuses only that append', async () => {
    const used = newEvent('Used');
    await store.appendToStream(uniqueStream('used'), [used], 'no_stream');
    const streams = Array.from({ length: 4 }, (_, i) => uniqueStream(`reuse-${i}`));

    const outcomes = await Promise.allSettled([
      store.appendToStream(streams[0], [newEvent()], 'no_stream'),
      store.appendToStream(streams[1], [newEvent()], 'no_stream'),
      store.appendToStream(streams[2], [{ ...used }], 'no_stream'),
      store.appendToStream(streams[3], [newEvent()], 'no_stream'),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).not.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(streams[2])).toEqual([]);
    expect((await Promise.all([0, 1, 3].map((i) => store.readStream(streams[i])))).map((events) => events.length)).toEqual([1, 1, 1]);
  });

  it('put waiting appends to distinct streams into one transaction, in the order they were made', async () => {
    const streams = Array.from({ length: 5 }, (_, i) => uniqueStream(`together-${i}`));
    const results = await Promise.all(streams.map((streamId) => store.appendToStream(streamId, [newEvent()], 'no_stream')));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ stream_id: string; transaction_id: string }>(
        'SELECT stream_id, transaction_id::text FROM event_store.events WHERE stream_id = ANY($1) ORDER BY position',
        [streams],
      );
      expect(rows.map((r) => r.stream_id)).toEqual(streams);
      // The first went alone; the four that waited for it share one transaction.
      expect(new Set(rows.slice(1).map((r) => r.transaction_id)).size).toBe(1);
      expect(rows[0].transaction_id).not.toBe(rows[1].transaction_id);
    } finally {
      await client.end();
    }
    expect(results.map((r) => r.position)).toEqual([...results.map((r) => r.position)].sort((a, b) => (a < b ? -1 : 1)));
  });
});

describe('PostgreSQL event store: a database written by the schema with a streams table', () => {
  it('upgrades at connect: every stream continues at its revision, the streams table is gone, and a second connect changes nothing', async () => {
    const db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      // The shape the adapter created before the revision check moved onto the events' unique key.
      await client.query(`
        CREATE SCHEMA event_store;
        CREATE TABLE event_store.streams (stream_id text PRIMARY KEY, revision bigint NOT NULL);
        CREATE TABLE event_store.events (
          position bigint PRIMARY KEY, transaction_id xid8 NOT NULL, stream_id text NOT NULL, revision bigint NOT NULL,
          event_id uuid NOT NULL UNIQUE, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
          created timestamptz NOT NULL DEFAULT clock_timestamp(),
          CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision));
        INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
        SELECT pg_current_xact_id()::text::bigint * 1048576 + r + 1, pg_current_xact_id(), 'worker-old', r, gen_random_uuid(), 'Old', '{}', '{}'
          FROM generate_series(0, 2) AS r;
        INSERT INTO event_store.streams VALUES ('worker-old', 2);`);

      const first = await PostgresEventStore.connect(db.url);
      await expectWrongRevision(first.appendToStream('worker-old', [newEvent()], 'no_stream'), 'worker-old', 'no_stream', 2n);
      await expectWrongRevision(first.appendToStream('worker-old', [newEvent()], 1n), 'worker-old', 1n, 2n);
      expect(await first.appendToStream('worker-old', [newEvent()], 2n)).toMatchObject({ nextExpectedRevision: 3n });
      await first.close();

      const second = await PostgresEventStore.connect(db.url);
      expect(await second.appendToStream('worker-old', [newEvent(), newEvent()], 3n)).toMatchObject({ nextExpectedRevision: 5n });
      expect((await second.readStream('worker-old')).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      await second.close();

      const { rows } = await client.query(`SELECT to_regclass('event_store.streams') AS streams`);
      expect(rows[0].streams).toBeNull();
    } finally {
      await client.end();
      await db.drop();
    }
  });
});

describe('PostgreSQL event store: what readers wait for', () => {
  it('a writing transaction in flight in this database holds readers back; one in another database, or of a session that never appends, does not', async () => {
    const db = await createTestDatabase();
    const elsewhere = await createTestDatabase();
    const store = await PostgresEventStore.connect(db.url);
    const inOtherDatabase = new Client({ connectionString: elsewhere.url });
    const inThisDatabase = new Client({ connectionString: db.url });
    await inOtherDatabase.connect();
    await inThisDatabase.connect();
    try {
      // A transaction of another database with a transaction id older than any append below, left open.
      await inOtherDatabase.query('BEGIN');
      await inOtherDatabase.query('SELECT pg_current_xact_id()');
      const streamId = uniqueStream('visible');
      await store.appendToStream(streamId, [newEvent('First')], 'no_stream');
      expect((await store.readAll()).map((e) => e.type)).toEqual(['First']);

      // One of this database could still commit events that sort before the next append: wait for it.
      await inThisDatabase.query('BEGIN');
      await inThisDatabase.query('SELECT pg_current_xact_id()');
      await store.appendToStream(streamId, [newEvent('Second')], 0n);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['First']);
      await inThisDatabase.query('COMMIT');
      expect((await store.readAll()).map((e) => e.type)).toEqual(['First', 'Second']);

      // A projector batch writing read models in this database never appends: it does not hold readers back.
      const projectorSession = new Client({ connectionString: db.url, application_name: 'asuh-projector' });
      await projectorSession.connect();
      try {
        await projectorSession.query('BEGIN');
        await projectorSession.query('SELECT pg_current_xact_id()');
        await store.appendToStream(streamId, [newEvent('Third')], 1n);
        expect((await store.readAll()).map((e) => e.type)).toEqual(['First', 'Second', 'Third']);
      } finally {
        await projectorSession.query('ROLLBACK').catch(() => undefined);
        await projectorSession.end();
      }
    } finally {
      await inOtherDatabase.query('ROLLBACK').catch(() => undefined);
      await inOtherDatabase.end();
      await inThisDatabase.end();
      await store.close();
      await db.drop();
      await elsewhere.drop();
    }
  });
});

describe('PostgreSQL event store: subscribers in another process', () => {
  it('hear of every append through NOTIFY, also of appends that fall within the interval between two notifications', async () => {
    const db = await createTestDatabase();
    const writer = await PostgresEventStore.connect(db.url, { notifyIntervalMs: 200 });
    // Polling so rare that only a notification can wake this subscription within the test's time.
    const reader = await PostgresEventStore.connect(db.url, { pollIntervalMs: 3_600_000 });
    const subscription = reader.subscribeToAll();
    try {
      const { reachedCondition } = consume(subscription, (received) => received.length === 3);
      await subscription.caughtUp;
      // The listener connects on the first subscription; wait until it listens before appending.
      await waitForListener(db.url);
      const streamId = uniqueStream('notified');
      await writer.appendToStream(streamId, [newEvent('First')], 'no_stream');
      await writer.appendToStream(streamId, [newEvent('Second')], 0n);
      await writer.appendToStream(streamId, [newEvent('Third')], 1n);
      await reachedCondition;
    } finally {
      await subscription.unsubscribe();
      await reader.close();
      await writer.close();
      await db.drop();
    }
  });
});

/** The distinct transaction ids that wrote the given streams' events. */
async function transactionsOf(url: string, streams: string[]): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ transaction_id: string }>(
      'SELECT DISTINCT transaction_id::text FROM event_store.events WHERE stream_id = ANY($1)',
      [streams],
    );
    return rows.map((r) => r.transaction_id);
  } finally {
    await client.end();
  }
}

async function waitForListener(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'asuh-event-store-listener' AND query LIKE 'LISTEN%'`,
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}
