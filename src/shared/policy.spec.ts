import { DEFAULT_POLICY, Policy, amountFor, hasTariffFor, tariffFor } from './policy';
import { YearMonth } from './year-month';

const month = YearMonth.parse;

const withTariffChange: Policy = {
  ...DEFAULT_POLICY,
  // Listed out of order on purpose: the latest `from` not after the month wins, whatever the order.
  tariffs: [
    { from: '2026-05', jkk: 12000, jkm: 6800 },
    { from: '2015-07', jkk: 10000, jkm: 6800 },
  ],
};

describe('DEFAULT_POLICY', () => {
  it('holds the figures of domain.md', () => {
    expect(DEFAULT_POLICY).toEqual({
      dueDay: 15,
      arrearsWindowMonths: 3,
      paymentPeriods: [1, 3, 6, 12],
      maxEnrolmentAgeMonths: 779,
      maxPrepayMonths: 12,
      tariffs: [{ from: '2015-07', jkk: 10000, jkm: 6800 }],
    });
  });
});

describe('tariffFor', () => {
  it('is JKK 10,000 + JKM 6,800 = Rp16,800 a month by default', () => {
    expect(tariffFor(month('2026-03'), DEFAULT_POLICY)).toBe(16800);
  });

  it('applies from the tariff month itself', () => {
    expect(tariffFor(month('2015-07'), DEFAULT_POLICY)).toBe(16800);
  });

  it('refuses a month before the first tariff', () => {
    expect(() => tariffFor(month('2015-06'), DEFAULT_POLICY)).toThrow(RangeError);
    expect(hasTariffFor(month('2015-06'), DEFAULT_POLICY)).toBe(false);
    expect(hasTariffFor(month('2015-07'), DEFAULT_POLICY)).toBe(true);
  });

  it('changes only from the new tariff’s effective month', () => {
    expect(tariffFor(month('2026-04'), withTariffChange)).toBe(16800);
    expect(tariffFor(month('2026-05'), withTariffChange)).toBe(18800);
    expect(tariffFor(month('2027-01'), withTariffChange)).toBe(18800);
  });
});

describe('amountFor', () => {
  it('sums the monthly tariff over the months covered', () => {
    expect(amountFor(month('2026-03'), 1, DEFAULT_POLICY)).toBe(16800);
    expect(amountFor(month('2026-03'), 3, DEFAULT_POLICY)).toBe(50400);
    expect(amountFor(month('2026-03'), 12, DEFAULT_POLICY)).toBe(201600);
  });

  it('sums dated tariffs when a payment straddles a tariff change', () => {
    // 2026-03 and 2026-04 at 16,800; 2026-05 at 18,800.
    expect(amountFor(month('2026-03'), 3, withTariffChange)).toBe(52400);
    expect(Number.isInteger(amountFor(month('2026-03'), 3, withTariffChange))).toBe(true);
  });

  it('refuses a number of months that is not a positive integer', () => {
    expect(() => amountFor(month('2026-03'), 0, DEFAULT_POLICY)).toThrow(RangeError);
    expect(() => amountFor(month('2026-03'), 1.5, DEFAULT_POLICY)).toThrow(RangeError);
  });
});
