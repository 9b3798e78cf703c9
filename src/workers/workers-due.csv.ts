import { stringify } from 'csv-stringify/sync';
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
 * Text a spreadsheet would read as a formula (or that hides one behind a tab or carriage return) starts with
 * =, +, -, @, tab or CR; the apostrophe is the escape itself, so it is escaped too and reading back is exact.
 * (The same rule as the ledger export's writer on the edge branch, src/http/csv.ts.)
 */
const NEEDS_ESCAPE = /^[=+\-@\t\r']/;

/** A text cell made safe for spreadsheets: one leading apostrophe. To read it back, drop one leading apostrophe. */
export const escapeCsvText = (text: string): string => (NEEDS_ESCAPE.test(text) ? `'${text}` : text);

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
  return stringify(rows, {
    header: true,
    columns: [...DUE_CSV_COLUMNS],
    cast: {
      string: (value) => escapeCsvText(value),
      number: (value) => String(value),
    },
  });
}
