import { businessDate, coverageAsOf, type PointInTime } from '../../src/audit/point-in-time';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import type { WorkerEvent } from '../../src/workers/worker.events';
import { RecordedLog } from './support/worker-log';
import type { PersonalDataVault } from '../../src/personal-data/vault';
import { openTestVault, testCodec } from '../support/codec';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const policy = DEFAULT_POLICY;
const WORKER = '0b6f3c1e-4d7a-4b1e-9f0a-2a9d6c3e5b70';
const SPONSOR = '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';
const STREAM = `worker-${WORKER}`;

const enrolled = (enrolledOn = '2026-03-10'): WorkerEvent => ({
  type: 'WorkerEnrolled',
  data: {
    workerId: WORKER,
    nik: '3374015503850001',
    fullName: 'Siti Aminah',
    birthDate: '1985-03-15',
    gender: 'F',
    occupation: 'DOMESTIC_HELPER',
    kecamatan: '3374.01',
    fundingSource: 'ASN_SPONSOR',
    sponsorId: SPONSOR,
    enrolledOn,
    occurredOn: enrolledOn,
  },
});

const paid = (paymentRef: string, paidOn: string, coveredFrom: string, coveredThrough: string, months: number): WorkerEvent => ({
  type: 'PremiumPaid',
  data: {
    workerId: WORKER,
    paymentRef,
    months,
    amount: 16800 * months,
    paidOn,
    payer: { type: 'ASN_SPONSOR', sponsorId: SPONSOR },
    opdCode: 'DINKES',
    coveredFrom,
    coveredThrough,
    statusAfter: 'ACTIVE',
    occurredOn: paidOn,
  },
});

const lapsed = (asOf: string, firstUnpaidMonth: string, paidThrough: string): WorkerEvent => ({
  type: 'CoverageLapsed',
  data: { workerId: WORKER, asOf, firstUnpaidMonth, paidThrough, occurredOn: asOf },
});

const ended = (asOf: string, cause: 'ARREARS_WINDOW_PASSED' | 'WITHDRAWN', firstUnpaidMonth: string, paidThrough: string | null): WorkerEvent => ({
  type: 'CoverageEnded',
  data: { workerId: WORKER, asOf, cause, firstUnpaidMonth, paidThrough, occurredOn: asOf, ...(cause === 'WITHDRAWN' ? { reason: 'Pindah domisili' } : {}) },
});

const view = (asOf: string, knownAt?: string): PointInTime => ({ asOf, knownAt: knownAt ? new Date(knownAt) : null });

/** Enrolled 2026-03-10 and paid 03–05 on 03-12 (so U = 2026-06, due 06-15; the arrears window closes 09-15). */
let database: TestDatabase;
let vault: PersonalDataVault;

beforeAll(async () => {
  database = await createTestDatabase();
  vault = await openTestVault(database.url);
});

afterAll(async () => {
  await vault.close();
  await database.drop();
});

async function paidThroughMay(): Promise<RecordedLog> {
  const log = new RecordedLog(testCodec(vault));
  await log.record(STREAM, enrolled(), '2026-03-12T03:00:00.000Z');
  await log.record(STREAM, paid('RCPT-1', '2026-03-12', '2026-03', '2026-05', 3), '2026-03-12T03:05:00.000Z');
  return log;
}

