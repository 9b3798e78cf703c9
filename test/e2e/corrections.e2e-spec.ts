import { parse } from 'csv-parse/sync';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The secretariat's corrections over HTTP: a worker's details, who funds a worker, a payment reversed; and the
 * late facts the lapse check records with the dates of the rules. Every figure the API reports follows them.
 */
type Row = Record<string, unknown>;

describe('corrections over HTTP', () => {
  let t: TestApp;
  let last = '0';
  let sponsorId: string;
  let otherSponsorId: string;
  let withdrawnSponsorId: string;
  let nikSeq = 300;

  const track = <T extends { body: { position?: string } }>(res: T): T => {
    if (res.body.position && BigInt(res.body.position) > BigInt(last)) last = res.body.position;
    return res;
  };
  const read = async (path: string, role: 'admin' | 'operator' | 'auditor' | 'analyst' = 'admin') =>
    (await t.as(role).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`).expect(200)).body;

  const enrol = async (overrides: Row = {}) => {
    const birthDate = (overrides.birthDate as string) ?? '1988-07-21';
    const gender = (overrides.gender as string) ?? 'F';
    const res = await t
      .as('operator')
      .post('/v1/workers')
      .send({
        nik: syntheticNik(birthDate, gender as 'F' | 'M', nikSeq++),
        fullName: 'Siti Rahayu',
        birthDate,
        gender,
        occupation: 'DOMESTIC_HELPER',
        kecamatan: '3374.01',
        fundingSource: 'ASN_SPONSOR',
        sponsorId,
        enrolledOn: '2026-03-10',
        ...overrides,
      })
      .expect(201);
    return track(res).body.workerId as string;
  };
  const pay = async (workerId: string, body: Row, payer: Row = { type: 'ASN_SPONSOR', sponsorId }) =>
    track(await t.as('operator').post(`/v1/workers/${workerId}/payments`).send({ payer, ...body }).expect(201)).body;
  const history = async (workerId: string) => (await read(`/v1/workers/${workerId}/history`)).events as { type: string; data: Row }[];

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-03-12' });
    track(await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201));
    track(await t.as('admin').post('/v1/opds').send({ code: 'DISDIK', name: 'Dinas Pendidikan', kind: 'DINAS', pnsHeadcount: 900 }).expect(201));
    const sponsor = async (nip: string, opdCode: string) =>
      track(await t.as('operator').post('/v1/sponsors').send({ nip, fullName: 'Budi Santoso', opdCode }).expect(201)).body.sponsorId as string;
    sponsorId = await sponsor(syntheticNip('1984-02-03', 'M', 1), 'DINKES');
    otherSponsorId = await sponsor(syntheticNip('1986-05-06', 'F', 2), 'DISDIK');
    withdrawnSponsorId = await sponsor(syntheticNip('1979-09-10', 'M', 3), 'DISDIK');
    track(await t.as('operator').post(`/v1/sponsors/${withdrawnSponsorId}/withdraw`).send({ reason: 'Pensiun' }).expect(200));
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('PATCH /v1/workers/{id}: details', () => {
    let workerId: string;

    beforeAll(async () => {
      workerId = await enrol({ fullName: 'Siti Rahayu', phone: '081200000001' });
    });

    it('records only what changed; the worker, the name search and the statistics follow', async () => {
      const res = await t
        .as('operator')
        .patch(`/v1/workers/${workerId}`)
        .send({ fullName: 'Sity Rahayoe', kecamatan: '3374.05', occupation: 'SNACK_VENDOR', gender: 'F', reason: 'Salah ketik' })
        .expect(200);
      track(res);
      expect(res.body).toEqual({ workerId, position: expect.stringMatching(/^\d+$/) });
      const correction = (await history(workerId)).find((e) => e.type === 'WorkerDetailsCorrected');
      expect(correction?.data).toEqual({
        workerId,
        fullName: 'Sity Rahayoe',
        kecamatan: '3374.05',
        occupation: 'SNACK_VENDOR',
        reason: 'Salah ketik',
        occurredOn: '2026-03-12',
      });
      expect(await read(`/v1/workers/${workerId}`)).toMatchObject({ fullName: 'Sity Rahayoe', kecamatan: '3374.05', occupation: 'SNACK_VENDOR' });
      const found = await read('/v1/workers?q=rahayoe');
      expect(found.items.map((w: Row) => w.workerId)).toEqual([workerId]);
      expect((await read('/v1/workers?q=Siti%20Rahayu')).items.map((w: Row) => w.workerId)).not.toContain(workerId);
      const byKecamatan = await read('/v1/stats/coverage?groupBy=kecamatan', 'analyst');
      expect(byKecamatan.items.find((i: Row) => i.key === '3374.05')).toMatchObject({ registered: 1 });
    });

    it('shows the corrected details to a personal-data request', async () => {
      track(await t.as('operator').patch(`/v1/workers/${workerId}`).send({ phone: '081299999999', address: 'Jl. Pandanaran 5', reason: 'Pindah' }).expect(200));
      const data = await read(`/v1/workers/${workerId}/personal-data`);
      expect(data.personal).toMatchObject({ fullName: 'Sity Rahayoe', phone: '081299999999', address: 'Jl. Pandanaran 5' });
    });

    it('appends nothing for a correction that changes nothing, and answers 200', async () => {
      const before = (await history(workerId)).length;
      await t.as('operator').patch(`/v1/workers/${workerId}`).send({ fullName: 'Sity Rahayoe', reason: 'again' }).expect(200);
      await t.as('operator').patch(`/v1/workers/${workerId}`).send({ reason: 'nothing at all' }).expect(200);
      expect(await history(workerId)).toHaveLength(before);
    });

    it('refuses a gender or birth date the NIK disagrees with: 422 NIK_MISMATCH', async () => {
      const res = await t.as('operator').patch(`/v1/workers/${workerId}`).send({ gender: 'M', reason: 'x' }).expect(422);
      expect(res.body).toMatchObject({ code: 'NIK_MISMATCH' });
      await t.as('operator').patch(`/v1/workers/${workerId}`).send({ birthDate: '1988-07-22', reason: 'x' }).expect(422);
    });

    it.each([
      ['no reason', { fullName: 'A B' }, 'reason'],
      ['a kecamatan outside Semarang', { kecamatan: '3374.99', reason: 'x' }, 'kecamatan'],
      ['an unknown occupation', { occupation: 'PILOT', reason: 'x' }, 'occupation'],
      ['a NIK (never corrected)', { nik: '3374016107880001', reason: 'x' }, 'nik'],
    ])('refuses %s: 400 VALIDATION_FAILED', async (_name, body, field) => {
      const res = await t.as('operator').patch(`/v1/workers/${workerId}`).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('is 401 without a key, 403 for auditors and analysts, 404 for an unknown worker', async () => {
      await t.as().patch(`/v1/workers/${workerId}`).send({ reason: 'x' }).expect(401);
      await t.as('auditor').patch(`/v1/workers/${workerId}`).send({ reason: 'x' }).expect(403);
      await t.as('analyst').patch(`/v1/workers/${workerId}`).send({ reason: 'x' }).expect(403);
      const res = await t.as('admin').patch('/v1/workers/5b0e7c4e-0000-4000-8000-000000000000').send({ reason: 'x' }).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  describe('POST /v1/workers/{id}/funding', () => {
    it('moves a sponsored worker to APBD and an APBD worker to an ASN; per-OPD and per-sponsor counts follow', async () => {
      const sponsored = await enrol();
      const apbd = await enrol({ fundingSource: 'APBD', sponsorId: undefined });
      const opds = async () => Object.fromEntries((await read('/v1/stats/opds', 'analyst')).items.map((o: Row) => [o.opdCode, o.workersRegistered]));
      const before = await opds();

      track(await t.as('operator').post(`/v1/workers/${sponsored}/funding`).send({ fundingSource: 'APBD', reason: 'Dibiayai APBD' }).expect(200));
      track(
        await t
          .as('operator')
          .post(`/v1/workers/${apbd}/funding`)
          .send({ fundingSource: 'ASN_SPONSOR', sponsorId: otherSponsorId, effectiveOn: '2026-03-11', reason: 'Diangkat ASN' })
          .expect(200),
      );
      expect(await read(`/v1/workers/${sponsored}`)).toMatchObject({ fundingSource: 'APBD', sponsorId: null, opdCode: null });
      expect(await read(`/v1/workers/${apbd}`)).toMatchObject({ fundingSource: 'ASN_SPONSOR', sponsorId: otherSponsorId, opdCode: 'DISDIK' });
      const after = await opds();
      expect(after.DINKES).toBe(before.DINKES - 1);
      expect(after.DISDIK).toBe(before.DISDIK + 1);
      expect((await read(`/v1/sponsors/${otherSponsorId}`)).workersRegistered).toBe(1);
      const change = (await history(apbd)).find((e) => e.type === 'WorkerFundingChanged');
      expect(change?.data).toMatchObject({ fromFundingSource: 'APBD', toFundingSource: 'ASN_SPONSOR', effectiveOn: '2026-03-11', occurredOn: '2026-03-11' });
    });

    it('refuses an unknown or withdrawn sponsor (422), a sponsor with another source (400), a future date (400)', async () => {
      const workerId = await enrol({ fundingSource: 'DBHCHT', sponsorId: undefined });
      const unknown = 'a1b2c3d4-0000-4000-8000-00000000abcd';
      expect((await t.as('operator').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'ASN_SPONSOR', sponsorId: unknown, reason: 'x' }).expect(422)).body.code).toBe(
        'UNKNOWN_SPONSOR',
      );
      expect(
        (await t.as('operator').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'ASN_SPONSOR', sponsorId: withdrawnSponsorId, reason: 'x' }).expect(422)).body
          .code,
      ).toBe('SPONSOR_WITHDRAWN');
      await t.as('operator').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'CSR', sponsorId, reason: 'x' }).expect(400);
      await t.as('operator').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'APBD', effectiveOn: '2026-03-13', reason: 'x' }).expect(400);
      await t.as('operator').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'LOTTERY', reason: 'x' }).expect(400);
      await t.as('analyst').post(`/v1/workers/${workerId}/funding`).send({ fundingSource: 'APBD', reason: 'x' }).expect(403);
    });
  });

  describe('POST /v1/workers/{id}/payments/{ref}/reversal', () => {
    let workerId: string;
    let summaryBefore: Row;
    let opdBefore: Row;
    let sponsorBefore: Row;

    beforeAll(async () => {
      t.clock.set('2026-03-12');
      workerId = await enrol({ enrolledOn: '2026-03-10' });
      summaryBefore = await read('/v1/stats/summary', 'analyst');
      opdBefore = (await read('/v1/stats/opds', 'analyst')).items.find((o: Row) => o.opdCode === 'DINKES');
      sponsorBefore = await read(`/v1/sponsors/${sponsorId}`);
      await pay(workerId, { paymentRef: 'RV-1', months: 3, amount: 50400, paidOn: '2026-03-12' });
      t.clock.set('2026-06-10');
      await pay(workerId, { paymentRef: 'RV-2', months: 3, amount: 50400, paidOn: '2026-06-10' });
      t.clock.set('2026-07-02');
    });

    it('refuses any but the latest standing payment: 422 REVERSAL_NOT_LATEST; only an admin reverses', async () => {
      const res = await t.as('admin').post(`/v1/workers/${workerId}/payments/RV-1/reversal`).send({ reason: 'bounced' }).expect(422);
      expect(res.body.code).toBe('REVERSAL_NOT_LATEST');
      await t.as('operator').post(`/v1/workers/${workerId}/payments/RV-2/reversal`).send({ reason: 'bounced' }).expect(403);
      expect((await t.as('admin').post(`/v1/workers/${workerId}/payments/NOPE-1/reversal`).send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
      await t.as('admin').post(`/v1/workers/${workerId}/payments/RV-2/reversal`).send({}).expect(400);
      await t.as('admin').post(`/v1/workers/${workerId}/payments/RV-2/reversal`).send({ reason: 'x', reversedOn: '2026-07-03' }).expect(400);
    });

    it('reverses the latest: status, paidThrough and months go back, the lapse it causes is recorded; asked again, the same answer', async () => {
      const res = await t.as('admin').post(`/v1/workers/${workerId}/payments/RV-2/reversal`).send({ reason: 'Transfer ditolak bank' }).expect(200);
      track(res);
      // Paid through 05 again: LAPSED since 2026-06-16, as of the reversal's date 2026-07-02.
      expect(res.body).toEqual({
        workerId,
        paymentRef: 'RV-2',
        coveredFrom: '2026-06',
        coveredThrough: '2026-08',
        amount: 50400,
        status: 'LAPSED',
        position: expect.stringMatching(/^\d+$/),
      });
      const again = await t.as('admin').post(`/v1/workers/${workerId}/payments/RV-2/reversal`).send({ reason: 'other words' }).expect(200);
      expect(again.body).toEqual(res.body);

      expect(await read(`/v1/workers/${workerId}`)).toMatchObject({ status: 'LAPSED', paidThrough: '2026-05', monthsContributed: 3, lastPaymentOn: '2026-03-12' });
      const events = await history(workerId);
      expect(events.map((e) => e.type).slice(-2)).toEqual(['PremiumPaymentReversed', 'CoverageLapsed']);
      expect(events[events.length - 1].data).toMatchObject({ asOf: '2026-07-02', occurredOn: '2026-06-16', firstUnpaidMonth: '2026-06' });
    });

    it('takes the amount off every premium total, counts the reversal in its month, and lists it in the ledger', async () => {
      const summary = await read('/v1/stats/summary', 'analyst');
      expect(summary.premiumsCollected).toBe((summaryBefore.premiumsCollected as number) + 50400);
      const dinkes = (await read('/v1/stats/opds', 'analyst')).items.find((o: Row) => o.opdCode === 'DINKES');
      expect(dinkes.premiumsCollected).toBe((opdBefore.premiumsCollected as number) + 50400);
      expect((await read(`/v1/sponsors/${sponsorId}`)).premiumsPaid).toBe((sponsorBefore.premiumsPaid as number) + 50400);

      const monthly = Object.fromEntries((await read('/v1/stats/monthly?from=2026-03&to=2026-07', 'analyst')).items.map((m: Row) => [m.month, m]));
      expect(monthly['2026-06']).toMatchObject({ amount: 50400, reversals: 0 });
      expect(monthly['2026-07']).toMatchObject({ reversals: 1, reversedAmount: 50400, amount: 0 });
      expect(monthly['2026-06'].lapses).toBe(1);

      const ledger = await read(`/v1/ledger?workerId=${workerId}`, 'auditor');
      expect(ledger.items.map((l: Row) => [l.kind, l.paymentRef, l.months, l.amount, l.reversedOn, l.reason])).toEqual([
        ['PAYMENT', 'RV-1', 3, 50400, null, null],
        ['PAYMENT', 'RV-2', 3, 50400, null, null],
        ['REVERSAL', 'RV-2', -3, -50400, '2026-07-02', 'Transfer ditolak bank'],
      ]);
      expect(ledger.totals).toEqual({ payments: 2, reversals: 1, amount: 50400 });
      const csv = await t.as('auditor').get(`/v1/ledger?workerId=${workerId}&format=csv`).expect(200);
      const rows = parse(csv.text, { columns: true }) as Row[];
      expect(rows.map((r) => [r.kind, r.amount, r.reversedOn])).toEqual([
        ['PAYMENT', '50400', ''],
        ['PAYMENT', '50400', ''],
        ['REVERSAL', '-50400', '2026-07-02'],
      ]);
      expect(await read(`/v1/ledger?from=2026-07-01&to=2026-07-31&workerId=${workerId}`, 'auditor')).toMatchObject({ totals: { payments: 0, reversals: 1, amount: -50400 } });
    });

    it('keeps the reversed reference used for good: 409 PAYMENT_REF_CONFLICT', async () => {
      const res = await t
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ paymentRef: 'RV-2', months: 3, amount: 50400, paidOn: '2026-06-10', payer: { type: 'ASN_SPONSOR', sponsorId } })
        .expect(409);
      expect(res.body.code).toBe('PAYMENT_REF_CONFLICT');
    });

    it('answers coverage "as known at" before and after the reversal differently', async () => {
      const coverage = async (query: string) => read(`/v1/workers/${workerId}/coverage?${query}`, 'auditor');
      const before = await coverage(`asOf=2026-06-20&knownAt=${encodeURIComponent('2026-07-01T00:00:00+07:00')}`);
      expect(before).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-08', monthsContributed: 6 });
      const after = await coverage('asOf=2026-06-20');
      expect(after).toMatchObject({ status: 'LAPSED', paidThrough: '2026-05', monthsContributed: 3 });
    });

    it('lets the worker pay the months again under a new reference', async () => {
      const paid = await pay(workerId, { paymentRef: 'RV-3', months: 1, amount: 16800, paidOn: '2026-07-02' });
      // June paid again on 2026-07-02: July is not yet due, so ACTIVE.
      expect(paid).toMatchObject({ coveredFrom: '2026-06', coveredThrough: '2026-06', status: 'ACTIVE' });
    });
  });

  describe('late facts: the lapse check dates what it records by the rules', () => {
    it('ends a never-paid worker as of the end of the rules; it may re-enrol on dates after it, and pay arrears dated before it', async () => {
      t.clock.set('2026-11-23');
      const neverPaid = await enrol({ enrolledOn: '2026-01-15' });
      const latePayer = await enrol({ enrolledOn: '2026-01-15' });
      const run = track(await t.as('admin').post('/v1/coverage/lapse-runs').send({ asOf: '2026-11-23' }).expect(200));
      expect(run.body.ended).toBeGreaterThanOrEqual(2);
      const ended = (await history(neverPaid)).find((e) => e.type === 'CoverageEnded');
      expect(ended?.data).toMatchObject({ asOf: '2026-11-23', occurredOn: '2026-04-16', cause: 'ARREARS_WINDOW_PASSED' });
      expect((await read(`/v1/workers/${neverPaid}/coverage?asOf=2026-10-22`, 'auditor')).status).toBe('ENDED');

      const paidLate = await t
        .as('operator')
        .post(`/v1/workers/${neverPaid}/payments`)
        .send({ paymentRef: 'LATE-1', months: 1, amount: 16800, paidOn: '2026-10-22', payer: { type: 'SELF' } })
        .expect(422);
      expect(paidLate.body.code).toBe('COVERAGE_ENDED');
      track(await t.as('operator').post(`/v1/workers/${neverPaid}/reenrol`).send({ enrolledOn: '2026-10-22' }).expect(200));
      expect(await read(`/v1/workers/${neverPaid}`)).toMatchObject({ status: 'PENDING', enrolledOn: '2026-10-22' });

      // A receipt dated 2026-04-10, while the worker was still PENDING, is arrears: accepted, the end no longer holds.
      const arrears = await pay(latePayer, { paymentRef: 'LATE-2', months: 3, amount: 50400, paidOn: '2026-04-10' }, { type: 'SELF' });
      expect(arrears).toMatchObject({ coveredFrom: '2026-01', coveredThrough: '2026-03', status: 'ACTIVE' });
      const monthly = Object.fromEntries((await read('/v1/stats/monthly?from=2026-04&to=2026-11', 'analyst')).items.map((m: Row) => [m.month, m]));
      expect(monthly['2026-04'].ends).toBeGreaterThanOrEqual(2);
      expect(monthly['2026-11'].ends).toBe(0);
    });
  });
});
