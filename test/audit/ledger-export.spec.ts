import { parse } from 'csv-parse/sync';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { streamLedger } from '../../src/audit/ledger.query';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The ledger export over many cursor batches (the export fetches 500 rows at a time): rows written as
 * they come in chunks, every row once, in order, and the totals of all of them. The rows are put straight
 * into the read model, which is all the export reads.
 */
describe('ledger export across cursor batches', () => {
  const ROWS = 1234;
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23' });
    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      await sql.query(
        `INSERT INTO contribution_ledger (position, kind, payment_ref, worker_id, sponsor_id, opd_code, funding_source, payer_name, booked_on, paid_on,
                                          months, covered_from, covered_through, amount, recorded_at, recorded_by)
         SELECT 1000 + g, 'PAYMENT', 'RCPT-' || lpad(g::text, 5, '0'), gen_random_uuid(), NULL, NULL, 'CSR',
                CASE WHEN g % 2 = 0 THEN 'PT "Sejahtera", cabang ' || g END,
                DATE '2026-01-01' + (g % 300), DATE '2026-01-01' + (g % 300), 1, '2026-01', '2026-01', 16800, timestamptz '2026-11-01T00:00:00Z', 'operator-key'
           FROM generate_series(1, $1::int) g`,
        [ROWS],
      );
      // Every 100th payment reversed 20 days after it was made: a line of its own on its own date.
      await sql.query(
        `INSERT INTO contribution_ledger (position, kind, payment_ref, worker_id, sponsor_id, opd_code, funding_source, payer_name, booked_on, paid_on,
                                          reversed_on, reason, months, covered_from, covered_through, amount, recorded_at, recorded_by)
         SELECT position + 100000, 'REVERSAL', payment_ref, worker_id, NULL, NULL, funding_source, payer_name, paid_on + 20, paid_on,
                paid_on + 20, 'Bounced, "returned" by the bank', -months, covered_from, covered_through, -amount, recorded_at, recorded_by
           FROM contribution_ledger WHERE position % 100 = 0`,
      );
    } finally {
      await sql.end();
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('JSON: every line once, in date (paidOn, or reversedOn for a reversal) then position order, net totals over all of them, sent in chunks', async () => {
    const res = await t.as('auditor').get('/v1/ledger').expect(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const items = res.body.items as { kind: string; paidOn: string; reversedOn: string | null; position: string; amount: number }[];
    const reversals = Math.floor(ROWS / 100);
    expect(items).toHaveLength(ROWS + reversals);
    expect(new Set(items.map((r) => r.position)).size).toBe(ROWS + reversals);
    const keys = items.map((r) => `${r.reversedOn ?? r.paidOn}|${r.position.padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
    expect(items.filter((r) => r.kind === 'REVERSAL').every((r) => r.amount === -16800 && r.reversedOn !== null)).toBe(true);
    expect(res.body.totals).toEqual({ payments: ROWS, reversals, amount: (ROWS - reversals) * 16800 });
  });

  it('CSV: one header, then rows that parse back to the JSON items', async () => {
    const json = (await t.as('auditor').get('/v1/ledger?from=2026-02-01').expect(200)).body;
    const res = await t.as('auditor').get('/v1/ledger?from=2026-02-01&format=csv').expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="ledger-2026-02-01-end.csv"');
    expect((res as unknown as { res: { trailers: Record<string, string> } }).res.trailers['x-ledger-totals']).toBe(
      `payments=${json.totals.payments}; reversals=${json.totals.reversals}; amount=${json.totals.amount}`,
    );
    const rows = parse(res.text, {
      columns: true,
      cast: (value, context) => {
        if (context.header) return value;
        if (value === '') return null;
        return context.column === 'months' || context.column === 'amount' ? Number(value) : value;
      },
    });
    expect(json.items.length).toBeGreaterThan(1000);
    expect(rows).toEqual(json.items);
  });

  it('an export abandoned after its first batch closes its cursor and transaction and hands the connection back', async () => {
    const db = t.app.get<DataSource>(getDataSourceToken());
    const inTransaction = async () =>
      Number(
        (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`))[0].n,
      );
    const batches = streamLedger(db, {}, 100);
    const first = await batches.next();
    expect(first.done).toBe(false);
    expect(first.value).toHaveLength(100);
    expect(await inTransaction()).toBe(1);
    await batches.return(undefined);
    expect(await inTransaction()).toBe(0);
  });
});
