import type { EventSchemas, Upcaster } from '../event-sourcing/event-catalog';
import { sealedFromNowOn, withOccurredOnFrom } from '../event-sourcing/upcasters';
import { addDays } from '../shared/calendar-date';
import type { PersonalDataErasedData } from '../shared/personal-data-erased';
import { YearMonth } from '../shared/year-month';

/** Events of the worker stream `worker-{workerId}`. Names are part of the public contract. */
export type Gender = 'F' | 'M';

export const OCCUPATIONS = [
  'DOMESTIC_HELPER',
  'PRIVATE_DRIVER',
  'HOME_SECURITY_GUARD',
  'VEGETABLE_SELLER',
  'SNACK_VENDOR',
  'NEWSPAPER_SELLER',
  'FAMILY_BUSINESS',
  'CASUAL_WORKER',
  'OTHER',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export const FUNDING_SOURCES = ['ASN_SPONSOR', 'APBD', 'DBHCHT', 'CSR', 'SELF'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const WORKER_STATUSES = ['PENDING', 'ACTIVE', 'LAPSED', 'ENDED'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

export type Payer = { type: FundingSource; sponsorId?: string; name?: string };

/**
 * Personal data (UU PDP): NIK, full name, birth date, phone and address are stored sealed with the worker's own
 * data key (v3). Once the worker's personal data has been erased they read as null.
 */
export type WorkerEnrolled = {
  type: 'WorkerEnrolled';
  data: {
    workerId: string;
    nik: string | null;
    fullName: string | null;
    birthDate: string | null;
    gender: Gender;
    occupation: Occupation;
    kecamatan: string;
    address?: string | null;
    phone?: string | null;
    fundingSource: FundingSource;
    /** Set when fundingSource is ASN_SPONSOR. */
    sponsorId?: string;
    enrolledOn: string;
    /** Business date: the enrolment date. */
    occurredOn: string;
  };
};

export type PremiumPaid = {
  type: 'PremiumPaid';
  data: {
    workerId: string;
    paymentRef: string;
    months: number;
    /** Integer rupiah. */
    amount: number;
    paidOn: string;
    payer: Payer;
    /** OPD of the paying ASN sponsor at payment time; null for other funding sources. */
    opdCode: string | null;
    /** First and last contribution month covered (YYYY-MM). */
    coveredFrom: string;
    coveredThrough: string;
    /** The worker's status as of paidOn right after this payment (ACTIVE, or LAPSED when arrears remain). */
    statusAfter: WorkerStatus;
    /** Business date: the payment date (v2; v1 events get it from `paidOn`). */
    occurredOn: string;
  };
};

/**
 * The status moved to LAPSED: recorded by the lapse check (or by a payment reversal). `occurredOn` is the day
 * the rules say it lapsed (the day after the due date of the first unpaid month, v3); `asOf` is the date of the
 * run that recorded it.
 */
export type CoverageLapsed = {
  type: 'CoverageLapsed';
  data: { workerId: string; asOf: string; firstUnpaidMonth: string; paidThrough: string | null; occurredOn: string };
};

/**
 * Membership ended: arrears window passed (lapse check, or a payment reversal) or the worker was withdrawn.
 * `occurredOn` is the day it ended: the day after the due date of the first unpaid month + the arrears window
 * (v3), or the withdrawal's own date.
 */
export type CoverageEnded = {
  type: 'CoverageEnded';
  data: {
    workerId: string;
    asOf: string;
    cause: 'ARREARS_WINDOW_PASSED' | 'WITHDRAWN';
    /** Free text given at withdrawal (death, moved away, …). */
    reason?: string;
    firstUnpaidMonth: string;
    paidThrough: string | null;
    occurredOn: string;
  };
};

/** A new membership period in the same worker history; the first unpaid month restarts at its month. */
export type WorkerReenrolled = {
  type: 'WorkerReenrolled';
  data: { workerId: string; enrolledOn: string; occurredOn: string };
};

export type WorkerSponsorChanged = {
  type: 'WorkerSponsorChanged';
  data: {
    workerId: string;
    fromSponsorId: string | null;
    toSponsorId: string;
    /** Funding source after the change (always ASN_SPONSOR). */
    fundingSource: FundingSource;
    occurredOn: string;
  };
};

/** A correction of the worker's details: only the fields that changed, and why. Name, phone, address and birth date are sealed. */
export type WorkerDetailsCorrected = {
  type: 'WorkerDetailsCorrected';
  data: {
    workerId: string;
    fullName?: string | null;
    phone?: string | null;
    address?: string | null;
    birthDate?: string | null;
    gender?: Gender;
    occupation?: Occupation;
    kecamatan?: string;
    reason: string;
    occurredOn: string;
  };
};

/** Who funds the worker changed (an APBD-funded worker adopted by an ASN, or the reverse), from `effectiveOn`. */
export type WorkerFundingChanged = {
  type: 'WorkerFundingChanged';
  data: {
    workerId: string;
    fromFundingSource: FundingSource;
    fromSponsorId: string | null;
    toFundingSource: FundingSource;
    /** Set when the new funding source is ASN_SPONSOR. */
    toSponsorId: string | null;
    effectiveOn: string;
    reason: string;
    occurredOn: string;
  };
};

/**
 * A recorded payment that did not happen (bounced, duplicated by mistake), reversed: never deleted. Only the
 * worker's latest standing payment is reversed, so covered months stay consecutive. `occurredOn` is the reversed
 * payment's own date (it is void from the start); `reversedOn` is when the reversal was made.
 */
export type PremiumPaymentReversed = {
  type: 'PremiumPaymentReversed';
  data: {
    workerId: string;
    paymentRef: string;
    months: number;
    amount: number;
    paidOn: string;
    payer: Payer;
    /** The OPD the payment was credited to (its PremiumPaid.opdCode). */
    opdCode: string | null;
    coveredFrom: string;
    coveredThrough: string;
    reversedOn: string;
    reason: string;
    /** The worker's paid-through month after the reversal (null when nothing stays paid in the period). */
    paidThroughAfter: string | null;
    /** The latest standing payment's date after the reversal. */
    lastPaymentOnAfter: string | null;
    /** The worker's status as of `reversedOn` right after the reversal. */
    statusAfter: WorkerStatus;
    occurredOn: string;
  };
};

/** The worker's personal data erased on request; only allowed once the membership has ended. */
export type WorkerPersonalDataErased = { type: 'PersonalDataErased'; data: PersonalDataErasedData & { workerId: string } };

export type WorkerEvent =
  | WorkerPersonalDataErased
  | WorkerEnrolled
  | PremiumPaid
  | CoverageLapsed
  | CoverageEnded
  | WorkerReenrolled
  | WorkerSponsorChanged
  | WorkerDetailsCorrected
  | WorkerFundingChanged
  | PremiumPaymentReversed;

/** Reservation of a NIK for one worker, and of a payment reference for one worker (streams named by key hashes). */
export type NikReserved = { type: 'NikReserved'; data: { workerId: string } };
export type PaymentRefReserved = { type: 'PaymentRefReserved'; data: { workerId: string } };

/** The day the rules say a status changed, from the first unpaid month: LAPSED the day after its due date, ENDED after the window. */
export const lapsedOn = (firstUnpaid: YearMonth, dueDay: number): string => addDays(firstUnpaid.day(dueDay), 1);
export const endedOn = (firstUnpaid: YearMonth, dueDay: number, windowMonths: number): string =>
  addDays(firstUnpaid.plus(windowMonths).day(dueDay), 1);

/**
 * v3 of CoverageLapsed and CoverageEnded: `occurredOn` is the day the status changed under the rules, not the
 * date the lapse check ran (a late run recorded the run's date). A withdrawal keeps its own date.
 */
const occurredOnByTheRules =
  (kind: 'lapsed' | 'ended'): Upcaster =>
  (data, _metadata, { policy }) => {
    if (data.cause === 'WITHDRAWN' || typeof data.firstUnpaidMonth !== 'string') return data;
    const firstUnpaid = YearMonth.parse(data.firstUnpaidMonth);
    return {
      ...data,
      occurredOn: kind === 'lapsed' ? lapsedOn(firstUnpaid, policy.dueDay) : endedOn(firstUnpaid, policy.dueDay, policy.arrearsWindowMonths),
    };
  };

const workerSubjectOf = (d: Readonly<Record<string, unknown>>) => workerSubject(String(d.workerId));

export const WORKER_EVENT_SCHEMAS: EventSchemas = {
  WorkerEnrolled: {
    version: 3,
    upcasters: { 1: withOccurredOnFrom('enrolledOn'), 2: sealedFromNowOn },
    personal: { subject: workerSubjectOf, fields: ['nik', 'fullName', 'birthDate', 'phone', 'address'], sealedFrom: 3 },
  },
  PremiumPaid: { version: 2, upcasters: { 1: withOccurredOnFrom('paidOn') } },
  CoverageLapsed: { version: 3, upcasters: { 1: withOccurredOnFrom('asOf'), 2: occurredOnByTheRules('lapsed') } },
  CoverageEnded: { version: 3, upcasters: { 1: withOccurredOnFrom('asOf'), 2: occurredOnByTheRules('ended') } },
  WorkerReenrolled: { version: 2, upcasters: { 1: withOccurredOnFrom('enrolledOn') } },
  WorkerSponsorChanged: { version: 2, upcasters: { 1: withOccurredOnFrom(null) } },
  WorkerDetailsCorrected: {
    version: 1,
    personal: { subject: workerSubjectOf, fields: ['fullName', 'phone', 'address', 'birthDate'], sealedFrom: 1 },
  },
  WorkerFundingChanged: { version: 1 },
  PremiumPaymentReversed: { version: 1 },
  NikReserved: { version: 1 },
  PaymentRefReserved: { version: 1 },
};

export const workerStream = (workerId: string): string => `worker-${workerId}`;

/** Whose data key seals a worker's personal data. */
export const workerSubject = (workerId: string): string => `worker:${workerId}`;
