import { DomainError } from '../shared/domain-error';
import type { Evolving } from '../shared/domain-event';
import { ageInMonths, nikMatches, validateNik } from '../shared/identity';
import { amountFor, hasTariffFor, type Policy } from '../shared/policy';
import { YearMonth } from '../shared/year-month';
import {
  type CoverageEnded,
  type CoverageLapsed,
  endedOn,
  type FundingSource,
  type Gender,
  lapsedOn,
  type Occupation,
  type Payer,
  type PremiumPaid,
  type PremiumPaymentReversed,
  type WorkerDetailsCorrected,
  type WorkerEnrolled,
  type WorkerEvent,
  type WorkerFundingChanged,
  type WorkerPersonalDataErased,
  type WorkerReenrolled,
  type WorkerSponsorChanged,
  type WorkerStatus,
} from './worker.events';

// ---------------------------------------------------------------- commands

/**
 * What the command handler found about a sponsor outside this stream: `null` when no sponsor was looked
 * up (none named, or the id is unknown), otherwise whether it exists and whether it has withdrawn.
 */
export type SponsorLookup = { exists: boolean; withdrawn: boolean } | null;

/** The personal fields of an enrolment, as given (never null on the way in). */
type PersonalGiven = { nik: string; fullName: string; birthDate: string; phone?: string; address?: string };

/** NIK uniqueness across workers is the handler's (a reservation per NIK), not this decider's. */
export type EnrolWorker = {
  type: 'EnrolWorker';
  data: Omit<WorkerEnrolled['data'], 'occurredOn' | keyof PersonalGiven> & PersonalGiven & { today: string; sponsor: SponsorLookup };
};

/**
 * `payerOpdCode` is the paying ASN sponsor's OPD at payment time (null for other payers); `payerSponsor`
 * is the lookup of `payer.sponsorId`. Payment-reference uniqueness across workers is the handler's.
 */
export type PayPremium = {
  type: 'PayPremium';
  data: {
    paymentRef: string;
    months: number;
    amount: number;
    paidOn: string;
    payer: Payer;
    payerOpdCode: string | null;
    payerSponsor: SponsorLookup;
    today: string;
  };
};

/** The lapse check: `asOf` defaults to today in the shell, and may not be after `today`. */
export type CheckLapse = { type: 'CheckLapse'; data: { asOf: string; today: string } };

export type WithdrawWorker = { type: 'WithdrawWorker'; data: { reason: string; today: string } };

export type ReenrolWorker = { type: 'ReenrolWorker'; data: { enrolledOn: string; today: string } };

export type ChangeWorkerSponsor = {
  type: 'ChangeWorkerSponsor';
  data: { sponsorId: string; sponsor: SponsorLookup; today: string };
};

/** A correction of the worker's details: the fields given are the corrected values; only those that differ are recorded. */
export type CorrectWorkerDetails = {
  type: 'CorrectWorkerDetails';
  data: {
    fullName?: string;
    phone?: string;
    address?: string;
    kecamatan?: string;
    occupation?: Occupation;
    birthDate?: string;
    gender?: Gender;
    reason: string;
    today: string;
  };
};

/** Who funds the worker from `effectiveOn` on; `sponsor` is the lookup of `sponsorId` (ASN_SPONSOR only). */
export type ChangeWorkerFunding = {
  type: 'ChangeWorkerFunding';
  data: { fundingSource: FundingSource; sponsorId?: string; sponsor: SponsorLookup; effectiveOn: string; reason: string; today: string };
};

/** Reversal of a recorded payment that did not happen; `reversedOn` defaults to today in the shell. */
export type ReversePayment = { type: 'ReversePayment'; data: { paymentRef: string; reason: string; reversedOn: string; today: string } };

/** An erasure request (UU PDP); `now` is the instant it is recorded. */
export type EraseWorkerPersonalData = { type: 'EraseWorkerPersonalData'; data: { reason: string; requestRef: string; today: string; now: string } };

export type WorkerCommand =
  | EraseWorkerPersonalData
  | EnrolWorker
  | PayPremium
  | CheckLapse
  | WithdrawWorker
  | ReenrolWorker
  | ChangeWorkerSponsor
  | CorrectWorkerDetails
  | ChangeWorkerFunding
  | ReversePayment;

// ---------------------------------------------------------------- state

/** The reversal of a payment, once recorded: a reversal asked for again answers with it. */
export interface RecordedReversal {
  reversedOn: string;
  reason: string;
  statusAfter: WorkerStatus;
  position: bigint | null;
}

/** A payment as recorded, kept per payment reference to answer a resubmission and to reverse it. */
export interface RecordedPayment {
  /** Canonical form of the submitted content: equal fingerprints mean an identical resubmission. */
  fingerprint: string;
  months: number;
  amount: number;
  paidOn: string;
  payer: Payer;
  opdCode: string | null;
  coveredFrom: string;
  coveredThrough: string;
  statusAfter: WorkerStatus;
  /** Log position of the PremiumPaid (null while only decided, in specs): a replay answers with it. */
  position: bigint | null;
  /** The membership period it was paid in (0 for the first enrolment, +1 per re-enrolment). */
  period: number;
  /** The period's paid-through month before this payment: what a reversal restores. */
  paidThroughBefore: YearMonth | null;
  reversal: RecordedReversal | null;
}

