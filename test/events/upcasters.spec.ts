import { EVENT_CATALOG, createEventCodec } from '../../src/event-catalog';
import { EventCatalog, EventSchemaError } from '../../src/event-sourcing/event-catalog';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { OPD_KINDS } from '../../src/opds/opd.events';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import { testCodec } from '../support/codec';
import { RecordedLog } from '../audit/support/worker-log';

const W = '0b6f3c1e-4d7a-4b1e-9f0a-2a9d6c3e5b70';
const S = '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';

/** One event of every type as the first release stored it (v1: no occurredOn), and the business date it must get. */
const FIRST_RELEASE: [type: string, data: Record<string, unknown>, occurredOn: string][] = [
  ['OpdRegistered', { opdCode: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 120, registeredOn: '2026-01-05' }, '2026-01-05'],
  ['OpdHeadcountSet', { opdCode: 'DINKES', pnsHeadcount: 130, previousHeadcount: 120, effectiveOn: '2026-03-01' }, '2026-03-01'],
  ['SponsorRegistered', { sponsorId: S, nip: '198503152010011001', fullName: 'Sri Wahyuni', opdCode: 'DINKES', registeredOn: '2026-02-01' }, '2026-02-01'],
  ['SponsorTransferred', { sponsorId: S, fromOpdCode: 'DINKES', toOpdCode: 'DISDAG', effectiveOn: '2026-04-01' }, '2026-04-01'],
  ['SponsorWithdrawn', { sponsorId: S, reason: 'Pensiun', withdrawnOn: '2026-05-02' }, '2026-05-02'],
  [
    'WorkerEnrolled',
    {
      workerId: W, nik: '3374015503850001', fullName: 'Siti Aminah', birthDate: '1985-03-15', gender: 'F', occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.01', fundingSource: 'ASN_SPONSOR', sponsorId: S, enrolledOn: '2026-03-10',
    },
    '2026-03-10',
  ],
  [
    'PremiumPaid',
    {
      workerId: W, paymentRef: 'BPJS-1', months: 3, amount: 50400, paidOn: '2026-03-12', payer: { type: 'ASN_SPONSOR', sponsorId: S },
      opdCode: 'DINKES', coveredFrom: '2026-03', coveredThrough: '2026-05', statusAfter: 'ACTIVE',
    },
    '2026-03-12',
  ],
  ['CoverageLapsed', { workerId: W, asOf: '2026-06-16', firstUnpaidMonth: '2026-06', paidThrough: '2026-05' }, '2026-06-16'],
  ['CoverageEnded', { workerId: W, asOf: '2026-09-16', cause: 'ARREARS_WINDOW_PASSED', firstUnpaidMonth: '2026-06', paidThrough: '2026-05' }, '2026-09-16'],
  ['WorkerReenrolled', { workerId: W, enrolledOn: '2026-10-01' }, '2026-10-01'],
  // No date of its own: v1 wrote the command time; 2026-04-30T18:00Z is 1 May 01:00 in Jakarta.
  ['WorkerSponsorChanged', { workerId: W, fromSponsorId: S, toSponsorId: W, fundingSource: 'ASN_SPONSOR' }, '2026-05-01'],
];

