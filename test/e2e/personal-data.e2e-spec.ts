import { Client } from 'pg';
import { rebuildReadModels } from '../../projections/rebuild';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { createTestApp, eventStoreVariant, TestApp } from '../support/test-app';

const TODAY = '2026-11-23';

/**
 * Personal data (UU PDP) through the API: nothing personal in clear text at rest (log and read models), look-ups
 * through keyed hashes, erasure honoured end to end without rewriting history, every read of a person logged.
 */
describe('personal data', () => {
  let t: TestApp;
  let sponsorId: string;
  const sponsorNip = syntheticNip('1985-03-12', 'M', 41);
  const person = {
    nik: syntheticNik('1979-08-17', 'F', 4242),
    fullName: 'Ratna Kusumawardani',
    birthDate: '1979-08-17',
    gender: 'F',
    phone: '081298765432',
    address: 'Jl. Pandanaran No. 117',
  };
  const corrected = { fullName: 'Ratna Kusumawardhani', phone: '081211112222', address: 'Jl. Pemuda No. 9' };
  const CLEAR = [person.nik, person.fullName, 'Kusumawardani', person.phone, 'Pandanaran', '1979-08-17', sponsorNip, 'Hendra Gunawan', corrected.fullName, corrected.phone, 'Pemuda'];
  let workerId: string;

  const head = async () => (await t.started.runtime.eventStore.headPosition()).toString();
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  /** Every table of the read models and the key store, as text. */
  const everythingAtRestInPostgres = async () => {
    const tables = await sql<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'event_store', 'key_store', 'privacy_log') AND table_type = 'BASE TABLE'`,
    );
    const dumps = await Promise.all(tables.map(({ schema, name }) => sql<{ t: string }>(`SELECT coalesce(string_agg(x::text, E'\\n'), '') AS t FROM "${schema}"."${name}" x`)));
    return dumps.map((d) => d[0].t).join('\n');
  };

  beforeAll(async () => {
    t = await createTestApp({ today: TODAY });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    sponsorId = (await t.as('operator').post('/v1/sponsors').send({ nip: sponsorNip, fullName: 'Hendra Gunawan', opdCode: 'DINKES' }).expect(201)).body.sponsorId;
    workerId = (
      await t
        .as('operator')
        .post('/v1/workers')
        .send({ ...person, occupation: 'DOMESTIC_HELPER', kecamatan: '3374.01', fundingSource: 'ASN_SPONSOR', sponsorId, enrolledOn: '2026-10-01' })
        .expect(201)
    ).body.workerId;
    await t.as('operator').post(`/v1/workers/${workerId}/payments`).send({ paymentRef: 'PDP-PAY-1', months: 3, amount: 50400, paidOn: '2026-10-05', payer: { type: 'ASN_SPONSOR', sponsorId } }).expect(201);
    // A correction's personal fields are sealed like the enrolment's.
    await t.as('operator').patch(`/v1/workers/${workerId}`).send({ ...corrected, reason: 'Salah ketik' }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('keeps no NIK, NIP, name, birth date, phone or address in clear text in the stored events', async () => {
    const stored = JSON.stringify(await t.started.runtime.eventStore.readAll({}), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(stored).toContain('WorkerEnrolled');
    expect(stored).toContain('WorkerDetailsCorrected');
    for (const value of CLEAR) expect({ value, found: stored.includes(value) }).toEqual({ value, found: false });
  });

  it('keeps none in clear text anywhere in PostgreSQL: read models, key store, access log', async () => {
    await t.as('admin').get(`/v1/workers/${workerId}`).query({ minPosition: await head() }).expect(200);
    const atRest = await everythingAtRestInPostgres();
    for (const value of CLEAR) expect({ value, found: atRest.includes(value) }).toEqual({ value, found: false });
  });

  it('finds a worker by exact NIK and by part of the name, a sponsor by NIP, through keyed hashes', async () => {
    const minPosition = await head();
    const byNik = await t.as('operator').get('/v1/workers').query({ nik: person.nik, minPosition }).expect(200);
    expect(byNik.body.items.map((w: { workerId: string }) => w.workerId)).toEqual([workerId]);
    expect(byNik.body.items[0]).toMatchObject({ fullName: corrected.fullName, nikMasked: `${person.nik.slice(0, 4)}**********${person.nik.slice(14)}` });
    const byName = await t.as('admin').get('/v1/workers').query({ q: 'kusuMA', minPosition }).expect(200);
    expect(byName.body.items.map((w: { workerId: string }) => w.workerId)).toEqual([workerId]);
    expect((await t.as('admin').get('/v1/workers').query({ q: 'kusumx' }).expect(200)).body.items).toEqual([]);
    expect((await t.as('operator').get('/v1/workers').query({ nik: syntheticNik('1979-08-17', 'F', 4243) }).expect(200)).body.items).toEqual([]);
    const byNip = await t.as('operator').get('/v1/sponsors').query({ nip: sponsorNip, minPosition }).expect(200);
    expect(byNip.body.items.map((s: { sponsorId: string }) => s.sponsorId)).toEqual([sponsorId]);
    // Auditors read coverage, not identities.
    expect((await t.as('auditor').get('/v1/workers').query({ nik: person.nik }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.as('auditor').get('/v1/workers').query({ q: 'ratna' }).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('answers an enrolment of a NIK already enrolled with the id of the worker holding it', async () => {
    const again = await t
      .as('operator')
      .post('/v1/workers')
      .send({ ...person, occupation: 'OTHER', kecamatan: '3374.02', fundingSource: 'SELF' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'NIK_ALREADY_ENROLLED', workerId });
    const sponsorAgain = await t.as('operator').post('/v1/sponsors').send({ nip: sponsorNip, fullName: 'H. Gunawan', opdCode: 'DINKES' }).expect(409);
    expect(sponsorAgain.body).toMatchObject({ code: 'NIP_ALREADY_REGISTERED', sponsorId });
  });

  it('produces the person’s data as held, and logs who read it, when and through which route', async () => {
    await t.as('operator').get(`/v1/workers/${workerId}`).query({ minPosition: await head() }).expect(200);
    const res = await t.as('admin').get(`/v1/workers/${workerId}/personal-data`).expect(200);
    // As held now: the enrolment's details with the correction applied.
    expect(res.body).toMatchObject({ workerId, erased: false, personal: { nik: person.nik, fullName: corrected.fullName, birthDate: person.birthDate, phone: corrected.phone, address: corrected.address } });
    expect(res.body.accessLog[0]).toEqual({ at: expect.any(String), principal: 'admin-key', route: 'GET /v1/workers/:workerId/personal-data' });
    expect(res.body.accessLog.map((e: { principal: string; route: string }) => `${e.principal} ${e.route}`)).toContain('operator-key GET /v1/workers/:workerId');
    expect((await t.as('operator').get(`/v1/workers/${workerId}/personal-data`).expect(403)).body.code).toBe('FORBIDDEN');
    const sponsor = await t.as('admin').get(`/v1/sponsors/${sponsorId}/personal-data`).expect(200);
    expect(sponsor.body).toMatchObject({ sponsorId, erased: false, personal: { nip: sponsorNip, fullName: 'Hendra Gunawan' } });
  });

  describe('erasure', () => {
    it('is refused while the membership is active (422 ERASURE_NOT_ALLOWED), and for a sponsor not withdrawn', async () => {
      const res = await t.as('admin').post(`/v1/workers/${workerId}/erasure`).send({ reason: 'permintaan', requestRef: 'PDP-1' }).expect(422);
      expect(res.body.code).toBe('ERASURE_NOT_ALLOWED');
      expect((await t.as('admin').post(`/v1/sponsors/${sponsorId}/erasure`).send({ reason: 'permintaan', requestRef: 'PDP-2' }).expect(422)).body.code).toBe('ERASURE_NOT_ALLOWED');
      expect((await t.as('operator').post(`/v1/workers/${workerId}/erasure`).send({ reason: 'x', requestRef: 'y' }).expect(403)).body.code).toBe('FORBIDDEN');
    });

    it('is honoured once the membership has ended: the key destroyed, the person erased everywhere, history intact', async () => {
      await t.as('operator').post(`/v1/workers/${workerId}/withdraw`).send({ reason: 'pindah domisili' }).expect(200);
      const before = (await t.as('analyst').get('/v1/stats/summary').query({ minPosition: await head() }).expect(200)).body;
      const erased = await t.as('admin').post(`/v1/workers/${workerId}/erasure`).send({ reason: 'permintaan ahli waris', requestRef: 'PDP-3' }).expect(200);
      expect(erased.body).toEqual({ workerId, erasedAt: expect.any(String), position: expect.stringMatching(/^\d+$/) });
      // Asked again: the first answer, nothing new.
      const again = await t.as('admin').post(`/v1/workers/${workerId}/erasure`).send({ reason: 'lagi', requestRef: 'PDP-4' }).expect(200);
      expect(again.body).toEqual(erased.body);

      expect(await sql(`SELECT subject FROM key_store.data_keys WHERE subject = $1`, [`worker:${workerId}`])).toEqual([]);
      const minPosition = erased.body.position;
      const view = await t.as('admin').get(`/v1/workers/${workerId}`).query({ minPosition }).expect(200);
      expect(view.body).toMatchObject({ workerId, erased: true, fullName: null, nikMasked: null, status: 'ENDED', monthsContributed: 3, paidThrough: '2026-12' });
      const personal = await t.as('admin').get(`/v1/workers/${workerId}/personal-data`).expect(200);
      expect(personal.body).toMatchObject({ workerId, erased: true, personal: null });

      const history = await t.as('auditor').get(`/v1/workers/${workerId}/history`).expect(200);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['WorkerEnrolled', 'PremiumPaid', 'WorkerDetailsCorrected', 'CoverageEnded', 'PersonalDataErased']);
      expect(history.body.events[0].data).toMatchObject({ nik: null, fullName: null, birthDate: null, phone: null, address: null, kecamatan: '3374.01' });
      expect(history.body.events[2].data).toEqual({ workerId, fullName: null, phone: null, address: null, reason: 'Salah ketik', occurredOn: TODAY });
      const ledger = await t.as('auditor').get('/v1/ledger').query({ workerId }).expect(200);
      expect(ledger.body.totals).toEqual({ payments: 1, reversals: 0, amount: 50400 });

      const after = (await t.as('analyst').get('/v1/stats/summary').query({ minPosition }).expect(200)).body;
      expect(after.workersRegistered).toBe(before.workersRegistered - 1);
      expect((await t.as('operator').get('/v1/workers').query({ q: 'ratna', minPosition }).expect(200)).body.items).toEqual([]);
      expect((await t.as('operator').get('/v1/workers').query({ nik: person.nik, minPosition }).expect(200)).body.items).toEqual([]);
      const verify = await t.as('auditor').post('/v1/audit/verify').send({}).expect(200);
      expect(verify.body).toMatchObject({ ok: true, mismatches: [], brokenChains: [], clearTextPersonalData: [], keysOfErasedSubjects: [] });
    });

    it('keeps the person erased through a rebuild of the read models', async () => {
      await rebuildReadModels({ eventStore: t.started.runtime.eventStore, codec: t.started.runtime.codec, databaseUrl: t.db.url });
      const view = await t.as('admin').get(`/v1/workers/${workerId}`).expect(200);
      expect(view.body).toMatchObject({ erased: true, fullName: null, nikMasked: null });
      const verify = await t.as('auditor').post('/v1/audit/verify').send({}).expect(200);
      expect(verify.body.ok).toBe(true);
    });

    it('releases the NIK: the person can be enrolled again later, as a new worker', async () => {
      const res = await t
        .as('operator')
        .post('/v1/workers')
        .send({ ...person, occupation: 'SNACK_VENDOR', kecamatan: '3374.04', fundingSource: 'SELF', enrolledOn: TODAY })
        .expect(201);
      expect(res.body.workerId).not.toBe(workerId);
      expect((await t.as('admin').post(`/v1/workers/${workerId}/reenrol`).send({}).expect(422)).body.code).toBe('NOT_REENROLLABLE');
    });

    it('erases a withdrawn sponsor and releases the NIP', async () => {
      await t.as('operator').post(`/v1/sponsors/${sponsorId}/withdraw`).send({ reason: 'pensiun' }).expect(200);
      const erased = await t.as('admin').post(`/v1/sponsors/${sponsorId}/erasure`).send({ reason: 'permintaan', requestRef: 'PDP-5' }).expect(200);
      const view = await t.as('auditor').get(`/v1/sponsors/${sponsorId}`).query({ minPosition: erased.body.position }).expect(200);
      expect(view.body).toMatchObject({ sponsorId, fullName: null, erased: true, status: 'WITHDRAWN' });
      expect((await t.as('admin').get(`/v1/sponsors/${sponsorId}/personal-data`).expect(200)).body).toMatchObject({ erased: true, personal: null });
      await t.as('operator').post('/v1/sponsors').send({ nip: sponsorNip, fullName: 'Hendra Gunawan', opdCode: 'DINKES' }).expect(201);
    });
  });

  it(`runs on the ${eventStoreVariant()} event store`, () => {
    expect(['postgres', 'esdb']).toContain(eventStoreVariant());
  });
});
