import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { unescapeCsvText } from '../../src/http/csv';
import { syntheticNik } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

type Row = Record<string, unknown>;

/**
 * CSV formula injection (issue 12): payer names such as `=HYPERLINK(...)`, `+1+1` or `@SUM(1)` came out of
 * the ledger export verbatim, and a spreadsheet runs them. Every text cell starting with a formula character
 * is escaped; numbers stay numbers; the file still reads back to the JSON items.
 */
describe('ledger CSV export against formula injection', () => {
  const NAMES = ['=HYPERLINK("http://evil.example","klik")', '+1+1', '@SUM(1)', '-2+3', '\t=1+1', '\r=1+1', "'=1", 'PT Maju, "Jaya" Tbk'];
  let t: TestApp;
  let last = '0';

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23' });
    const workerId = (
      await t
        .as('operator')
        .post('/v1/workers')
        .send({
          nik: syntheticNik('1990-03-12', 'F', 7),
          fullName: 'Sri Wahyuni',
          birthDate: '1990-03-12',
          gender: 'F',
          occupation: 'DOMESTIC_HELPER',
          kecamatan: '3374.01',
          fundingSource: 'CSR',
          enrolledOn: '2026-01-10',
        })
        .expect(201)
    ).body.workerId;
    for (const [i, name] of NAMES.entries()) {
      const res = await t
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ paymentRef: `RCPT-${i}`, months: 1, amount: 16800, paidOn: '2026-03-12', payer: { type: 'CSR', name } })
        .expect(201);
      last = res.body.position;
    }
    // A reversal-like row with a negative amount, put straight into the read model the export reads, at a
    // position below every real one (and shorter in digits: the export sorts positions as numbers, not text).
    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      await sql.query(
        `INSERT INTO contribution_ledger (position, kind, payment_ref, worker_id, sponsor_id, opd_code, funding_source, payer_name, booked_on, paid_on,
                                          reversed_on, reason, months, covered_from, covered_through, amount, recorded_at, recorded_by)
         VALUES (7, 'REVERSAL', '-RCPT-0', $1, NULL, NULL, 'CSR', '-', DATE '2026-03-12', DATE '2026-03-12', DATE '2026-03-12', '=SUM(A1:A9)',
                 -1, '2026-01', '2026-01', -16800, timestamptz '2026-11-01T00:00:00Z', '=operator')`,
        [workerId],
      );
    } finally {
      await sql.end();
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const csvRows = async () => {
    const res = await t.as('auditor').get(`/v1/ledger?minPosition=${last}&format=csv`).expect(200);
    return { text: res.text, rows: parse(res.text, { columns: true }) as Record<string, string>[] };
  };

  it('starts no text cell with =, +, -, @, a tab or a carriage return', async () => {
    const { rows } = await csvRows();
    expect(rows).toHaveLength(NAMES.length + 1);
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row)) {
        if (column === 'amount' || column === 'months') continue;
        expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    expect(rows.map((row) => row.payerName)).toEqual(["'-", ...NAMES.map((name) => (/^[=+\-@\t\r']/.test(name) ? `'${name}` : name))]);
  });

  it('writes amounts as plain numbers, a negative one too', async () => {
    const { rows } = await csvRows();
    expect(rows.map((row) => row.amount)).toEqual(['-16800', ...NAMES.map(() => '16800')]);
  });

  it('reads back to the JSON items once one leading apostrophe is dropped from text cells', async () => {
    const json = (await t.as('auditor').get(`/v1/ledger?minPosition=${last}`).expect(200)).body.items as Row[];
    const { text } = await csvRows();
    const rows = parse(text, {
      columns: true,
      cast: (value, context) => {
        if (context.header) return value;
        if (value === '') return null;
        return context.column === 'months' || context.column === 'amount' ? Number(value) : unescapeCsvText(value);
      },
    }) as Row[];
    expect(rows).toEqual(json);
    expect(json.map((row) => row.payerName)).toEqual(['-', ...NAMES]);
    expect(json[0]).toMatchObject({ paymentRef: '-RCPT-0', amount: -16800, recordedBy: '=operator', position: '7' });
  });
});
