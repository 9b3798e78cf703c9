import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, KEYS, TestApp } from '../support/test-app';

/**
 * Inputs an adversarial run turned into 500s (issue 12): each must be a 4xx problem+json instead, with the
 * stable code of the contract, whether or not the request carries a key.
 */
describe('hostile input over HTTP', () => {
  let t: TestApp;
  let sponsorId: string;
  let workerId: string;

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  /** Sends the body as given (superagent would serialise a Buffer as JSON). */
  const raw = (body: unknown) => body as string;

  const fields = (res: request.Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23' });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    sponsorId = (await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1985-03-12', 'M', 1), fullName: 'Budi', opdCode: 'DINKES' }).expect(201)).body
      .sponsorId;
    workerId = (
      await t
        .as('operator')
        .post('/v1/workers')
        .send({
          nik: syntheticNik('1990-03-12', 'F', 1),
          fullName: 'Sri Wahyuni',
          birthDate: '1990-03-12',
          gender: 'F',
          occupation: 'DOMESTIC_HELPER',
          kecamatan: '3374.01',
          fundingSource: 'ASN_SPONSOR',
          sponsorId,
          enrolledOn: '2026-03-10',
        })
        .expect(201)
    ).body.workerId;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('NUL characters and lone surrogates, in any string of a body, query or path', () => {
    it.each([
      ['a NUL in an OPD name', '/v1/opds', { code: 'DISKOMINFO', name: 'a\u0000b', kind: 'DINAS', pnsHeadcount: 1 }, 'name'],
      ['a lone high surrogate in an OPD name', '/v1/opds', { code: 'DISKOMINFO', name: 'a\ud800b', kind: 'DINAS', pnsHeadcount: 1 }, 'name'],
      ['a lone low surrogate in an OPD kind', '/v1/opds', { code: 'DISKOMINFO', name: 'Diskominfo', kind: '\udc00', pnsHeadcount: 1 }, 'kind'],
      ['a NUL in a sponsor name', '/v1/sponsors', { nip: syntheticNip('1985-03-12', 'M', 9), fullName: 'Bu\u0000di', opdCode: 'DINKES' }, 'fullName'],
      ['a NUL in an unknown field name', '/v1/opds', { 'na\u0000me': 'x' }, 'na\u0000me'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_name, path, body, field) => {
      const res = await t.as('admin').post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toContain(field);
    });

    it('refuses a NUL in a withdrawal reason and in a worker address', async () => {
      expectProblem(await t.as('operator').post(`/v1/sponsors/${sponsorId}/withdraw`).send({ reason: 'Pen\u0000siun' }), 400, 'VALIDATION_FAILED');
      const res = await t
        .as('operator')
        .post('/v1/workers')
        .send({
          nik: syntheticNik('1990-03-12', 'F', 2),
          fullName: 'Sri',
          birthDate: '1990-03-12',
          gender: 'F',
          occupation: 'DOMESTIC_HELPER',
          kecamatan: '3374.01',
          fundingSource: 'SELF',
          address: 'Jl. \ud83d',
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toEqual(['address']);
    });

    it("refuses a NUL in a payer's name, deep in the body", async () => {
      const res = await t
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ paymentRef: 'RCPT-NUL', months: 1, amount: 16800, paidOn: '2026-03-12', payer: { type: 'CSR', name: 'PT \u0000' } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toEqual(['payer.name']);
    });

    it('keeps a well-formed surrogate pair (an emoji) as text', async () => {
      await t.as('admin').post('/v1/opds').send({ code: 'DISPORA', name: 'Dinas Pemuda 🏸', kind: 'DINAS', pnsHeadcount: 1 }).expect(201);
    });

    it('refuses a NUL in a path parameter', async () => {
      const res = await t.as('admin').put('/v1/opds/%00/headcount').send({ pnsHeadcount: 1 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toEqual(['code']);
    });

    it('refuses a lone surrogate (as CESU bytes) and a NUL in a query parameter', async () => {
      expectProblem(await t.as('admin').get('/v1/ledger?opdCode=%00'), 400, 'VALIDATION_FAILED');
      expectProblem(await t.as('admin').get('/v1/sponsors?cursor=%ED%A0%80'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('body size, type and encoding', () => {
    const bigName = 'x'.repeat(110 * 1024);

    it('answers a body over 100 kB with 413 PAYLOAD_TOO_LARGE, with or without a key', async () => {
      const body = JSON.stringify({ code: 'BIG', name: bigName, kind: 'DINAS', pnsHeadcount: 1 });
      expectProblem(await t.as('admin').post('/v1/opds').set('Content-Type', 'application/json').send(body), 413, 'PAYLOAD_TOO_LARGE');
      expectProblem(await t.as().post('/v1/opds').set('Content-Type', 'application/json').send(body), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a gzip body that inflates beyond 100 kB with 413', async () => {
      const body = gzipSync(JSON.stringify({ code: 'BIG', name: bigName, kind: 'DINAS', pnsHeadcount: 1 }));
      const res = await t.as('admin').post('/v1/opds').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(raw).send(body);
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it.each([
      ['charset latin1', { 'Content-Type': 'application/json; charset=latin1' }],
      ['charset utf-16', { 'Content-Type': 'application/json; charset=utf-16' }],
      ['Content-Encoding zzz', { 'Content-Type': 'application/json', 'Content-Encoding': 'zzz' }],
      ['a form-encoded body', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['a text body', { 'Content-Type': 'text/plain' }],
      ['a body without a content type', {}],
    ])('answers %s with 415 UNSUPPORTED_MEDIA_TYPE, with or without a key', async (_name, headers) => {
      const body = '{"code":"DISKOMINFO","name":"Diskominfo","kind":"DINAS","pnsHeadcount":1}';
      for (const role of ['admin', undefined] as const) {
        let req = t.as(role).post('/v1/opds');
        for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
        if (!('Content-Type' in headers)) req = req.unset('Content-Type');
        expectProblem(await req.serialize(raw).send(body), 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('still accepts gzip-encoded JSON and an explicit utf-8 charset', async () => {
      const body = JSON.stringify({ code: 'DISPERKIM', name: 'Disperkim', kind: 'DINAS', pnsHeadcount: 1 });
      await t
        .as('admin')
        .post('/v1/opds')
        .set('Content-Type', 'application/json; charset=UTF-8')
        .set('Content-Encoding', 'gzip')
        .serialize(raw)
        .send(gzipSync(body))
        .expect(201);
    });

    it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
      expectProblem(await t.as('admin').post('/v1/opds').set('Content-Type', 'application/json').send('{"code":'), 400, 'VALIDATION_FAILED');
    });

    it('answers 10,000-deep JSON with 400 VALIDATION_FAILED, before any recursive walk', async () => {
      const deep = `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      expectProblem(await t.as('admin').post('/v1/opds').set('Content-Type', 'application/json').send(deep), 400, 'VALIDATION_FAILED');
      const deepObjects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      expectProblem(await t.as().post('/v1/opds').set('Content-Type', 'application/json').send(deepObjects), 400, 'VALIDATION_FAILED');
    });

    it('does not count brackets inside strings as depth', async () => {
      const name = '['.repeat(150);
      await t.as('admin').post('/v1/opds').send({ code: 'BAPPEDA', name, kind: 'BADAN', pnsHeadcount: 1 }).expect(201);
    });
  });

  describe('cursors, dates, months and positions are parsed strictly', () => {
    const cursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

    it.each([
      ['an impossible date', '2026-02-30|5'],
      ['a position beyond a signed 64-bit integer', '2026-03-12|99999999999999999999'],
      ['a position of 2^63', '2026-03-12|9223372036854775808'],
      ['year zero', '0000-01-01|5'],
      ['garbage', 'hello'],
    ])("refuses a sponsor-payments cursor holding %s with 400", async (_name, key) => {
      expectProblem(await t.as('admin').get(`/v1/sponsors/${sponsorId}/payments?cursor=${cursor(key)}`), 400, 'VALIDATION_FAILED');
    });

    it('refuses a cursor that is not base64url', async () => {
      expectProblem(await t.as('admin').get(`/v1/sponsors/${sponsorId}/payments?cursor=${encodeURIComponent('a b+c/=')}`), 400, 'VALIDATION_FAILED');
      expectProblem(await t.as('admin').get(`/v1/workers?cursor=${encodeURIComponent('!!!')}`), 400, 'VALIDATION_FAILED');
    });

    it('refuses year zero months of the monthly statistics (reachable by analysts)', async () => {
      expectProblem(await t.as('analyst').get('/v1/stats/monthly?from=0000-01&to=0000-02'), 400, 'VALIDATION_FAILED');
    });

    it.each(['99999999999999999999', '9223372036854775808', '-1', '1e3', ' 1', '0x10'])(
      'refuses minPosition=%s at once with 400, without waiting',
      async (value) => {
        const res = await t.as('analyst').get(`/v1/stats/summary?minPosition=${encodeURIComponent(value)}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fields(res)).toEqual(['minPosition']);
      },
      // Without the fix the wait lasts ASUH_CONSISTENCY_WAIT_MS (5 s) and ends in 503.
      4000,
    );

    it('still accepts the largest signed 64-bit minPosition (then waits as usual)', async () => {
      const app = await createTestApp({ env: { ASUH_CONSISTENCY_WAIT_MS: '50' } });
      try {
        expectProblem(await app.as('analyst').get('/v1/stats/summary?minPosition=9223372036854775807'), 503, 'PROJECTION_LAGGING');
      } finally {
        await app.close();
      }
    });
  });

  describe("a SELF payer's stray sponsorId", () => {
    it('is refused with 400 naming payer.sponsorId, never stored', async () => {
      const res = await t
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ paymentRef: 'RCPT-SELF', months: 1, amount: 16800, paidOn: '2026-03-12', payer: { type: 'SELF', sponsorId } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toEqual(['payer.sponsorId']);
    });

    it('is still accepted on an ASN_SPONSOR payer', async () => {
      await t
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ paymentRef: 'RCPT-ASN', months: 1, amount: 16800, paidOn: '2026-03-12', payer: { type: 'ASN_SPONSOR', sponsorId } })
        .expect(201);
    });
  });

  describe('the HTTP layer answers problem+json too', () => {
    it('answers an unknown route with 404 NOT_FOUND problem+json, with or without a key', async () => {
      expectProblem(await t.as().get('/nowhere'), 404, 'NOT_FOUND');
      expectProblem(await request(t.app.getHttpServer()).delete('/v1/opds').set('Authorization', `Bearer ${KEYS.admin}`), 404, 'NOT_FOUND');
    });

    it('answers a bad percent-encoding in the path with 400 problem+json', async () => {
      expectProblem(await request(t.app.getHttpServer()).get('/v1/workers/%E0%A4%A').set('Authorization', `Bearer ${KEYS.admin}`), 400, 'VALIDATION_FAILED');
    });
  });
});
