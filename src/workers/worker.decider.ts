import { DomainError } from '../shared/domain-error';
import type { Evolving } from '../shared/domain-event';
import { ageInMonths, nikMatches, validateNik } from '../shared/identity';
import { amountFor, hasTariffFor, type Policy } from '../shared/policy';
import { YearMonth } from '../shared/year-month';
import {
  type CoverageEnded,
  type CoverageLapsed,
  type FundingSource,
  type Gender,
  type Payer,
  type PremiumPaid,
  type WorkerEnrolled,
  type WorkerEvent,
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

/** An erasure request (UU PDP); `now` is the instant it is recorded. */
export type EraseWorkerPersonalData = { type: 'EraseWorkerPersonalData'; data: { reason: string; requestRef: string; today: string; now: string } };

export type WorkerCommand =
  | EraseWorkerPersonalData
  | EnrolWorker
  | PayPremium
  | CheckLapse
  | WithdrawWorker
  | ReenrolWorker
  | ChangeWorkerSponsor;

// ---------------------------------------------------------------- state

/** A payment as recorded, kept per payment reference to answer a resubmission. */
export interface RecordedPayment {
  /** Canonical form of the submitted content: equal fingerprints mean an identical resubmission. */
  fingerprint: string;
  months: number;
  amount: number;
  paidOn: string;
  payer: Payer;
  coveredFrom: string;
  coveredThrough: string;
  statusAfter: WorkerStatus;
  /** Log position of the PremiumPaid (null while only decided, in specs): a replay answers with it. */
  position: bigint | null;
}

export interface EnrolledWorkerState {
  enrolled: true;
  workerId: string;
  /** Null once the worker's personal data has been erased. */
  nik: string | null;
  birthDate: string | null;
  gender: Gender;
  fundingSource: FundingSource;
  sponsorId: string | null;
  /** Start of the current membership period. */
  enrolledOn: string;
  /** Last contribution month paid in the current period; null while nothing was paid in it. */
  paidThrough: YearMonth | null;
  /** Contribution months paid over every membership period. */
  monthsContributed: number;
  /**
   * The status the events say: PENDING on (re-)enrolment, a payment's `statusAfter`, then what the lapse
   * check or a withdrawal recorded. `statusAsOf` is what it should be; the lapse check closes the gap.
   */
  recordedStatus: WorkerStatus;
  /** `asOf` of the last CoverageLapsed / CoverageEnded of the current period. */
  statusRecordedAsOf: string | null;
  withdrawn: boolean;
  /** `asOf` of the CoverageEnded that ended the current period. */
  endedOn: string | null;
  /** Every payment of the worker's whole history, by payment reference. */
  payments: ReadonlyMap<string, RecordedPayment>;
  /** The erasure of the worker's personal data, once recorded (an erasure asked for again answers with it). */
  erasure: { erasedAt: string; position: bigint | null } | null;
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
 * Status of domain.md as of `date`, from what the state knows now: a recorded end (withdrawal or arrears)
 * stands until re-enrolment whatever the date; otherwise it follows U, the due day and the arrears window.
 * Meant for dates on or after the latest recorded fact; for a past view, fold the events up to that date.
 */
export function statusAsOf(state: EnrolledWorkerState, date: string, policy: Policy): WorkerStatus {
  if (state.withdrawn || state.recordedStatus === 'ENDED') return 'ENDED';
  return statusFrom(firstUnpaidMonth(state), state.paidThrough !== null, date, policy);
}

// ---------------------------------------------------------------- evolve

function paymentFingerprint(content: { months: number; amount: number; paidOn: string; payer: Payer }): string {
  const { months, amount, paidOn, payer } = content;
  return JSON.stringify([months, amount, paidOn, payer?.type ?? null, payer?.sponsorId ?? null, payer?.name ?? null]);
}

function laterMonth(a: YearMonth | null, b: YearMonth): YearMonth {
  return a && a.isAfter(b) ? a : b;
}

export function evolve(state: WorkerState, event: Evolving<WorkerEvent>): WorkerState {
  switch (event.type) {
    case 'WorkerEnrolled':
      return {
        enrolled: true,
        workerId: event.data.workerId,
        nik: event.data.nik,
        birthDate: event.data.birthDate,
        gender: event.data.gender,
        fundingSource: event.data.fundingSource,
        sponsorId: event.data.sponsorId ?? null,
        enrolledOn: event.data.enrolledOn,
        paidThrough: null,
        monthsContributed: 0,
        recordedStatus: 'PENDING',
        statusRecordedAsOf: null,
        withdrawn: false,
        endedOn: null,
        payments: new Map(),
        erasure: null,
      };
    case 'PremiumPaid': {
      if (!state.enrolled) return state;
      const { paymentRef, months, amount, paidOn, payer, coveredFrom, coveredThrough, statusAfter } = event.data;
      const payments = new Map(state.payments);
      payments.set(paymentRef, {
        fingerprint: paymentFingerprint(event.data),
        months,
        amount,
        paidOn,
        payer,
        coveredFrom,
        coveredThrough,
        statusAfter,
        position: event.position ?? null,
      });
      return {
        ...state,
        paidThrough: laterMonth(state.paidThrough, YearMonth.parse(coveredThrough)),
        monthsContributed: state.monthsContributed + months,
        recordedStatus: statusAfter,
        payments,
      };
    }
    case 'CoverageLapsed':
      if (!state.enrolled) return state;
      return { ...state, recordedStatus: 'LAPSED', statusRecordedAsOf: event.data.asOf };
    case 'CoverageEnded':
      if (!state.enrolled) return state;
      return {
        ...state,
        recordedStatus: 'ENDED',
        statusRecordedAsOf: event.data.asOf,
        withdrawn: state.withdrawn || event.data.cause === 'WITHDRAWN',
        endedOn: event.data.asOf,
      };
    case 'WorkerReenrolled':
      if (!state.enrolled) return state;
      return {
        ...state,
        enrolledOn: event.data.enrolledOn,
        paidThrough: null,
        recordedStatus: 'PENDING',
        statusRecordedAsOf: null,
        withdrawn: false,
        endedOn: null,
      };
    case 'WorkerSponsorChanged':
      if (!state.enrolled) return state;
      return { ...state, sponsorId: event.data.toSponsorId, fundingSource: event.data.fundingSource };
    case 'PersonalDataErased':
      if (!state.enrolled) return state;
      return { ...state, nik: null, birthDate: null, erasure: { erasedAt: event.data.erasedAt, position: event.position ?? null } };
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
 *     → replay of the original answer, no events; different content → PAYMENT_REF_CONFLICT. This comes
 *     before every other rule so that a resubmission answers the same even after the worker moved on;
 *  4. `months` an integer (VALIDATION_FAILED) and one of `policy.paymentPeriods` (INVALID_PAYMENT_PERIOD);
 *  5. `paidOn` a real date (VALIDATION_FAILED), not after today nor before the current period's enrolment
 *     (PAYMENT_DATE_INVALID);
 *  6. status as of `paidOn` (recorded or computed) ENDED → COVERAGE_ENDED;
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
 * (ARREARS_WINDOW_PASSED) only, even straight from ACTIVE or PENDING. Nothing when the recorded status
 * already says so, when the membership already ended, when the computed status is ACTIVE or PENDING
 * (only a payment brings a worker back), or when `asOf` precedes what was already recorded or the
 * current enrolment.
 */
export function checkLapse(command: CheckLapse, state: WorkerState, policy: Policy): (CoverageLapsed | CoverageEnded)[] {
  const worker = requireEnrolled(state);
  const { asOf, today } = command.data;
  if (asOf > today) throw invalid('asOf', 'asOf may not be in the future');
  if (asOf < worker.enrolledOn || (worker.statusRecordedAsOf !== null && asOf < worker.statusRecordedAsOf)) return [];

  const status = statusAsOf(worker, asOf, policy);
  if (status === worker.recordedStatus) return [];
  const facts = {
    workerId: worker.workerId,
    asOf,
    firstUnpaidMonth: firstUnpaidMonth(worker).toString(),
    paidThrough: worker.paidThrough?.toString() ?? null,
    occurredOn: asOf,
  };
  if (status === 'ENDED') return [{ type: 'CoverageEnded', data: { ...facts, cause: 'ARREARS_WINDOW_PASSED' } }];
  if (status === 'LAPSED') return [{ type: 'CoverageLapsed', data: facts }];
  return [];
}

/** Withdrawal (death, moved away, …) ends the membership today; a worker whose membership ended already is left as is. */
export function withdrawWorker(command: WithdrawWorker, state: WorkerState): CoverageEnded[] {
  const worker = requireEnrolled(state);
  const { reason, today } = command.data;
  if (worker.withdrawn || worker.recordedStatus === 'ENDED') return [];
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
 * A new membership period for a worker whose membership ended (recorded, or computed as of `enrolledOn`).
 * A recorded end must not postdate `enrolledOn`. Order: NOT_FOUND, VALIDATION_FAILED (enrolledOn),
 * NOT_REENROLLABLE, AGE_LIMIT_EXCEEDED. NIK uniqueness at re-enrolment is the handler's.
 */
export function reenrolWorker(command: ReenrolWorker, state: WorkerState, policy: Policy): [WorkerReenrolled] {
  const worker = requireEnrolled(state);
  const { enrolledOn, today } = command.data;
  if (worker.erasure || worker.birthDate === null) {
    throw new DomainError('NOT_REENROLLABLE', "The worker's personal data has been erased: enrol the person again as a new worker", 'enrolledOn');
  }
  requireEnrolmentDate(enrolledOn, today, policy);
  const recordedEnd = worker.withdrawn || worker.recordedStatus === 'ENDED';
  const ended = recordedEnd
    ? worker.endedOn === null || enrolledOn >= worker.endedOn
    : statusAsOf(worker, enrolledOn, policy) === 'ENDED';
  if (!ended) {
    throw new DomainError('NOT_REENROLLABLE', `The membership has not ended as of ${enrolledOn}`, 'enrolledOn');
  }
  requireEnrolmentAge(worker.birthDate, enrolledOn, policy);
  return [{ type: 'WorkerReenrolled', data: { workerId: worker.workerId, enrolledOn, occurredOn: enrolledOn } }];
}

/** The worker becomes funded by the given ASN sponsor; naming the current sponsor again changes nothing. */
export function changeWorkerSponsor(command: ChangeWorkerSponsor, state: WorkerState): WorkerSponsorChanged[] {
  const worker = requireEnrolled(state);
  const { sponsorId, sponsor, today } = command.data;
  if (worker.erasure) throw new DomainError('COVERAGE_ENDED', "The membership has ended and the worker's personal data has been erased");
  requireUsableSponsor(sponsorId, sponsor, 'sponsorId');
  if (worker.fundingSource === 'ASN_SPONSOR' && worker.sponsorId === sponsorId) return [];
  return [
    {
      type: 'WorkerSponsorChanged',
      data: { workerId: worker.workerId, fromSponsorId: worker.sponsorId, toSponsorId: sponsorId, fundingSource: 'ASN_SPONSOR', occurredOn: today },
    },
  ];
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

/** Events only; for a payment's answer (and replays) call `decidePayment`. */
export function decide(command: WorkerCommand, state: WorkerState, policy: Policy): WorkerEvent[] {
  switch (command.type) {
    case 'EnrolWorker':
      return enrolWorker(command, state, policy);
    case 'PayPremium':
      return decidePayment(command, state, policy).events;
    case 'CheckLapse':
      return checkLapse(command, state, policy);
    case 'WithdrawWorker':
      return withdrawWorker(command, state);
    case 'ReenrolWorker':
      return reenrolWorker(command, state, policy);
    case 'ChangeWorkerSponsor':
      return changeWorkerSponsor(command, state);
    case 'EraseWorkerPersonalData':
      return eraseWorkerPersonalData(command, state, policy).events;
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown worker command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const workerDecider = { decide, evolve, initialState };