/** How the current membership period ended: the date it ended (by the rules, or the withdrawal's own) and why. */
export interface PeriodEnd {
  on: string;
  cause: CoverageEnded['data']['cause'];
}

export interface EnrolledWorkerState {
  enrolled: true;
  workerId: string;
  /** Personal fields: null once the worker's personal data has been erased. */
  nik: string | null;
  fullName: string | null;
  birthDate: string | null;
  phone: string | null;
  address: string | null;
  gender: Gender;
  occupation: Occupation;
  kecamatan: string;
  fundingSource: FundingSource;
  sponsorId: string | null;
  /** Start of the current membership period. */
  enrolledOn: string;
  /** 0 for the first enrolment, +1 per re-enrolment. */
  period: number;
  /** Last contribution month paid (and not reversed) in the current period; null while nothing is. */
  paidThrough: YearMonth | null;
  /** Contribution months paid over every membership period, less those reversed. */
  monthsContributed: number;
  /**
   * The status the events say: PENDING on (re-)enrolment, a payment's or reversal's `statusAfter`, then what
   * the lapse check or a withdrawal recorded. `statusAsOf` is what the rules say; the lapse check closes the gap.
   */
  recordedStatus: WorkerStatus;
  /** `occurredOn` of the last CoverageLapsed / CoverageEnded of the current period. */
  statusRecordedOn: string | null;
  /** The recorded end of the current period; a payment dated before an end by the rules lifts it. */
  end: PeriodEnd | null;
  /** Every payment of the worker's whole history, by payment reference. */
  payments: ReadonlyMap<string, RecordedPayment>;
  /** The erasure of the worker's personal data, once recorded (an erasure asked for again answers with it). */
  erasure: { erasedAt: string; position: bigint | null } | null;
  /** The payment reference reversed by the stream's last event, when that event was a reversal. */
  lastEventReversed: string | null;
}

export type WorkerState = { enrolled: false } | EnrolledWorkerState;

export const initialState = (): WorkerState => ({ enrolled: false });

/** U of domain.md: the enrolment month if nothing was paid in the current period, else `paidThrough + 1`. */
export function firstUnpaidMonth(state: EnrolledWorkerState): YearMonth {
  return state.paidThrough ? state.paidThrough.plus(1) : YearMonth.ofDate(state.enrolledOn);
}

/** A month's premium is due by this day (`YYYY-MM-DD`). */
export function dueDate(month: YearMonth, policy: Policy): string {
  return month.day(policy.dueDay);
}

function statusFrom(firstUnpaid: YearMonth, paidInPeriod: boolean, date: string, policy: Policy): WorkerStatus {
  if (date > dueDate(firstUnpaid.plus(policy.arrearsWindowMonths), policy)) return 'ENDED';
  if (!paidInPeriod) return 'PENDING';
  const month = YearMonth.ofDate(date);
  if (firstUnpaid.isAfter(month)) return 'ACTIVE';
  if (firstUnpaid.equals(month) && date <= dueDate(firstUnpaid, policy)) return 'ACTIVE';
  return 'LAPSED';
}

/**
 * Status of domain.md as of `date`, judged by the rules on what the state knows: ENDED from a recorded end's
 * date on (a withdrawal's own date, or the end the rules gave), otherwise what U, the due day and the arrears
 * window say for that date, whatever a later-running check has recorded since. Meant for dates within the
 * current membership period; for a past view, fold the events up to that date first.
 */
export function statusAsOf(state: EnrolledWorkerState, date: string, policy: Policy): WorkerStatus {
  if (state.end && date >= state.end.on) return 'ENDED';
  return statusFrom(firstUnpaidMonth(state), state.paidThrough !== null, date, policy);
}

/** The time-driven event for a status the rules reached, dated as the rules date it (domain.md, "Status of a worker"). */
function timeDrivenEvent(worker: EnrolledWorkerState, status: 'LAPSED' | 'ENDED', asOf: string, policy: Policy): CoverageLapsed | CoverageEnded {
  const firstUnpaid = firstUnpaidMonth(worker);
  const facts = {
    workerId: worker.workerId,
    asOf,
    firstUnpaidMonth: firstUnpaid.toString(),
    paidThrough: worker.paidThrough?.toString() ?? null,
  };
  return status === 'ENDED'
    ? {
        type: 'CoverageEnded',
        data: { ...facts, cause: 'ARREARS_WINDOW_PASSED', occurredOn: endedOn(firstUnpaid, policy.dueDay, policy.arrearsWindowMonths) },
      }
    : { type: 'CoverageLapsed', data: { ...facts, occurredOn: lapsedOn(firstUnpaid, policy.dueDay) } };
}

// ---------------------------------------------------------------- evolve

function paymentFingerprint(content: { months: number; amount: number; paidOn: string; payer: Payer }): string {
  const { months, amount, paidOn, payer } = content;
  return JSON.stringify([months, amount, paidOn, payer?.type ?? null, payer?.sponsorId ?? null, payer?.name ?? null]);
}

function laterMonth(a: YearMonth | null, b: YearMonth): YearMonth {
  return a && a.isAfter(b) ? a : b;
}

const STILL_STANDING: WorkerStatus[] = ['ACTIVE', 'PENDING'];

