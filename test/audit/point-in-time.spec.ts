import { businessDate, coverageAsOf, type PointInTime } from '../../src/audit/point-in-time';
import { DEFAULT_POLICY } from '../../src/shared/policy';
import type { WorkerEvent } from '../../src/workers/worker.events';
import { RecordedLog } from './support/worker-log';

const policy = DEFAULT_POLICY;
const ZONE = 'Asia/Jakarta';
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
  },
});

const lapsed = (asOf: string, firstUnpaidMonth: string, paidThrough: string): WorkerEvent => ({
  type: 'CoverageLapsed',
  data: { workerId: WORKER, asOf, firstUnpaidMonth, paidThrough },
});

const ended = (asOf: string, cause: 'ARREARS_WINDOW_PASSED' | 'WITHDRAWN', firstUnpaidMonth: string, paidThrough: string | null): WorkerEvent => ({
  type: 'CoverageEnded',
  data: { workerId: WORKER, asOf, cause, firstUnpaidMonth, paidThrough, ...(cause === 'WITHDRAWN' ? { reason: 'Pindah domisili' } : {}) },
});

const view = (asOf: string, knownAt?: string): PointInTime => ({ asOf, knownAt: knownAt ? new Date(knownAt) : null });

/** Enrolled 2026-03-10 and paid 03–05 on 03-12 (so U = 2026-06, due 06-15; the arrears window closes 09-15). */
function paidThroughMay(): RecordedLog {
  const log = new RecordedLog();
  log.record(STREAM, enrolled(), '2026-03-12T03:00:00.000Z');
  log.record(STREAM, paid('RCPT-1', '2026-03-12', '2026-03', '2026-05', 3), '2026-03-12T03:05:00.000Z');
  return log;
}

