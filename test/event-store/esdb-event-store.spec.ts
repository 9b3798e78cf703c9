/**
 * The event-store contract against the EventStoreDB adapter, then what only EventStoreDB has.
 *
 * With EVENTSTORE_URL set, the contract runs against that real server (credentials and TLS come from the
 * URL, e.g. `esdb://admin:changeit@localhost:2113?tls=true&tlsCAFile=certs/ca/ca.crt`). Without it (the
 * usual case here: no EventStoreDB can be installed on these machines), it runs against the in-process
 * gRPC emulator, shaped like a current server (BatchAppend, CaughtUp), like an older one (plain Append, no
 * CaughtUp), and like a secure one (TLS, credentials, ACLs), with system events written between the tests'
 * events. Emulator results say nothing about a real server beyond what the emulator reproduces; see
 * docs/eventstoredb.md for what was and was not verified.
 *
 * The blocks marked "(gRPC emulator control)" need what no real server does on demand (an append that
 * times out after being written, a legacy transaction, a stopped server): they always run on the emulator.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EsdbEventStore, EsdbEventStoreOptions } from '../../src/event-store/eventstoredb/esdb-event-store';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  EventStoreUnavailableError,
  RecordedEvent,
} from '../../src/event-store/event-store.port';
import { EsdbEmulator, EsdbEmulatorOptions, startEsdbEmulator } from '../esdb-emulator';
import { consume, describeEventStoreContract, EventStoreUnderTest, newEvent, uniqueStream } from './event-store.contract';

const realServerUrl = process.env.EVENTSTORE_URL;
/** A busy log: stats every 20 ms and `$>` links after every event, so system events sit between the tests' events. */
const NOISY: EsdbEmulatorOptions = { statsPeriodMs: 20, systemProjections: true };

if (realServerUrl) {
  console.log(`EventStoreDB contract: running against real server at ${redact(realServerUrl)}`);
  describeEventStoreContract('EsdbEventStore (real EventStoreDB server)', async () => {
    const store = await EsdbEventStore.connect(realServerUrl);
    return { store, cleanup: () => store.close() };
  });
} else {
  console.log(
    'EventStoreDB contract: EVENTSTORE_URL not set, running against the gRPC emulator (not a real server)',
  );
  describeEventStoreContract('EsdbEventStore (gRPC emulator, 24.10-like: BatchAppend, CaughtUp)', () =>
    withEmulator({ ...NOISY }),
  );
  describeEventStoreContract('EsdbEventStore (gRPC emulator, 20.10-like: Append, no CaughtUp)', () =>
    withEmulator({ ...NOISY, batchAppend: false, caughtUpMessages: false }),
  );
  describeEventStoreContract('EsdbEventStore (gRPC emulator, secure: TLS, admin credentials, ACLs)', () =>
    withEmulator({ ...NOISY, secure: true }),
  );
}

async function withEmulator(options: EsdbEmulatorOptions): Promise<EventStoreUnderTest> {
  const emulator = await startEsdbEmulator(options);
  const store = await EsdbEventStore.connect(emulator.url);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await emulator.stop();
    },
  };
}

/** Runs `body` with a fresh emulator and an adapter on it, closing both afterwards. */
async function onEmulator(
  options: EsdbEmulatorOptions,
  body: (store: EsdbEventStore, emulator: EsdbEmulator) => Promise<void>,
  storeOptions?: EsdbEventStoreOptions,
): Promise<void> {
  const emulator = await startEsdbEmulator(options);
  const store = await EsdbEventStore.connect(emulator.url, storeOptions);
  try {
    await body(store, emulator);
  } finally {
    await store.close();
    await emulator.stop();
  }
}

const ids = (events: { id: string }[]) => events.map((event) => event.id);