/**
 * A reversal's answer carries the position of the last event it recorded: the status change it caused, when
 * it caused one (recorded right after it, as of the reversal's date), else the reversal itself.
 */
function withReversalEnd(state: EnrolledWorkerState, event: Evolving<CoverageLapsed | CoverageEnded>): ReadonlyMap<string, RecordedPayment> {
  const ref = state.lastEventReversed;
  const payment = ref ? state.payments.get(ref) : undefined;
  if (!ref || !payment?.reversal || payment.reversal.reversedOn !== event.data.asOf) return state.payments;
  const payments = new Map(state.payments);
  payments.set(ref, { ...payment, reversal: { ...payment.reversal, position: event.position ?? payment.reversal.position } });
  return payments;
}

export function evolve(state: WorkerState, event: Evolving<WorkerEvent>): WorkerState {
  if (event.type === 'WorkerEnrolled') {
    const d = event.data;
    return {
      enrolled: true,
      workerId: d.workerId,
      nik: d.nik,
      fullName: d.fullName,
      birthDate: d.birthDate,
      phone: d.phone ?? null,
      address: d.address ?? null,
      gender: d.gender,
      occupation: d.occupation,
      kecamatan: d.kecamatan,
      fundingSource: d.fundingSource,
      sponsorId: d.sponsorId ?? null,
      enrolledOn: d.enrolledOn,
      period: 0,
      paidThrough: null,
      monthsContributed: 0,
      recordedStatus: 'PENDING',
      statusRecordedOn: null,
      end: null,
      payments: new Map(),
      erasure: null,
      lastEventReversed: null,
    };
  }
  if (!state.enrolled) return state;
  const next = evolveEnrolled(state, event);
  const lastEventReversed = event.type === 'PremiumPaymentReversed' ? event.data.paymentRef : null;
  return next.lastEventReversed === lastEventReversed ? next : { ...next, lastEventReversed };
}

function evolveEnrolled(state: EnrolledWorkerState, event: Evolving<Exclude<WorkerEvent, WorkerEnrolled>>): EnrolledWorkerState {
  switch (event.type) {
    case 'PremiumPaid': {
      const { paymentRef, months, amount, paidOn, payer, opdCode, coveredFrom, coveredThrough, statusAfter } = event.data;
      const payments = new Map(state.payments);
      payments.set(paymentRef, {
        fingerprint: paymentFingerprint(event.data),
        months,
        amount,
        paidOn,
        payer,
        opdCode,
        coveredFrom,
        coveredThrough,
        statusAfter,
        position: event.position ?? null,
        period: state.period,
        paidThroughBefore: state.paidThrough,
        reversal: null,
      });
      // A payment dated before an end by the rules was arrears paid in time: that end no longer holds.
      const end = state.end && state.end.cause === 'ARREARS_WINDOW_PASSED' && paidOn < state.end.on ? null : state.end;
      return {
        ...state,
        paidThrough: laterMonth(state.paidThrough, YearMonth.parse(coveredThrough)),
        monthsContributed: state.monthsContributed + months,
        recordedStatus: end ? 'ENDED' : statusAfter,
        end,
        payments,
      };
    }
    case 'PremiumPaymentReversed': {
      const { paymentRef, months, reversedOn, reason, paidThroughAfter, statusAfter } = event.data;
      const payment = state.payments.get(paymentRef);
      const payments = new Map(state.payments);
      if (payment) payments.set(paymentRef, { ...payment, reversal: { reversedOn, reason, statusAfter, position: event.position ?? null } });
      return {
        ...state,
        paidThrough: paidThroughAfter === null ? null : YearMonth.parse(paidThroughAfter),
        monthsContributed: state.monthsContributed - months,
        // LAPSED and ENDED are recorded by the CoverageLapsed / CoverageEnded that follows the reversal.
        recordedStatus: !state.end && STILL_STANDING.includes(statusAfter) ? statusAfter : state.recordedStatus,
        payments,
      };
    }
    case 'CoverageLapsed':
      return { ...state, recordedStatus: 'LAPSED', statusRecordedOn: event.data.occurredOn, payments: withReversalEnd(state, event) };
    case 'CoverageEnded':
      return {
        ...state,
        recordedStatus: 'ENDED',
        statusRecordedOn: event.data.occurredOn,
        end: { on: event.data.occurredOn, cause: event.data.cause },
        payments: withReversalEnd(state, event),
      };
    case 'WorkerReenrolled':
      return {
        ...state,
        enrolledOn: event.data.enrolledOn,
        period: state.period + 1,
        paidThrough: null,
        recordedStatus: 'PENDING',
        statusRecordedOn: null,
        end: null,
      };
    case 'WorkerSponsorChanged':
      return { ...state, sponsorId: event.data.toSponsorId, fundingSource: event.data.fundingSource };
    case 'WorkerFundingChanged':
      return { ...state, fundingSource: event.data.toFundingSource, sponsorId: event.data.toSponsorId };
    case 'WorkerDetailsCorrected': {
      const { workerId: _w, reason: _r, occurredOn: _o, ...fields } = event.data;
      const changed = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      return { ...state, ...changed } as EnrolledWorkerState;
    }
    case 'PersonalDataErased':
      return {
        ...state,
        nik: null,
        fullName: null,
        birthDate: null,
        phone: null,
        address: null,
        erasure: { erasedAt: event.data.erasedAt, position: event.position ?? null },
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

// ---------------------------------------------------------------- decide

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, field);
}

function requireText(value: string | undefined, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, `${field} is required`);
}

