import { syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

describe('OPD and sponsor commands over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23' });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    await t.as('admin').post('/v1/opds').send({ code: 'DISBUDPAR', name: 'Dinas Kebudayaan dan Pariwisata', kind: 'DINAS', pnsHeadcount: 120 }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('POST /v1/opds', () => {
    it('answers 201 with the code and a decimal position', async () => {
      const res = await t.as('admin').post('/v1/opds').send({ code: 'DISDAG', name: 'Dinas Perdagangan', kind: 'DINAS', pnsHeadcount: 90 }).expect(201);
      expect(res.body).toEqual({ code: 'DISDAG', position: expect.stringMatching(/^\d+$/) });
    });

    it('refuses a second registration of a code with 409 OPD_ALREADY_REGISTERED', async () => {
      const res = await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Lagi', kind: 'DINAS', pnsHeadcount: 1 }).expect(409);
      expect(res.body.code).toBe('OPD_ALREADY_REGISTERED');
    });

    it('refuses unknown fields, a lowercase code and a negative headcount with 400 listing each field', async () => {
      const res = await t.as('admin').post('/v1/opds').send({ code: 'dinsos', name: 'Dinas Sosial', kind: 'DINAS', pnsHeadcount: -1, color: 'red' }).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'color', 'pnsHeadcount']);
    });

    it('is for admins only: an operator gets 403 FORBIDDEN', async () => {
      const res = await t.as('operator').post('/v1/opds').send({ code: 'DINSOS', name: 'Dinas Sosial', kind: 'DINAS', pnsHeadcount: 10 }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('PUT /v1/opds/{code}/headcount', () => {
    it('sets the headcount and answers 200', async () => {
      const res = await t.as('admin').put('/v1/opds/DINKES/headcount').send({ pnsHeadcount: 410, effectiveOn: '2026-11-23' }).expect(200);
      expect(res.body).toEqual({ code: 'DINKES', position: expect.stringMatching(/^\d+$/) });
    });

    it('answers 404 for an unregistered OPD and 400 for a future date', async () => {
      expect((await t.as('admin').put('/v1/opds/NOPE/headcount').send({ pnsHeadcount: 1 }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.as('admin').put('/v1/opds/DINKES/headcount').send({ pnsHeadcount: 1, effectiveOn: '2026-12-01' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('sponsors', () => {
    const nip = syntheticNip('1985-03-12', 'M', 2);

    it('registers a sponsor (operator allowed) and refuses the same NIP again with 409', async () => {
      const res = await t.as('operator').post('/v1/sponsors').send({ nip, fullName: 'Budi Santoso', opdCode: 'DINKES' }).expect(201);
      expect(res.body).toEqual({ sponsorId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.stringMatching(/^\d+$/) });
      const again = await t.as('operator').post('/v1/sponsors').send({ nip, fullName: 'Budi S.', opdCode: 'DISBUDPAR' }).expect(409);
      expect(again.body.code).toBe('NIP_ALREADY_REGISTERED');
    });

    it('lets exactly one of ten parallel registrations of one NIP win', async () => {
      const shared = syntheticNip('1990-07-01', 'F', 77);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.as('operator').post('/v1/sponsors').send({ nip: shared, fullName: `Ani ${i}`, opdCode: 'DINKES' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'NIP_ALREADY_REGISTERED')).toBe(true);
    });

    it('refuses a malformed NIP with 400, an unknown OPD with 422 UNKNOWN_OPD and reserves nothing', async () => {
      expect((await t.as('operator').post('/v1/sponsors').send({ nip: '12345', fullName: 'X', opdCode: 'DINKES' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      const badDates = '198513322010011002';
      expect((await t.as('operator').post('/v1/sponsors').send({ nip: badDates, fullName: 'X', opdCode: 'DINKES' }).expect(400)).body.errors[0].field).toBe('nip');
      const fresh = syntheticNip('1979-01-20', 'F', 5);
      expect((await t.as('operator').post('/v1/sponsors').send({ nip: fresh, fullName: 'X', opdCode: 'NOPE' }).expect(422)).body.code).toBe('UNKNOWN_OPD');
      await t.as('operator').post('/v1/sponsors').send({ nip: fresh, fullName: 'X', opdCode: 'DINKES' }).expect(201);
    });

    it('transfers and withdraws a sponsor; a withdrawn sponsor cannot transfer (422 SPONSOR_WITHDRAWN)', async () => {
      const { body } = await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1988-09-09', 'M', 9), fullName: 'Joko', opdCode: 'DINKES' }).expect(201);
      await t.as('operator').post(`/v1/sponsors/${body.sponsorId}/transfer`).send({ opdCode: 'DISBUDPAR' }).expect(200);
      expect((await t.as('operator').post(`/v1/sponsors/${body.sponsorId}/transfer`).send({ opdCode: 'NOPE' }).expect(422)).body.code).toBe('UNKNOWN_OPD');
      await t.as('operator').post(`/v1/sponsors/${body.sponsorId}/withdraw`).send({ reason: 'Pensiun' }).expect(200);
      const res = await t.as('operator').post(`/v1/sponsors/${body.sponsorId}/transfer`).send({ opdCode: 'DINKES' }).expect(422);
      expect(res.body.code).toBe('SPONSOR_WITHDRAWN');
    });

    it('answers 404 for an unknown sponsor id and 400 for a non-UUID one', async () => {
      expect((await t.as('operator').post('/v1/sponsors/6b0d1c1e-0000-4000-8000-000000000000/withdraw').send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.as('operator').post('/v1/sponsors/abc/withdraw').send({ reason: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('keeps analysts and auditors away from commands (403)', async () => {
      expect((await t.as('analyst').post('/v1/sponsors').send({ nip, fullName: 'X', opdCode: 'DINKES' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.as('auditor').post('/v1/sponsors').send({ nip, fullName: 'X', opdCode: 'DINKES' }).expect(403)).body.code).toBe('FORBIDDEN');
    });
  });
});