describe.each([
  ['BatchAppend', { batchAppend: true }],
  ['Append', { batchAppend: false }],
] as const)('EsdbEventStore when an append times out (gRPC emulator control, %s)', (_label, shape) => {
  it('after the server wrote it, re-sends it once and answers as if nothing had happened (exact revision)', async () => {
    await onEmulator(shape, async (store, emulator) => {
      const streamId = uniqueStream('deadline-written');
      await store.appendToStream(streamId, [newEvent()], 'no_stream');
      const events = [newEvent(), newEvent()];
      emulator.timeOutNextAppend({ written: true, streamId });

      const result = await store.appendToStream(streamId, events, 0n);

      const stored = await store.readStream(streamId);
      expect(ids(stored.slice(1))).toEqual(ids(events));
      expect(stored).toHaveLength(3);
      expect(result).toEqual({ nextExpectedRevision: 2n, position: stored[2].position });
    });
  });

  it('before the server wrote it, writes it on the retry', async () => {
    await onEmulator(shape, async (store, emulator) => {
      const streamId = uniqueStream('deadline-unwritten');
      const events = [newEvent()];
      emulator.timeOutNextAppend({ written: false, streamId });

      const result = await store.appendToStream(streamId, events, 'no_stream');

      const stored = await store.readStream(streamId);
      expect(ids(stored)).toEqual(ids(events));
      expect(result).toEqual({ nextExpectedRevision: 0n, position: stored[0].position });
    });
  });

  it('with any, finds a written append by reading back even when the server has forgotten its ids', async () => {
    // A 1-byte id cache: the server recognises no repeat of an `any` append, so a blind re-send would duplicate.
    await onEmulator({ ...shape, idempotencyCacheBytes: 1 }, async (store, emulator) => {
      const streamId = uniqueStream('deadline-any');
      await store.appendToStream(streamId, [newEvent()], 'any');
      const event = newEvent();
      emulator.timeOutNextAppend({ written: true, streamId });

      const result = await store.appendToStream(streamId, [event], 'any');

      const stored = await store.readStream(streamId);
      expect(stored.filter((recorded) => recorded.id === event.id)).toHaveLength(1);
      expect(result).toEqual({ nextExpectedRevision: 1n, position: stored[1].position });
    });
  });

  it('gives up with AppendOutcomeUnknownError when every attempt times out, never writing twice', async () => {
    await onEmulator(shape, async (store, emulator) => {
      const streamId = uniqueStream('deadline-always');
      const event = newEvent();
      emulator.timeOutNextAppend({ written: true, streamId });
      for (let i = 0; i < 10; i++) emulator.timeOutNextAppend({ written: false, streamId });

      const error = await store.appendToStream(streamId, [event], 'no_stream').catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect(error).toMatchObject({ streamId });
      expect(ids(await store.readStream(streamId))).toEqual([event.id]);
    });
  });
});

describe('EsdbEventStore and the server forgetting event ids (gRPC emulator)', () => {
  it('re-sending an any append after the server forgot its ids writes it again, as the server does', async () => {
    // Why the adapter reads back before re-sending an `any`/`stream_exists` append whose answer was lost.
    await onEmulator({ idempotencyCacheBytes: 1 }, async (store) => {
      const streamId = uniqueStream('forgotten');
      const event = newEvent();
      await store.appendToStream(streamId, [event], 'any');
      await store.appendToStream(streamId, [event], 'any');
      expect(ids(await store.readStream(streamId))).toEqual([event.id, event.id]);
    });
  });
});

