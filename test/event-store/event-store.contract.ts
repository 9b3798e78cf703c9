/**
 * The event-store contract: one suite that every adapter of `EventStore` must pass unchanged.
 *
 * Usage, in an adapter's spec file:
 *
 *   describeEventStoreContract('PostgresEventStore', async () => {
 *     const db = await createTestDatabase();
 *     const store = await PostgresEventStore.connect(db.url);
 *     return { store, cleanup: async () => { await store.close(); await db.drop(); } };
 *   });
 *
 * The factory runs once for the suite (beforeAll) and `cleanup` once after it (afterAll). Every test
 * writes to streams of its own (random suffix) and asserts relative to positions it captured, so
 * the log may hold anything else (other tests, other runs, system events of a real server).
 */
import { randomUUID } from 'node:crypto';
import {
  AllSubscription,
  AppendTooLargeError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
  formatPosition,
  parsePosition,
} from '../../src/event-store/event-store.port';

export interface EventStoreUnderTest {
  store: EventStore;
  /** Closes the store and removes whatever the factory created (database, server, …). */
  cleanup(): Promise<void>;
}

export type EventStoreFactory = () => Promise<EventStoreUnderTest>;

export interface EventStoreContractContext {
  /** The store the factory made; valid inside tests (not at describe time). */
  store(): EventStore;
}

/** Registers adapter-specific tests inside the same describe block, sharing the store. */
export type EventStoreContractExtra = (context: EventStoreContractContext) => void;

