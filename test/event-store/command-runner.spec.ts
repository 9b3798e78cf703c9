import { CommandRunner } from '../../src/event-sourcing/command-runner';
import type { CommandContext } from '../../src/event-sourcing/event-metadata';
import { Sha256KeyHasher } from '../../src/event-sourcing/unique-keys';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { AppConfig } from '../../src/config/config';
import { DomainError } from '../../src/shared/domain-error';
import type { Aggregate } from '../../src/shared/domain-event';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import { type UcjEvent, ucjStream } from '../../src/ucj/ucj.events';
import { testCodec } from '../support/codec';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The command runner with no server-side retries: a history a handler read before its command's turn (the
 * payment handler reads the worker's stream beside the sponsor's) is re-read when a command of the same process
 * appended meanwhile, not refused as a concurrent write; a write of another process still is one.
 */
type Targets = { count: number; last: number | null };
const targets: Aggregate<Targets, UcjEvent> = {
  initialState: () => ({ count: 0, last: null }),
  evolve: (state, event) => ({ count: state.count + 1, last: event.data.target }),
};
const context: CommandContext = { principal: 'test', correlationId: 'c', causationId: 'c', now: new Date('2026-03-01T03:00:00Z'), today: '2026-03-01' };
const setTarget = (target: number) => (state: Targets) => ({
  events: [{ type: 'UcjTargetSet' as const, data: { year: 2026, target, previousTarget: state.last, setOn: '2026-03-01', occurredOn: '2026-03-01' } }],
  result: state.count,
});

describe('command runner, no retries left', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const runner = () => new CommandRunner(store, testCodec(), new Sha256KeyHasher(), { appendRetries: 0, policy: DEFAULT_POLICY } as AppConfig);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await PostgresEventStore.connect(db.url);
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("re-reads a prefetched history that this process's own command has made old, and decides on the new one", async () => {
    const one = runner();
    const stream = ucjStream(2026);
    const prefetched = await one.read<UcjEvent>(stream);
    await one.run(stream, targets, setTarget(100), context);
    const second = await one.run(stream, targets, setTarget(200), context, prefetched);
    expect(second.result).toBe(1);
    expect((await one.read<UcjEvent>(stream)).map((e) => e.data.target)).toEqual([100, 200]);
  });

  it('still refuses with CONCURRENCY_CONFLICT when another process wrote since the history was read', async () => {
    const [one, other] = [runner(), runner()];
    const stream = ucjStream(2027);
    const prefetched = await one.read<UcjEvent>(stream);
    await other.run(stream, targets, setTarget(100), context);
    await expect(one.run(stream, targets, setTarget(200), context, prefetched)).rejects.toEqual(expect.objectContaining({ code: 'CONCURRENCY_CONFLICT' }));
    await expect(one.run(stream, targets, setTarget(200), context, prefetched)).rejects.toBeInstanceOf(DomainError);
    expect((await one.read<UcjEvent>(stream)).map((e) => e.data.target)).toEqual([100]);
  });
});