function requireEnrolled(state: WorkerState): EnrolledWorkerState {
  if (!state.enrolled) throw new DomainError('NOT_FOUND', 'Worker is not enrolled');
  return state;
}

function requireUsableSponsor(sponsorId: string, sponsor: SponsorLookup, field: string): void {
  if (!sponsor || !sponsor.exists) throw new DomainError('UNKNOWN_SPONSOR', `Sponsor ${sponsorId} is not registered`, field);
  if (sponsor.withdrawn) throw new DomainError('SPONSOR_WITHDRAWN', `Sponsor ${sponsorId} has withdrawn`, field);
}

function requireEnrolmentDate(enrolledOn: string, today: string, policy: Policy): void {
  if (enrolledOn > today) throw invalid('enrolledOn', 'enrolledOn may not be in the future');
  if (!hasTariffFor(YearMonth.ofDate(enrolledOn), policy)) {
    throw invalid('enrolledOn', 'No premium tariff applies to the month of enrolledOn');
  }
}

function requireEnrolmentAge(birthDate: string, enrolledOn: string, policy: Policy): void {
  if (ageInMonths(birthDate, enrolledOn) > policy.maxEnrolmentAgeMonths) {
    const max = policy.maxEnrolmentAgeMonths;
    throw new DomainError(
      'AGE_LIMIT_EXCEEDED',
      `At enrolment a worker is at most ${Math.floor(max / 12)} years ${max % 12} months old`,
      'birthDate',
    );
  }
}

/**
 * Checks, in this order: the stream must be new (else CONCURRENCY_CONFLICT: worker ids come from the
 * server, so an existing stream means a raced or repeated id); field validation (VALIDATION_FAILED with
 * the field: nik structure, fullName, birthDate, gender, occupation, kecamatan, fundingSource, sponsorId
 * required for ASN_SPONSOR and refused otherwise, enrolledOn real and not in the future, birthDate not
 * after enrolledOn); NIK_MISMATCH; AGE_LIMIT_EXCEEDED; UNKNOWN_SPONSOR; SPONSOR_WITHDRAWN.
 */
export function enrolWorker(command: EnrolWorker, state: WorkerState, policy: Policy): [WorkerEnrolled] {
  const d = command.data;
  if (state.enrolled) throw new DomainError('CONCURRENCY_CONFLICT', `Worker ${d.workerId} already exists`);

  const nikCheck = validateNik(d.nik, d.today);
  if (!nikCheck.ok) throw invalid('nik', nikCheck.message);
  const sponsored = d.fundingSource === 'ASN_SPONSOR';
  if (sponsored) requireText(d.sponsorId, 'sponsorId');
  else if (d.sponsorId !== undefined) throw invalid('sponsorId', 'sponsorId is only given with fundingSource ASN_SPONSOR');
  requireEnrolmentDate(d.enrolledOn, d.today, policy);
  if (d.birthDate > d.enrolledOn) throw invalid('birthDate', 'birthDate is after enrolledOn');

  if (!nikMatches(d.nik, d.birthDate, d.gender)) {
    throw new DomainError('NIK_MISMATCH', "The NIK's birth date or gender disagree with the declared ones", 'nik');
  }
  requireEnrolmentAge(d.birthDate, d.enrolledOn, policy);
  if (sponsored) requireUsableSponsor(d.sponsorId as string, d.sponsor, 'sponsorId');

  return [
    {
      type: 'WorkerEnrolled',
      data: {
        workerId: d.workerId,
        nik: d.nik,
        fullName: d.fullName,
        birthDate: d.birthDate,
        gender: d.gender,
        occupation: d.occupation,
        kecamatan: d.kecamatan,
        ...(d.address !== undefined ? { address: d.address } : {}),
        ...(d.phone !== undefined ? { phone: d.phone } : {}),
        fundingSource: d.fundingSource,
        ...(sponsored ? { sponsorId: d.sponsorId } : {}),
        enrolledOn: d.enrolledOn,
        occurredOn: d.enrolledOn,
      },
    },
  ];
}

// -------------------------------- payments

/** The answer to a payment, first time or replayed. */
export interface PaymentResult {
  coveredFrom: string;
  coveredThrough: string;
  amount: number;
  /** The worker's status right after the payment, as of its `paidOn`. */
  status: WorkerStatus;
}

export type PaymentDecision =
  | { kind: 'recorded'; events: [PremiumPaid]; result: PaymentResult }
  /** An identical resubmission: the original answer, and where the original was recorded. */
  | { kind: 'replay'; events: []; result: PaymentResult; position: bigint | null };

/**
 * The worker's status as of `paidOn` right after a payment covering through `coveredThrough`: the
 * `statusAfter` of PremiumPaid. It equals `statusAsOf(state right after the payment, paidOn)`: a payment
 * is only accepted while the worker is not ENDED, so afterwards the status depends only on the new U
 * (`coveredThrough + 1`) and `paidOn`: ACTIVE, or LAPSED when arrears remain past their due date.
 */
export function statusAfterPayment(coveredThrough: YearMonth, paidOn: string, policy: Policy): WorkerStatus {
  return statusFrom(coveredThrough.plus(1), true, paidOn, policy);
}

