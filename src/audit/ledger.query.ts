import type { DataSource } from 'typeorm';
import type { FundingSource } from '../workers/worker.events';

/**
 * One line of the contribution ledger: a PremiumPaid (kind PAYMENT: who paid what, for whom, covering which
 * months) or its reversal (kind REVERSAL: the same payment with negative months and amount, its date and reason).
 */
export interface LedgerRow {
  kind: 'PAYMENT' | 'REVERSAL';
  paymentRef: string;
  workerId: string;
  /** The paying ASN sponsor; null for other funding sources. */
  sponsorId: string | null;
  /** The paying sponsor's OPD at payment time; null for other funding sources. */
  opdCode: string | null;
  fundingSource: FundingSource;
  /** The named payer (CSR company or foundation), when one was given. */
  payerName: string | null;
  /** The payment's date (on a reversal line, the date of the payment it reverses). */
  paidOn: string;
  /** The reversal's date, its line's own date; null on payment lines. */
  reversedOn: string | null;
  /** Why the payment was reversed; null on payment lines. */
  reason: string | null;
  /** Negative on a reversal line. */
  months: number;
  coveredFrom: string;
  coveredThrough: string;
  /** Integer rupiah; negative on a reversal line. */
  amount: number;
  recordedAt: string;
  recordedBy: string;
  /** Log position of the event (decimal string). */
  position: string;
}

/** The ledger's columns, in the order of the JSON rows and of the CSV header. */
export const LEDGER_COLUMNS: readonly (keyof LedgerRow)[] = [
  'kind',
  'paymentRef',
  'workerId',
  'sponsorId',
  'opdCode',
  'fundingSource',
  'payerName',
  'paidOn',
  'reversedOn',
  'reason',
  'months',
  'coveredFrom',
  'coveredThrough',
  'amount',
  'recordedAt',
  'recordedBy',
  'position',
];

export interface LedgerFilter {
  /** Range of the lines' own dates (paidOn of a payment, reversedOn of a reversal), both ends inclusive. */
  from?: string;
  to?: string;
  opdCode?: string;
  sponsorId?: string;
  workerId?: string;
}

export interface LedgerTotals {
  /** Payment lines. */
  payments: number;
  /** Reversal lines. */
  reversals: number;
  /** Net sum of the lines' amounts, integer rupiah (bigint: a city-wide sum is not bounded by one payment's size). */
  amount: bigint;
}

interface RawLedgerRow {
  kind: 'PAYMENT' | 'REVERSAL';
  bookedOn: string;
  paymentRef: string;
  workerId: string;
  sponsorId: string | null;
  opdCode: string | null;
  fundingSource: FundingSource;
  payerName: string | null;
  paidOn: string;
  reversedOn: string | null;
  reason: string | null;
  months: number;
  coveredFrom: string;
  coveredThrough: string;
  amount: string;
  recordedAt: Date;
  recordedBy: string;
  position: string;
}

const SELECT_ROWS = `
  SELECT kind, booked_on::text AS "bookedOn", payment_ref AS "paymentRef", worker_id AS "workerId", sponsor_id AS "sponsorId",
         opd_code AS "opdCode", funding_source AS "fundingSource", payer_name AS "payerName", paid_on::text AS "paidOn",
         reversed_on::text AS "reversedOn", reason, months,
         covered_from AS "coveredFrom", covered_through AS "coveredThrough", amount::text AS amount,
         recorded_at AS "recordedAt", recorded_by AS "recordedBy", position::text AS position
    FROM contribution_ledger`;

