import { syntheticNik, syntheticNip } from '../seed/synthetic-identity';
import { createTestApp, KEYS, TestApp } from '../../test/support/test-app';

/**
 * The reference and look-up endpoints the dashboard reads (api.md, "Reference data and look-ups",
 * "Renewals and UCJ"), and ASUH_PUBLIC_STATS: which routes answer without a key, and which never do.
 */
const TODAY = '2026-11-23';

describe('reference data, OPD look-ups and UCJ progress', () => {
  let t: TestApp;
  let last = '0';

  const send = async (path: string, body: object, role: 'admin' | 'operator' = 'admin', method: 'post' | 'put' = 'post') => {
    const res = await t.as(role)[method](path).send(body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ status: method === 'post' ? 201 : 200 });
    last = res.body.position;
    return res.body;
  };
  let nik = 1;
  const enrol = (fundingSource: string, sponsorId?: string) =>
    send(
      '/v1/workers',
      {
        nik: syntheticNik('1980-03-04', 'F', nik++),
        fullName: `Pekerja ${nik}`,
        birthDate: '1980-03-04',
        gender: 'F',
        occupation: 'SNACK_VENDOR',
        kecamatan: '3374.05',
        fundingSource,
        sponsorId,
        enrolledOn: '2026-11-02',
      },
      'operator',
    );
  const pay = (workerId: string, ref: string, payer: object) =>
    send(`/v1/workers/${workerId}/payments`, { paymentRef: ref, months: 1, amount: 16800, paidOn: '2026-11-03', payer }, 'operator');

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY, env: { ASUH_UCJ_TARGET: '7' } });
    await send('/v1/opds', { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 });
    await send('/v1/opds', { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN', pnsHeadcount: 60 });
    await send('/v1/opds/DINKES/headcount', { pnsHeadcount: 412 }, 'admin', 'put');
    const { sponsorId } = await send('/v1/sponsors', { nip: syntheticNip('1980-02-02', 'M', 1), fullName: 'Sponsor Satu', opdCode: 'DINKES' }, 'operator');
    const w1 = await enrol('ASN_SPONSOR', sponsorId);
    await pay(w1.workerId, 'REF-1', { type: 'ASN_SPONSOR', sponsorId });
    const w2 = await enrol('APBD');
    await pay(w2.workerId, 'REF-2', { type: 'APBD' });
    const w3 = await enrol('APBD');
    await pay(w3.workerId, 'REF-3', { type: 'APBD' });
    await enrol('CSR'); // never paid: PENDING, not covered
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /v1/reference/kecamatan: the 16 kecamatan of Kota Semarang by code, with their names', async () => {
    const res = await t.as('analyst').get('/v1/reference/kecamatan').expect(200);
    expect(res.headers['x-projection-position']).toMatch(/^\d+$/);
    expect(res.body.items).toHaveLength(16);
    expect(res.body.items[0]).toEqual({ code: '3374.01', name: 'Semarang Tengah' });
    expect(res.body.items.map((k: { code: string }) => k.code)).toEqual(Array.from({ length: 16 }, (_, i) => `3374.${String(i + 1).padStart(2, '0')}`));
    for (const item of res.body.items) expect(item.name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)*$/);
  });

  it('GET /v1/reference/occupations: every occupation code with a Bahasa Indonesia label', async () => {
    const res = await t.as('analyst').get('/v1/reference/occupations').expect(200);
    expect(res.body.items.map((o: { code: string }) => o.code)).toEqual([
      'DOMESTIC_HELPER',
      'PRIVATE_DRIVER',
      'HOME_SECURITY_GUARD',
      'VEGETABLE_SELLER',
      'SNACK_VENDOR',
      'NEWSPAPER_SELLER',
      'FAMILY_BUSINESS',
      'CASUAL_WORKER',
      'OTHER',
    ]);
    expect(res.body.items).toContainEqual({ code: 'DOMESTIC_HELPER', label: 'Asisten rumah tangga' });
    expect(res.body.items).toContainEqual({ code: 'OTHER', label: 'Lainnya' });
  });

  it('GET /v1/opds: every OPD in code order with its current headcount, none retired', async () => {
    const res = await t.as('analyst').get(`/v1/opds?minPosition=${last}`).expect(200);
    expect(res.body).toEqual({
      items: [
        { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN', pnsHeadcount: 60, retired: false, retiredOn: null },
        { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 412, retired: false, retiredOn: null },
      ],
    });
  });

  it('GET /v1/opds/{code}: the OPD with its headcount history, oldest first; 404 unknown, 400 not a code', async () => {
    const res = await t.as('auditor').get(`/v1/opds/DINKES?minPosition=${last}`).expect(200);
    expect(res.body).toEqual({
      code: 'DINKES',
      name: 'Dinas Kesehatan',
      kind: 'DINAS',
      pnsHeadcount: 412,
      retired: false,
      retiredOn: null,
      // Same effective date: the order they were recorded in.
      headcountHistory: [
        { pnsHeadcount: 400, effectiveOn: TODAY },
        { pnsHeadcount: 412, effectiveOn: TODAY },
      ],
    });
    const missing = await t.as('analyst').get('/v1/opds/DISHUB').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
    const bad = await t.as('analyst').get('/v1/opds/not-a-code').expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('GET /v1/stats/ucj: ACTIVE workers of every funding source against ASUH_UCJ_TARGET, for the current or a given year', async () => {
    const res = await t.as('analyst').get(`/v1/stats/ucj?minPosition=${last}`).expect(200);
    expect(res.body).toEqual({
      year: 2026,
      target: 7,
      covered: 3,
      progress: 0.4286, // 3 / 7, rounded to 4 decimals
      bySource: { ASN_SPONSOR: 1, APBD: 2, DBHCHT: 0, CSR: 0, SELF: 0 },
    });
    const next = await t.as('analyst').get('/v1/stats/ucj?year=2027').expect(200);
    expect(next.body).toMatchObject({ year: 2027, target: 7, covered: 3 });
    await t.as('analyst').get('/v1/stats/ucj?year=twenty').expect(400);
  });

  it('without ASUH_PUBLIC_STATS every aggregate read needs a key', async () => {
    for (const path of ['/v1/stats/summary', '/v1/stats/ucj', '/v1/opds', '/v1/opds/DINKES', '/v1/reference/kecamatan']) {
      const res = await t.as().get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});

describe('ASUH_PUBLIC_STATS=true', () => {
  let t: TestApp;
  let registered: string;

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY, env: { ASUH_PUBLIC_STATS: 'true' } });
    const res = await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    registered = res.body.position;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the aggregate reads answer without a key', async () => {
    const paths = [
      '/v1/stats/summary',
      '/v1/stats/opds',
      '/v1/stats/coverage?groupBy=occupation',
      '/v1/stats/monthly?from=2026-01&to=2026-11',
      '/v1/stats/ucj',
      '/v1/opds',
      '/v1/opds/DINKES',
      '/v1/reference/kecamatan',
      '/v1/reference/occupations',
    ];
    for (const path of paths) {
      const res = await t.as().get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${registered}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('everything else still needs a key: personal data, commands, audit', async () => {
    const workers = await t.as().get('/v1/workers');
    expect(workers.status).toBe(401);
    await t.as().get('/v1/sponsors').expect(401);
    await t.as().get('/v1/ledger').expect(401);
    await t.as().post('/v1/opds').send({ code: 'DISHUB', name: 'Dinas Perhubungan', kind: 'DINAS', pnsHeadcount: 10 }).expect(401);
    await t.as().put('/v1/opds/DINKES/headcount').send({ pnsHeadcount: 10 }).expect(401);
  });

  it('a key that is presented is still checked: an unknown one is refused', async () => {
    const res = await t.as().get('/v1/stats/summary').set('Authorization', 'Bearer not-a-known-key-at-all');
    expect(res.status).toBe(401);
    await t.as().get('/v1/stats/summary').set('Authorization', `Bearer ${KEYS.analyst}`).expect(200);
  });
});