/** The answer to a payment, read from what was recorded, so a resubmission gets the original answer. */
export function paymentResult(
  payment: Pick<RecordedPayment, 'coveredFrom' | 'coveredThrough' | 'amount' | 'statusAfter'>,
): PaymentResult {
  return {
    coveredFrom: payment.coveredFrom,
    coveredThrough: payment.coveredThrough,
    amount: payment.amount,
    status: payment.statusAfter,
  };
}

/**
 * Checks, in this order:
 *  1. the worker is enrolled, else NOT_FOUND;
 *  2. `paymentRef` given, else VALIDATION_FAILED;
 *  3. the reference already recorded on this worker: identical content (months, amount, paidOn, payer)
 *     → replay of the original answer, no events; different content, or a reversed payment's reference
 *     (it stays used for good) → PAYMENT_REF_CONFLICT. This comes
 *     before every other rule so that a resubmission answers the same even after the worker moved on;
 *  4. `months` an integer (VALIDATION_FAILED) and one of `policy.paymentPeriods` (INVALID_PAYMENT_PERIOD);
 *  5. `paidOn` a real date (VALIDATION_FAILED), not after today nor before the current period's enrolment
 *     (PAYMENT_DATE_INVALID);
 *  6. status as of `paidOn` by the rules ENDED → COVERAGE_ENDED (a payment dated while the worker was LAPSED
 *     is arrears, accepted even when a later-running check has recorded the end since);
 *  7. coverage runs from U for `months` months; beyond month(paidOn) + maxPrepayMonths → PREPAY_LIMIT_EXCEEDED;
 *  8. amount ≠ the sum of the dated tariffs of those months → INVALID_PAYMENT_AMOUNT;
 *  9. payer: type known; ASN_SPONSOR needs `sponsorId` (VALIDATION_FAILED), a registered (UNKNOWN_SPONSOR)
 *     and not withdrawn (SPONSOR_WITHDRAWN) sponsor; CSR needs the company's `name` (VALIDATION_FAILED).
 */
export function decidePayment(command: PayPremium, state: WorkerState, policy: Policy): PaymentDecision {
  const worker = requireEnrolled(state);
  const { paymentRef, months, amount, paidOn, payer, payerOpdCode, payerSponsor, today } = command.data;

  const earlier = worker.payments.get(paymentRef);
  if (earlier) {
    if (earlier.reversal) {
      throw new DomainError(
        'PAYMENT_REF_CONFLICT',
        `Payment ${paymentRef} was reversed on ${earlier.reversal.reversedOn}: a reversed reference is never recorded again`,
        'paymentRef',
      );
    }
    if (earlier.fingerprint !== paymentFingerprint(command.data)) {
      throw new DomainError('PAYMENT_REF_CONFLICT', `Payment ${paymentRef} was recorded with different content`, 'paymentRef');
    }
    return { kind: 'replay', events: [], result: paymentResult(earlier), position: earlier.position };
  }

  if (!policy.paymentPeriods.includes(months)) {
    throw new DomainError(
      'INVALID_PAYMENT_PERIOD',
      `A payment covers ${policy.paymentPeriods.join(', ')} months`,
      'months',
    );
  }

  if (paidOn > today) throw new DomainError('PAYMENT_DATE_INVALID', 'paidOn is in the future', 'paidOn');
  if (paidOn < worker.enrolledOn) {
    throw new DomainError('PAYMENT_DATE_INVALID', `paidOn is before the enrolment date ${worker.enrolledOn}`, 'paidOn');
  }

  if (statusAsOf(worker, paidOn, policy) === 'ENDED') {
    throw new DomainError('COVERAGE_ENDED', 'The membership has ended: re-enrol the worker before paying');
  }

  const coveredFrom = firstUnpaidMonth(worker);
  const coveredThrough = coveredFrom.plus(months - 1);
  const prepayLimit = YearMonth.ofDate(paidOn).plus(policy.maxPrepayMonths);
  if (coveredThrough.isAfter(prepayLimit)) {
    throw new DomainError(
      'PREPAY_LIMIT_EXCEEDED',
      `Coverage through ${coveredThrough.toString()} runs past ${prepayLimit.toString()}`,
      'months',
    );
  }

  const due = amountFor(coveredFrom, months, policy);
  if (amount !== due) {
    throw new DomainError(
      'INVALID_PAYMENT_AMOUNT',
      `${months} month(s) from ${coveredFrom.toString()} cost ${due} rupiah`,
      'amount',
    );
  }

  const paidBySponsor = payer.type === 'ASN_SPONSOR';
  if (paidBySponsor) {
    requireText(payer.sponsorId, 'payer.sponsorId');
    requireUsableSponsor(payer.sponsorId as string, payerSponsor, 'payer.sponsorId');
    // Per-OPD premium totals depend on it: a missing OPD here is a bug in the command handler.
    if (!payerOpdCode) throw new Error('payerOpdCode is required when an ASN sponsor pays');
  }
  if (payer.type === 'CSR') requireText(payer.name, 'payer.name');

  const event: PremiumPaid = {
    type: 'PremiumPaid',
    data: {
      workerId: worker.workerId,
      paymentRef,
      months,
      amount,
      paidOn,
      payer: {
        type: payer.type,
        ...(payer.sponsorId !== undefined ? { sponsorId: payer.sponsorId } : {}),
        ...(payer.name !== undefined ? { name: payer.name } : {}),
      },
      opdCode: paidBySponsor ? payerOpdCode : null,
      coveredFrom: coveredFrom.toString(),
      coveredThrough: coveredThrough.toString(),
      statusAfter: statusAfterPayment(coveredThrough, paidOn, policy),
      occurredOn: paidOn,
    },
  };
  return { kind: 'recorded', events: [event], result: paymentResult(event.data) };
}

