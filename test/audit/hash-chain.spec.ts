import { HashChainChecker } from '../../src/audit/hash-chain';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { maskPersonalIdentifiers } from '../../src/audit/worker-history';
import { RecordedLog } from './support/worker-log';

const A = 'worker-0b6f3c1e-4d7a-4b1e-9f0a-2a9d6c3e5b70';
const B = 'worker-7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';

async function twoStreams(): Promise<RecordedLog> {
  const log = new RecordedLog();
  const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T03:00:00.000Z`;
  await log.record(A, { type: 'WorkerReenrolled', data: { workerId: 'a', enrolledOn: '2026-03-01', occurredOn: '2026-03-01' } }, at(1));
  await log.record(B, { type: 'WorkerReenrolled', data: { workerId: 'b', enrolledOn: '2026-03-02', occurredOn: '2026-03-02' } }, at(2));
  await log.record(A, { type: 'CoverageLapsed', data: { workerId: 'a', asOf: '2026-03-03', firstUnpaidMonth: '2026-03', paidThrough: null, occurredOn: '2026-03-03' } }, at(3));
  await log.record(A, { type: 'CoverageLapsed', data: { workerId: 'a', asOf: '2026-03-04', firstUnpaidMonth: '2026-03', paidThrough: null, occurredOn: '2026-03-04' } }, at(4));
  await log.record(B, { type: 'CoverageLapsed', data: { workerId: 'b', asOf: '2026-03-05', firstUnpaidMonth: '2026-03', paidThrough: null, occurredOn: '2026-03-05' } }, at(5));
  return log;
}

function check(events: RecordedEvent[]) {
  const checker = new HashChainChecker();
  events.forEach((e) => checker.check(e));
  return checker;
}

describe('hash chains of the log', () => {
  it('hold for events as the command handlers write them, stream by stream', async () => {
    const checker = check((await twoStreams()).events);
    expect(checker.brokenLinks()).toEqual([]);
    expect(checker.eventsChecked).toBe(5);
    expect(checker.streamsChecked).toBe(2);
  });

  it('name the altered event (stream, revision, position, id) and only it, when its data changed', async () => {
    const events = (await twoStreams()).events;
    events[2] = { ...events[2], data: { ...events[2].data, asOf: '2026-03-31' } };
    expect(check(events).brokenLinks()).toEqual([
      { streamId: A, revision: '1', position: events[2].position.toString(), eventId: events[2].id, type: 'CoverageLapsed', reason: 'HASH_MISMATCH' },
    ]);
  });

  it('catch altered metadata (who recorded it) as well as data', async () => {
    const events = (await twoStreams()).events;
    events[4] = { ...events[4], metadata: { ...events[4].metadata, recordedBy: 'someone-else' } };
    expect(check(events).brokenLinks()).toMatchObject([{ streamId: B, revision: '1', reason: 'HASH_MISMATCH' }]);
  });

  it('catch a removed event as a revision gap in its stream', async () => {
    const events = (await twoStreams()).events.filter((_, i) => i !== 2);
    expect(check(events).brokenLinks()).toMatchObject([{ streamId: A, revision: '2', reason: 'REVISION_GAP' }]);
  });

  it('catch an event re-chained to another previous hash, and one without a hash at all', async () => {
    const events = (await twoStreams()).events;
    events[3] = { ...events[3], metadata: { ...events[3].metadata, prevHash: 'f'.repeat(64) } };
    const { hash: _dropped, ...unhashed } = events[4].metadata;
    events[4] = { ...events[4], metadata: unhashed };
    expect(check(events).brokenLinks()).toMatchObject([
      { streamId: A, revision: '2', reason: 'PREV_HASH_MISMATCH' },
      { streamId: B, revision: '1', reason: 'MISSING_HASH' },
    ]);
  });
});

describe('masking in histories', () => {
  it('masks every nik field at any depth and leaves the rest as recorded', async () => {
    expect(maskPersonalIdentifiers({ nik: '3374015503850001', fullName: 'Siti', nested: [{ nik: '3374015503850002' }], count: 3 })).toEqual({
      nik: '3374**********01',
      fullName: 'Siti',
      nested: [{ nik: '3374**********02' }],
      count: 3,
    });
  });
});
