import { syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

/** The OPDs and sponsors are registered on SET_UP; the corrections and retirements are made on TODAY. */
const SET_UP = '2026-09-01';
const TODAY = '2026-11-23';
const POSITION = expect.stringMatching(/^\d+$/);

/**
 * Correcting and retiring OPDs over HTTP (api.md, "Corrections"; domain.md, "Corrections"): the answers, the
 * refusals, and what a retirement changes in the look-ups, the sponsor commands and the statistics.
 */
describe('OPD corrections and retirement over HTTP', () => {
  let t: TestApp;
  let last = '0';
  let stayingSponsor: string;
  let movingSponsor: string;

  const admin = () => t.as('admin');
  const track = <T extends { body: { position?: string } }>(res: T): T => {
    if (res.body.position && BigInt(res.body.position) > BigInt(last)) last = res.body.position;
    return res;
  };
  const registerSponsor = (opdCode: string, seq: number) =>
    t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1984-05-06', 'F', seq), fullName: `Sponsor ${seq}`, opdCode });

  beforeAll(async () => {
    t = await createTestApp({ today: SET_UP });
    const opds = [
      { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 },
      { code: 'BAPPEDA', name: 'Badan Perencanaan', kind: 'BADAN', pnsHeadcount: 60 },
      { code: 'KECTUGU', name: 'Kecamatan Tugu', kind: 'KECAMATAN', pnsHeadcount: 30 },
      { code: 'SETWAN', name: 'Sekretariat DPRD', kind: 'SEKRETARIAT', pnsHeadcount: 20 },
    ];
    for (const opd of opds) track(await admin().post('/v1/opds').send(opd).expect(201));
    stayingSponsor = track(await registerSponsor('DINKES', 1).expect(201)).body.sponsorId;
    movingSponsor = track(await registerSponsor('KECTUGU', 2).expect(201)).body.sponsorId;
    t.clock.set(TODAY);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('PATCH /v1/opds/{code}', () => {
    it('corrects the name and kind and answers 200 with the code and position', async () => {
      const res = track(await admin().patch('/v1/opds/BAPPEDA').send({ name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN', reason: 'Full name' }).expect(200));
      expect(res.body).toEqual({ code: 'BAPPEDA', position: POSITION });
      const opd = await t.as('analyst').get(`/v1/opds/BAPPEDA?minPosition=${res.body.position}`).expect(200);
      expect(opd.body).toMatchObject({ code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN' });

      const rekinded = track(await admin().patch('/v1/opds/SETWAN').send({ kind: 'OTHER', reason: 'Not a Setda unit' }).expect(200));
      const setwan = await t.as('analyst').get(`/v1/opds/SETWAN?minPosition=${rekinded.body.position}`).expect(200);
      expect(setwan.body).toMatchObject({ name: 'Sekretariat DPRD', kind: 'OTHER' });
    });

    it('appends nothing when nothing changes and answers 200 with the position of the OPD\'s last event', async () => {
      const first = track(await admin().patch('/v1/opds/DINKES').send({ name: 'Dinas Kesehatan Kota', reason: 'Official name' }).expect(200));
      const again = await admin().patch('/v1/opds/DINKES').send({ name: 'Dinas Kesehatan Kota', kind: 'DINAS', reason: 'Sent twice' }).expect(200);
      expect(again.body).toEqual({ code: 'DINKES', position: first.body.position });
    });

    it('refuses a kind that is not one of the OPD kinds, and a missing reason, with 400 VALIDATION_FAILED naming the field', async () => {
      const badKind = await admin().patch('/v1/opds/DINKES').send({ kind: 'SETDA', reason: 'x' }).expect(400);
      expect(badKind.headers['content-type']).toMatch(/problem\+json/);
      expect(badKind.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'kind' })] });
      const noReason = await admin().patch('/v1/opds/DINKES').send({ name: 'Dinas' }).expect(400);
      expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
      const unknownField = await admin().patch('/v1/opds/DINKES').send({ name: 'Dinas', reason: 'x', pnsHeadcount: 3 }).expect(400);
      expect(unknownField.body.errors.map((e: { field: string }) => e.field)).toEqual(['pnsHeadcount']);
    });

    it('needs a key (401), is for admins only (403) and answers 404 for an OPD never registered', async () => {
      expect((await t.as().patch('/v1/opds/DINKES').send({ name: 'X', reason: 'x' }).expect(401)).body.code).toBe('UNAUTHENTICATED');
      expect((await t.as('operator').patch('/v1/opds/DINKES').send({ name: 'X', reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await admin().patch('/v1/opds/NOPE').send({ name: 'X', reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('POST /v1/opds/{code}/retire', () => {
    let retiredAt: string;

    it('refuses an OPD that still has a registered sponsor with 422 OPD_HAS_SPONSORS', async () => {
      const res = await admin().post('/v1/opds/KECTUGU/retire').send({ reason: 'Merged', effectiveOn: '2026-11-01' }).expect(422);
      expect(res.body.code).toBe('OPD_HAS_SPONSORS');
    });

    it('refuses an effective date in the future or before the registration (400), an operator (403) and an unknown OPD (404)', async () => {
      const future = await admin().post('/v1/opds/SETWAN/retire').send({ reason: 'Closed', effectiveOn: '2026-11-24' }).expect(400);
      expect(future.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'effectiveOn' })] });
      const early = await admin().post('/v1/opds/SETWAN/retire').send({ reason: 'Closed', effectiveOn: '2026-08-31' }).expect(400);
      expect(early.body.errors[0].field).toBe('effectiveOn');
      expect((await t.as('operator').post('/v1/opds/SETWAN/retire').send({ reason: 'Closed' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await admin().post('/v1/opds/NOPE/retire').send({ reason: 'Closed' }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await admin().post('/v1/opds/SETWAN/retire').send({ reason: ' ' }).expect(400)).body.errors[0].field).toBe('reason');
    });

    it('retires an OPD once its last sponsor has moved out, and answers 200 with the code and position', async () => {
      track(await t.as('operator').post(`/v1/sponsors/${movingSponsor}/transfer`).send({ opdCode: 'DINKES', effectiveOn: '2026-10-15' }).expect(200));
      const res = track(await admin().post('/v1/opds/KECTUGU/retire').send({ reason: 'Merged into Kecamatan Ngaliyan', effectiveOn: '2026-11-01' }).expect(200));
      expect(res.body).toEqual({ code: 'KECTUGU', position: POSITION });
      retiredAt = res.body.position;
    });

    it('answers a second retirement with 200 and the first one\'s position, appending nothing', async () => {
      const again = await admin().post('/v1/opds/KECTUGU/retire').send({ reason: 'Asked again', effectiveOn: '2026-11-20' }).expect(200);
      expect(again.body).toEqual({ code: 'KECTUGU', position: retiredAt });
    });

    it('retires as of today when no effective date is given', async () => {
      track(await admin().post('/v1/opds/SETWAN/retire').send({ reason: 'Closed' }).expect(200));
      const res = await t.as('auditor').get(`/v1/opds/SETWAN?minPosition=${last}`).expect(200);
      expect(res.body).toMatchObject({ retired: true, retiredOn: TODAY });
    });
  });

  describe('a retired OPD', () => {
    it('accepts no sponsor: registering into it or transferring to it is 422 OPD_RETIRED on opdCode', async () => {
      const register = await registerSponsor('KECTUGU', 3).expect(422);
      expect(register.body).toMatchObject({ code: 'OPD_RETIRED', errors: [expect.objectContaining({ field: 'opdCode' })] });
      const transfer = await t.as('operator').post(`/v1/sponsors/${stayingSponsor}/transfer`).send({ opdCode: 'KECTUGU' }).expect(422);
      expect(transfer.body).toMatchObject({ code: 'OPD_RETIRED', errors: [expect.objectContaining({ field: 'opdCode' })] });
      // The NIP refused above was not reserved: it registers in an open OPD.
      track(await registerSponsor('BAPPEDA', 3).expect(201));
    });

    it('takes no new headcount (422 OPD_RETIRED)', async () => {
      expect((await admin().put('/v1/opds/KECTUGU/headcount').send({ pnsHeadcount: 31 }).expect(422)).body.code).toBe('OPD_RETIRED');
    });

    it('is listed by GET /v1/opds, flagged with its retirement date', async () => {
      const res = await t.as('operator').get(`/v1/opds?minPosition=${last}`).expect(200);
      expect(res.body).toEqual({
        items: [
          { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN', pnsHeadcount: 60, retired: false, retiredOn: null },
          { code: 'DINKES', name: 'Dinas Kesehatan Kota', kind: 'DINAS', pnsHeadcount: 400, retired: false, retiredOn: null },
          { code: 'KECTUGU', name: 'Kecamatan Tugu', kind: 'KECAMATAN', pnsHeadcount: 30, retired: true, retiredOn: '2026-11-01' },
          { code: 'SETWAN', name: 'Sekretariat DPRD', kind: 'OTHER', pnsHeadcount: 20, retired: true, retiredOn: TODAY },
        ],
      });
    });

    it('is answered by GET /v1/opds/{code} with its headcount history', async () => {
      const res = await t.as('analyst').get(`/v1/opds/KECTUGU?minPosition=${last}`).expect(200);
      expect(res.body).toEqual({
        code: 'KECTUGU',
        name: 'Kecamatan Tugu',
        kind: 'KECAMATAN',
        pnsHeadcount: 30,
        retired: true,
        retiredOn: '2026-11-01',
        headcountHistory: [{ pnsHeadcount: 30, effectiveOn: SET_UP }],
      });
    });

    it('counts in none of opdsTotal, pnsHeadcount, opdsParticipating and opdsNotParticipating of GET /v1/stats/summary', async () => {
      const res = await t.as('analyst').get(`/v1/stats/summary?minPosition=${last}`).expect(200);
      expect(res.body).toMatchObject({
        opdsTotal: 2,
        pnsHeadcount: 460,
        opdsParticipating: 2,
        opdsNotParticipating: 0,
        sponsorsRegistered: 3,
      });
    });

    it('is left out of GET /v1/stats/opds', async () => {
      const res = await t.as('analyst').get(`/v1/stats/opds?minPosition=${last}`).expect(200);
      expect(res.body.items.map((o: { opdCode: string }) => o.opdCode)).toEqual(['BAPPEDA', 'DINKES']);
      expect(res.body.items.find((o: { opdCode: string }) => o.opdCode === 'DINKES')).toMatchObject({ sponsorsRegistered: 2 });
    });
  });

  it('documents both commands in the OpenAPI document with their answers and refusals', async () => {
    const { paths } = (await t.as().get('/docs-json').expect(200)).body;
    const patch = paths['/v1/opds/{code}'].patch.responses;
    const retire = paths['/v1/opds/{code}/retire'].post.responses;
    for (const responses of [patch, retire]) {
      expect(responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OpdAnswerDto' });
      expect(responses['404'].description).toContain('NOT_FOUND');
    }
    expect(retire['422'].description).toContain('OPD_HAS_SPONSORS');
    expect(retire['503'].description).toContain('PROJECTION_LAGGING');
  });
});

describe('POST /v1/opds/{code}/retire while the read models are behind the log', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No projector runs: the read models never reach the OPD just registered.
    t = await createTestApp({ today: TODAY, env: { ASUH_RUN_PROJECTOR: 'false', ASUH_CONSISTENCY_WAIT_MS: '100' } });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 PROJECTION_LAGGING with Retry-After instead of deciding on stale sponsor counts, and retires nothing', async () => {
    const res = await t.as('admin').post('/v1/opds/DINKES/retire').send({ reason: 'Merged' }).expect(503);
    expect(res.body.code).toBe('PROJECTION_LAGGING');
    expect(res.headers['retry-after']).toBe('1');
    // Still open: a sponsor can join it (the sponsor command reads the OPD's own stream).
    await t.as('operator').post('/v1/sponsors').send({ nip: syntheticNip('1984-05-06', 'M', 9), fullName: 'Sponsor', opdCode: 'DINKES' }).expect(201);
  });
});