/** Only the conditions given, so the planner can use the (column, position) indexes of the ledger. */
function whereClause(filter: LedgerFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.from) conditions.push(`booked_on >= ${bind(filter.from)}::date`);
  if (filter.to) conditions.push(`booked_on <= ${bind(filter.to)}::date`);
  if (filter.opdCode) conditions.push(`opd_code = ${bind(filter.opdCode)}`);
  if (filter.sponsorId) conditions.push(`sponsor_id = ${bind(filter.sponsorId)}::uuid`);
  if (filter.workerId) conditions.push(`worker_id = ${bind(filter.workerId)}::uuid`);
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function toLedgerRow(raw: RawLedgerRow): LedgerRow {
  const amount = Number(raw.amount);
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Ledger amount ${raw.amount} of ${raw.paymentRef} is not a safe integer`);
  return {
    kind: raw.kind,
    paymentRef: raw.paymentRef,
    workerId: raw.workerId,
    sponsorId: raw.sponsorId,
    opdCode: raw.opdCode,
    fundingSource: raw.fundingSource,
    payerName: raw.payerName,
    paidOn: raw.paidOn,
    reversedOn: raw.reversedOn,
    reason: raw.reason,
    months: Number(raw.months),
    coveredFrom: raw.coveredFrom,
    coveredThrough: raw.coveredThrough,
    amount,
    recordedAt: new Date(raw.recordedAt).toISOString(),
    recordedBy: raw.recordedBy,
    position: raw.position,
  };
}

const EXPORT_BATCH = 500;

/** How long an export may wait for its client between two batches. */
const EXPORT_IDLE_LIMIT = '5min';

/**
 * The ledger lines matching `filter`, in date (paidOn, or reversedOn for a reversal) then log order, read through a server-side cursor in a
 * read-only transaction: batches of `batchSize` rows, never the whole result in memory, and one consistent
 * snapshot from the first row to the last. Stopping early (`break`, `return()`) closes the cursor and
 * hands the connection back.
 */
export async function* streamLedger(db: DataSource, filter: LedgerFilter, batchSize = EXPORT_BATCH): AsyncGenerator<LedgerRow[]> {
  const params: unknown[] = [];
  const sql = `${SELECT_ROWS}${whereClause(filter, params)} ORDER BY contribution_ledger.booked_on, contribution_ledger.position`;
  const runner = db.createQueryRunner();
  await runner.connect();
  let open = false;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    // The transaction waits between batches while a slow client drains its socket: longer than the
    // pool's idle-in-transaction bound (ASUH_DB_TIMEOUT_MS), yet still bounded, so a client that stops
    // reading loses its export after EXPORT_IDLE_LIMIT instead of holding a snapshot and a connection.
    await runner.query(`SET LOCAL idle_in_transaction_session_timeout = '${EXPORT_IDLE_LIMIT}'`);
    await runner.query(`DECLARE ledger_export NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const batch: RawLedgerRow[] = await runner.query(`FETCH FORWARD ${Math.max(1, Math.floor(batchSize))} FROM ledger_export`);
      if (batch.length === 0) break;
      yield batch.map(toLedgerRow);
    }
  } finally {
    // Read-only: ending the transaction either way closes the cursor.
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

/** Adds rows to running totals; the export writes them once the last row is out. */
export function addToTotals(totals: LedgerTotals, rows: readonly LedgerRow[]): void {
  for (const row of rows) {
    if (row.kind === 'REVERSAL') totals.reversals += 1;
    else totals.payments += 1;
    totals.amount += BigInt(row.amount);
  }
}

export interface LedgerPage {
  items: LedgerRow[];
  /** Date and position of the last line, for the next page; null on the last page. */
  next: { bookedOn: string; position: string } | null;
}

/** One page of the lines matching `filter` in date then log order, after the given (date, position). */
export async function ledgerPage(
  db: DataSource,
  filter: LedgerFilter,
  limit: number,
  after: { bookedOn: string; position: string } | null,
): Promise<LedgerPage> {
  const params: unknown[] = [];
  let where = whereClause(filter, params);
  if (after) {
    params.push(after.bookedOn, after.position);
    where += `${where ? ' AND' : ' WHERE'} (booked_on, position) > ($${params.length - 1}::date, $${params.length}::bigint)`;
  }
  params.push(limit + 1);
  const raw: RawLedgerRow[] = await db.query(`${SELECT_ROWS}${where} ORDER BY contribution_ledger.booked_on, contribution_ledger.position LIMIT $${params.length}`, params);
  const items = raw.slice(0, limit).map(toLedgerRow);
  const lastRaw = raw[Math.min(limit, raw.length) - 1];
  return { items, next: raw.length > limit && lastRaw ? { bookedOn: lastRaw.bookedOn, position: lastRaw.position } : null };
}

/** Payment and reversal lines and the net amount of every line matching `filter`, computed by the database. */
export async function ledgerTotals(db: DataSource, filter: LedgerFilter): Promise<LedgerTotals> {
  const params: unknown[] = [];
  const rows: { payments: string; reversals: string; amount: string }[] = await db.query(
    `SELECT (count(*) FILTER (WHERE kind = 'PAYMENT'))::text AS payments, (count(*) FILTER (WHERE kind = 'REVERSAL'))::text AS reversals,
            coalesce(sum(amount), 0)::text AS amount
       FROM contribution_ledger${whereClause(filter, params)}`,
    params,
  );
  return { payments: Number(rows[0].payments), reversals: Number(rows[0].reversals), amount: BigInt(rows[0].amount) };
}

/** Totals as JSON: `amount` a plain JSON number, written from the bigint's digits so no precision is lost on the way out. */
export const totalsJson = (totals: LedgerTotals): string =>
  `{"payments":${totals.payments},"reversals":${totals.reversals},"amount":${totals.amount.toString(10)}}`;