// -------------------------------- lapse check, withdrawal, re-enrolment, sponsor

/**
 * Records what the passing of time did as of `asOf`: LAPSED → CoverageLapsed; ENDED → CoverageEnded
 * (ARREARS_WINDOW_PASSED) only, even straight from ACTIVE or PENDING. Each carries the date the rules give
 * (`occurredOn`: the day after the due date of U, or of U + window) and the run's `asOf`. Nothing when the
 * recorded status already says so, when the period has a recorded end, when the status by the rules is
 * ACTIVE or PENDING (only a payment brings a worker back), or when `asOf` precedes the current enrolment or
 * the last status already recorded.
 */
export function checkLapse(command: CheckLapse, state: WorkerState, policy: Policy): (CoverageLapsed | CoverageEnded)[] {
  const worker = requireEnrolled(state);
  const { asOf, today } = command.data;
  if (asOf > today) throw invalid('asOf', 'asOf may not be in the future');
  if (worker.end || asOf < worker.enrolledOn || (worker.statusRecordedOn !== null && asOf < worker.statusRecordedOn)) return [];
  const status = statusAsOf(worker, asOf, policy);
  if (status === worker.recordedStatus || (status !== 'LAPSED' && status !== 'ENDED')) return [];
  return [timeDrivenEvent(worker, status, asOf, policy)];
}

/**
 * Withdrawal (death, moved away, …) ends the membership today. A period that has ended already is left as is;
 * one the rules ended but no check recorded yet gets that end recorded, as the lapse check would.
 */
export function withdrawWorker(command: WithdrawWorker, state: WorkerState, policy: Policy): CoverageEnded[] {
  const worker = requireEnrolled(state);
  const { reason, today } = command.data;
  if (worker.end) return [];
  if (statusAsOf(worker, today, policy) === 'ENDED') return [timeDrivenEvent(worker, 'ENDED', today, policy) as CoverageEnded];
  return [
    {
      type: 'CoverageEnded',
      data: {
        workerId: worker.workerId,
        asOf: today,
        cause: 'WITHDRAWN',
        reason,
        firstUnpaidMonth: firstUnpaidMonth(worker).toString(),
        paidThrough: worker.paidThrough?.toString() ?? null,
        occurredOn: today,
      },
    },
  ];
}

/**
 * A new membership period, judged as of `enrolledOn`: the membership must have ended by then (withdrawn on or
 * before it, or ended by the rules: recorded or not, whenever a check ran). An end the rules gave but no check
 * recorded is recorded first, so the log tells the story. Order: NOT_FOUND, NOT_REENROLLABLE (erased),
 * VALIDATION_FAILED (enrolledOn), NOT_REENROLLABLE, AGE_LIMIT_EXCEEDED. NIK uniqueness is the handler's.
 */
export function reenrolWorker(command: ReenrolWorker, state: WorkerState, policy: Policy): (CoverageEnded | WorkerReenrolled)[] {
  const worker = requireEnrolled(state);
  const { enrolledOn, today } = command.data;
  if (worker.erasure || worker.birthDate === null) {
    throw new DomainError('NOT_REENROLLABLE', "The worker's personal data has been erased: enrol the person again as a new worker", 'enrolledOn');
  }
  requireEnrolmentDate(enrolledOn, today, policy);
  if (enrolledOn <= worker.enrolledOn || statusAsOf(worker, enrolledOn, policy) !== 'ENDED') {
    throw new DomainError('NOT_REENROLLABLE', `The membership has not ended as of ${enrolledOn}`, 'enrolledOn');
  }
  requireEnrolmentAge(worker.birthDate, enrolledOn, policy);
  const reenrolled: WorkerReenrolled = { type: 'WorkerReenrolled', data: { workerId: worker.workerId, enrolledOn, occurredOn: enrolledOn } };
  return worker.end ? [reenrolled] : [timeDrivenEvent(worker, 'ENDED', enrolledOn, policy) as CoverageEnded, reenrolled];
}

function requireNotErased(worker: EnrolledWorkerState): void {
  if (worker.erasure) throw new DomainError('COVERAGE_ENDED', "The membership has ended and the worker's personal data has been erased");
}

/** The worker becomes funded by the given ASN sponsor; naming the current sponsor again changes nothing. */
export function changeWorkerSponsor(command: ChangeWorkerSponsor, state: WorkerState): WorkerSponsorChanged[] {
  const worker = requireEnrolled(state);
  const { sponsorId, sponsor, today } = command.data;
  requireNotErased(worker);
  requireUsableSponsor(sponsorId, sponsor, 'sponsorId');
  if (worker.fundingSource === 'ASN_SPONSOR' && worker.sponsorId === sponsorId) return [];
  return [
    {
      type: 'WorkerSponsorChanged',
      data: { workerId: worker.workerId, fromSponsorId: worker.sponsorId, toSponsorId: sponsorId, fundingSource: 'ASN_SPONSOR', occurredOn: today },
    },
  ];
}

