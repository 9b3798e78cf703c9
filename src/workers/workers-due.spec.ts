import { DEFAULT_POLICY, type Policy } from '../shared/policy';
import { daysBetween } from '../shared/calendar-date';
import { compareDue, type DueCandidate, dueLineOf } from './workers-due.query';
import { dueListCsv } from './workers-due.csv';
import { parse } from 'csv-parse/sync';

/** Dated tariffs: 16,800 a month until 2026-12, 18,500 from 2027-01. */
const POLICY: Policy = {
  ...DEFAULT_POLICY,
  tariffs: [
    { from: '2015-07', jkk: 10_000, jkm: 6_800 },
    { from: '2027-01', jkk: 11_000, jkm: 7_500 },
  ],
};

const row = (overrides: Partial<DueCandidate> = {}): DueCandidate => ({
  workerId: '00000000-0000-4000-8000-000000000001',
  gender: 'F',
  occupation: 'DOMESTIC_HELPER',
  kecamatan: '3374.01',
  fundingSource: 'APBD',
  sponsorId: null,
  opdCode: null,
  status: 'ACTIVE',
  enrolledOn: '2026-03-10',
  paidThrough: '2026-11',
  monthsContributed: 9,
  ...overrides,
});

describe('due list lines (domain.md, "Renewals")', () => {
  it('lists an ACTIVE worker whose first unpaid month falls due within the window, priced month by month at the dated tariffs', () => {
    expect(dueLineOf(row(), '2026-11-23', 30, POLICY)).toEqual({
      workerId: '00000000-0000-4000-8000-000000000001',
      sponsorId: null,
      opdCode: null,
      fundingSource: 'APBD',
      status: 'ACTIVE',
      firstUnpaidMonth: '2026-12',
      dueOn: '2026-12-15',
      daysUntilDue: 22,
      arrearsMonths: 0,
      amountFor: {
        '1': 16_800,
        '3': 16_800 + 2 * 18_500,
        '6': 16_800 + 5 * 18_500,
        '12': 16_800 + 11 * 18_500, // through 2027-11: exactly the prepay limit (12 months beyond 2026-11)
      },
    });
  });

  it('takes an ACTIVE worker in only while the due date is at most `within` days away (both ends included)', () => {
    expect(dueLineOf(row(), '2026-11-23', 22, POLICY)).toMatchObject({ daysUntilDue: 22 });
    expect(dueLineOf(row(), '2026-11-23', 21, POLICY)).toBeNull();
    expect(dueLineOf(row(), '2026-12-15', 0, POLICY)).toMatchObject({ status: 'ACTIVE', daysUntilDue: 0, arrearsMonths: 0 });
  });

  it('says null for a payment past the prepay limit', () => {
    // Paid through 2026-12 on 2026-11-23: 12 months from 2027-01 would run to 2027-12, past 2027-11.
    expect(dueLineOf(row({ paidThrough: '2026-12' }), '2026-11-23', 60, POLICY)).toMatchObject({
      firstUnpaidMonth: '2027-01',
      daysUntilDue: 53,
      amountFor: { '1': 18_500, '3': 3 * 18_500, '6': 6 * 18_500, '12': null },
    });
  });

  it('says null for a period the policy does not allow', () => {
    const policy: Policy = { ...POLICY, paymentPeriods: [1, 3, 12] };
    expect(dueLineOf(row(), '2026-11-23', 30, policy)?.amountFor).toEqual({ '1': 16_800, '3': 53_800, '6': null, '12': 220_300 });
  });

  it('lists a LAPSED worker with its overdue months, arrears first in the amounts (the status of the rules, not the one recorded)', () => {
    // Paid through 2026-08, the lapse check not run yet: recorded ACTIVE, LAPSED by the rules since 16 September.
    expect(dueLineOf(row({ paidThrough: '2026-08' }), '2026-11-23', 30, POLICY)).toMatchObject({
      status: 'LAPSED',
      firstUnpaidMonth: '2026-09',
      dueOn: '2026-09-15',
      daysUntilDue: -69,
      arrearsMonths: 3, // September, October, November (due 15 November, passed)
      amountFor: { '1': 16_800, '3': 3 * 16_800, '6': 4 * 16_800 + 2 * 18_500, '12': 4 * 16_800 + 8 * 18_500 },
    });
    // On the due day of the month of D, that month is not overdue yet.
    expect(dueLineOf(row({ paidThrough: '2026-08' }), '2026-11-15', 30, POLICY)).toMatchObject({ status: 'LAPSED', arrearsMonths: 2 });
  });

  it('lists a PENDING worker always: days to the first month\'s due date, negative once passed', () => {
    const pending = row({ status: 'PENDING', paidThrough: null, enrolledOn: '2026-11-02', monthsContributed: 0 });
    expect(dueLineOf(pending, '2026-11-10', 0, POLICY)).toMatchObject({ status: 'PENDING', firstUnpaidMonth: '2026-11', dueOn: '2026-11-15', daysUntilDue: 5, arrearsMonths: 0 });
    expect(dueLineOf(pending, '2026-11-23', 0, POLICY)).toMatchObject({ status: 'PENDING', daysUntilDue: -8, arrearsMonths: 1 });
    expect(dueLineOf(pending, '2027-02-15', 0, POLICY)).toMatchObject({ status: 'PENDING', daysUntilDue: -92, arrearsMonths: 3 });
  });

  it('leaves out a worker that is ENDED by the rules on that date, even if the lapse check has not recorded it', () => {
    expect(dueLineOf(row({ paidThrough: '2026-06' }), '2026-10-16', 365, POLICY)).toBeNull();
    expect(dueLineOf(row({ paidThrough: '2026-06' }), '2026-10-15', 365, POLICY)).toMatchObject({ status: 'LAPSED', arrearsMonths: 3 });
    const pending = row({ status: 'PENDING', paidThrough: null, enrolledOn: '2026-11-02' });
    expect(dueLineOf(pending, '2027-02-16', 365, POLICY)).toBeNull();
  });

  it('counts days across month and year ends', () => {
    expect(daysBetween('2026-11-23', '2027-01-15')).toBe(53);
    expect(daysBetween('2026-09-15', '2026-11-23')).toBe(69);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('orders by due date, then worker id', () => {
    const keys = [
      { dueOn: '2026-12-15', workerId: 'b' },
      { dueOn: '2026-09-15', workerId: 'z' },
      { dueOn: '2026-12-15', workerId: 'a' },
    ];
    expect([...keys].sort(compareDue)).toEqual([keys[1], keys[2], keys[0]]);
  });
});

describe('due list CSV', () => {
  it('writes a header and one row per item; formula text escaped, numbers kept, null amounts empty', () => {
    const line = dueLineOf(row({ paidThrough: '2026-12' }), '2026-11-23', 60, POLICY)!;
    const lapsed = dueLineOf(row({ paidThrough: '2026-08', workerId: '00000000-0000-4000-8000-000000000002' }), '2026-11-23', 60, POLICY)!;
    const csv = dueListCsv([
      { ...lapsed, fullName: '=HYPERLINK("http://x","y")' },
      { ...line, fullName: "'Siti, \"Ani\"" },
    ]);
    const [header, ...rows] = parse(csv) as string[][];
    expect(header).toEqual([
      'workerId', 'fullName', 'sponsorId', 'opdCode', 'fundingSource', 'status', 'firstUnpaidMonth', 'dueOn',
      'daysUntilDue', 'arrearsMonths', 'amountFor1', 'amountFor3', 'amountFor6', 'amountFor12',
    ]);
    expect(rows).toEqual([
      ['00000000-0000-4000-8000-000000000002', '\'=HYPERLINK("http://x","y")', '', '', 'APBD', 'LAPSED', '2026-09', '2026-09-15', '-69', '3', '16800', '50400', '104200', '215200'],
      ['00000000-0000-4000-8000-000000000001', "''Siti, \"Ani\"", '', '', 'APBD', 'ACTIVE', '2027-01', '2027-01-15', '53', '0', '18500', '55500', '111000', ''],
    ]);
  });
});
