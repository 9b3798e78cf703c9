import { parse } from 'csv-parse/sync';
import { escapeCsvText, toCsv, unescapeCsvText } from './csv';

describe('CSV cells safe for spreadsheets', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","klik")', `'=HYPERLINK("http://evil.example","klik")`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ["'already quoted", "''already quoted"],
    ['PT Maju, "Jaya" Tbk', 'PT Maju, "Jaya" Tbk'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('escapes %j as %j, and reads it back', (text, escaped) => {
    expect(escapeCsvText(text)).toBe(escaped);
    expect(unescapeCsvText(escapeCsvText(text))).toBe(text);
  });

  it('writes numbers, negative ones included, as plain numbers, and null as an empty cell', () => {
    const csv = toCsv([{ name: '-5', amount: -16800, big: 12345678901234567890n, none: null }], ['name', 'amount', 'big', 'none'], true);
    expect(csv).toBe("name,amount,big,none\n'-5,-16800,12345678901234567890,\n");
  });

  it('round-trips any text through csv-parse and one dropped apostrophe', () => {
    const texts = ['=1', '+', '-', '@', '\t', '\r', "'", "''", 'line\nbreak', 'comma, "quote"', '', 'plain'];
    const csv = toCsv(texts.map((text) => ({ text })), ['text'], true);
    const rows = parse(csv, { columns: true }) as { text: string }[];
    expect(rows.map((row) => unescapeCsvText(row.text))).toEqual(texts);
    for (const row of rows) expect(row.text).not.toMatch(/^[=+\-@\t\r]/);
  });
});
