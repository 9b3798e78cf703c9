import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { type Agent, API_KEYS_ENV, createTestApp, type TestApp } from '../support/test-app';

/**
 * domain.md, "Scope": an operator key bound to an OPD acts only within it (403 OUT_OF_SCOPE outside), sees only its
 * OPD's sponsors and the workers whose current sponsor is there; an operator key without an OPD acts city-wide;
 * aggregate statistics stay city-wide. Bound keys come from ASUH_API_KEYS (name:operator:secret:OPDCODE) or are issued.
 */
type Row = Record<string, unknown>;

const ENV_SCOPED_SECRET = 'dinkes-env-secret-0123456789';

describe('OPD-scoped operator keys', () => {
  let t: TestApp;
  let last = '0';
  let nikSeq = 500;
  let nipSeq = 40;
  /** The managed operator key bound to DINKES. */
  let dinkes: Agent;
  /** The configured one (4-part ASUH_API_KEYS entry). */
  let dinkesEnv: Agent;

  let sponsorIn: string;
  let sponsorIn2: string;
  let sponsorOut: string;
  let workerIn: string;
  let workerOut: string;
  let workerApbd: string;
  const niks: Record<string, string> = {};
  const nips: Record<string, string> = {};

  const track = <T extends { body: { position?: string } }>(res: T): T => {
    if (res.body.position && BigInt(res.body.position) > BigInt(last)) last = res.body.position;
    return res;
  };
  const fresh = (path: string) => `${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`;
  const outOfScope = async (pending: Promise<{ status: number; body: Row }>) => {
    const res = await pending;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'OUT_OF_SCOPE' });
  };

  const sponsorBody = (opdCode: string, name = 'Budi Santoso') => {
    const nip = syntheticNip('1984-02-03', 'M', nipSeq++);
    return { nip, fullName: name, opdCode };
  };
  const registerSponsor = async (opdCode: string, key: 'admin' | 'operator' = 'admin') => {
    const body = sponsorBody(opdCode);
    const sponsorId = track(await t.as(key).post('/v1/sponsors').send(body).expect(201)).body.sponsorId as string;
    nips[sponsorId] = body.nip;
    return sponsorId;
  };
  const workerBody = (funding: Row, fullName = 'Siti Rahayu') => {
    const nik = syntheticNik('1988-07-21', 'F', nikSeq++);
    return { nik, fullName, birthDate: '1988-07-21', gender: 'F', occupation: 'DOMESTIC_HELPER', kecamatan: '3374.01', enrolledOn: '2026-11-02', ...funding };
  };
  const enrol = async (funding: Row, fullName?: string) => {
    const body = workerBody(funding, fullName);
    const workerId = track(await t.as('admin').post('/v1/workers').send(body).expect(201)).body.workerId as string;
    niks[workerId] = body.nik;
    return workerId;
  };
  let refSeq = 1;
  const payment = (payerSponsorId: string | null) => ({
    paymentRef: `SCOPE-${refSeq++}`,
    months: 1,
    amount: 16800,
    paidOn: '2026-11-23',
    payer: payerSponsorId ? { type: 'ASN_SPONSOR', sponsorId: payerSponsorId } : { type: 'APBD' },
  });

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23', env: { ASUH_API_KEYS: `${API_KEYS_ENV},dinkes-env:operator:${ENV_SCOPED_SECRET}:DINKES` } });
    for (const [code, name] of [
      ['DINKES', 'Dinas Kesehatan'],
      ['DISDIK', 'Dinas Pendidikan'],
    ]) {
      track(await t.as('admin').post('/v1/opds').send({ code, name, kind: 'DINAS', pnsHeadcount: 400 }).expect(201));
    }
    const issued = track(await t.as('admin').post('/v1/api-keys').send({ name: 'dinkes-coordinator', role: 'operator', opdCode: 'DINKES' }).expect(201)).body;
    dinkes = t.withSecret(issued.secret);
    dinkesEnv = t.withSecret(ENV_SCOPED_SECRET);

    sponsorIn = await registerSponsor('DINKES');
    sponsorIn2 = await registerSponsor('DINKES');
    sponsorOut = await registerSponsor('DISDIK');
    workerIn = await enrol({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorIn }, 'Sri Wahyuni');
    workerOut = await enrol({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorOut }, 'Sri Lestari');
    workerApbd = await enrol({ fundingSource: 'APBD' }, 'Sri Mulyani');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('sponsor commands', () => {
    it('registers sponsors into its own OPD only', async () => {
      track(await dinkes.post('/v1/sponsors').send(sponsorBody('DINKES')).expect(201));
      await outOfScope(dinkes.post('/v1/sponsors').send(sponsorBody('DISDIK')));
    });

    it("transfers only sponsors currently in its OPD; the sponsor may leave for another OPD (the leaving OPD records the mutasi)", async () => {
      await outOfScope(dinkes.post(`/v1/sponsors/${sponsorOut}/transfer`).send({ opdCode: 'DINKES' }));
      const leaving = await registerSponsor('DINKES');
      track(await dinkes.post(`/v1/sponsors/${leaving}/transfer`).send({ opdCode: 'DISDIK' }).expect(200));
      await outOfScope(dinkes.post(`/v1/sponsors/${leaving}/transfer`).send({ opdCode: 'DINKES' }));
      await outOfScope(dinkes.get(fresh(`/v1/sponsors/${leaving}`)));
    });

    it('withdraws only sponsors currently in its OPD', async () => {
      await outOfScope(dinkes.post(`/v1/sponsors/${sponsorOut}/withdraw`).send({ reason: 'Pensiun' }));
      const retiring = await registerSponsor('DINKES');
      track(await dinkes.post(`/v1/sponsors/${retiring}/withdraw`).send({ reason: 'Pensiun' }).expect(200));
    });

    it('answers 404 for a sponsor that does not exist, not 403', async () => {
      expect((await dinkes.post('/v1/sponsors/6f1c7c1e-58f5-4d8e-9a53-2f0b8a7f2c11/withdraw').send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('worker commands', () => {
    it('enrols only workers funded by an ASN sponsor of its OPD', async () => {
      track(await dinkes.post('/v1/workers').send(workerBody({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorIn })).expect(201));
      await outOfScope(dinkes.post('/v1/workers').send(workerBody({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorOut })));
      await outOfScope(dinkes.post('/v1/workers').send(workerBody({ fundingSource: 'APBD' })));
      await outOfScope(dinkes.post('/v1/workers').send(workerBody({ fundingSource: 'SELF' })));
    });

    it('records payments only for its workers, and only by its sponsors', async () => {
      track(await dinkes.post(`/v1/workers/${workerIn}/payments`).send(payment(sponsorIn)).expect(201));
      await outOfScope(dinkes.post(`/v1/workers/${workerOut}/payments`).send(payment(sponsorOut)));
      await outOfScope(dinkes.post(`/v1/workers/${workerApbd}/payments`).send(payment(null)));
      await outOfScope(dinkes.post(`/v1/workers/${workerIn}/payments`).send(payment(sponsorOut)));
    });

    it("corrects only its workers' details", async () => {
      track(await dinkes.patch(`/v1/workers/${workerIn}`).send({ phone: '081234567890', reason: 'Nomor baru' }).expect(200));
      await outOfScope(dinkes.patch(`/v1/workers/${workerOut}`).send({ phone: '081234567890', reason: 'Nomor baru' }));
    });

    it('changes the sponsor or funding of its workers only, and only to a sponsor of its OPD', async () => {
      await outOfScope(dinkes.post(`/v1/workers/${workerOut}/sponsor`).send({ sponsorId: sponsorIn }));
      await outOfScope(dinkes.post(`/v1/workers/${workerIn}/sponsor`).send({ sponsorId: sponsorOut }));
      track(await dinkes.post(`/v1/workers/${workerIn}/sponsor`).send({ sponsorId: sponsorIn2 }).expect(200));
      await outOfScope(dinkes.post(`/v1/workers/${workerIn}/funding`).send({ fundingSource: 'APBD', reason: 'Dialihkan ke APBD' }));
      await outOfScope(dinkes.post(`/v1/workers/${workerApbd}/funding`).send({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorIn, reason: 'Diadopsi' }));
      track(
        await dinkes.post(`/v1/workers/${workerIn}/funding`).send({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorIn, reason: 'Kembali ke sponsor awal' }).expect(200),
      );
    });

    it('withdraws and re-enrols only its workers', async () => {
      const leaving = await enrol({ fundingSource: 'ASN_SPONSOR', sponsorId: sponsorIn });
      await outOfScope(dinkes.post(`/v1/workers/${workerOut}/withdraw`).send({ reason: 'Pindah domisili' }));
      track(await dinkes.post(`/v1/workers/${leaving}/withdraw`).send({ reason: 'Pindah domisili' }).expect(200));
      track(await dinkes.post(`/v1/workers/${leaving}/reenrol`).send({}).expect(200));
      track(await t.as('admin').post(`/v1/workers/${workerOut}/withdraw`).send({ reason: 'Pindah domisili' }).expect(200));
      await outOfScope(dinkes.post(`/v1/workers/${workerOut}/reenrol`).send({}));
      track(await t.as('admin').post(`/v1/workers/${workerOut}/reenrol`).send({}).expect(200));
    });

    it('answers 404 for a worker that does not exist, not 403', async () => {
      expect((await dinkes.post('/v1/workers/6f1c7c1e-58f5-4d8e-9a53-2f0b8a7f2c11/withdraw').send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
    });
  });

  describe('lists and look-ups', () => {
    it('lists only the workers whose current sponsor is in its OPD; another OPD is OUT_OF_SCOPE', async () => {
      const items: Row[] = (await dinkes.get(fresh('/v1/workers?limit=500')).expect(200)).body.items;
      const ids = items.map((w) => w.workerId);
      expect(ids).toContain(workerIn);
      expect(ids).not.toContain(workerOut);
      expect(ids).not.toContain(workerApbd);
      expect(new Set(items.map((w) => w.opdCode))).toEqual(new Set(['DINKES']));
      expect((await dinkes.get(fresh('/v1/workers?opdCode=DINKES&limit=500')).expect(200)).body.items).toEqual(items);
      await outOfScope(dinkes.get(fresh('/v1/workers?opdCode=DISDIK')));
      expect((await dinkes.get(fresh(`/v1/workers?sponsorId=${sponsorOut}`)).expect(200)).body.items).toEqual([]);
    });

    it('finds by NIK or name only within its OPD', async () => {
      expect((await dinkes.get(fresh(`/v1/workers?nik=${niks[workerIn]}`)).expect(200)).body.items.map((w: Row) => w.workerId)).toEqual([workerIn]);
      expect((await dinkes.get(fresh(`/v1/workers?nik=${niks[workerOut]}`)).expect(200)).body.items).toEqual([]);
      expect((await t.as('operator').get(fresh(`/v1/workers?nik=${niks[workerOut]}`)).expect(200)).body.items).toHaveLength(1);
      const named = (await dinkes.get(fresh('/v1/workers?q=Sri')).expect(200)).body.items.map((w: Row) => w.workerId);
      expect(named).toEqual([workerIn]);
    });

    it('looks a worker up only within its OPD: 403 outside, 404 when there is none', async () => {
      expect((await dinkes.get(fresh(`/v1/workers/${workerIn}`)).expect(200)).body.workerId).toBe(workerIn);
      await outOfScope(dinkes.get(fresh(`/v1/workers/${workerOut}`)));
      await outOfScope(dinkes.get(fresh(`/v1/workers/${workerApbd}`)));
      expect((await dinkes.get(fresh('/v1/workers/6f1c7c1e-58f5-4d8e-9a53-2f0b8a7f2c11')).expect(404)).body.code).toBe('NOT_FOUND');
    });

    it('lists only its workers due for a payment', async () => {
      const due: Row[] = (await dinkes.get(fresh('/v1/workers/due?limit=500')).expect(200)).body.items;
      expect(due.length).toBeGreaterThan(0);
      expect(new Set(due.map((w) => w.opdCode))).toEqual(new Set(['DINKES']));
      const cityWide: Row[] = (await t.as('operator').get(fresh('/v1/workers/due?limit=500')).expect(200)).body.items;
      expect(cityWide.map((w) => w.workerId)).toEqual(expect.arrayContaining([workerOut, workerApbd]));
      await outOfScope(dinkes.get(fresh('/v1/workers/due?opdCode=DISDIK')));
    });

    it("lists and looks up only its OPD's sponsors, and their payments", async () => {
      const items: Row[] = (await dinkes.get(fresh('/v1/sponsors?limit=500')).expect(200)).body.items;
      expect(items.map((s) => s.sponsorId)).toEqual(expect.arrayContaining([sponsorIn, sponsorIn2]));
      expect(new Set(items.map((s) => s.opdCode))).toEqual(new Set(['DINKES']));
      await outOfScope(dinkes.get(fresh('/v1/sponsors?opdCode=DISDIK')));
      expect((await dinkes.get(fresh(`/v1/sponsors?nip=${nips[sponsorOut]}`)).expect(200)).body.items).toEqual([]);
      expect((await dinkes.get(fresh(`/v1/sponsors?nip=${nips[sponsorIn]}`)).expect(200)).body.items).toHaveLength(1);
      expect((await dinkes.get(fresh(`/v1/sponsors/${sponsorIn}`)).expect(200)).body.sponsorId).toBe(sponsorIn);
      await outOfScope(dinkes.get(fresh(`/v1/sponsors/${sponsorOut}`)));
      expect((await dinkes.get(fresh(`/v1/sponsors/${sponsorIn}/payments`)).expect(200)).body.totals.payments).toBeGreaterThan(0);
      await outOfScope(dinkes.get(fresh(`/v1/sponsors/${sponsorOut}/payments`)));
    });

    it('sees the aggregate statistics city-wide, as an admin does', async () => {
      for (const path of ['/v1/stats/summary', '/v1/stats/opds', '/v1/stats/coverage?groupBy=opd']) {
        expect((await dinkes.get(fresh(path)).expect(200)).body).toEqual((await t.as('admin').get(fresh(path)).expect(200)).body);
      }
    });
  });

  describe('an operator key without an OPD', () => {
    it('acts and reads city-wide', async () => {
      track(await t.as('operator').post('/v1/sponsors').send(sponsorBody('DISDIK')).expect(201));
      track(await t.as('operator').post('/v1/workers').send(workerBody({ fundingSource: 'APBD' })).expect(201));
      await t.as('operator').get(fresh(`/v1/workers/${workerOut}`)).expect(200);
      await t.as('operator').get(fresh(`/v1/sponsors/${sponsorOut}`)).expect(200);
      const opds = new Set((await t.as('operator').get(fresh('/v1/workers?limit=500')).expect(200)).body.items.map((w: Row) => w.opdCode));
      expect(opds).toEqual(new Set(['DINKES', 'DISDIK', null]));
    });
  });

  describe('a configured operator key bound to an OPD (name:operator:secret:OPDCODE)', () => {
    it('is scoped like an issued one', async () => {
      track(await dinkesEnv.post('/v1/sponsors').send(sponsorBody('DINKES')).expect(201));
      await outOfScope(dinkesEnv.post('/v1/sponsors').send(sponsorBody('DISDIK')));
      await outOfScope(dinkesEnv.post(`/v1/workers/${workerOut}/payments`).send(payment(sponsorOut)));
      await dinkesEnv.get(fresh(`/v1/workers/${workerIn}`)).expect(200);
      await outOfScope(dinkesEnv.get(fresh(`/v1/workers/${workerOut}`)));
      await outOfScope(dinkesEnv.get(fresh('/v1/sponsors?opdCode=DISDIK')));
    });
  });
});