describe('EsdbEventStore and the server append size limit (gRPC emulator)', () => {
  const sized = (count: number, kib: number) => Array.from({ length: count }, () => newEvent('Sized', { blob: 'y'.repeat(kib * 1024) }));

  it.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('refuses an atomic append over the limit the server reports, writing nothing (%s)', async (_label, batchAppend) => {
    await onEmulator({ batchAppend, maxAppendSize: 64 * 1024 }, async (store) => {
      const streamId = uniqueStream('limit');
      const error = await store.appendToStream(streamId, sized(4, 20), 'no_stream').catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(AppendTooLargeError);
      expect(error).toMatchObject({ streamId, limit: 64 * 1024 });
      expect((error as AppendTooLargeError).bytes).toBeGreaterThan(80 * 1024);
      expect(await store.readStream(streamId)).toEqual([]);
    });
  });

  it('splits a non-atomic append under a limit lower than it assumed, once the server has named it', async () => {
    await onEmulator({ maxAppendSize: 64 * 1024 }, async (store) => {
      const streamId = uniqueStream('limit-split');
      const events = sized(10, 20);
      const result = await store.appendToStream(streamId, events, 'no_stream', { atomic: false });
      const stored = await store.readStream(streamId);
      expect(ids(stored)).toEqual(ids(events));
      expect(result.nextExpectedRevision).toBe(9n);
    });
  });

  it('refuses a non-atomic append holding a single event over the limit before writing any of it', async () => {
    await onEmulator({ maxAppendSize: 64 * 1024 }, async (store) => {
      const streamId = uniqueStream('limit-single');
      const events = [...sized(2, 10), ...sized(1, 70)];
      const error = await store.appendToStream(streamId, events, 'no_stream', { atomic: false }).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(AppendTooLargeError);
      expect(await store.readStream(streamId)).toEqual([]);
    }, { maxAppendSize: 64 * 1024 });
  });
});

