import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Sealed } from '../personal-data/sealing';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { withNames } from '../read-models/personal-columns';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { amountFor, type Policy } from '../shared/policy';
import { YearMonth } from '../shared/year-month';
import { decidePayment, dueDate, type EnrolledWorkerState, firstUnpaidMonth, statusAsOf } from './worker.decider';
import { addDays, daysBetween } from '../shared/calendar-date';
import type { FundingSource, Gender, Occupation, WorkerStatus } from './worker.events';

/** The payment periods the due list prices, whatever the policy allows (the contract's `amountFor` keys). */
export const DUE_PERIODS = [1, 3, 6, 12] as const;

export type AmountsFor = Record<'1' | '3' | '6' | '12', number | null>;

/** One worker due for a payment as of `asOf` (domain.md, "Renewals"). */
export interface DueItem {
  workerId: string;
  /** Null when the worker's name can no longer be opened (erased meanwhile). */
  fullName: string | null;
  sponsorId: string | null;
  opdCode: string | null;
  fundingSource: FundingSource;
  /** The status as of `asOf` by the rules: PENDING, ACTIVE or LAPSED (ENDED workers are never due). */
  status: Exclude<WorkerStatus, 'ENDED'>;
  /** U: the first unpaid month of the current membership. */
  firstUnpaidMonth: string;
  /** U's due date (its policy due day). */
  dueOn: string;
  /** dueOn − asOf in days: negative once the due date has passed. */
  daysUntilDue: number;
  /** Unpaid months from U through asOf's month whose due date has passed before asOf. */
  arrearsMonths: number;
  /** The exact amount of a 1-, 3-, 6- or 12-month payment made on asOf; null when that payment would be refused. */
  amountFor: AmountsFor;
}

export interface DueList {
  asOf: string;
  items: DueItem[];
  /** The key of the last item when more follow (a page), else null. */
  next: DueKey | null;
}

/** Where an item sits in the list's order. */
export interface DueKey {
  dueOn: string;
  workerId: string;
}

export interface DueFilters {
  sponsorId?: string;
  opdCode?: string;
}

export class WorkersDueQuery extends Query<DueList> {
  constructor(
    /** Default: today (the clock's, in the programme's time zone). */
    readonly asOf: string | undefined,
    /** ACTIVE workers are due when U's due date is at most this many days after asOf. */
    readonly within: number,
    readonly filters: DueFilters,
    /** A page after a key, or null for the whole list (CSV). */
    readonly page: { limit: number; after: DueKey | null } | null,
  ) {
    super();
  }
}

/** What the due list reads of a worker_status row: the current membership, as the events say. */
export interface DueCandidate {
  workerId: string;
  gender: Gender;
  occupation: Occupation;
  kecamatan: string;
  fundingSource: FundingSource;
  sponsorId: string | null;
  opdCode: string | null;
  /** The status the events recorded; never ENDED here (an ended membership is not due until re-enrolment). */
  status: Exclude<WorkerStatus, 'ENDED'>;
  enrolledOn: string;
  paidThrough: string | null;
  monthsContributed: number;
}

/**
 * The worker decider's state for the row's current membership, so that the decider's own rules (statusAsOf,
 * firstUnpaidMonth, dueDate, decidePayment) judge it: nothing is restated here. The row holds no payment
 * history and no personal data; neither changes the status, U or what a new payment costs.
 */
export function membershipOf(row: DueCandidate): EnrolledWorkerState {
  return {
    enrolled: true,
    workerId: row.workerId,
    nik: null,
    fullName: null,
    birthDate: null,
    phone: null,
    address: null,
    gender: row.gender,
    occupation: row.occupation,
    kecamatan: row.kecamatan,
    fundingSource: row.fundingSource,
    sponsorId: row.sponsorId,
    enrolledOn: row.enrolledOn,
    period: 0,
    paidThrough: row.paidThrough === null ? null : YearMonth.parse(row.paidThrough),
    monthsContributed: row.monthsContributed,
    recordedStatus: row.status,
    statusRecordedOn: null,
    // Never ENDED here (not due until re-enrolment): no recorded end.
    end: null,
    payments: new Map(),
    erasure: null,
    lastEventReversed: null,
  };
}

/**
 * The amount the worker decider would accept for a `months`-month payment made on `asOf` (arrears first,
 * each month at its dated tariff), or null when it would refuse that payment whoever paid: a period the
 * policy does not allow (ASUH_PAYMENT_PERIODS), or coverage running past the prepay limit
 * (ASUH_MAX_PREPAY_MONTHS beyond asOf's month). The payer does not change the amount, so the probe pays as SELF.
 */
