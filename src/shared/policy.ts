import { YearMonth } from './year-month';

/**
 * The (BPJS) and (policy) numbers of domain.md, as configuration. Deciders receive a `Policy` and never
 * hard-code these values; `DEFAULT_POLICY` holds the figures domain.md states.
 */
export interface Tariff {
  /** First contribution month (`YYYY-MM`) this tariff applies to; it applies until the next tariff's `from`. */
  from: string;
  /** JKK (work-accident) premium per month, integer rupiah. */
  jkk: number;
  /** JKM (death) premium per month, integer rupiah. */
  jkm: number;
}

export interface Policy {
  /** Day of the month by which that month's premium is due. */
  dueDay: number;
  /** Unpaid months after which the membership ends (U + window is the last month still payable). */
  arrearsWindowMonths: number;
  /** Allowed numbers of months one payment covers. */
  paymentPeriods: readonly number[];
  /** Oldest age at enrolment, in complete months (64 years 11 months; 65 years 0 months is refused). */
  maxEnrolmentAgeMonths: number;
  /** How far beyond the month of payment a payment may run. */
  maxPrepayMonths: number;
  /** Dated tariffs; each month pays the tariff with the latest `from` not after it. */
  tariffs: readonly Tariff[];
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  dueDay: 15,
  arrearsWindowMonths: 3,
  paymentPeriods: Object.freeze([1, 3, 6, 12]),
  maxEnrolmentAgeMonths: 64 * 12 + 11,
  maxPrepayMonths: 12,
  tariffs: Object.freeze([Object.freeze({ from: '2015-07', jkk: 10000, jkm: 6800 })]),
});

// ---------------------------------------------------------------- tariffs

/** Monthly premium (JKK + JKM, integer rupiah) for a contribution month. */
export function tariffFor(month: YearMonth, policy: Policy): number {
  let applicable: Tariff | undefined;
  let applicableFrom: YearMonth | undefined;
  for (const tariff of policy.tariffs) {
    const from = YearMonth.parse(tariff.from);
    if (!from.isAfter(month) && (applicableFrom === undefined || from.isAfter(applicableFrom))) {
      applicable = tariff;
      applicableFrom = from;
    }
  }
  if (!applicable) throw new RangeError(`No tariff applies to ${month.toString()}`);
  return applicable.jkk + applicable.jkm;
}

/** Amount due for `months` consecutive contribution months starting at `from`: the sum of each month's tariff. */
export function amountFor(from: YearMonth, months: number, policy: Policy): number {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`Not a number of months: ${months}`);
  let total = 0;
  for (let i = 0; i < months; i++) total += tariffFor(from.plus(i), policy);
  return total;
}

/** Whether a tariff is configured for `month` (so `tariffFor` would not throw). */
export function hasTariffFor(month: YearMonth, policy: Policy): boolean {
  return policy.tariffs.some((tariff) => !YearMonth.parse(tariff.from).isAfter(month));
}
