import { parse } from 'csv-parse/sync';
import { maskNik } from '../../src/shared/identity';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * What auditors ask of the log over HTTP: a worker's history, its coverage as of a past date and as known
 * at a past instant, the contribution ledger (JSON and CSV) and a sponsor's own payments.
 *
 * The story (due day 15, arrears window 3), with the clock moved by hand:
 * - 2026-03-12: workers A and B enrolled on 03-10, each paid 03–05 (U = 2026-06, due 06-15).
 * - 2026-06-20: lapse check as of 06-16: both LAPSED.
 * - 2026-07-20: a payment for A made on 06-10 is recorded late (backdated): it covers June.
 * - 2026-09-20: lapse check as of 09-16: B ENDED (window closed 09-15); A LAPSED again (July unpaid).
 * Plus a CSR payment for C (a named company) and an APBD payment for D, for the ledger.
 */
type Row = Record<string, unknown>;

describe('audit over HTTP', () => {
  let t: TestApp;
  let last = '0';
  let sponsorId: string;
  let otherSponsorId: string;
  const workers: Record<string, string> = {};
  const niks: Record<string, string> = {};
  let nikSeq = 1;

  const track = <T extends { body: { position?: string } }>(res: T): T => {
    if (res.body.position && BigInt(res.body.position) > BigInt(last)) last = res.body.position;
    return res;
  };

  const enrol = async (key: string, fundingSource: string, sponsor?: string) => {
    const nik = syntheticNik('1985-06-15', 'F', nikSeq++);
    const res = await t
      .as('operator')
      .post('/v1/workers')
      .set('X-Correlation-Id', `enrol-${key}`)
      .send({
        nik,
        fullName: `Worker ${key}`,
        birthDate: '1985-06-15',
        gender: 'F',
        occupation: 'DOMESTIC_HELPER',
        kecamatan: '3374.01',
        fundingSource,
        ...(sponsor ? { sponsorId: sponsor } : {}),
        enrolledOn: '2026-03-10',
      })
      .expect(201);
    track(res);
    workers[key] = res.body.workerId;
    niks[key] = nik;
  };

  const pay = async (key: string, body: Record<string, unknown>) =>
    track(await t.as('operator').post(`/v1/workers/${workers[key]}/payments`).send(body).expect(201));

  const lapseRun = async (asOf: string) => track(await t.as('admin').post('/v1/coverage/lapse-runs').send({ asOf }).expect(200));

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-03-12' });
    track(await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201));
    track(await t.as('admin').post('/v1/opds').send({ code: 'DISDAG', name: 'Dinas Perdagangan', kind: 'DINAS', pnsHeadcount: 300 }).expect(201));
    sponsorId = track(
      await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1985-03-12', 'M', 1), fullName: 'Budi', opdCode: 'DINKES' }).expect(201),
    ).body.sponsorId;
    otherSponsorId = track(
      await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1980-01-02', 'F', 2), fullName: 'Ani', opdCode: 'DISDAG' }).expect(201),
    ).body.sponsorId;

    await enrol('A', 'ASN_SPONSOR', sponsorId);
    await enrol('B', 'ASN_SPONSOR', otherSponsorId);
    await enrol('C', 'CSR');
    await enrol('D', 'APBD');
    await pay('A', { paymentRef: 'RCPT-A1', months: 3, amount: 50400, paidOn: '2026-03-12', payer: { type: 'ASN_SPONSOR', sponsorId } });
    await pay('B', { paymentRef: 'RCPT-B1', months: 3, amount: 50400, paidOn: '2026-03-11', payer: { type: 'ASN_SPONSOR', sponsorId: otherSponsorId } });
    await pay('C', { paymentRef: 'RCPT-C1', months: 12, amount: 201600, paidOn: '2026-03-12', payer: { type: 'CSR', name: 'PT Maju, "Jaya" Tbk' } });
    await pay('D', { paymentRef: 'RCPT-D1', months: 1, amount: 16800, paidOn: '2026-03-10', payer: { type: 'APBD' } });

    t.clock.set('2026-06-20');
    // A and B (June unpaid) and D (paid March only).
    expect((await lapseRun('2026-06-16')).body).toMatchObject({ lapsed: 3, ended: 0 });

    t.clock.set('2026-07-20');
    await pay('A', { paymentRef: 'RCPT-A2', months: 1, amount: 16800, paidOn: '2026-06-10', payer: { type: 'ASN_SPONSOR', sponsorId } });

    t.clock.set('2026-09-20');
    // B and D ended; A lapsed again (July unpaid).
    expect((await lapseRun('2026-09-16')).body).toMatchObject({ lapsed: 1, ended: 2 });
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /v1/workers/{id}/history', () => {
    it("answers the worker's events from the store, in order, with their metadata and positions as strings", async () => {
      const res = await t.as('auditor').get(`/v1/workers/${workers.A}/history`).expect(200);
      expect(res.body.workerId).toBe(workers.A);
      const events = res.body.events as Array<Record<string, unknown> & { data: Record<string, unknown> }>;
      expect(events.map((e) => e.type)).toEqual(['WorkerEnrolled', 'PremiumPaid', 'CoverageLapsed', 'PremiumPaid', 'CoverageLapsed']);
      expect(events.map((e) => e.revision)).toEqual(['0', '1', '2', '3', '4']);
      const positions = events.map((e) => BigInt(e.position as string));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(positions).size).toBe(positions.length);

      expect(events[0]).toEqual({
        position: expect.stringMatching(/^\d+$/),
        revision: '0',
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'WorkerEnrolled',
        occurredAt: '2026-03-10T00:00:00+07:00',
        recordedAt: '2026-03-12T03:00:00.000Z',
        recordedBy: 'operator-key',
        correlationId: 'enrol-A',
        causationId: expect.any(String),
        data: expect.objectContaining({ workerId: workers.A, nik: maskNik(niks.A), fullName: 'Worker A', enrolledOn: '2026-03-10' }),
      });
      // The late payment: business time June 10th, recorded on July 20th.
      expect(events[3]).toMatchObject({
        occurredAt: '2026-06-10T00:00:00+07:00',
        recordedAt: '2026-07-20T03:00:00.000Z',
        recordedBy: 'operator-key',
        data: { paymentRef: 'RCPT-A2', paidOn: '2026-06-10', coveredFrom: '2026-06', coveredThrough: '2026-06' },
      });
      expect(events[2]).toMatchObject({ recordedBy: 'admin-key', data: { asOf: '2026-06-16' } });
    });

    it('never carries a whole NIK', async () => {
      const res = await t.as('admin').get(`/v1/workers/${workers.B}/history`).expect(200);
      expect(res.text).not.toContain(niks.B);
      expect(res.body.events[0].data.nik).toBe(maskNik(niks.B));
    });

    it('404 NOT_FOUND for an unknown worker, 400 for an id that is not a UUID', async () => {
      const unknown = await t.as('auditor').get('/v1/workers/0b7f4a4e-1111-4222-8333-444455556666/history').expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect((await t.as('auditor').get('/v1/workers/not-a-uuid/history').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('is for admins and auditors only', async () => {
      expect((await t.as('operator').get(`/v1/workers/${workers.A}/history`).expect(403)).body.code).toBe('FORBIDDEN');
      await t.as('analyst').get(`/v1/workers/${workers.A}/history`).expect(403);
      await t.as().get(`/v1/workers/${workers.A}/history`).expect(401);
    });
  });

  describe('GET /v1/workers/{id}/coverage', () => {
    const coverage = async (key: string, query: string) => (await t.as('auditor').get(`/v1/workers/${workers[key]}/coverage?${query}`).expect(200)).body;

    it('before and after a lapse: ACTIVE through the due day, LAPSED after it', async () => {
      expect(await coverage('B', 'asOf=2026-06-15')).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-05', firstUnpaidMonth: '2026-06' });
      expect(await coverage('B', 'asOf=2026-06-16')).toMatchObject({ status: 'LAPSED', paidThrough: '2026-05' });
    });

    it('does not let an end recorded for a later date reach back: LAPSED in June, ENDED from 09-16', async () => {
      expect(await coverage('B', 'asOf=2026-06-20')).toMatchObject({ status: 'LAPSED', eventsConsidered: 3 });
      expect(await coverage('B', 'asOf=2026-09-15')).toMatchObject({ status: 'LAPSED' });
      expect(await coverage('B', 'asOf=2026-09-16')).toMatchObject({ status: 'ENDED', eventsConsidered: 4 });
    });

    it('a backdated payment: asOf counts it, knownAt before its recording does not', async () => {
      const knownThen = await coverage('A', `asOf=2026-06-20&knownAt=${encodeURIComponent('2026-07-01T00:00:00+07:00')}`);
      expect(knownThen).toEqual({
        workerId: workers.A,
        asOf: '2026-06-20',
        knownAt: '2026-06-30T17:00:00.000Z',
        status: 'LAPSED',
        enrolledOn: '2026-03-10',
        paidThrough: '2026-05',
        firstUnpaidMonth: '2026-06',
        monthsContributed: 3,
        fundingSource: 'ASN_SPONSOR',
        sponsorId,
        eventsConsidered: 3,
        lastEventPosition: expect.stringMatching(/^\d+$/),
      });
      const knownNow = await coverage('A', 'asOf=2026-06-20');
      expect(knownNow).toMatchObject({ knownAt: null, status: 'ACTIVE', paidThrough: '2026-06', firstUnpaidMonth: '2026-07', monthsContributed: 4, eventsConsidered: 4 });
      const knownAfter = await coverage('A', `asOf=2026-06-20&knownAt=${encodeURIComponent('2026-07-21T00:00:00Z')}`);
      expect(knownAfter).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-06' });
    });

    it('reads an offset whose + arrived unencoded (as a space) as the + it was', async () => {
      const res = await t.as('auditor').get(`/v1/workers/${workers.A}/coverage?asOf=2026-06-20&knownAt=2026-07-01T00:00:00+07:00`).expect(200);
      expect(res.body).toMatchObject({ knownAt: '2026-06-30T17:00:00.000Z', status: 'LAPSED' });
    });

    it('defaults asOf to today (2026-09-20)', async () => {
      expect(await coverage('A', '')).toMatchObject({ asOf: '2026-09-20', status: 'LAPSED', paidThrough: '2026-06', eventsConsidered: 5 });
      expect(await coverage('B', '')).toMatchObject({ asOf: '2026-09-20', status: 'ENDED' });
    });

    it('before the enrolment date: no status', async () => {
      expect(await coverage('A', 'asOf=2026-03-01')).toMatchObject({ status: null, enrolledOn: null, eventsConsidered: 0, lastEventPosition: null });
    });

    it.each([
      ['an impossible date', 'asOf=2026-02-30', 'asOf'],
      ['a month instead of a date', 'asOf=2026-06', 'asOf'],
      ['a knownAt without a zone', 'knownAt=2026-07-01T00:00:00', 'knownAt'],
      ['a knownAt that is no time', 'knownAt=yesterday', 'knownAt'],
      ['an unknown parameter', 'at=2026-06-01', 'at'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_name, query, field) => {
      const res = await t.as('auditor').get(`/v1/workers/${workers.A}/coverage?${query}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('404 NOT_FOUND for an unknown worker; admins and auditors only', async () => {
      expect((await t.as('auditor').get('/v1/workers/0b7f4a4e-1111-4222-8333-444455556666/coverage').expect(404)).body.code).toBe('NOT_FOUND');
      await t.as('operator').get(`/v1/workers/${workers.A}/coverage`).expect(403);
    });
  });

  describe('GET /v1/ledger', () => {
    it('lists every PremiumPaid in paidOn order with totals', async () => {
      const body = await ledger();
      expect(body.items.map((r) => r.paymentRef)).toEqual(['RCPT-D1', 'RCPT-B1', 'RCPT-A1', 'RCPT-C1', 'RCPT-A2']);
      expect(body.totals).toEqual({ payments: 5, reversals: 0, amount: 16800 + 50400 + 50400 + 201600 + 16800 });
      expect(body.items[2]).toEqual({
        kind: 'PAYMENT',
        paymentRef: 'RCPT-A1',
        workerId: workers.A,
        sponsorId,
        opdCode: 'DINKES',
        fundingSource: 'ASN_SPONSOR',
        payerName: null,
        paidOn: '2026-03-12',
        reversedOn: null,
        reason: null,
        months: 3,
        coveredFrom: '2026-03',
        coveredThrough: '2026-05',
        amount: 50400,
        recordedAt: '2026-03-12T03:00:00.000Z',
        recordedBy: 'operator-key',
        position: expect.stringMatching(/^\d+$/),
      });
      expect(body.items[3]).toMatchObject({ fundingSource: 'CSR', payerName: 'PT Maju, "Jaya" Tbk', sponsorId: null, opdCode: null });
    });

    it('filters by paidOn range (inclusive), OPD, paying sponsor and worker', async () => {
      const range = await ledger('&from=2026-03-11&to=2026-03-12');
      expect(range.items.map((r) => r.paymentRef)).toEqual(['RCPT-B1', 'RCPT-A1', 'RCPT-C1']);
      expect(range.totals).toEqual({ payments: 3, reversals: 0, amount: 302400 });
      expect((await ledger('&opdCode=DINKES')).items.map((r) => r.paymentRef)).toEqual(['RCPT-A1', 'RCPT-A2']);
      expect((await ledger(`&sponsorId=${otherSponsorId}`)).items.map((r) => r.paymentRef)).toEqual(['RCPT-B1']);
      expect((await ledger(`&workerId=${workers.A}&from=2026-06-01`)).items.map((r) => r.paymentRef)).toEqual(['RCPT-A2']);
      expect(await ledger('&from=2027-01-01')).toEqual({ items: [], totals: { payments: 0, reversals: 0, amount: 0 } });
    });

    it('as CSV: a header row, and rows that parse back to the JSON items', async () => {
      const json = await ledger();
      const res = await t.as('auditor').get(`/v1/ledger?minPosition=${last}&format=csv`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.text.split('\n')[0]).toBe(
        'kind,paymentRef,workerId,sponsorId,opdCode,fundingSource,payerName,paidOn,reversedOn,reason,months,coveredFrom,coveredThrough,amount,recordedAt,recordedBy,position',
      );
      const rows = parse(res.text, {
        columns: true,
        cast: (value, context) => {
          if (context.header) return value;
          if (value === '') return null;
          return context.column === 'months' || context.column === 'amount' ? Number(value) : value;
        },
      }) as Row[];
      expect(rows).toEqual(json.items);
    });

    it('as CSV with nothing in range: the header row only', async () => {
      const res = await t.as('auditor').get('/v1/ledger?format=csv&from=2027-01-01').expect(200);
      expect(res.text.trim().split('\n')).toHaveLength(1);
    });

    it.each([
      ['from after to', 'from=2026-04-01&to=2026-03-01', 'from'],
      ['an impossible date', 'to=2026-13-01', 'to'],
      ['an unknown format', 'format=xml', 'format'],
      ['a sponsor id that is not a UUID', 'sponsorId=42', 'sponsorId'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_name, query, field) => {
      const res = await t.as('auditor').get(`/v1/ledger?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('is for admins and auditors only', async () => {
      await t.as('admin').get('/v1/ledger').expect(200);
      await t.as('operator').get('/v1/ledger').expect(403);
      await t.as('analyst').get('/v1/ledger?format=csv').expect(403);
    });
  });

  describe("GET /v1/sponsors/{id}/payments: a sponsor's own payments", () => {
    it('lists what the sponsor paid, in the ledger row shape, with totals over the whole range', async () => {
      const res = await t.as('operator').get(`/v1/sponsors/${sponsorId}/payments?minPosition=${last}`).expect(200);
      expect(res.body).toMatchObject({ sponsorId, nextCursor: null, totals: { payments: 2, reversals: 0, amount: 67200 } });
      expect(res.body.items.map((r: Row) => [r.paymentRef, r.workerId, r.amount])).toEqual([
        ['RCPT-A1', workers.A, 50400],
        ['RCPT-A2', workers.A, 16800],
      ]);
      const all = await ledger(`&sponsorId=${sponsorId}`);
      expect(res.body.items).toEqual(all.items);
    });

    it('pages with limit and cursor', async () => {
      const first = await t.as('auditor').get(`/v1/sponsors/${sponsorId}/payments?limit=1&minPosition=${last}`).expect(200);
      expect(first.body.items.map((r: Row) => r.paymentRef)).toEqual(['RCPT-A1']);
      expect(first.body.totals).toEqual({ payments: 2, reversals: 0, amount: 67200 });
      const second = await t.as('auditor').get(`/v1/sponsors/${sponsorId}/payments?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toMatchObject({ nextCursor: null, items: [{ paymentRef: 'RCPT-A2' }] });
      await t.as('auditor').get(`/v1/sponsors/${sponsorId}/payments?cursor=bm9wZQ`).expect(400);
    });

    it('404 NOT_FOUND for an unknown sponsor; not for analysts', async () => {
      expect((await t.as('auditor').get('/v1/sponsors/0b7f4a4e-1111-4222-8333-444455556666/payments').expect(404)).body.code).toBe('NOT_FOUND');
      await t.as('analyst').get(`/v1/sponsors/${sponsorId}/payments`).expect(403);
    });
  });

  async function ledger(query = ''): Promise<{ items: Row[]; totals: Row }> {
    return (await t.as('auditor').get(`/v1/ledger?minPosition=${last}${query}`).expect(200)).body;
  }
});
