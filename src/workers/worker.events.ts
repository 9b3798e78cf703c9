import type { EventSchemas } from '../event-sourcing/event-catalog';
import type { PersonalDataErasedData } from '../shared/personal-data-erased';
import { sealedFromNowOn, withOccurredOnFrom } from '../event-sourcing/upcasters';

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

/** Recorded by the lapse check when, as of `asOf`, the first unpaid month's due date has passed. */
export type CoverageLapsed = {
  type: 'CoverageLapsed';
  data: { workerId: string; asOf: string; firstUnpaidMonth: string; paidThrough: string | null; occurredOn: string };
};

/** Membership ended: arrears window passed (lapse check) or the worker was withdrawn. */
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

/** The worker's personal data erased on request; only allowed once the membership has ended. */
export type WorkerPersonalDataErased = { type: 'PersonalDataErased'; data: PersonalDataErasedData & { workerId: string } };

export type WorkerEvent =
  | WorkerPersonalDataErased
  | WorkerEnrolled
  | PremiumPaid
  | CoverageLapsed
  | CoverageEnded
  | WorkerReenrolled
  | WorkerSponsorChanged;

/** Reservation of a NIK for one worker, and of a payment reference for one worker (streams named by key hashes). */
export type NikReserved = { type: 'NikReserved'; data: { workerId: string } };
export type PaymentRefReserved = { type: 'PaymentRefReserved'; data: { workerId: string } };

export const WORKER_EVENT_SCHEMAS: EventSchemas = {
  WorkerEnrolled: {
    version: 3,
    upcasters: { 1: withOccurredOnFrom('enrolledOn'), 2: sealedFromNowOn },
    personal: { subject: (d) => workerSubject(String(d.workerId)), fields: ['nik', 'fullName', 'birthDate', 'phone', 'address'], sealedFrom: 3 },
  },
  PremiumPaid: { version: 2, upcasters: { 1: withOccurredOnFrom('paidOn') } },
  CoverageLapsed: { version: 2, upcasters: { 1: withOccurredOnFrom('asOf') } },
  CoverageEnded: { version: 2, upcasters: { 1: withOccurredOnFrom('asOf') } },
  WorkerReenrolled: { version: 2, upcasters: { 1: withOccurredOnFrom('enrolledOn') } },
  WorkerSponsorChanged: { version: 2, upcasters: { 1: withOccurredOnFrom(null) } },
  NikReserved: { version: 1 },
  PaymentRefReserved: { version: 1 },
};

export const workerStream = (workerId: string): string => `worker-${workerId}`;

/** Whose data key seals a worker's personal data. */
export const workerSubject = (workerId: string): string => `worker:${workerId}`;