describe('upcasters: every event stored by the first release reads in its current shape', () => {
  it('covers every event type of the first release that has changed since', () => {
    const changed = EVENT_CATALOG.types().filter((type) => EVENT_CATALOG.versionOf(type) > 1 && FIRST_RELEASE.some(([t]) => t === type));
    expect(FIRST_RELEASE.map(([type]) => type).sort()).toEqual(changed.sort());
  });

  it.each(FIRST_RELEASE)('%s v1 gets its business date as occurredOn and keeps every field', async (type, data, occurredOn) => {
    const log = new RecordedLog();
    const stored = log.recordFirstReleaseShape('stream-1', { type, data }, '2026-04-30T18:00:00.000Z');
    expect(stored.metadata.schemaVersion).toBe(1);
    const [decoded] = await testCodec().decode([stored]);
    expect(decoded.data).toEqual({ ...data, occurredOn });
    expect(decoded.position).toBe(stored.position);
    expect(decoded.metadata).toBe(stored.metadata);
  });

  it('reads a v1 event with no schemaVersion at all as version 1', async () => {
    const log = new RecordedLog();
    const stored = log.recordFirstReleaseShape('stream-1', { type: 'WorkerReenrolled', data: { workerId: W, enrolledOn: '2026-10-01' } }, '2026-10-01T03:00:00Z');
    const { schemaVersion: _dropped, ...unversioned } = stored.metadata;
    const [decoded] = await testCodec().decode([{ ...stored, metadata: unversioned }]);
    expect(decoded.data).toEqual({ workerId: W, enrolledOn: '2026-10-01', occurredOn: '2026-10-01' });
  });

  it('uses the configured time zone for a date taken from a timestamp', async () => {
    const log = new RecordedLog();
    const stored = log.recordFirstReleaseShape(
      'stream-1',
      { type: 'WorkerSponsorChanged', data: { workerId: W, fromSponsorId: null, toSponsorId: S, fundingSource: 'ASN_SPONSOR' } },
      '2026-04-30T18:00:00.000Z',
    );
    const inLondon = createEventCodec({ timezone: 'Europe/London', policy: DEFAULT_POLICY });
    expect((await inLondon.decode([stored]))[0].data).toMatchObject({ occurredOn: '2026-04-30' });
  });

  it('passes events of types it does not know through unchanged, and refuses a version newer than it knows', async () => {
    const unknown: RecordedEvent = {
      streamId: 's', id: 'e', type: 'SomethingLater', revision: 0n, position: 1n, data: { a: 1 }, metadata: { schemaVersion: 7 }, created: new Date(),
    };
    expect((await testCodec().decode([unknown]))[0].data).toEqual({ a: 1 });
    await expect(testCodec().decode([{ ...unknown, type: 'PremiumPaid' }])).rejects.toThrow(EventSchemaError);
  });

  it('is refused at start when an upcaster is missing or a type is defined twice', () => {
    expect(() => new EventCatalog({ A: { version: 3, upcasters: { 1: (d) => d } } })).toThrow('no upcaster from version 2 to 3');
    expect(() => new EventCatalog({ A: { version: 1 } }, { A: { version: 1 } })).toThrow('defined twice');
  });
});

describe('CoverageLapsed and CoverageEnded v3: dated by the rules, not by the run that recorded them', () => {
  const decodeAs = async (type: string, data: Record<string, unknown>, schemaVersion: number) => {
    const log = new RecordedLog();
    const stored = log.recordFirstReleaseShape('worker-1', { type, data }, '2026-11-30T02:00:00Z', 'scheduler', schemaVersion);
    return (await testCodec().decode([stored]))[0].data;
  };
  const lateEnd = { workerId: W, asOf: '2026-11-30', cause: 'ARREARS_WINDOW_PASSED', firstUnpaidMonth: '2026-01', paidThrough: null };

  it('reads an end a late run recorded (v1 and v2) as of the day after the due date of U + window', async () => {
    expect(await decodeAs('CoverageEnded', lateEnd, 1)).toEqual({ ...lateEnd, occurredOn: '2026-04-16' });
    expect(await decodeAs('CoverageEnded', { ...lateEnd, occurredOn: '2026-11-30' }, 2)).toEqual({ ...lateEnd, occurredOn: '2026-04-16' });
  });

  it('reads a lapse a late run recorded as of the day after the due date of U', async () => {
    const lateLapse = { workerId: W, asOf: '2026-03-02', firstUnpaidMonth: '2026-02', paidThrough: '2026-01', occurredOn: '2026-03-02' };
    expect(await decodeAs('CoverageLapsed', lateLapse, 2)).toEqual({ ...lateLapse, occurredOn: '2026-02-16' });
  });

  it('keeps a withdrawal on its own date', async () => {
    const withdrawal = { ...lateEnd, cause: 'WITHDRAWN', reason: 'died', asOf: '2026-02-03', occurredOn: '2026-02-03' };
    expect(await decodeAs('CoverageEnded', withdrawal, 2)).toEqual(withdrawal);
  });
});