// -------------------------------- corrections

const CORRECTABLE = ['fullName', 'phone', 'address', 'kecamatan', 'occupation', 'birthDate', 'gender'] as const;

/**
 * A correction records only the fields whose value changes, with the reason; one that changes nothing records
 * nothing. Birth date and gender must still agree with the NIK (NIK_MISMATCH) and keep the current enrolment
 * within the age limit (AGE_LIMIT_EXCEEDED); a NIK is never corrected (withdraw with DATA_ERROR and enrol the
 * right person). Order: NOT_FOUND, COVERAGE_ENDED (erased), VALIDATION_FAILED, NIK_MISMATCH, AGE_LIMIT_EXCEEDED.
 */
export function correctWorkerDetails(command: CorrectWorkerDetails, state: WorkerState, policy: Policy): WorkerDetailsCorrected[] {
  const worker = requireEnrolled(state);
  requireNotErased(worker);
  const { reason, today } = command.data;
  requireText(reason, 'reason');
  if (command.data.fullName !== undefined) requireText(command.data.fullName, 'fullName');
  const changed: Partial<Pick<WorkerDetailsCorrected['data'], (typeof CORRECTABLE)[number]>> = {};
  for (const field of CORRECTABLE) {
    const value = command.data[field];
    if (value !== undefined && value !== worker[field]) Object.assign(changed, { [field]: value });
  }
  if (Object.keys(changed).length === 0) return [];
  if (changed.birthDate !== undefined || changed.gender !== undefined) {
    const birthDate = changed.birthDate ?? (worker.birthDate as string);
    const gender = changed.gender ?? worker.gender;
    if (birthDate > today) throw invalid('birthDate', 'birthDate may not be in the future');
    if (!nikMatches(worker.nik as string, birthDate, gender)) {
      throw new DomainError('NIK_MISMATCH', "The NIK's birth date or gender disagree with the corrected ones", changed.birthDate ? 'birthDate' : 'gender');
    }
    requireEnrolmentAge(birthDate, worker.enrolledOn, policy);
  }
  return [{ type: 'WorkerDetailsCorrected', data: { workerId: worker.workerId, ...changed, reason, occurredOn: today } }];
}

/**
 * Who funds the worker, from `effectiveOn` (not in the future, not before the current enrolment). ASN_SPONSOR
 * needs a registered, not withdrawn sponsor; other sources take no sponsor. The same source and sponsor again
 * records nothing.
 */
export function changeWorkerFunding(command: ChangeWorkerFunding, state: WorkerState): WorkerFundingChanged[] {
  const worker = requireEnrolled(state);
  requireNotErased(worker);
  const { fundingSource, sponsorId, sponsor, effectiveOn, reason, today } = command.data;
  requireText(reason, 'reason');
  if (effectiveOn > today) throw invalid('effectiveOn', 'effectiveOn may not be in the future');
  if (effectiveOn < worker.enrolledOn) throw invalid('effectiveOn', `effectiveOn is before the enrolment date ${worker.enrolledOn}`);
  const sponsored = fundingSource === 'ASN_SPONSOR';
  if (sponsored) {
    requireText(sponsorId, 'sponsorId');
    requireUsableSponsor(sponsorId as string, sponsor, 'sponsorId');
  } else if (sponsorId !== undefined) {
    throw invalid('sponsorId', 'sponsorId is only given with fundingSource ASN_SPONSOR');
  }
  const toSponsorId = sponsored ? (sponsorId as string) : null;
  if (worker.fundingSource === fundingSource && worker.sponsorId === toSponsorId) return [];
  return [
    {
      type: 'WorkerFundingChanged',
      data: {
        workerId: worker.workerId,
        fromFundingSource: worker.fundingSource,
        fromSponsorId: worker.sponsorId,
        toFundingSource: fundingSource,
        toSponsorId,
        effectiveOn,
        reason,
        occurredOn: effectiveOn,
      },
    },
  ];
}

/** The answer to a reversal, first time or asked again. */
export type ReversalDecision =
  | { kind: 'recorded'; events: [PremiumPaymentReversed, ...(CoverageLapsed | CoverageEnded)[]]; result: PaymentResult }
  | { kind: 'replay'; events: []; result: PaymentResult; position: bigint | null };

function latestStandingPayment(worker: EnrolledWorkerState): [string, RecordedPayment] | undefined {
  const paidThrough = worker.paidThrough?.toString();
  return [...worker.payments].find(([, p]) => !p.reversal && p.period === worker.period && p.coveredThrough === paidThrough);
}

/**
 * Reverses a recorded payment that did not happen. Only the worker's latest standing payment of the current
 * membership period can be (covered months stay consecutive): its months are no longer paid, `paidThrough`
 * is what it was before it, and the status as of `reversedOn` is recorded as the lapse check would
 * (CoverageLapsed / CoverageEnded dated by the rules). Asking again answers the first reversal, records
 * nothing. Order: NOT_FOUND (worker, or payment not on it), replay, VALIDATION_FAILED (reason, reversedOn not
 * in the future nor before the payment), REVERSAL_NOT_LATEST.
 */