export function describeEventStoreContract(
  name: string,
  factory: EventStoreFactory,
  extra?: EventStoreContractExtra,
): void {
  describe(`${name} honours the event-store contract`, () => {
    let subject: EventStoreUnderTest | undefined;
    const store = (): EventStore => {
      if (!subject) throw new Error('The event store factory has not run (or failed)');
      return subject.store;
    };

    beforeAll(async () => {
      subject = await factory();
    });

    afterAll(async () => {
      await subject?.cleanup();
    });

    describe('expected revision', () => {
      it('no_stream succeeds on a new stream and fails on an existing one, reporting the actual revision', async () => {
        const streamId = uniqueStream('no-stream');
        const first = await store().appendToStream(streamId, [newEvent()], 'no_stream');
        expect(first.nextExpectedRevision).toBe(0n);

        await expectWrongRevision(store().appendToStream(streamId, [newEvent()], 'no_stream'), streamId, 'no_stream', 0n);
        expect(await store().readStream(streamId)).toHaveLength(1);
      });

      it('an exact revision succeeds when it is the last revision and fails otherwise, carrying the actual one', async () => {
        const streamId = uniqueStream('exact');
        await store().appendToStream(streamId, [newEvent(), newEvent()], 'no_stream');

        const next = await store().appendToStream(streamId, [newEvent()], 1n);
        expect(next.nextExpectedRevision).toBe(2n);

        await expectWrongRevision(store().appendToStream(streamId, [newEvent()], 1n), streamId, 1n, 2n);
        await expectWrongRevision(store().appendToStream(streamId, [newEvent()], 7n), streamId, 7n, 2n);
        expect(await store().readStream(streamId)).toHaveLength(3);
      });

      it('an exact revision on a stream that does not exist fails with actual no_stream', async () => {
        const streamId = uniqueStream('exact-missing');
        await expectWrongRevision(store().appendToStream(streamId, [newEvent()], 0n), streamId, 0n, 'no_stream');
        expect(await store().readStream(streamId)).toEqual([]);
      });

      it('any appends whether or not the stream exists', async () => {
        const streamId = uniqueStream('any');
        const first = await store().appendToStream(streamId, [newEvent()], 'any');
        const second = await store().appendToStream(streamId, [newEvent()], 'any');
        expect([first.nextExpectedRevision, second.nextExpectedRevision]).toEqual([0n, 1n]);
      });

      it('stream_exists fails on a missing stream and succeeds on an existing one', async () => {
        const streamId = uniqueStream('exists');
        await expectWrongRevision(
          store().appendToStream(streamId, [newEvent()], 'stream_exists'),
          streamId,
          'stream_exists',
          'no_stream',
        );
        await store().appendToStream(streamId, [newEvent()], 'no_stream');
        const result = await store().appendToStream(streamId, [newEvent()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('of 20 concurrent appends expecting the same revision exactly one wins; the others get the typed error', async () => {
        const streamId = uniqueStream('race');
        await store().appendToStream(streamId, [newEvent()], 'no_stream');
        const contenders = Array.from({ length: 20 }, () => newEvent('Contended'));

        const outcomes = await Promise.allSettled(
          contenders.map((event) => store().appendToStream(streamId, [event], 0n)),
        );

        const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [contenders[i]] : []));
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const error of losers) {
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId, expected: 0n, actual: 1n });
        }
        const events = await store().readStream(streamId);
        expect(events.map((event) => event.revision)).toEqual([0n, 1n]);
        expect(events[1].id).toBe(winners[0].id);
      });
    });

    describe('appending', () => {
      it('of 12 concurrent appends with any to one stream every one lands, at gapless revisions', async () => {
        const streamId = uniqueStream('any-race');
        await store().appendToStream(streamId, [newEvent()], 'no_stream');
        const contenders = Array.from({ length: 12 }, () => newEvent('Contended'));

        const results = await Promise.all(contenders.map((event) => store().appendToStream(streamId, [event], 'any')));

        expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => (a < b ? -1 : 1))).toEqual(
          Array.from({ length: 12 }, (_, i) => BigInt(i + 1)),
        );
        const events = await store().readStream(streamId);
        expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 13 }, (_, i) => BigInt(i)));
        expect(new Set(events.slice(1).map((event) => event.id))).toEqual(new Set(contenders.map((event) => event.id)));
      });

      it('gives the events of one append consecutive revisions, and the next append continues from there', async () => {
        const streamId = uniqueStream('batch');
        const batch = [newEvent('A'), newEvent('B'), newEvent('C')];
        const first = await store().appendToStream(streamId, batch, 'no_stream');
        const second = await store().appendToStream(streamId, [newEvent('D'), newEvent('E')], 2n);
        expect(first.nextExpectedRevision).toBe(2n);
        expect(second.nextExpectedRevision).toBe(4n);

        const events = await store().readStream(streamId);
        expect(events.map((event) => [event.revision, event.type])).toEqual([
          [0n, 'A'],
          [1n, 'B'],
          [2n, 'C'],
          [3n, 'D'],
          [4n, 'E'],
        ]);
        expectStrictlyIncreasing(events.map((event) => event.position));
        expect(first.position).toBe(events[2].position);
        expect(second.position).toBe(events[4].position);
      });

      it('stores id, type, data, metadata and creation time as given', async () => {
        const streamId = uniqueStream('roundtrip');
        const event: NewEvent = {
          id: randomUUID(),
          type: 'WorkerEnrolled',
          data: { nik: '3374010101900001', amount: 35000, nested: { ok: true, list: [1, 'two', null] }, text: 'Semarang é ✓' },
          metadata: { correlationId: randomUUID(), actor: 'test' },
        };
        const before = Date.now();
        await store().appendToStream(streamId, [event], 'no_stream');
        const after = Date.now();

        const [recorded] = await store().readStream(streamId);
        expect(recorded).toMatchObject({
          streamId,
          id: event.id,
          type: event.type,
          revision: 0n,
          data: event.data,
          metadata: event.metadata,
        });
        expect(recorded.created).toBeInstanceOf(Date);
        // Server clocks may differ from ours a little; a day rules out units mix-ups (ticks, seconds).
        expect(Math.abs(recorded.created.getTime() - (before + after) / 2)).toBeLessThan(24 * 3600 * 1000);
      });

      it('never duplicates an event when the same append is sent again', async () => {
        const streamId = uniqueStream('replay');
        const event = newEvent();
        await store().appendToStream(streamId, [event], 'no_stream');
        // Rejected (unique id, wrong revision) or acknowledged as idempotent: either way, stored once.
        await store()
          .appendToStream(streamId, [event], 'no_stream')
          .catch(() => undefined);
        const events = await store().readStream(streamId);
        expect(events.map((recorded) => recorded.id)).toEqual([event.id]);
      });
    });

    describe('reading a stream', () => {
      let streamId: string;
      let ids: string[];

      beforeAll(async () => {
        streamId = uniqueStream('read');
        const events = Array.from({ length: 5 }, (_, i) => newEvent(`E${i}`));
        ids = events.map((event) => event.id);
        await store().appendToStream(streamId, events.slice(0, 2), 'no_stream');
        await store().appendToStream(streamId, events.slice(2), 1n);
      });

      const revisions = (events: RecordedEvent[]) => events.map((event) => Number(event.revision));

      it('reads forwards from the start by default', async () => {
        const events = await store().readStream(streamId);
        expect(revisions(events)).toEqual([0, 1, 2, 3, 4]);
        expect(events.map((event) => event.id)).toEqual(ids);
        expect(events.every((event) => event.streamId === streamId)).toBe(true);
      });

      it('reads forwards from a revision (inclusive) with maxCount', async () => {
        expect(revisions(await store().readStream(streamId, { fromRevision: 2n, maxCount: 2 }))).toEqual([2, 3]);
        expect(revisions(await store().readStream(streamId, { fromRevision: 3n }))).toEqual([3, 4]);
        expect(revisions(await store().readStream(streamId, { maxCount: 1 }))).toEqual([0]);
        expect(await store().readStream(streamId, { fromRevision: 5n })).toEqual([]);
      });

      it('reads backwards from the end by default, and from a revision (inclusive) with maxCount', async () => {
        expect(revisions(await store().readStream(streamId, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store().readStream(streamId, { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(
          revisions(await store().readStream(streamId, { direction: 'backwards', fromRevision: 3n, maxCount: 2 })),
        ).toEqual([3, 2]);
        expect(revisions(await store().readStream(streamId, { direction: 'backwards', fromRevision: 0n }))).toEqual([0]);
      });

      it('reads backwards from a revision past the end starting at the last event', async () => {
        expect(
          revisions(await store().readStream(streamId, { direction: 'backwards', fromRevision: 50n, maxCount: 2 })),
        ).toEqual([4, 3]);
      });

      it('returns an empty array for a stream that does not exist, in both directions', async () => {
        const missing = uniqueStream('missing');
        expect(await store().readStream(missing)).toEqual([]);
        expect(await store().readStream(missing, { direction: 'backwards', maxCount: 3 })).toEqual([]);
        expect(await store().readStream(missing, { fromRevision: 2n })).toEqual([]);
      });
    });

    describe('reading the whole log', () => {
      it('from a position returns exactly the later events, in order (after is exclusive)', async () => {
        const a = uniqueStream('all-a');
        const b = uniqueStream('all-b');
        const start = await store().headPosition();
        const first = await store().appendToStream(a, [newEvent('First')], 'no_stream');
        const second = await store().appendToStream(b, [newEvent('Second')], 'no_stream');
        const third = await store().appendToStream(a, [newEvent('Third'), newEvent('Fourth')], 0n);
        const ours = (events: RecordedEvent[]) => events.filter((event) => event.streamId === a || event.streamId === b);
        await untilReadable(store(), third.position);

        const fromStart = await store().readAll({ after: start });
        expect(ours(fromStart).map((event) => event.type)).toEqual(['First', 'Second', 'Third', 'Fourth']);
        expect(fromStart.every((event) => event.position > start)).toBe(true);
        expectStrictlyIncreasing(fromStart.map((event) => event.position));
        expect(ours(fromStart)[3].position).toBe(third.position);

        const afterFirst = await store().readAll({ after: first.position });
        expect(ours(afterFirst).map((event) => event.type)).toEqual(['Second', 'Third', 'Fourth']);
        expect(afterFirst.every((event) => event.position > first.position)).toBe(true);

        const oneAfterFirst = await store().readAll({ after: first.position, maxCount: 1 });
        expect(oneAfterFirst).toHaveLength(1);
        expect(oneAfterFirst[0].position).toBeGreaterThan(first.position);
        expect(oneAfterFirst[0].position).toBeLessThanOrEqual(second.position);

        const afterLast = await store().readAll({ after: third.position });
        expect(ours(afterLast)).toEqual([]);
      });

      it('contains no system events', async () => {
        const start = await store().headPosition();
        await store().appendToStream(uniqueStream('user'), [newEvent()], 'no_stream');
        const last = await store().appendToStream(uniqueStream('user'), [newEvent()], 'no_stream');
        await untilReadable(store(), last.position);
        const events = await store().readAll({ after: start });
        expect(events.length).toBeGreaterThanOrEqual(2);
        expect(events.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);
      });

      it('reports a head position at least as far as the last append', async () => {
        const result = await store().appendToStream(uniqueStream('head'), [newEvent()], 'no_stream');
        expect(await store().headPosition()).toBeGreaterThanOrEqual(result.position);
      });
    });

    describe('subscribing to the whole log', () => {
      it('delivers history after the start position, then live events, in order', async () => {
        const streamId = uniqueStream('subscription');
        const start = await store().headPosition();
        await store().appendToStream(streamId, [newEvent('History1')], 'no_stream');
        await store().appendToStream(streamId, [newEvent('History2')], 0n);

        const subscription = store().subscribeToAll({ after: start });
        const consumer = consume(subscription, (received) => ofStream(received, streamId).length >= 4);

        await subscription.caughtUp;
        await store().appendToStream(streamId, [newEvent('Live1')], 1n);
        await store().appendToStream(streamId, [newEvent('Live2')], 2n);
        await consumer.reachedCondition;
        await subscription.unsubscribe();
        const received = await consumer.finished;

        expect(ofStream(received, streamId).map((event) => event.type)).toEqual(['History1', 'History2', 'Live1', 'Live2']);
        expect(received.every((event) => event.position > start)).toBe(true);
        expect(received.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);
        expectStrictlyIncreasing(received.map((event) => event.position));
      });

      it('starting at the head catches up at once and then delivers only new events', async () => {
        const streamId = uniqueStream('live');
        await store().appendToStream(streamId, [newEvent('Before')], 'no_stream');
        const head = await store().headPosition();

        const subscription = store().subscribeToAll({ after: head });
        const consumer = consume(subscription, (received) => ofStream(received, streamId).length >= 1);
        await subscription.caughtUp;
        const live = await store().appendToStream(streamId, [newEvent('After')], 0n);
        await consumer.reachedCondition;
        await subscription.unsubscribe();
        const received = await consumer.finished;

        expect(ofStream(received, streamId).map((event) => [event.type, event.position])).toEqual([['After', live.position]]);
      });
    });

    describe('positions', () => {
      it('are exchanged as decimal strings that round-trip and order like the positions', async () => {
        const streamId = uniqueStream('positions');
        const results = [];
        for (let i = 0; i < 3; i++) {
          results.push(await store().appendToStream(streamId, [newEvent()], i === 0 ? 'no_stream' : BigInt(i - 1)));
        }
        const positions = results.map((result) => result.position);
        expectStrictlyIncreasing(positions);

        const texts = positions.map(formatPosition);
        for (const [i, text] of texts.entries()) {
          expect(text).toMatch(/^\d{1,20}$/);
          expect(parsePosition(text)).toBe(positions[i]);
        }
        const parsed = texts.map(parsePosition);
        expect(parsed[0] < parsed[1] && parsed[1] < parsed[2]).toBe(true);
      });

      it('the append result carries the position at which the last event is read back', async () => {
        const streamId = uniqueStream('append-position');
        const single = await store().appendToStream(streamId, [newEvent()], 'no_stream');
        const double = await store().appendToStream(streamId, [newEvent(), newEvent()], 0n);
        const events = await store().readStream(streamId);
        expect(single.position).toBe(events[0].position);
        expect(double.position).toBe(events[2].position);
        await untilReadable(store(), double.position);
        const fromLog = (await store().readAll({ after: single.position })).filter((event) => event.streamId === streamId);
        expect(fromLog.map((event) => event.position)).toEqual([events[1].position, events[2].position]);
      });
    });

    describe('appending to several streams at once (adapters that offer it)', () => {
      const many = () => {
        const append = store().appendToStreams;
        return append ? append.bind(store()) : undefined;
      };

      it('appends to every stream, each at its expected revision, in one commit order', async () => {
        const appendMany = many();
        if (!appendMany) return expect(store().appendToStreams).toBeUndefined();
        const a = uniqueStream('many-a');
        const b = uniqueStream('many-b');
        await store().appendToStream(b, [newEvent()], 'no_stream');
        const results = await appendMany([
          { streamId: a, events: [newEvent(), newEvent()], expectedRevision: 'no_stream' },
          { streamId: b, events: [newEvent()], expectedRevision: 0n },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 1n]);
        expect(results[1].position > results[0].position).toBe(true);
        const [readA, readB] = [await store().readStream(a), await store().readStream(b)];
        expect(readA.map((e) => e.position)).toEqual([readA[0].position, results[0].position]);
        expect(readB[1].position).toBe(results[1].position);
      });

      it('writes nothing at all when one expected revision fails, naming that stream', async () => {
        const appendMany = many();
        if (!appendMany) return expect(store().appendToStreams).toBeUndefined();
        const fresh = uniqueStream('many-fresh');
        const taken = uniqueStream('many-taken');
        await store().appendToStream(taken, [newEvent()], 'no_stream');
        await expectWrongRevision(
          appendMany([
            { streamId: fresh, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamId: taken, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
          taken,
          'no_stream',
          0n,
        );
        expect(await store().readStream(fresh)).toEqual([]);
        expect(await store().readStream(taken)).toHaveLength(1);
        // The failed attempt reserved nothing: the fresh stream can still be created.
        await expect(store().appendToStream(fresh, [newEvent()], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      });

      it('of concurrent multi-stream appends claiming the same new stream exactly one wins', async () => {
        const appendMany = many();
        if (!appendMany) return expect(store().appendToStreams).toBeUndefined();
        const claim = uniqueStream('many-claim');
        const attempts = Array.from({ length: 8 }, () =>
          appendMany([
            { streamId: claim, events: [newEvent()], expectedRevision: 'no_stream' },
            { streamId: uniqueStream('many-own'), events: [newEvent()], expectedRevision: 'no_stream' },
          ]).then(
            () => 'won',
            (error: unknown) => (error instanceof WrongExpectedRevisionError ? 'lost' : error),
          ),
        );
        const outcomes = await Promise.all(attempts);
        expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
      });
    });

    describe('appends larger than the store accepts at once (EventStoreDB: 1 MiB)', () => {
      /** Events of about 400 KiB each: three pass the EventStoreDB default limit. */
      const bulky = (count: number) => Array.from({ length: count }, (_, i) => newEvent(`Bulky${i}`, { blob: 'x'.repeat(400 * 1024) }));

      it('an atomic append is written whole or refused whole with AppendTooLargeError', async () => {
        const streamId = uniqueStream('too-large');
        const outcome = await store()
          .appendToStream(streamId, bulky(3), 'no_stream')
          .then(
            (result) => result,
            (error: unknown) => error,
          );
        const stored = await store().readStream(streamId);
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(AppendTooLargeError);
          expect(outcome).toMatchObject({ streamId });
          const { bytes, limit } = outcome as AppendTooLargeError;
          expect(bytes).toBeGreaterThan(limit);
          expect(stored).toEqual([]);
        } else {
          expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        }
      });

      it('a non-atomic append is written completely, in order, with consecutive revisions', async () => {
        const streamId = uniqueStream('bulk');
        await store().appendToStream(streamId, [newEvent('Before')], 'no_stream');
        const events = bulky(6);
        const result = await store().appendToStream(streamId, events, 0n, { atomic: false });

        const stored = await store().readStream(streamId);
        expect(stored.map((event) => event.id)).toEqual([stored[0].id, ...events.map((event) => event.id)]);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
        expect(stored[3].data).toEqual(events[2].data);
        expectStrictlyIncreasing(stored.map((event) => event.position));
        expect(result).toEqual({ nextExpectedRevision: 6n, position: stored[6].position });
      });

      it('a non-atomic append still checks the expected revision before writing anything', async () => {
        const streamId = uniqueStream('bulk-conflict');
        await store().appendToStream(streamId, [newEvent()], 'no_stream');
        await expectWrongRevision(store().appendToStream(streamId, bulky(4), 'no_stream', { atomic: false }), streamId, 'no_stream', 0n);
        expect(await store().readStream(streamId)).toHaveLength(1);
      });
    });

    describe('sending an append again (as after an answer that was lost)', () => {
      const resend = (streamId: string, events: NewEvent[], expected: ExpectedRevision) =>
        store()
          .appendToStream(streamId, events, expected)
          .then(
            (result) => result,
            (error: unknown) => error,
          );

      it('with the same exact revision: acknowledged with the first result, or refused; stored once', async () => {
        const streamId = uniqueStream('resend-exact');
        const first = newEvent();
        const later = [newEvent(), newEvent()];
        await store().appendToStream(streamId, [first], 'no_stream');
        const original = await store().appendToStream(streamId, later, 0n);
        await store().appendToStream(streamId, [newEvent('Afterwards')], 2n);

        const again = await resend(streamId, later, 0n);
        if (!(again instanceof Error)) expect(again).toEqual(original);
        const ids = (await store().readStream(streamId)).map((event) => event.id);
        expect(ids.slice(0, 3)).toEqual([first.id, ...later.map((event) => event.id)]);
        expect(ids).toHaveLength(4);
      });

      it('with any or stream_exists, right after: acknowledged with the first result, or refused; stored once', async () => {
        const streamId = uniqueStream('resend-any');
        const event = newEvent();
        const original = await store().appendToStream(streamId, [event], 'any');
        const other = newEvent();
        const originalOther = await store().appendToStream(streamId, [other], 'stream_exists');

        const again = await resend(streamId, [event], 'any');
        if (!(again instanceof Error)) expect(again).toEqual(original);
        const otherAgain = await resend(streamId, [other], 'stream_exists');
        if (!(otherAgain instanceof Error)) expect(otherAgain).toEqual(originalOther);
        expect((await store().readStream(streamId)).map((recorded) => recorded.id)).toEqual([event.id, other.id]);
      });
    });

    describe('reading a stream backwards from past its end', () => {
      it('starts at the last event and still returns up to maxCount events', async () => {
        const streamId = uniqueStream('backwards-past-end');
        await store().appendToStream(streamId, Array.from({ length: 30 }, (_, i) => newEvent(`E${i}`)), 'no_stream');
        const events = await store().readStream(streamId, { direction: 'backwards', fromRevision: 60n, maxCount: 20 });
        expect(events.map((event) => Number(event.revision))).toEqual(Array.from({ length: 20 }, (_, i) => 29 - i));
      });
    });

    describe('walking the whole log from position to position', () => {
      it('one event at a time visits every event once, in commit order', async () => {
        const a = uniqueStream('walk-a');
        const b = uniqueStream('walk-b');
        const start = await store().headPosition();
        const written = [newEvent('W1'), newEvent('W2'), newEvent('W3'), newEvent('W4'), newEvent('W5')];
        await store().appendToStream(a, written.slice(0, 2), 'no_stream');
        await store().appendToStream(b, written.slice(2, 3), 'no_stream');
        const last = await store().appendToStream(a, written.slice(3), 1n);

        const visited: RecordedEvent[] = [];
        let cursor = start;
        while (cursor < last.position) {
          const [next] = await store().readAll({ after: cursor, maxCount: 1 });
          if (!next) {
            // A store may hold back events behind a transaction still in flight (PostgreSQL); they come.
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          expect(next.position).toBeGreaterThan(cursor);
          visited.push(next);
          cursor = next.position;
        }
        const ours = visited.filter((event) => event.streamId === a || event.streamId === b);
        expect(ours.map((event) => event.id)).toEqual(written.map((event) => event.id));
        expect(cursor).toBe(last.position);
      });

      it('from the very beginning holds no system events', async () => {
        const events = await store().readAll({ maxCount: 50 });
        expect(events.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);
      });
    });

    it('answers a ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    extra?.({ store });
  });
}

// ------------------------------------------------------------------ helpers

export function uniqueStream(label: string): string {
  return `contract${label.replace(/-/g, '')}-${randomUUID().replace(/-/g, '')}`;
}

export function newEvent(type = 'ContractTested', data: Record<string, unknown> = {}): NewEvent {
  return { id: randomUUID(), type, data: { ...data, at: new Date().toISOString() }, metadata: { source: 'contract' } };
}

export async function expectWrongRevision(
  append: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

/**
 * Waits until the whole log shows the event at `position` (and with it everything before it). EventStoreDB
 * shows an event as soon as its append returns; the PostgreSQL adapter once no transaction that began
 * before it is still running anywhere on the server (see postgres-event-store.schema.ts), which on a server
 * shared with other work can be a moment later. The test's own timeout ends a wait that never succeeds.
 */
export async function untilReadable(store: EventStore, position: bigint): Promise<void> {
  while (!(await store.readAll({ after: position - 1n, maxCount: 1 })).some((event) => event.position === position)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (!(positions[i] > positions[i - 1])) {
      throw new Error(`Positions not strictly increasing at ${i}: ${positions.map(String).join(', ')}`);
    }
  }
}

function ofStream(events: RecordedEvent[], streamId: string): RecordedEvent[] {
  return events.filter((event) => event.streamId === streamId);
}

/**
 * Iterates a subscription in the background (adapters make progress only while iterated).
 * `reachedCondition` resolves when `until` first holds (and rejects if the iteration ends or fails
 * before that); `finished` resolves with everything received once the iteration has ended.
 */
export function consume(
  subscription: AllSubscription,
  until: (received: RecordedEvent[]) => boolean,
): { reachedCondition: Promise<void>; finished: Promise<RecordedEvent[]> } {
  const received: RecordedEvent[] = [];
  let reached!: () => void;
  let failed!: (error: unknown) => void;
  const reachedCondition = new Promise<void>((resolve, reject) => {
    reached = resolve;
    failed = reject;
  });
  reachedCondition.catch(() => undefined);
  const finished = (async () => {
    try {
      for await (const event of subscription) {
        received.push(event);
        if (until(received)) reached();
      }
      failed(new Error(`Subscription ended before the expected events arrived (received ${received.length})`));
    } catch (error) {
      failed(error);
      throw error;
    }
    return received;
  })();
  finished.catch(() => undefined);
  return { reachedCondition, finished };
}