describe('EsdbEventStore with credentials (gRPC emulator, secure mode: TLS and ACLs)', () => {
  const appUser = { username: 'asuh', password: randomUUID() };
  let emulator: EsdbEmulator;

  beforeAll(async () => {
    emulator = await startEsdbEmulator({ secure: { users: { asuh: { password: appUser.password, groups: [] } } } });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  async function as(credentials: { username: string; password: string } | undefined, body: (store: EsdbEventStore) => Promise<void>) {
    const store = await EsdbEventStore.connect(emulator.urlFor(credentials));
    try {
      await body(store);
    } finally {
      await store.close();
    }
  }

  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  it('an admin writes, reads streams, reads and subscribes to $all', async () => {
    await as({ username: 'admin', password: 'changeit' }, async (store) => {
      const streamId = uniqueStream('secure-admin');
      const appended = await store.appendToStream(streamId, [newEvent()], 'no_stream');
      expect(ids(await store.readStream(streamId))).toHaveLength(1);
      expect((await store.readAll({ after: appended.position - 1n })).map((event) => event.position)).toContain(appended.position);
      const subscription = store.subscribeToAll();
      const consumer = consume(subscription, (received) => received.some((event) => event.streamId === streamId));
      await consumer.reachedCondition;
      await subscription.unsubscribe();
      await store.ping();
    });
  });

  it('a user outside $admins writes and reads its streams but is refused $all, saying why', async () => {
    await as(appUser, async (store) => {
      const streamId = uniqueStream('secure-user');
      await store.appendToStream(streamId, [newEvent()], 'no_stream');
      expect(await store.readStream(streamId)).toHaveLength(1);
      for (const refused of [refusal(store.readAll({ maxCount: 1 })), refusal(store.headPosition())]) {
        const error = await refused;
        expect(error).toBeInstanceOf(EventStoreUnavailableError);
        expect((error as Error).message).toMatch(/refused access.*\$all/s);
      }
      const subscription = store.subscribeToAll();
      const error = await refusal(consume(subscription, () => true).reachedCondition);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  it('$ops and other users read $all once the $$$all metadata grants them', async () => {
    const ops = { username: 'ops', password: 'changeit' };
    await as(ops, async (store) => expect(await refusal(store.readAll({ maxCount: 1 }))).toBeInstanceOf(EventStoreUnavailableError));
    emulator.setStreamMetadata('$all', { $acl: { $r: ['$admins', '$ops', appUser.username] } });
    for (const user of [ops, appUser]) {
      await as(user, async (store) => {
        const streamId = uniqueStream('secure-granted');
        const appended = await store.appendToStream(streamId, [newEvent()], 'no_stream');
        expect(await store.headPosition()).toBeGreaterThanOrEqual(appended.position);
      });
    }
  });

  it('without credentials, or with a wrong password, nothing is read or written', async () => {
    for (const credentials of [undefined, { username: 'admin', password: 'wrong' }]) {
      await as(credentials, async (store) => {
        for (const refused of [
          refusal(store.appendToStream(uniqueStream('secure-anonymous'), [newEvent()], 'no_stream')),
          refusal(store.readStream(uniqueStream('secure-anonymous'))),
          refusal(store.ping()),
        ]) {
          expect(await refused).toBeInstanceOf(EventStoreUnavailableError);
        }
      });
    }
  });
});

describe('EsdbEventStore and events sharing one commit position (gRPC emulator control: legacy transaction)', () => {
  /** X, then a transaction of three events on L committed after Y was written between its prepares, then Z. */
  async function scenario(store: EsdbEventStore, emulator: EsdbEmulator) {
    const start = await store.headPosition();
    const legacyStream = uniqueStream('legacy');
    const other = uniqueStream('legacy-other');
    const transaction = emulator.legacyTransaction(legacyStream);
    const legacy = [0, 1, 2].map((i) => ({ id: randomUUID(), type: `Legacy${i}`, data: { i } }));
    transaction.write(legacy.slice(0, 2));
    const x = await store.appendToStream(other, [newEvent('X')], 'no_stream');
    transaction.write(legacy.slice(2));
    emulator.collectStats();
    transaction.commit();
    const z = await store.appendToStream(other, [newEvent('Z')], 0n);
    const ours = (events: RecordedEvent[]) => events.filter((event) => event.streamId === legacyStream || event.streamId === other);
    return { start, legacyStream, legacy, x, z, ours };
  }

  it('gives each of them its own position, increasing in $all order, below the next event', async () => {
    await onEmulator(NOISY, async (store, emulator) => {
      const { start, legacy, x, z, ours } = await scenario(store, emulator);
      const events = ours(await store.readAll({ after: start }));
      expect(events.map((event) => event.type)).toEqual(['X', 'Legacy0', 'Legacy1', 'Legacy2', 'Z']);
      expect(ids(events.slice(1, 4))).toEqual(ids(legacy));
      const positions = events.map((event) => event.position);
      expect(positions[0]).toBe(x.position);
      expect(positions[4]).toBe(z.position);
      for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    });
  });

  it('readAll resumed after any of them continues with the next, skipping none', async () => {
    await onEmulator(NOISY, async (store, emulator) => {
      const { start, ours } = await scenario(store, emulator);
      const all = ours(await store.readAll({ after: start }));
      for (let i = 0; i < all.length - 1; i++) {
        const [next] = ours(await store.readAll({ after: all[i].position, maxCount: 1 }));
        expect(next.id).toBe(all[i + 1].id);
      }
    });
  });

  it('a subscription resumed from a checkpoint inside the transaction delivers exactly the rest', async () => {
    await onEmulator(NOISY, async (store, emulator) => {
      const { start, ours } = await scenario(store, emulator);
      const all = ours(await store.readAll({ after: start }));
      const checkpoint = all[2].position; // Legacy1 was handled
      const subscription = store.subscribeToAll({ after: checkpoint });
      const consumer = consume(subscription, (received) => ours(received).some((event) => event.type === 'Z'));
      await consumer.reachedCondition;
      await subscription.unsubscribe();
      const received = ours(await consumer.finished);
      expect(received.map((event) => [event.type, event.position])).toEqual(all.slice(3).map((event) => [event.type, event.position]));
    });
  });

  it('the head position is the last of them when the transaction ends the log', async () => {
    await onEmulator({}, async (store, emulator) => {
      const legacyStream = uniqueStream('legacy-head');
      const transaction = emulator.legacyTransaction(legacyStream);
      transaction.write([0, 1].map((i) => ({ type: `Legacy${i}`, data: { i } })));
      transaction.commit();
      emulator.scavenge();
      const [, last] = (await store.readAll()).filter((event) => event.streamId === legacyStream);
      expect(await store.headPosition()).toBe(last.position);
    });
  });

  it('reading their stream, where the server gives them no position, reports the head as an upper bound', async () => {
    await onEmulator({}, async (store, emulator) => {
      const { legacyStream, z } = await scenario(store, emulator);
      const fromStream = await store.readStream(legacyStream);
      const fromAll = (await store.readAll()).filter((event) => event.streamId === legacyStream);
      expect(ids(fromStream)).toEqual(ids(fromAll));
      for (const event of fromStream) expect(event.position).toBe(z.position);
    });
  });
});

describe('EsdbEventStore among system events (gRPC emulator control)', () => {
  it('skips stats, scavenges, stream metadata and links in reads, subscriptions and the head position', async () => {
    await onEmulator({ systemProjections: true }, async (store, emulator) => {
      const streamId = uniqueStream('system');
      const start = await store.headPosition();
      const first = await store.appendToStream(streamId, [newEvent('First')], 'no_stream');
      emulator.collectStats();
      emulator.setStreamMetadata(streamId, { $maxCount: 100 });
      emulator.scavenge();
      const second = await store.appendToStream(streamId, [newEvent('Second')], 0n);
      emulator.collectStats();
      emulator.scavenge();

      expect(await store.headPosition()).toBe(second.position);
      const read = await store.readAll({ after: start });
      expect(read.map((event) => [event.type, event.position])).toEqual([
        ['First', first.position],
        ['Second', second.position],
      ]);
      const subscription = store.subscribeToAll({ after: start });
      const consumer = consume(subscription, (received) => received.length >= 2);
      await consumer.reachedCondition;
      await subscription.caughtUp;
      await subscription.unsubscribe();
      expect((await consumer.finished).map((event) => event.type)).toEqual(['First', 'Second']);
    });
  });
});

describe('EsdbEventStore when no server answers', () => {
  let store: EsdbEventStore;

  beforeAll(async () => {
    store = await EsdbEventStore.connect(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
  });

  afterAll(async () => {
    await store.close();
  });

  it('reports EventStoreUnavailableError for writes, reads and pings', async () => {
    await expect(store.appendToStream(uniqueStream('down'), [newEvent()], 'no_stream')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await expect(store.readStream(uniqueStream('down'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});

describe('EsdbEventStore when a server accepts connections and never answers (ASUH_DB_TIMEOUT_MS)', () => {
  let store: EsdbEventStore;
  let silent: ReturnType<typeof createServer>;
  const held: import('node:net').Socket[] = [];

  beforeAll(async () => {
    // A TCP server that takes every connection and says nothing: a frozen node, or one behind a dead link.
    silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    store = await EsdbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: 300 });
  });

  afterAll(async () => {
    await store.close();
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('ends reads, pings and writes with EventStoreUnavailableError instead of waiting for ever', async () => {
    await expect(store.readStream(uniqueStream('silent'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.appendToStream(uniqueStream('silent'), [newEvent()], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});

describe('EsdbEventStore when the server goes away (gRPC emulator)', () => {
  it('ends a running subscription with EventStoreUnavailableError', async () => {
    const emulator = await startEsdbEmulator();
    const store = await EsdbEventStore.connect(emulator.url);
    try {
      await store.appendToStream(uniqueStream('gone'), [newEvent()], 'no_stream');
      const subscription = store.subscribeToAll();
      const outcome = (async () => {
        for await (const event of subscription) void event;
      })().then(
        () => 'ended without error',
        (error: unknown) => error,
      );
      await subscription.caughtUp;
      await emulator.stop();
      expect(await outcome).toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
      await emulator.stop();
    }
  });
});

describe('EsdbEventStore.close (gRPC emulator)', () => {
  it('leaves nothing running: a process that used the adapter exits on its own once it is closed', async () => {
    const emulator = await startEsdbEmulator();
    try {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'support', 'esdb-close-child.ts'), emulator.url], {
        env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(output).toContain('closed after appending, reading and subscribing');
      expect(code).toBe(0);
    } finally {
      await emulator.stop();
    }
  });
});

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
