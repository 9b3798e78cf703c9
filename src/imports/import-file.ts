import { parse } from 'csv-parse/sync';

/** What a bulk import records: workers (one enrolment per row) or premium payments (one payment per row). */
export const IMPORT_KINDS = ['workers', 'payments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The columns of each kind's file: the required ones must be in the header, the optional ones may be. */
export const IMPORT_COLUMNS: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  workers: {
    required: ['nik', 'fullName', 'birthDate', 'gender', 'occupation', 'kecamatan', 'fundingSource'],
    optional: ['address', 'phone', 'sponsorNip', 'enrolledOn'],
  },
  payments: {
    required: ['paymentRef', 'nik', 'months', 'amount', 'paidOn', 'payerType'],
    optional: ['payerSponsorNip', 'payerName'],
  },
};

/**
 * The columns an errors.csv appends to the rejected rows: a file fixed from an errors.csv can be imported as it
 * is, these four are ignored.
 */
export const ERROR_COLUMNS = ['row', 'field', 'code', 'message'] as const;

/** One data row of the file: its number as a spreadsheet shows it (the header is row 1), its values by column. */
export interface FileRow {
  row: number;
  values: Record<string, string>;
  /** The row's fields as they were in the file (for errors.csv). */
  cells: string[];
  /** Set when the row cannot be read as a record of the header's columns (a field too many or too few). */
  shapeError?: string;
}

export interface ImportFile {
  kind: ImportKind;
  header: string[];
  rows: FileRow[];
}

/** A file refused as a whole, before any row runs (400 VALIDATION_FAILED). */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads an import file: UTF-8 (a BOM is accepted), comma-separated, RFC 4180 quoting, a header row naming
 * the columns. A file that is not UTF-8, not CSV, or whose header lacks a required column (or names one the
 * kind does not have) is refused whole; a row with a field too many or too few is kept, marked, and
 * rejected on its own when the import runs. Blank lines are skipped.
 */
export function readImportFile(kind: ImportKind, content: Buffer): ImportFile {
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    throw new ImportFileError('The file is not UTF-8 text: save the spreadsheet as "CSV UTF-8"');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new ImportFileError('The file contains NUL characters: it is not a CSV text file');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: false }) as string[][];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(`The file is not valid CSV: ${detail.slice(0, 300)}`);
  }
  if (records.length === 0) throw new ImportFileError('The file is empty: it needs a header row naming the columns');
  const header = records[0].map((name) => name.trim());
  const { required, optional } = IMPORT_COLUMNS[kind];
  const known = new Set<string>([...required, ...optional, ...ERROR_COLUMNS]);
  const problems: { field: string; message: string }[] = [];
  for (const column of required) {
    if (!header.includes(column)) problems.push({ field: column, message: `the header lacks the required column ${column}` });
  }
  header.forEach((column, index) => {
    if (!known.has(column)) problems.push({ field: column.slice(0, 80) || `column ${index + 1}`, message: `${kind} files have no column "${column.slice(0, 80)}"` });
    else if (header.indexOf(column) !== index) problems.push({ field: column, message: `the column ${column} is named twice` });
  });
  if (problems.length) {
    throw new ImportFileError(
      `The header does not fit a ${kind} file (columns: ${[...required, ...optional].join(',')}): ${problems.map((p) => p.message).join('; ')}`,
      problems,
    );
  }
  const rows = records.slice(1).map((fields, index): FileRow => {
    const cells = fields.map(unescapeCell);
    const values: Record<string, string> = {};
    header.forEach((column, i) => {
      if (!(ERROR_COLUMNS as readonly string[]).includes(column) && cells[i] !== undefined) values[column] = cells[i];
    });
    const row: FileRow = { row: index + 2, values, cells };
    if (cells.length !== header.length) row.shapeError = `the row has ${cells.length} fields, the header ${header.length}`;
    return row;
  });
  return { kind, header, rows };
}

/**
 * The service's CSV exports (errors.csv among them) put an apostrophe before text a spreadsheet would take for a
 * formula (`=`, `+`, `-`, `@`, tab, CR) and before a leading apostrophe; such a cell is read back without it, so a
 * fixed errors.csv imports as the rows were.
 */
const unescapeCell = (value: string): string => (/^'[=+\-@\t\r']/.test(value) ? value.slice(1) : value);

/** A cell's value, trimmed; absent when empty (an optional field left blank). */
export function cell(values: Record<string, string>, column: string): string | undefined {
  const value = values[column]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A whole number written plainly ("12", "16800"); anything else is passed on as text for the validator to refuse. */
export function wholeNumber(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}
