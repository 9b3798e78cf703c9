import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import type { ImportReport } from '../../src/imports/import-jobs.store';
import { createTestApp, TestApp, type TestBackend } from '../support/test-app';

/**
 * Bulk import over HTTP: a workers file and a payments file, each row through the
 * single-record rules and codes; duplicates, a dry run, the errors CSV, the file-level refusals, and a job
 * cut off by a restart.
 */
type Report = ImportReport;

const WORKER_HEADER = 'nik,fullName,birthDate,gender,occupation,kecamatan,address,phone,fundingSource,sponsorNip,enrolledOn';
const PAYMENT_HEADER = 'paymentRef,nik,months,amount,paidOn,payerType,payerSponsorNip,payerName';

describe('bulk import over HTTP', () => {
  let t: TestApp;
  const sponsorNip = syntheticNip('1984-02-03', 'M', 1);
  let sponsorId: string;
  const nik = (seq: number, birthDate = '1985-04-12', gender: 'F' | 'M' = 'F') => syntheticNik(birthDate, gender, seq);

  const upload = (kind: string, csv: string | Buffer, query: Record<string, string> = {}, role: 'admin' | 'operator' = 'admin') =>
    t.as(role).post('/v1/imports').query({ kind, ...query }).set('Content-Type', 'text/csv').send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv));

  /** Polls the job until it is no longer RUNNING; the counts only ever grow on the way. */
  const finished = async (importId: string): Promise<Report> => {
    let seen = 0;
    for (;;) {
      const report = (await t.as('admin').get(`/v1/imports/${importId}`).expect(200)).body as Report;
      expect(report.processed).toBeGreaterThanOrEqual(seen);
      seen = report.processed;
      if (report.status !== 'RUNNING') return report;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** The highest position any import recorded at: reads wait for the read models to reach it. */
  let last = '0';
  const importFile = async (kind: string, csv: string, query: Record<string, string> = {}) => {
    const res = await upload(kind, csv, query).expect(202);
    expect(res.body).toEqual({ importId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const report = await finished(res.body.importId);
    if (report.position && BigInt(report.position) > BigInt(last)) last = report.position;
    return report;
  };

  const workersWith = async (n: string) => {
    const res = await t.as('admin').get('/v1/workers').query({ nik: n, minPosition: last }).expect(200);
    return res.body.items as { workerId: string; fullName: string; status: string; paidThrough: string | null; monthsContributed: number }[];
  };
  const eventCount = async () => (await t.started.runtime.eventStore.readAll({})).length;

  const workerRows = [
    // rows 2-4: good (APBD, DBHCHT, an ASN sponsor's by NIP, with a formula-looking address and a phone with +)
    `${nik(1)},Sri Wahyuni,1985-04-12,F,DOMESTIC_HELPER,3374.01,"Jl. Kenanga 3, RT 02",081234567890,APBD,,2026-01-05`,
    `${nik(2, '1979-11-02', 'M')},Bambang Sutrisno,1979-11-02,M,PRIVATE_DRIVER,3374.05,=Jl. Pemuda 1,+6281234567,DBHCHT,,2026-01-05`,
    `${nik(3)},"Siti ""Ani"" Rahayu",1985-04-12,F,SNACK_VENDOR,3374.10,,,ASN_SPONSOR,${sponsorNip},2026-02-01`,
    // row 5: NIK of the wrong length
    `12345,Tono,1985-04-12,M,PRIVATE_DRIVER,3374.01,,,APBD,,2026-01-05`,
    // row 6: a sponsor NIP nobody registered
    `${nik(6)},Dewi Lestari,1985-04-12,F,DOMESTIC_HELPER,3374.02,,,ASN_SPONSOR,${syntheticNip('1970-01-01', 'F', 9)},2026-01-05`,
    // row 7: older than the enrolment age limit
    `${nik(7, '1950-06-01', 'M')},Slamet Riyadi,1950-06-01,M,CASUAL_WORKER,3374.03,,,APBD,,2026-01-05`,
    // row 8: a field too few
    `${nik(8)},Wati,1985-04-12,F,DOMESTIC_HELPER,3374.01,,,APBD`,
    // row 9: the NIK of row 2 again, other details
    `${nik(2, '1979-11-02', 'M')},Bambang S.,1979-11-02,M,PRIVATE_DRIVER,3374.05,,,DBHCHT,,2026-01-05`,
    // row 10: unknown occupation and kecamatan
    `${nik(10)},Rina,1985-04-12,F,ASTRONAUT,3374.99,,,APBD,,2026-01-05`,
    // row 11: the same as row 2 (a duplicate within the file)
    `${nik(2, '1979-11-02', 'M')},Bambang Sutrisno,1979-11-02,M,PRIVATE_DRIVER,3374.05,=Jl. Pemuda 1,+6281234567,DBHCHT,,2026-01-05`,
  ];
  const workersCsv = `\ufeff${WORKER_HEADER}\r\n${workerRows.join('\r\n')}\r\n`;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-03-20', env: { ASUH_IMPORT_MAX_BYTES: '65536', ASUH_IMPORT_CONCURRENCY: '3' } });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    sponsorId = (await t.as('operator').post('/v1/sponsors').send({ nip: sponsorNip, fullName: 'Budi Santoso', opdCode: 'DINKES' }).expect(201)).body.sponsorId;
  });

  /** The first app's backend, once the restart test hands it to a second app (which does not release what it was given). */
  let handedOver: TestBackend | undefined;

  afterAll(async () => {
    await t?.close();
    await handedOver?.release();
  });

  describe('a workers file', () => {
    let first: Report;

    it('a dry run decides every row and appends nothing', async () => {
      const before = await eventCount();
      const report = await importFile('workers', workersCsv, { dryRun: 'true' });
      expect(report).toMatchObject({ kind: 'workers', dryRun: true, status: 'DONE', rows: 10, processed: 10, accepted: 3, duplicates: 1, rejected: 6 });
      expect(await eventCount()).toBe(before);
      expect(await workersWith(nik(1))).toEqual([]);
    });

    it('records the good rows as enrolments and reports every bad one by row, column and code', async () => {
      first = await importFile('workers', workersCsv);
      expect(first).toMatchObject({ kind: 'workers', dryRun: false, status: 'DONE', rows: 10, processed: 10, accepted: 3, duplicates: 1, rejected: 6 });
      expect(first.finishedAt).not.toBeNull();
      const byRow = Object.fromEntries(first.errors.map((e) => [`${e.row}:${e.field}`, e.code]));
      expect(byRow).toEqual({
        '5:nik': 'VALIDATION_FAILED',
        '6:sponsorNip': 'UNKNOWN_SPONSOR',
        '7:birthDate': 'AGE_LIMIT_EXCEEDED',
        '8:row': 'VALIDATION_FAILED',
        '9:nik': 'NIK_ALREADY_ENROLLED',
        '10:occupation': 'VALIDATION_FAILED',
        '10:kecamatan': 'VALIDATION_FAILED',
      });
      const [sri] = await workersWith(nik(1));
      expect(sri).toMatchObject({ fullName: 'Sri Wahyuni', status: 'PENDING' });
      const [siti] = await workersWith(nik(3));
      expect(siti).toMatchObject({ fullName: 'Siti "Ani" Rahayu' });
      const detail = (await t.as('admin').get(`/v1/workers/${siti.workerId}`).query({ minPosition: last }).expect(200)).body;
      expect(detail).toMatchObject({ fundingSource: 'ASN_SPONSOR', sponsorId });
      // The events are the single-record endpoint's, recorded by the admin key, correlated with the import.
      const history = (await t.as('auditor').get(`/v1/workers/${sri.workerId}/history`).expect(200)).body.events;
      expect(history).toEqual([expect.objectContaining({ type: 'WorkerEnrolled', recordedBy: 'admin-key', correlationId: first.importId })]);
    });

    it('gives the rejected rows back as CSV with row, field, code and message, ready to fix and import again', async () => {
      const res = await t.as('admin').get(`/v1/imports/${first.importId}/errors.csv`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(res.text, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.row, r.code])).toEqual([
        ['5', 'VALIDATION_FAILED'],
        ['6', 'UNKNOWN_SPONSOR'],
        ['7', 'AGE_LIMIT_EXCEEDED'],
        ['8', 'VALIDATION_FAILED'],
        ['9', 'NIK_ALREADY_ENROLLED'],
        ['10', 'VALIDATION_FAILED; VALIDATION_FAILED'],
      ]);
      expect(rows[1]).toMatchObject({ fullName: 'Dewi Lestari', sponsorNip: syntheticNip('1970-01-01', 'F', 9), field: 'sponsorNip' });
      expect(rows[5].field).toBe('occupation; kecamatan');
      // The short row comes back with every column (the missing ones empty): as it stands it is a whole row now.
      expect(rows[3]).toMatchObject({ nik: nik(8), fundingSource: 'APBD', sponsorNip: '', enrolledOn: '', field: 'row' });
      // Fixed in a spreadsheet: the Dewi row now names the registered sponsor; the appended columns are ignored.
      const fixed = res.text.replace(syntheticNip('1970-01-01', 'F', 9), sponsorNip);
      const again = await importFile('workers', fixed);
      expect(again).toMatchObject({ rows: 6, accepted: 2, duplicates: 0, rejected: 4 });
      expect(await workersWith(nik(6))).toEqual([expect.objectContaining({ fullName: 'Dewi Lestari' })]);
      expect(await workersWith(nik(8))).toEqual([expect.objectContaining({ fullName: 'Wati' })]);
    });

    it('a second import of the same file records nothing new: its rows are duplicates', async () => {
      const before = await eventCount();
      const second = await importFile('workers', workersCsv);
      expect(second).toMatchObject({ status: 'DONE', rows: 10, accepted: 0, duplicates: 4, rejected: 6 });
      expect(await eventCount()).toBe(before);
      expect(await workersWith(nik(2, '1979-11-02', 'M'))).toHaveLength(1);
    });
  });

  describe('a payments file', () => {
    const csv = [
      PAYMENT_HEADER,
      // rows 2-4: three months of Sri's by the city budget, one each
      `IMP-001,${nik(1)},1,16800,2026-01-10,APBD,,`,
      `IMP-002,${nik(1)},1,16800,2026-02-10,APBD,,`,
      `IMP-003,${nik(1)},1,16800,2026-03-10,APBD,,`,
      // row 5: Siti's three months by her ASN sponsor, by NIP
      `IMP-004,${nik(3)},3,50400,2026-02-03,ASN_SPONSOR,${sponsorNip},`,
      // row 6: Bambang's by a company
      `IMP-005,${nik(2, '1979-11-02', 'M')},6,100800,2026-01-06,CSR,,PT Jamu Sehat`,
      // row 7: a NIK nobody enrolled
      `IMP-006,${nik(99)},1,16800,2026-01-10,APBD,,`,
      // row 8: a wrong amount
      `IMP-007,${nik(6)},1,15000,2026-01-10,APBD,,`,
      // row 9: a period the policy does not have
      `IMP-008,${nik(6)},2,33600,2026-01-10,APBD,,`,
      // row 10: IMP-001 again with another amount and worker
      `IMP-001,${nik(6)},1,16800,2026-01-11,APBD,,`,
      // row 11: not a number of months
      `IMP-009,${nik(6)},satu,16800,2026-01-10,APBD,,`,
      // row 12: a payer NIP with a non-sponsor payer type
      `IMP-010,${nik(6)},1,16800,2026-01-10,APBD,${sponsorNip},`,
    ].join('\n');
    let first: Report;

    it('records every good payment under the payment rules and reports the others', async () => {
      first = await importFile('payments', csv);
      expect(first).toMatchObject({ kind: 'payments', status: 'DONE', rows: 11, processed: 11, accepted: 5, duplicates: 0, rejected: 6 });
      expect(Object.fromEntries(first.errors.map((e) => [`${e.row}:${e.field}`, e.code]))).toEqual({
        '7:nik': 'NOT_FOUND',
        '8:amount': 'INVALID_PAYMENT_AMOUNT',
        '9:months': 'INVALID_PAYMENT_PERIOD',
        '10:paymentRef': 'PAYMENT_REF_CONFLICT',
        '11:months': 'VALIDATION_FAILED',
        '12:payerSponsorNip': 'VALIDATION_FAILED',
      });
      const [sri] = await workersWith(nik(1));
      expect(sri).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-03', monthsContributed: 3 });
      const [bambang] = await workersWith(nik(2, '1979-11-02', 'M'));
      expect(bambang).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-06', monthsContributed: 6 });
      const ledger = (await t.as('auditor').get('/v1/ledger').query({ from: '2026-01-01', to: '2026-12-31', minPosition: last }).expect(200)).body;
      expect(ledger.totals).toMatchObject({ payments: 5, reversals: 0, amount: 16800 * 3 + 50400 + 100800 });
    });

    it('a second import of the same file records nothing new', async () => {
      const before = await eventCount();
      const second = await importFile('payments', csv);
      expect(second).toMatchObject({ status: 'DONE', rows: 11, accepted: 0, duplicates: 5, rejected: 6 });
      expect(await eventCount()).toBe(before);
      const [sri] = await workersWith(nik(1));
      expect(sri).toMatchObject({ paidThrough: '2026-03', monthsContributed: 3 });
    });

    it('a dry run judges later rows of the same file by the earlier ones', async () => {
      const dry = await importFile(
        'payments',
        [PAYMENT_HEADER, `IMP-100,${nik(6)},1,16800,2026-03-01,APBD,,`, `IMP-100,${nik(6)},1,16800,2026-03-01,APBD,,`, `IMP-100,${nik(6)},1,16800,2026-03-02,APBD,,`].join('\n'),
        { dryRun: 'true' },
      );
      expect(dry).toMatchObject({ dryRun: true, accepted: 1, duplicates: 1, rejected: 1, errors: [expect.objectContaining({ row: 4, code: 'PAYMENT_REF_CONFLICT' })] });
      expect((await workersWith(nik(6)))[0]).toMatchObject({ monthsContributed: 0 });
    });
  });

  describe('files refused whole, and access', () => {
    it('400 for a header without a required column, or with a column the kind does not have, before any row runs', async () => {
      const before = await eventCount();
      const missing = await upload('workers', `nik,fullName,birthDate,gender,occupation,kecamatan\n${nik(40)},A,1985-04-12,F,PRIVATE_DRIVER,3374.01\n`).expect(400);
      expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'fundingSource', message: expect.stringContaining('fundingSource') }] });
      const unknown = await upload('payments', `${PAYMENT_HEADER},note\nX-1,${nik(1)},1,16800,2026-03-01,APBD,,,hi\n`).expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'note', message: expect.stringContaining('no column "note"') }]);
      expect(await eventCount()).toBe(before);
    });

    it('400 for a file that is empty, not UTF-8, or not CSV', async () => {
      expect((await upload('workers', '').expect(400)).body.code).toBe('VALIDATION_FAILED');
      const latin1 = Buffer.concat([Buffer.from(`${WORKER_HEADER}\n${nik(41)},Jos`), Buffer.from([0xe9]), Buffer.from(',1985-04-12,F,PRIVATE_DRIVER,3374.01,,,APBD,,\n')]);
      expect((await upload('workers', latin1).expect(400)).body.detail).toMatch(/UTF-8/);
      expect((await upload('workers', `${WORKER_HEADER}\n"${nik(42)},unclosed quote\n`).expect(400)).body.detail).toMatch(/not valid CSV/);
    });

    it('413 for a file over ASUH_IMPORT_MAX_BYTES, 415 for a body that is not text/csv', async () => {
      const big = `${WORKER_HEADER}\n${`${nik(43)},${'A'.repeat(190)},1985-04-12,F,PRIVATE_DRIVER,3374.01,,,APBD,,\n`.repeat(400)}`;
      expect((await upload('workers', big).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
      const json = await t.as('admin').post('/v1/imports').query({ kind: 'workers' }).send({ rows: [] }).expect(415);
      expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      // JSON routes stay JSON only.
      const csvElsewhere = await t.as('admin').post('/v1/opds').set('Content-Type', 'text/csv').send('code,name').expect(415);
      expect(csvElsewhere.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('400 for an unknown kind or dryRun value; 404 for an unknown import; 403 for an operator', async () => {
      expect((await upload('sponsors', `${WORKER_HEADER}\n`).expect(400)).body.errors[0].field).toBe('kind');
      expect((await upload('workers', `${WORKER_HEADER}\n`, { dryRun: 'yes' }).expect(400)).body.errors[0].field).toBe('dryRun');
      expect((await t.as('admin').get('/v1/imports/5b6e1f5c-7a0e-4a55-9a0b-111111111111').expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.as('admin').get('/v1/imports/5b6e1f5c-7a0e-4a55-9a0b-111111111111/errors.csv').expect(404)).body.code).toBe('NOT_FOUND');
      await t.as('admin').get('/v1/imports/not-an-id').expect(400);
      expect((await upload('workers', `${WORKER_HEADER}\n`, {}, 'operator').expect(403)).body.code).toBe('FORBIDDEN');
    });

    it('a file of only a header is a job of no rows', async () => {
      expect(await importFile('workers', `${WORKER_HEADER}\n`)).toMatchObject({ status: 'DONE', rows: 0, processed: 0, accepted: 0 });
    });
  });

  it('keeps the rejected rows sealed at rest: no NIK or name of them in the import table', async () => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT coalesce(string_agg(j::text, E'\\n'), '') AS t FROM import_jobs j`);
      const atRest: string = rows[0].t;
      expect(atRest).toContain('UNKNOWN_SPONSOR');
      for (const value of ['Dewi Lestari', 'Slamet Riyadi', nik(7, '1950-06-01', 'M'), syntheticNip('1970-01-01', 'F', 9)]) {
        expect({ value, found: atRest.includes(value) }).toEqual({ value, found: false });
      }
    } finally {
      await client.end();
    }
  });

  it('a job cut off by a restart is reported FAILED; importing the file again completes it', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${nik(1000 + i, '1990-01-01', 'M')},Pekerja ${i},1990-01-01,M,PRIVATE_DRIVER,3374.07,,,APBD,,2026-03-01`);
    const csv = `${WORKER_HEADER}\n${rows.join('\n')}\n`;
    const { importId } = (await upload('workers', csv).expect(202)).body;
    const backend = t.backend;
    await t.started.close();
    handedOver = backend;
    t = await createTestApp({ today: '2026-03-20', backend, env: { ASUH_IMPORT_MAX_BYTES: '65536' } });
    const cut = (await t.as('admin').get(`/v1/imports/${importId}`).expect(200)).body as Report;
    expect(cut).toMatchObject({ status: 'FAILED', failure: expect.stringContaining('interrupted') });
    expect(cut.processed).toBeLessThan(300);
    const again = await importFile('workers', csv);
    expect(again).toMatchObject({ status: 'DONE', rows: 300, rejected: 0 });
    expect(again.accepted + again.duplicates).toBe(300);
    expect(again.duplicates).toBeGreaterThanOrEqual(cut.accepted);
  });

  it('a job whose process died without a word is reported FAILED once its heartbeat is old', async () => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO import_jobs (import_id, kind, dry_run, status, requested_by, header, rows, processed, started_at, heartbeat_at)
         VALUES ('0b4f6a3e-1c2d-4e5f-8a9b-000000000001', 'payments', false, 'RUNNING', 'admin-key', '[]', 10, 4, now() - interval '10 minutes', now() - interval '9 minutes')`,
      );
    } finally {
      await client.end();
    }
    const report = (await t.as('admin').get('/v1/imports/0b4f6a3e-1c2d-4e5f-8a9b-000000000001').expect(200)).body;
    expect(report).toMatchObject({ status: 'FAILED', processed: 4, failure: expect.stringContaining('interrupted'), finishedAt: expect.any(String) });
  });
});
