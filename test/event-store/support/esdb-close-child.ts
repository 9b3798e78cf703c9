/**
 * Child process of the EsdbEventStore.close spec: uses the adapter against the emulator URL it is given,
 * closes it, and then must exit by itself (nothing left holding the event loop).
 */
import { randomUUID } from 'node:crypto';
import { EsdbEventStore } from '../../../src/event-store/eventstoredb/esdb-event-store';

async function main(url: string): Promise<void> {
  const store = await EsdbEventStore.connect(url);
  const streamId = `close-${randomUUID().replace(/-/g, '')}`;
  await store.appendToStream(streamId, [{ id: randomUUID(), type: 'Closing', data: {}, metadata: {} }], 'no_stream');
  await store.readStream(streamId);
  await store.readAll({ maxCount: 10 });
  const subscription = store.subscribeToAll();
  void (async () => {
    for await (const event of subscription) void event;
  })().catch(() => undefined);
  await subscription.caughtUp;
  await store.close();
  process.stdout.write('closed after appending, reading and subscribing\n');
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
