import { toCsv } from '../http/csv';
import { ERROR_COLUMNS } from './import-file';
import type { RejectedRow } from './import-jobs.store';

/**
 * errors.csv: the rejected rows under the file's own columns (an errors.csv imported again loses its appended
 * columns first), one line per rejected row in file order, with `row, field, code, message` appended (several
 * problems of one row joined by "; "). A row that had too few fields comes back with the missing ones empty.
 */
export function importErrorsCsv(header: readonly string[], rejected: readonly RejectedRow[]): string {
  const columns = header.filter((c) => !(ERROR_COLUMNS as readonly string[]).includes(c));
  const rows = [...rejected]
    .sort((a, b) => a.row - b.row)
    .map((r) => {
      const line: Record<string, string | number> = {};
      header.forEach((column, i) => {
        if (columns.includes(column)) line[column] = r.cells[i] ?? '';
      });
      return { ...line, row: r.row, field: r.field, code: r.code, message: r.message };
    });
  return toCsv(rows as Record<string, string | number>[], [...columns, ...ERROR_COLUMNS], true);
}
