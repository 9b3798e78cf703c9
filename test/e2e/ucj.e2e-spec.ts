import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, type TestApp } from '../support/test-app';

/** The UCJ target per year (PUT /v1/ucj/target, UcjTargetSet) and the progress against it (GET /v1/stats/ucj). */
const TODAY = '2026-11-23';

describe('UCJ target and progress over HTTP', () => {
  let t: TestApp;
  let last = '0';
  let nik = 1;
  let lapsingWorker: string;

  const command = async (role: 'admin' | 'operator', method: 'post' | 'put', path: string, body: object, status = method === 'post' ? 201 : 200) => {
    const res = await t.as(role)[method](path).send(body);
    expect({ path, status: res.status, body: res.body }).toMatchObject({ status });
    last = res.body.position;
    return res.body;
  };
  const enrol = async (fundingSource: string, sponsorId?: string) =>
    (
      await command('operator', 'post', '/v1/workers', {
        nik: syntheticNik('1981-06-07', 'M', nik++),
        fullName: `Pekerja ${nik}`,
        birthDate: '1981-06-07',
        gender: 'M',
        occupation: 'CASUAL_WORKER',
        kecamatan: '3374.02',
        fundingSource,
        ...(sponsorId ? { sponsorId } : {}),
        enrolledOn: '2026-11-02',
      })
    ).workerId as string;
  const pay = (workerId: string, ref: string, payer: object, months = 1) =>
    command('operator', 'post', `/v1/workers/${workerId}/payments`, { paymentRef: ref, months, amount: months * 16_800, paidOn: '2026-11-03', payer });
  const progress = async (query = '', role: 'admin' | 'operator' | 'auditor' | 'analyst' = 'analyst') =>
    (await t.as(role).get(`/v1/stats/ucj?minPosition=${last}${query}`).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY, env: { ASUH_UCJ_TARGET: '8' } });
    await command('admin', 'post', '/v1/opds', { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 });
    const { sponsorId } = await command('operator', 'post', '/v1/sponsors', { nip: syntheticNip('1980-02-02', 'M', 1), fullName: 'Sponsor Satu', opdCode: 'DINKES' });
    await pay(await enrol('ASN_SPONSOR', sponsorId), 'UCJ-1', { type: 'ASN_SPONSOR', sponsorId }, 3);
    await pay(await enrol('APBD'), 'UCJ-2', { type: 'APBD' }, 3);
    await pay(await enrol('DBHCHT'), 'UCJ-3', { type: 'DBHCHT' }, 3);
    lapsingWorker = await enrol('SELF');
    await pay(lapsingWorker, 'UCJ-4', { type: 'SELF' }, 1); // paid through 2026-11: lapses after 15 December
    await enrol('CSR'); // never paid: PENDING, not covered
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers ASUH_UCJ_TARGET for a year without a target of its own, the current year by default', async () => {
    expect(await progress()).toEqual({
      year: 2026,
      target: 8,
      covered: 4,
      progress: 0.5,
      bySource: { ASN_SPONSOR: 1, APBD: 1, DBHCHT: 1, CSR: 0, SELF: 1 },
    });
    for (const role of ['admin', 'operator', 'auditor'] as const) expect(await progress('', role)).toMatchObject({ year: 2026, covered: 4 });
  });

  it("PUT /v1/ucj/target sets a year's target: 200 { year, target, position }, and the progress follows it", async () => {
    const body = await command('admin', 'put', '/v1/ucj/target', { year: 2026, target: 3 });
    expect(body).toEqual({ year: 2026, target: 3, position: expect.stringMatching(/^\d+$/) });
    // More covered than the target: progress above 1, rounded to 4 decimals.
    expect(await progress()).toMatchObject({ year: 2026, target: 3, covered: 4, progress: 1.3333 });
    expect(await progress('&year=2026')).toMatchObject({ target: 3 });
    expect(await progress('&year=2027')).toMatchObject({ year: 2027, target: 8, covered: 4, progress: 0.5 });

    const next = await command('admin', 'put', '/v1/ucj/target', { year: 2027, target: 12 });
    expect(next).toMatchObject({ year: 2027, target: 12 });
    expect(await progress('&year=2027')).toMatchObject({ year: 2027, target: 12, progress: 0.3333 });
    expect(await progress()).toMatchObject({ year: 2026, target: 3 });
  });

  it('records UcjTargetSet on the year\'s stream with its schema version and business date; the same target again records nothing', async () => {
    const first = await command('admin', 'put', '/v1/ucj/target', { year: 2030, target: 50 });
    const again = await command('admin', 'put', '/v1/ucj/target', { year: 2030, target: 50 });
    expect(again).toEqual(first);
    const stream = await t.started.runtime.eventStore.readStream('ucj-2030');
    expect(stream).toHaveLength(1);
    expect(stream[0]).toMatchObject({
      type: 'UcjTargetSet',
      data: { year: 2030, target: 50, previousTarget: null, setOn: TODAY, occurredOn: TODAY },
      metadata: { schemaVersion: 1, recordedBy: 'admin-key', occurredAt: `${TODAY}T00:00:00+07:00` },
    });

    await command('admin', 'put', '/v1/ucj/target', { year: 2030, target: 60 });
    const changed = await t.started.runtime.eventStore.readStream('ucj-2030');
    expect(changed.map((e) => e.data)).toEqual([expect.objectContaining({ target: 50 }), expect.objectContaining({ target: 60, previousTarget: 50 })]);
    expect(await progress('&year=2030')).toMatchObject({ target: 60 });
  });

  it('counts what the events say, never the clock: a worker whose month passed stays covered until the lapse check records it', async () => {
    t.clock.set('2026-12-16');
    try {
      expect(await progress()).toMatchObject({ year: 2026, covered: 4, bySource: { SELF: 1 } });
      const run = await command('admin', 'post', '/v1/coverage/lapse-runs', {}, 200);
      expect(run).toMatchObject({ asOf: '2026-12-16', lapsed: 1 });
      expect(await progress()).toEqual({ year: 2026, target: 3, covered: 3, progress: 1, bySource: { ASN_SPONSOR: 1, APBD: 1, DBHCHT: 1, CSR: 0, SELF: 0 } });
      const lapsed = await t.as('admin').get(`/v1/workers/${lapsingWorker}?minPosition=${last}`).expect(200);
      expect(lapsed.body.status).toBe('LAPSED');
    } finally {
      t.clock.set(TODAY);
    }
  });

  it('refuses a year outside the programme or a target that is not a whole number of workers (400 VALIDATION_FAILED, by field)', async () => {
    const refusals: [object, string][] = [
      [{ year: 2014, target: 10 }, 'year'], // before the first tariff (2015-07)
      [{ year: 2032, target: 10 }, 'year'], // more than 5 years after 2026
      [{ year: '2026', target: 10 }, 'year'],
      [{ year: 2026.5, target: 10 }, 'year'],
      [{ target: 10 }, 'year'],
      [{ year: 2026, target: 0 }, 'target'],
      [{ year: 2026, target: -1 }, 'target'],
      [{ year: 2026, target: 1.5 }, 'target'],
      [{ year: 2026, target: 1_000_000_001 }, 'target'],
      [{ year: 2026, target: '100' }, 'target'],
      [{ year: 2026 }, 'target'],
    ];
    for (const [body, field] of refusals) {
      const res = await t.as('admin').put('/v1/ucj/target').send(body);
      expect({ body, status: res.status, code: res.body.code, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: expect.arrayContaining([field]),
      });
    }
    const unknown = await t.as('admin').put('/v1/ucj/target').send({ year: 2026, target: 10, note: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(await progress()).toMatchObject({ target: 3 });
  });

  it('refuses a bad year on GET /v1/stats/ucj', async () => {
    for (const year of ['twenty', '1999', '2101', '2026.5']) {
      const res = await t.as('analyst').get(`/v1/stats/ucj?year=${year}`);
      expect({ year, status: res.status, code: res.body.code }).toEqual({ year, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('lets only admins set a target (403 FORBIDDEN for other roles, 401 without a key)', async () => {
    for (const role of ['operator', 'auditor', 'analyst'] as const) {
      const res = await t.as(role).put('/v1/ucj/target').send({ year: 2026, target: 10 });
      expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'FORBIDDEN' });
    }
    const anonymous = await t.as().put('/v1/ucj/target').send({ year: 2026, target: 10 });
    expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const read = await t.as().get('/v1/stats/ucj');
    expect({ status: read.status, code: read.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await progress()).toMatchObject({ target: 3 });
  });
});

describe('GET /v1/stats/ucj with ASUH_PUBLIC_STATS=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY, env: { ASUH_PUBLIC_STATS: 'true' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers without a key (an aggregate), while setting a target still needs an admin key', async () => {
    const set = await t.as('admin').put('/v1/ucj/target').send({ year: 2026, target: 250 }).expect(200);
    const res = await t.as().get(`/v1/stats/ucj?minPosition=${set.body.position}`).expect(200);
    expect(res.body).toEqual({ year: 2026, target: 250, covered: 0, progress: 0, bySource: { ASN_SPONSOR: 0, APBD: 0, DBHCHT: 0, CSR: 0, SELF: 0 } });
    await t.as().put('/v1/ucj/target').send({ year: 2026, target: 1 }).expect(401);
  });
});