describe('OpdRegistered v3: the kind stored as free text reads as one of the OPD kinds', () => {
  const registered = { opdCode: 'SETDA', name: 'Sekretariat Daerah', pnsHeadcount: 300, registeredOn: '2026-01-05', occurredOn: '2026-01-05' };
  const decodeV2 = async (kind: string) => {
    const log = new RecordedLog();
    const stored = log.recordFirstReleaseShape('opd-SETDA', { type: 'OpdRegistered', data: { ...registered, kind } }, '2026-01-05T03:00:00Z', 'admin-key', 2);
    return (await testCodec().decode([stored]))[0].data;
  };

  it('keeps a kind that already is one, with nothing added', async () => {
    for (const kind of OPD_KINDS) expect(await decodeV2(kind)).toEqual({ ...registered, kind });
  });

  it.each([
    ['dinas', 'DINAS'],
    [' Badan ', 'BADAN'],
    ['kecamatan', 'KECAMATAN'],
    ['rumah_sakit', 'RUMAH_SAKIT'],
    ['SETDA', 'SEKRETARIAT'],
    ['Sekretariat Daerah', 'SEKRETARIAT'],
    ['SEKRETARIAT DAERAH', 'SEKRETARIAT'],
    ['RSUD', 'RUMAH_SAKIT'],
    ['Rumah Sakit', 'RUMAH_SAKIT'],
    ['Satpol PP', 'SATUAN'],
    ['SATPOL-PP', 'SATUAN'],
  ])('reads %j as %s, keeping the stored text as kindAsRegistered', async (stored, kind) => {
    expect(await decodeV2(stored)).toEqual({ ...registered, kind, kindAsRegistered: stored });
  });

  it('reads any other kind as OTHER, keeping the stored text', async () => {
    expect(await decodeV2('UPTD Puskesmas')).toEqual({ ...registered, kind: 'OTHER', kindAsRegistered: 'UPTD Puskesmas' });
    expect(await decodeV2('')).toEqual({ ...registered, kind: 'OTHER', kindAsRegistered: '' });
  });

  it('brings a first-release event through both versions: business date, then kind', async () => {
    const log = new RecordedLog();
    const { occurredOn: _added, ...firstRelease } = { ...registered, kind: 'setda' };
    const stored = log.recordFirstReleaseShape('opd-SETDA', { type: 'OpdRegistered', data: firstRelease }, '2026-01-05T03:00:00Z');
    expect((await testCodec().decode([stored]))[0].data).toEqual({ ...registered, kind: 'SEKRETARIAT', kindAsRegistered: 'setda' });
  });
});

describe('events written now', () => {
  it('carry their own type version and a business time in the configured zone, from the occurredOn their decider set', async () => {
    const context = { principal: 'operator', correlationId: 'c', causationId: 'k', now: new Date('2026-03-12T03:00:00Z'), today: '2026-03-12' };
    const [paid, changed] = await createEventCodec({ timezone: 'Asia/Makassar', policy: DEFAULT_POLICY }).encode(
      [
        { type: 'PremiumPaid', data: { ...FIRST_RELEASE[6][1], occurredOn: '2026-03-12' } },
        { type: 'NikReserved', data: { workerId: W } },
      ],
      context,
      null,
    );
    expect(paid.metadata).toMatchObject({ schemaVersion: EVENT_CATALOG.versionOf('PremiumPaid'), occurredAt: '2026-03-12T00:00:00+08:00' });
    // A bookkeeping event without a business date happened when it was recorded.
    expect(changed.metadata).toMatchObject({ schemaVersion: 1, occurredAt: '2026-03-12T03:00:00.000Z', prevHash: paid.metadata.hash });
  });
});
