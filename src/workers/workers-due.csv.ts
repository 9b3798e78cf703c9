import { toCsv } from '../http/csv';
import type { DueItem } from './workers-due.query';

/** The CSV columns of the due list: the JSON item's fields, with amountFor as four columns. */
export const DUE_CSV_COLUMNS = [
  'workerId',
  'fullName',
  'sponsorId',
  'opdCode',
  'fundingSource',
  'status',
  'firstUnpaidMonth',
  'dueOn',
  'daysUntilDue',
  'arrearsMonths',
  'amountFor1',
  'amountFor3',
  'amountFor6',
  'amountFor12',
] as const;

/**
 * The due list as CSV (RFC 4180, a header row, one row per item): text cells escaped against formula injection,
 * numbers as plain numbers (a negative daysUntilDue stays -5), null as an empty cell (an amount that would be refused).
 */
export function dueListCsv(items: readonly DueItem[]): string {
  const rows = items.map(({ amountFor, ...item }) => ({
    ...item,
    amountFor1: amountFor['1'],
    amountFor3: amountFor['3'],
    amountFor6: amountFor['6'],
    amountFor12: amountFor['12'],
  }));
  return toCsv(rows, DUE_CSV_COLUMNS, true);
}
