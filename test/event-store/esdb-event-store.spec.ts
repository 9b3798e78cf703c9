/**
 * The event-store contract against the EventStoreDB adapter.
 *
 * With EVENTSTORE_URL set, it runs against that real server. Without it (the usual case here: no
 * EventStoreDB can be installed on these machines), it runs against the in-process gRPC emulator,
 * twice: once shaped like a current server (BatchAppend, CaughtUp messages) and once like an older
 * one (plain Append, no CaughtUp), so both client code paths and the caught-up fallback are covered.
 * Emulator results say nothing about a real server beyond what the emulator reproduces.
 */
import { createServer } from 'node:net';
import { EsdbEventStore } from '../../src/event-store/eventstoredb/esdb-event-store';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.port';
import { EsdbEmulatorOptions, startEsdbEmulator } from '../esdb-emulator';
import { describeEventStoreContract, EventStoreUnderTest, newEvent, uniqueStream } from './event-store.contract';

const realServerUrl = process.env.EVENTSTORE_URL;

if (realServerUrl) {
  console.log(`EventStoreDB contract: running against real server at ${realServerUrl}`);
  describeEventStoreContract('EsdbEventStore (real EventStoreDB server)', async () => {
    const store = await EsdbEventStore.connect(realServerUrl);
    return { store, cleanup: () => store.close() };
  });
} else {
  console.log(
    'EventStoreDB contract: EVENTSTORE_URL not set, running against the gRPC emulator (not a real server)',
  );
  describeEventStoreContract('EsdbEventStore (gRPC emulator, 23.10-like: BatchAppend, CaughtUp)', () =>
    withEmulator({}),
  );
  describeEventStoreContract('EsdbEventStore (gRPC emulator, 20.10-like: Append, no CaughtUp)', () =>
    withEmulator({ batchAppend: false, caughtUpMessages: false }),
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

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
