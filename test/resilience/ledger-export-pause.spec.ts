import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { streamLedger } from '../../src/audit/ledger.query';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The read models' sessions end a transaction left idle longer than ASUH_DB_TIMEOUT_MS. The ledger export
 * is the one transaction that legitimately waits between statements (for a slow client to drain its
 * socket), so it keeps a longer, still bounded, allowance of its own.
 */
describe('ledger export with a slow client, under a short database bound', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ASUH_DB_TIMEOUT_MS: '200' } });
    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      await sql.query(
        `INSERT INTO contribution_ledger (position, kind, payment_ref, worker_id, sponsor_id, opd_code, funding_source, payer_name, booked_on, paid_on,
                                          months, covered_from, covered_through, amount, recorded_at, recorded_by)
         SELECT 1000 + g, 'PAYMENT', 'RCPT-' || g, gen_random_uuid(), NULL, NULL, 'APBD', NULL, DATE '2026-01-01' + g, DATE '2026-01-01' + g, 1, '2026-01', '2026-01', 16800,
                timestamptz '2026-11-01T00:00:00Z', 'operator-key'
           FROM generate_series(1, 300) g`,
      );
    } finally {
      await sql.end();
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('keeps its transaction across a pause longer than the bound between two batches', async () => {
    const batches = streamLedger(t.app.get<DataSource>(getDataSourceToken()), {}, 100);
    let rows = (await batches.next()).value?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (let next = await batches.next(); !next.done; next = await batches.next()) rows += next.value.length;
    expect(rows).toBe(300);
  });

  it('still ends an ordinary transaction left idle beyond the bound', async () => {
    const runner = t.app.get<DataSource>(getDataSourceToken()).createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN');
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expect(runner.query('SELECT 1')).rejects.toThrow();
    } finally {
      await runner.release();
    }
  });
});