export function reversePayment(command: ReversePayment, state: WorkerState, policy: Policy): ReversalDecision {
  const worker = requireEnrolled(state);
  const { paymentRef, reason, reversedOn, today } = command.data;
  const payment = worker.payments.get(paymentRef);
  if (!payment) throw new DomainError('NOT_FOUND', `Payment ${paymentRef} is not recorded for this worker`, 'paymentRef');
  if (payment.reversal) {
    return {
      kind: 'replay',
      events: [],
      result: paymentResult({ ...payment, statusAfter: payment.reversal.statusAfter }),
      position: payment.reversal.position,
    };
  }
  requireText(reason, 'reason');
  if (reversedOn > today) throw invalid('reversedOn', 'reversedOn may not be in the future');
  if (reversedOn < payment.paidOn) throw invalid('reversedOn', `reversedOn is before the payment date ${payment.paidOn}`);
  const latest = latestStandingPayment(worker);
  if (!latest || latest[0] !== paymentRef) {
    const which = latest ? `the latest standing payment is ${latest[0]}` : 'no payment of the current membership period stands';
    throw new DomainError('REVERSAL_NOT_LATEST', `Only the latest standing payment can be reversed: ${which}`, 'paymentRef');
  }

  const after: EnrolledWorkerState = { ...worker, paidThrough: payment.paidThroughBefore };
  const statusAfter = statusAsOf(after, reversedOn, policy);
  const lastPaymentOnAfter = [...worker.payments]
    .filter(([ref, p]) => ref !== paymentRef && !p.reversal)
    .reduce<string | null>((latestOn, [, p]) => (latestOn === null || p.paidOn > latestOn ? p.paidOn : latestOn), null);
  const reversal: PremiumPaymentReversed = {
    type: 'PremiumPaymentReversed',
    data: {
      workerId: worker.workerId,
      paymentRef,
      months: payment.months,
      amount: payment.amount,
      paidOn: payment.paidOn,
      payer: payment.payer,
      opdCode: payment.opdCode,
      coveredFrom: payment.coveredFrom,
      coveredThrough: payment.coveredThrough,
      reversedOn,
      reason,
      paidThroughAfter: payment.paidThroughBefore?.toString() ?? null,
      lastPaymentOnAfter,
      statusAfter,
      // Void from the start: as of any date from the payment's own on, it is as if it had never been made.
      occurredOn: payment.paidOn,
    },
  };
  const recordsChange =
    !after.end && (statusAfter === 'ENDED' || statusAfter === 'LAPSED') && statusAfter !== worker.recordedStatus;
  const statusEvents = recordsChange ? [timeDrivenEvent(after, statusAfter, reversedOn, policy)] : [];
  return {
    kind: 'recorded',
    events: [reversal, ...statusEvents],
    result: paymentResult({ ...payment, statusAfter }),
  };
}

/** The answer to an erasure, first time or asked again. */
export interface ErasureResult {
  erasedAt: string;
  /** Where the erasure was recorded; null when it is being recorded now. */
  position: bigint | null;
  /** The NIK whose reservation the erasure releases (read before the key is destroyed); null when asked again. */
  releasesNik: string | null;
}

/**
 * Erasure (UU PDP): allowed once the membership has ended (recorded, or by the rules as of today), since active
 * insurance needs the person's identity. Asking again answers the first erasure and records nothing.
 */
export function eraseWorkerPersonalData(
  command: EraseWorkerPersonalData,
  state: WorkerState,
  policy: Policy,
): { events: WorkerPersonalDataErased[]; result: ErasureResult } {
  const worker = requireEnrolled(state);
  const { reason, requestRef, today, now } = command.data;
  if (worker.erasure) return { events: [], result: { ...worker.erasure, releasesNik: null } };
  if (statusAsOf(worker, today, policy) !== 'ENDED') {
    throw new DomainError('ERASURE_NOT_ALLOWED', 'Personal data can be erased only once the membership has ended (withdraw the worker first)');
  }
  return {
    events: [{ type: 'PersonalDataErased', data: { workerId: worker.workerId, reason, requestRef, erasedAt: now, occurredOn: today } }],
    result: { erasedAt: now, position: null, releasesNik: worker.nik },
  };
}

/** Events only; for a payment's or a reversal's answer (and replays) call `decidePayment` / `reversePayment`. */
export function decide(command: WorkerCommand, state: WorkerState, policy: Policy): WorkerEvent[] {
  switch (command.type) {
    case 'EnrolWorker':
      return enrolWorker(command, state, policy);
    case 'PayPremium':
      return decidePayment(command, state, policy).events;
    case 'CheckLapse':
      return checkLapse(command, state, policy);
    case 'WithdrawWorker':
      return withdrawWorker(command, state, policy);
    case 'ReenrolWorker':
      return reenrolWorker(command, state, policy);
    case 'ChangeWorkerSponsor':
      return changeWorkerSponsor(command, state);
    case 'CorrectWorkerDetails':
      return correctWorkerDetails(command, state, policy);
    case 'ChangeWorkerFunding':
      return changeWorkerFunding(command, state);
    case 'ReversePayment':
      return reversePayment(command, state, policy).events;
    case 'EraseWorkerPersonalData':
      return eraseWorkerPersonalData(command, state, policy).events;
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown worker command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const workerDecider = { decide, evolve, initialState };