export function paymentAmountOn(membership: EnrolledWorkerState, asOf: string, months: number, policy: Policy): number | null {
  try {
    const decision = decidePayment(
      {
        type: 'PayPremium',
        data: {
          paymentRef: 'due-list-probe',
          months,
          amount: amountFor(firstUnpaidMonth(membership), months, policy),
          paidOn: asOf,
          payer: { type: 'SELF' },
          payerOpdCode: null,
          payerSponsor: null,
          today: asOf,
        },
      },
      membership,
      policy,
    );
    return decision.result.amount;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/**
 * Whether a worker is due as of `asOf` (domain.md, "Renewals"), and its line if so: LAPSED and PENDING always;
 * ACTIVE when U's due date is at most `within` days after asOf; ENDED never. The status is the rules' as of
 * asOf, from the recorded membership (paidThrough, enrolledOn), not the status last recorded.
 */
export function dueLineOf(row: DueCandidate, asOf: string, within: number, policy: Policy): Omit<DueItem, 'fullName'> | null {
  const membership = membershipOf(row);
  const status = statusAsOf(membership, asOf, policy);
  if (status === 'ENDED') return null;
  const firstUnpaid = firstUnpaidMonth(membership);
  const dueOn = dueDate(firstUnpaid, policy);
  const daysUntilDue = daysBetween(asOf, dueOn);
  if (status === 'ACTIVE' && daysUntilDue > within) return null;
  let arrearsMonths = 0;
  for (let month = firstUnpaid; !month.isAfter(YearMonth.ofDate(asOf)); month = month.plus(1)) {
    if (dueDate(month, policy) < asOf) arrearsMonths++;
  }
  const amounts = Object.fromEntries(DUE_PERIODS.map((n) => [String(n), paymentAmountOn(membership, asOf, n, policy)])) as AmountsFor;
  return {
    workerId: row.workerId,
    sponsorId: row.sponsorId,
    opdCode: row.opdCode,
    fundingSource: row.fundingSource,
    status,
    firstUnpaidMonth: firstUnpaid.toString(),
    dueOn,
    daysUntilDue,
    arrearsMonths,
    amountFor: amounts,
  };
}

/** Due list order: dueOn, then workerId. */
export const compareDue = (a: DueKey, b: DueKey): number =>
  a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0;

/** How far ahead the due list may look: a year (asOf), and within a year of it (within). */
export const MAX_DAYS_AHEAD = 366;

/**
 * The renewal list (api.md, "Renewals and UCJ"): registered workers due for a payment as of a date, ordered by
 * dueOn then workerId. Computed from worker_status (what the events say of each membership) by the worker
 * decider's rules as of that date, never the wall clock. `asOf` is today or later: the read model holds what is
 * paid now, so an earlier date would mix today's payments into the past (a worker's past is its coverage as of
 * a date, GET /v1/workers/{id}/coverage).
 */
@QueryHandler(WorkersDueQuery)
export class WorkersDueHandler implements IQueryHandler<WorkersDueQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ asOf: requested, within, filters, page }: WorkersDueQuery): Promise<DueList> {
    const today = this.clock.today();
    const asOf = requested ?? today;
    if (asOf < today) {
      throw new DomainError('VALIDATION_FAILED', `asOf may not be before today (${today}): the due list starts from what is paid now`, 'asOf');
    }
    if (asOf > addDays(today, MAX_DAYS_AHEAD)) {
      throw new DomainError('VALIDATION_FAILED', `asOf may be at most ${MAX_DAYS_AHEAD} days after today (${today})`, 'asOf');
    }
    const policy = this.config.policy;
    const lines = (await this.candidates(asOf, within, filters))
      .map((row) => dueLineOf(row, asOf, within, policy))
      .filter((line): line is Omit<DueItem, 'fullName'> => line !== null)
      .sort(compareDue);

    let chosen = lines;
    let next: DueKey | null = null;
    if (page) {
      const start = page.after ? lines.findIndex((line) => compareDue(line, page.after!) > 0) : 0;
      chosen = start < 0 ? [] : lines.slice(start, start + page.limit);
      const last = chosen[chosen.length - 1];
      if (start >= 0 && start + page.limit < lines.length && last) next = { dueOn: last.dueOn, workerId: last.workerId };
    }
    return { asOf, items: await this.named(chosen), next };
  }

  /**
   * Memberships that may be due: registered (not erased), not ENDED as recorded, and not paid beyond the month
   * of asOf + within (U's due date would lie after the window). The rules then decide each one.
   */
  private candidates(asOf: string, within: number, filters: DueFilters): Promise<DueCandidate[]> {
    const params: unknown[] = [YearMonth.ofDate(addDays(asOf, within)).toString()];
    const where = [`NOT erased`, `status <> 'ENDED'`, `(paid_through IS NULL OR paid_through < $1)`];
    if (filters.sponsorId !== undefined) where.push(`sponsor_id = $${params.push(filters.sponsorId)}`);
    if (filters.opdCode !== undefined) where.push(`opd_code = $${params.push(filters.opdCode)}`);
    return this.db.query(
      `SELECT worker_id AS "workerId", gender, occupation, kecamatan, funding_source AS "fundingSource", sponsor_id AS "sponsorId", opd_code AS "opdCode",
              status, to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", paid_through AS "paidThrough",
              months_contributed AS "monthsContributed"
         FROM worker_status WHERE ${where.join(' AND ')}`,
      params,
    );
  }

  /** The lines with the workers' names, opened only for the lines answered. */
  private async named(lines: Omit<DueItem, 'fullName'>[]): Promise<DueItem[]> {
    if (lines.length === 0) return [];
    const rows: { workerId: string; personal: Sealed | null }[] = await this.db.query(
      `SELECT worker_id AS "workerId", personal FROM worker_status WHERE worker_id = ANY($1::uuid[])`,
      [lines.map((line) => line.workerId)],
    );
    const names = new Map((await withNames(this.vault, rows)).map((row) => [row.workerId, row.fullName]));
    return lines.map(({ workerId, ...rest }) => ({ workerId, fullName: names.get(workerId) ?? null, ...rest }));
  }
}
