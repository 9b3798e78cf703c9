import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { newMasterKey } from '../../src/personal-data/sealing';
import { MasterKeyMismatchError } from '../../src/personal-data/vault';
import { createTestApp, createTestBackend, TestBackend } from '../support/test-app';

describe('a restart loses nothing', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await createTestBackend();
  });

  afterAll(async () => {
    await backend.release();
  });

  it('keeps every fact, every uniqueness reservation and every payment answer across a restart', async () => {
    const nik = syntheticNik('1988-05-05', 'M', 42);
    const nip = syntheticNip('1979-04-04', 'F', 7);
    const payment = { paymentRef: 'RESTART-1', months: 3, amount: 50400, paidOn: '2026-10-05', payer: { type: 'SELF' } };

    const before = await createTestApp({ backend, today: '2026-11-23' });
    await before.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    await before.as('operator').post('/v1/sponsors').send({ nip, fullName: 'Ani', opdCode: 'DINKES' }).expect(201);
    const { workerId } = (
      await before
        .as('operator')
        .post('/v1/workers')
        .send({ nik, fullName: 'Joko', birthDate: '1988-05-05', gender: 'M', occupation: 'PRIVATE_DRIVER', kecamatan: '3374.05', fundingSource: 'SELF', enrolledOn: '2026-10-01' })
        .expect(201)
    ).body;
    const paid = await before.as('operator').post(`/v1/workers/${workerId}/payments`).send(payment).expect(201);
    await before.close();

    const after = await createTestApp({ backend, today: '2026-11-23' });
    try {
      expect((await after.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'x', kind: 'DINAS', pnsHeadcount: 1 }).expect(409)).body.code).toBe('OPD_ALREADY_REGISTERED');
      expect((await after.as('operator').post('/v1/sponsors').send({ nip, fullName: 'Ani', opdCode: 'DINKES' }).expect(409)).body.code).toBe('NIP_ALREADY_REGISTERED');
      const again = await after
        .as('operator')
        .post('/v1/workers')
        .send({ nik, fullName: 'Joko', birthDate: '1988-05-05', gender: 'M', occupation: 'PRIVATE_DRIVER', kecamatan: '3374.05', fundingSource: 'SELF' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('NIK_ALREADY_ENROLLED');
      const replay = await after.as('operator').post(`/v1/workers/${workerId}/payments`).send(payment).expect(200);
      expect(replay.body).toEqual(paid.body);
      const next = await after
        .as('operator')
        .post(`/v1/workers/${workerId}/payments`)
        .send({ ...payment, paymentRef: 'RESTART-2', months: 1, amount: 16800, paidOn: '2026-11-23' })
        .expect(201);
      expect(next.body).toMatchObject({ coveredFrom: '2027-01', coveredThrough: '2027-01' });
    } finally {
      await after.close();
    }
  });

  it('refuses to start with another master key than the one the personal data was sealed with, writing nothing', async () => {
    const head = await (async () => {
      const app = await createTestApp({ backend, today: '2026-11-23' });
      try {
        return await app.started.runtime.eventStore.headPosition();
      } finally {
        await app.close();
      }
    })();
    await expect(createTestApp({ backend: { ...backend, masterKey: newMasterKey() }, today: '2026-11-23' })).rejects.toThrow(MasterKeyMismatchError);
    const app = await createTestApp({ backend, today: '2026-11-23' });
    try {
      expect(await app.started.runtime.eventStore.headPosition()).toBe(head);
    } finally {
      await app.close();
    }
  });
});
