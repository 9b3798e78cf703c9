// Downloads of the tables people put in their reports: CSV (RFC 4180, UTF-8 with BOM so that spreadsheet
// programs read the names right) and XLSX (write-excel-file, vendored). Values are the API's own:
// counts and rupiah as integers, rates as fractions (shown as percentages in the XLSX by number format).

const XLSX_FORMATS = { count: '#,##0', rupiah: '#,##0', ratio: '0.00%' };

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) gets one leading apostrophe, and so
 * does text starting with one, as in the API's own CSV exports; numbers are written as numbers, never escaped.
 */
const escapeText = (text) => (/^[=+\-@\t\r']/.test(text) ? `'${text}` : text);

const cellText = (value, unit) =>
  unit === 'yesno' ? (value ? 'Ya' : 'Tidak') : value === null || value === undefined ? '' : typeof value === 'string' ? escapeText(value) : String(value);

function csvField(text) {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** columns: [{ label, unit }]; rows: arrays of raw values in the columns' order. */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.label)), ...rows.map((row) => row.map((value, i) => csvField(cellText(value, columns[i].unit))))];
  return `\uFEFF${lines.map((fields) => fields.join(',')).join('\r\n')}\r\n`;
}

export function downloadBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has handed the blob to the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadCsv(columns, rows, fileName) {
  downloadBlob(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), fileName);
}

let writer = null;

/** write-excel-file is loaded on the first XLSX download only (it is not needed to read the page). */
async function xlsxWriter() {
  if (!writer) {
    await import('/dashboard/vendor/write-excel-file.min.js');
    writer = globalThis.writeXlsxFile;
    if (typeof writer !== 'function') throw new Error('write-excel-file did not load');
  }
  return writer;
}

function xlsxCell(value, unit) {
  if (unit === 'count' || unit === 'rupiah' || unit === 'ratio') return { value, type: Number, format: XLSX_FORMATS[unit] };
  return { value: cellText(value, unit), type: String };
}

/**
 * Small sheets only (one row per OPD or month): fflate, inside write-excel-file, compresses files under
 * 160 kB on the main thread, so no worker is started (a worker from a blob: URL would need worker-src blob:).
 */
export async function downloadXlsx(columns, rows, { sheet, fileName }) {
  const write = await xlsxWriter();
  const data = [columns.map((c) => ({ value: c.label, type: String, fontWeight: 'bold' })), ...rows.map((row) => row.map((value, i) => xlsxCell(value, columns[i].unit)))];
  const widths = columns.map((c) => ({ width: c.unit === 'text' && /nama/i.test(c.label) ? 48 : Math.max(12, c.label.length + 2) }));
  const blob = await write(data, { sheet, columns: widths, stickyRowsCount: 1 }).toBlob();
  downloadBlob(blob, fileName);
}