describe('coverage as of a date, optionally as known at an instant', () => {
  it('before the enrolment date the worker was not enrolled: no status, nothing considered', async () => {
    const answer = coverageAsOf(WORKER, await (await paidThroughMay()).decoded(STREAM), view('2026-03-09'), policy);
    expect(answer).toEqual({
      workerId: WORKER,
      asOf: '2026-03-09',
      knownAt: null,
      status: null,
      enrolledOn: null,
      paidThrough: null,
      firstUnpaidMonth: null,
      monthsContributed: 0,
      fundingSource: null,
      sponsorId: null,
      eventsConsidered: 0,
      lastEventPosition: null,
    });
  });

  it('between enrolment and the first payment the worker was PENDING', async () => {
    const answer = coverageAsOf(WORKER, await (await paidThroughMay()).decoded(STREAM), view('2026-03-11'), policy);
    expect(answer).toMatchObject({ status: 'PENDING', enrolledOn: '2026-03-10', paidThrough: null, firstUnpaidMonth: '2026-03', eventsConsidered: 1 });
  });

  it('follows the due day and the arrears window of the first unpaid month (the worked example of domain.md)', async () => {
    const events = await (await paidThroughMay()).decoded<WorkerEvent>(STREAM);
    const status = (asOf: string) => coverageAsOf(WORKER, events, view(asOf), policy).status;
    expect(status('2026-06-15')).toBe('ACTIVE');
    expect(status('2026-06-16')).toBe('LAPSED');
    expect(status('2026-09-15')).toBe('LAPSED');
    expect(status('2026-09-16')).toBe('ENDED');
  });

  it('leaves out a recorded lapse or end whose asOf is after the view date', async () => {
    const log = (await paidThroughMay());
    await log.record(STREAM, lapsed('2026-06-16', '2026-06', '2026-05'), '2026-06-20T03:00:00.000Z', 'system:lapse-check');
    await log.record(STREAM, ended('2026-09-16', 'ARREARS_WINDOW_PASSED', '2026-06', '2026-05'), '2026-09-20T03:00:00.000Z', 'system:lapse-check');
    const events = await log.decoded<WorkerEvent>(STREAM);
    const at = (asOf: string) => coverageAsOf(WORKER, events, view(asOf), policy);
    // With the end counted, statusAsOf would answer ENDED for any date: the end had not happened by June.
    expect(at('2026-06-20')).toMatchObject({ status: 'LAPSED', eventsConsidered: 3, lastEventPosition: log.events[2].position.toString() });
    expect(at('2026-06-14')).toMatchObject({ status: 'ACTIVE', eventsConsidered: 2 });
    expect(at('2026-09-15')).toMatchObject({ status: 'LAPSED', eventsConsidered: 3 });
    expect(at('2026-09-16')).toMatchObject({ status: 'ENDED', eventsConsidered: 4 });
    expect(at('2027-01-01')).toMatchObject({ status: 'ENDED', eventsConsidered: 4 });
  });

  it('a backdated payment recorded later: asOf alone counts it, knownAt before its recording does not', async () => {
    const log = (await paidThroughMay());
    await log.record(STREAM, lapsed('2026-06-16', '2026-06', '2026-05'), '2026-06-20T03:00:00.000Z', 'system:lapse-check');
    await log.record(STREAM, paid('RCPT-2', '2026-06-10', '2026-06', '2026-06', 1), '2026-07-20T03:00:00.000Z');

    const knownThen = coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-06-20', '2026-07-01T00:00:00+07:00'), policy);
    expect(knownThen).toMatchObject({
      knownAt: '2026-06-30T17:00:00.000Z',
      status: 'LAPSED',
      paidThrough: '2026-05',
      firstUnpaidMonth: '2026-06',
      monthsContributed: 3,
      eventsConsidered: 3,
    });
    const knownNow = coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-06-20'), policy);
    expect(knownNow).toMatchObject({ knownAt: null, status: 'ACTIVE', paidThrough: '2026-06', firstUnpaidMonth: '2026-07', monthsContributed: 4, eventsConsidered: 4 });
    // The instant of recording itself counts as known.
    const atRecording = coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-06-20', '2026-07-20T03:00:00Z'), policy);
    expect(atRecording.status).toBe('ACTIVE');
    // Before its paidOn the payment had not been made, whatever is known now.
    expect(coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-06-09'), policy)).toMatchObject({ paidThrough: '2026-05', monthsContributed: 3 });
  });

  it('a withdrawal ends coverage from its date on, not before', async () => {
    const log = (await paidThroughMay());
    await log.record(STREAM, ended('2026-04-01', 'WITHDRAWN', '2026-06', '2026-05'), '2026-04-01T03:00:00.000Z');
    expect(coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-03-31'), policy).status).toBe('ACTIVE');
    expect(coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-04-01'), policy).status).toBe('ENDED');
  });

  it('a re-enrolment starts a new period from its own date; months contributed carry over', async () => {
    const log = (await paidThroughMay());
    await log.record(STREAM, ended('2026-09-16', 'ARREARS_WINDOW_PASSED', '2026-06', '2026-05'), '2026-09-20T03:00:00.000Z', 'system:lapse-check');
    await log.record(STREAM, { type: 'WorkerReenrolled', data: { workerId: WORKER, enrolledOn: '2026-10-01', occurredOn: '2026-10-01' } }, '2026-10-01T03:00:00.000Z');
    expect(coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-09-30'), policy)).toMatchObject({ status: 'ENDED', enrolledOn: '2026-03-10' });
    expect(coverageAsOf(WORKER, await log.decoded(STREAM), view('2026-10-01'), policy)).toMatchObject({
      status: 'PENDING',
      enrolledOn: '2026-10-01',
      paidThrough: null,
      firstUnpaidMonth: '2026-10',
      monthsContributed: 3,
    });
  });

  it('a sponsor change stored by the first release (v1, no date of its own) counts from the Jakarta date of its occurredAt', async () => {
    const log = await paidThroughMay();
    const OTHER = 'c1a2b3d4-0000-4000-8000-000000000002';
    // 2026-05-31T20:00Z is 2026-06-01 03:00 in Jakarta; v1 wrote the command time as occurredAt.
    await log.recordFirstReleaseShape(
      STREAM,
      { type: 'WorkerSponsorChanged', data: { workerId: WORKER, fromSponsorId: SPONSOR, toSponsorId: OTHER, fundingSource: 'ASN_SPONSOR' } },
      '2026-05-31T20:00:00.000Z',
    );
    const events = await log.decoded<WorkerEvent>(STREAM);
    expect(businessDate(events[2])).toBe('2026-06-01');
    expect(coverageAsOf(WORKER, events, view('2026-05-31'), policy).sponsorId).toBe(SPONSOR);
    expect(coverageAsOf(WORKER, events, view('2026-06-01'), policy).sponsorId).toBe(OTHER);
  });
});