describe('coverage as of a date, optionally as known at an instant', () => {
  it('before the enrolment date the worker was not enrolled: no status, nothing considered', () => {
    const answer = coverageAsOf(WORKER, paidThroughMay().events, view('2026-03-09'), policy, ZONE);
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

  it('between enrolment and the first payment the worker was PENDING', () => {
    const answer = coverageAsOf(WORKER, paidThroughMay().events, view('2026-03-11'), policy, ZONE);
    expect(answer).toMatchObject({ status: 'PENDING', enrolledOn: '2026-03-10', paidThrough: null, firstUnpaidMonth: '2026-03', eventsConsidered: 1 });
  });

  it('follows the due day and the arrears window of the first unpaid month (the worked example of domain.md)', () => {
    const events = paidThroughMay().events;
    const status = (asOf: string) => coverageAsOf(WORKER, events, view(asOf), policy, ZONE).status;
    expect(status('2026-06-15')).toBe('ACTIVE');
    expect(status('2026-06-16')).toBe('LAPSED');
    expect(status('2026-09-15')).toBe('LAPSED');
    expect(status('2026-09-16')).toBe('ENDED');
  });

  it('leaves out a recorded lapse or end whose asOf is after the view date', () => {
    const log = paidThroughMay();
    log.record(STREAM, lapsed('2026-06-16', '2026-06', '2026-05'), '2026-06-20T03:00:00.000Z', 'system:lapse-check');
    log.record(STREAM, ended('2026-09-16', 'ARREARS_WINDOW_PASSED', '2026-06', '2026-05'), '2026-09-20T03:00:00.000Z', 'system:lapse-check');
    const at = (asOf: string) => coverageAsOf(WORKER, log.events, view(asOf), policy, ZONE);
    // With the end counted, statusAsOf would answer ENDED for any date: the end had not happened by June.
    expect(at('2026-06-20')).toMatchObject({ status: 'LAPSED', eventsConsidered: 3, lastEventPosition: log.events[2].position.toString() });
    expect(at('2026-06-14')).toMatchObject({ status: 'ACTIVE', eventsConsidered: 2 });
    expect(at('2026-09-15')).toMatchObject({ status: 'LAPSED', eventsConsidered: 3 });
    expect(at('2026-09-16')).toMatchObject({ status: 'ENDED', eventsConsidered: 4 });
    expect(at('2027-01-01')).toMatchObject({ status: 'ENDED', eventsConsidered: 4 });
  });

  it('a backdated payment recorded later: asOf alone counts it, knownAt before its recording does not', () => {
    const log = paidThroughMay();
    log.record(STREAM, lapsed('2026-06-16', '2026-06', '2026-05'), '2026-06-20T03:00:00.000Z', 'system:lapse-check');
    log.record(STREAM, paid('RCPT-2', '2026-06-10', '2026-06', '2026-06', 1), '2026-07-20T03:00:00.000Z');

    const knownThen = coverageAsOf(WORKER, log.events, view('2026-06-20', '2026-07-01T00:00:00+07:00'), policy, ZONE);
    expect(knownThen).toMatchObject({
      knownAt: '2026-06-30T17:00:00.000Z',
      status: 'LAPSED',
      paidThrough: '2026-05',
      firstUnpaidMonth: '2026-06',
      monthsContributed: 3,
      eventsConsidered: 3,
    });
    const knownNow = coverageAsOf(WORKER, log.events, view('2026-06-20'), policy, ZONE);
    expect(knownNow).toMatchObject({ knownAt: null, status: 'ACTIVE', paidThrough: '2026-06', firstUnpaidMonth: '2026-07', monthsContributed: 4, eventsConsidered: 4 });
    // The instant of recording itself counts as known.
    const atRecording = coverageAsOf(WORKER, log.events, view('2026-06-20', '2026-07-20T03:00:00Z'), policy, ZONE);
    expect(atRecording.status).toBe('ACTIVE');
    // Before its paidOn the payment had not been made, whatever is known now.
    expect(coverageAsOf(WORKER, log.events, view('2026-06-09'), policy, ZONE)).toMatchObject({ paidThrough: '2026-05', monthsContributed: 3 });
  });

  it('a withdrawal ends coverage from its date on, not before', () => {
    const log = paidThroughMay();
    log.record(STREAM, ended('2026-04-01', 'WITHDRAWN', '2026-06', '2026-05'), '2026-04-01T03:00:00.000Z');
    expect(coverageAsOf(WORKER, log.events, view('2026-03-31'), policy, ZONE).status).toBe('ACTIVE');
    expect(coverageAsOf(WORKER, log.events, view('2026-04-01'), policy, ZONE).status).toBe('ENDED');
  });

  it('a re-enrolment starts a new period from its own date; months contributed carry over', () => {
    const log = paidThroughMay();
    log.record(STREAM, ended('2026-09-16', 'ARREARS_WINDOW_PASSED', '2026-06', '2026-05'), '2026-09-20T03:00:00.000Z', 'system:lapse-check');
    log.record(STREAM, { type: 'WorkerReenrolled', data: { workerId: WORKER, enrolledOn: '2026-10-01' } }, '2026-10-01T03:00:00.000Z');
    expect(coverageAsOf(WORKER, log.events, view('2026-09-30'), policy, ZONE)).toMatchObject({ status: 'ENDED', enrolledOn: '2026-03-10' });
    expect(coverageAsOf(WORKER, log.events, view('2026-10-01'), policy, ZONE)).toMatchObject({
      status: 'PENDING',
      enrolledOn: '2026-10-01',
      paidThrough: null,
      firstUnpaidMonth: '2026-10',
      monthsContributed: 3,
    });
  });

  it('a sponsor change has no date of its own: it counts from the Jakarta date of its occurredAt', () => {
    const log = paidThroughMay();
    const OTHER = 'c1a2b3d4-0000-4000-8000-000000000002';
    // 2026-05-31T20:00Z is 2026-06-01 03:00 in Jakarta.
    const change = log.record(
      STREAM,
      { type: 'WorkerSponsorChanged', data: { workerId: WORKER, fromSponsorId: SPONSOR, toSponsorId: OTHER, fundingSource: 'ASN_SPONSOR' } },
      '2026-05-31T20:00:00.000Z',
    );
    expect(businessDate(change, ZONE)).toBe('2026-06-01');
    expect(coverageAsOf(WORKER, log.events, view('2026-05-31'), policy, ZONE).sponsorId).toBe(SPONSOR);
    expect(coverageAsOf(WORKER, log.events, view('2026-06-01'), policy, ZONE).sponsorId).toBe(OTHER);
  });
});
