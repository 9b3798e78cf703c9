import { stringify } from 'csv-stringify/sync';

/**
 * Text that a spreadsheet would read as a formula (or that hides one behind a tab or carriage return):
 * `=`, `+`, `-`, `@`, tab, carriage return; and an apostrophe, the escape itself, so reading back is exact.
 */
const NEEDS_ESCAPE = /^[=+\-@\t\r']/;

/**
 * A text cell made safe for spreadsheets (CSV formula injection): one leading apostrophe when it starts
 * with a formula character or an apostrophe. Numbers are never escaped: they are written as plain numbers
 * (a negative amount stays -16800). To read a cell back, drop one leading apostrophe (`unescapeCsvText`).
 */
export const escapeCsvText = (text: string): string => (NEEDS_ESCAPE.test(text) ? `'${text}` : text);

/** The text a cell written by `escapeCsvText` held. */
export const unescapeCsvText = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell);

/**
 * Rows as CSV (RFC 4180, `\n` line ends), every text cell escaped against formula injection, numbers and
 * bigints as plain numbers, null and undefined as empty cells. Every CSV export of the API goes through it.
 */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[], header: boolean): string {
  return stringify(rows as T[], {
    header,
    columns: [...columns],
    cast: {
      string: (value) => escapeCsvText(value),
      number: (value) => String(value),
      bigint: (value) => value.toString(10),
    },
  });
}
