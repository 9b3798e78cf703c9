import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { RecordedEvent } from '../../src/event-store/event-store.port';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const event = (type: string) => ({ id: randomUUID(), type, data: { type }, metadata: {} });

describe('PostgreSQL event store: transactions committing out of order', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('delivers both events to a live subscriber when the later insert commits first', async () => {
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll();
    const consuming = (async () => {
      for await (const e of subscription) {
        received.push(e);
        if (received.length === 2) break;
      }
    })();
    await subscription.caughtUp;

    const first = new Client({ connectionString: db.url });
    const second = new Client({ connectionString: db.url });
    await Promise.all([first.connect(), second.connect()]);
    // `first` inserts before `second` but commits after it.
    await first.query('BEGIN');
    await first.query(`SELECT * FROM event_store.append_events('out-of-order-a', 'no_stream', $1::jsonb)`, [JSON.stringify([event('InsertedFirst')])]);
    await second.query('BEGIN');
    await second.query(`SELECT * FROM event_store.append_events('out-of-order-b', 'no_stream', $1::jsonb)`, [JSON.stringify([event('InsertedSecond')])]);
    await second.query('COMMIT');

    // While `first` is still open, a whole-log read must not pass the position it may still take.
    const visibleWhileOpen = await store.readAll();
    expect(visibleWhileOpen.map((e) => e.type)).toEqual([]);

    await first.query('COMMIT');
    await Promise.all([first.end(), second.end()]);
    await consuming;
    await subscription.unsubscribe();

    expect(received.map((e) => e.type).sort()).toEqual(['InsertedFirst', 'InsertedSecond']);
    expect(received[0].position < received[1].position).toBe(true);
    const all = await store.readAll();
    expect(all.map((e) => e.position)).toEqual(received.map((e) => e.position));
  });
});
