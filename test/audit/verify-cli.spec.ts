import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { syntheticNik } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** `npm run audit:verify` runs this file once built; here it runs from source against a test app's database. */
function runCli(databaseUrl: string, masterKey: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'audit', 'verify-cli.ts'), '--json', '--wait-ms=20000'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, ASUH_MASTER_KEY: masterKey, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 2) : 0, stdout, stderr }),
    );
  });
}

describe('audit:verify CLI', () => {
  let t: TestApp;
  let workerId: string;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-03-12' });
    const enrolled = await t
      .as('admin')
      .post('/v1/workers')
      .send({
        nik: syntheticNik('1985-06-15', 'F', 1),
        fullName: 'Worker 1',
        birthDate: '1985-06-15',
        gender: 'F',
        occupation: 'DOMESTIC_HELPER',
        kecamatan: '3374.01',
        fundingSource: 'SELF',
        enrolledOn: '2026-03-10',
      })
      .expect(201);
    workerId = enrolled.body.workerId;
    const paid = await t
      .as('admin')
      .post(`/v1/workers/${workerId}/payments`)
      .send({ paymentRef: 'RCPT-1', months: 1, amount: 16800, paidOn: '2026-03-12', payer: { type: 'SELF' } })
      .expect(201);
    await t.as('auditor').get(`/v1/workers/${workerId}?minPosition=${paid.body.position}`).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exits 0 with the report on a clean system, 1 and the mismatch after a read-model row is altered', async () => {
    const clean = await runCli(t.db.url, t.started.runtime.config.masterKey!);
    expect({ code: clean.code, stderr: clean.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, mismatches: [], brokenChains: [], liveCaughtUp: true });

    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      await sql.query(`UPDATE worker_status SET months_contributed = 99 WHERE worker_id = $1`, [workerId]);
    } finally {
      await sql.end();
    }
    const altered = await runCli(t.db.url, t.started.runtime.config.masterKey!);
    expect(altered.code).toBe(1);
    expect(JSON.parse(altered.stdout)).toMatchObject({
      ok: false,
      mismatches: [{ table: 'worker_status', key: { worker_id: workerId }, column: 'months_contributed', live: 99, replayed: 1 }],
    });
  });
});
