import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import { RecordedLog } from '../audit/support/worker-log';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A log written by the first release (every event at schema version 1, no occurredOn) keeps working: commands
 * decide on it, the history and point-in-time answers read it in the current shape, the read models project it.
 */
describe('a log written by the first release', () => {
  let t: TestApp;
  const sponsorId = '7d3f4c52-1f0e-4a4b-9a51-0c3f1b0e7a10';
  const workerId = '0b6f3c1e-4d7a-4b1e-9f0a-2a9d6c3e5b70';

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-06-20' });
    const log = new RecordedLog();
    const nip = syntheticNip('1985-03-12', 'M', 7);
    const at = (date: string) => `${date}T03:00:00.000Z`;
    log.recordFirstReleaseShape('opd-DINKES', { type: 'OpdRegistered', data: { opdCode: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400, registeredOn: '2026-01-05' } }, at('2026-01-05'));
    log.recordFirstReleaseShape(`sponsor-${sponsorId}`, { type: 'SponsorRegistered', data: { sponsorId, nip, fullName: 'Budi', opdCode: 'DINKES', registeredOn: '2026-02-01' } }, at('2026-02-01'));
    const enrolled = {
      workerId, nik: syntheticNik('1990-03-12', 'F', 7), fullName: 'Sri Wahyuni', birthDate: '1990-03-12', gender: 'F', occupation: 'DOMESTIC_HELPER',
      kecamatan: '3374.01', fundingSource: 'ASN_SPONSOR', sponsorId, enrolledOn: '2026-03-10',
    };
    log.recordFirstReleaseShape(`worker-${workerId}`, { type: 'WorkerEnrolled', data: enrolled }, at('2026-03-10'));
    const payment = {
      workerId, paymentRef: 'OLD-1', months: 3, amount: 50400, paidOn: '2026-03-12', payer: { type: 'ASN_SPONSOR', sponsorId }, opdCode: 'DINKES',
      coveredFrom: '2026-03', coveredThrough: '2026-05', statusAfter: 'ACTIVE',
    };
    log.recordFirstReleaseShape(`worker-${workerId}`, { type: 'PremiumPaid', data: payment }, at('2026-03-12'));
    const store = t.started.runtime.eventStore;
    for (const streamId of ['opd-DINKES', `sponsor-${sponsorId}`, `worker-${workerId}`]) {
      const events = log.stream(streamId).map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
      await store.appendToStream(streamId, events, 'no_stream');
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is decided on by today’s commands: the next payment continues after the old one', async () => {
    const res = await t.as('operator').post(`/v1/workers/${workerId}/payments`).send({ paymentRef: 'NEW-1', months: 1, amount: 16800, paidOn: '2026-06-10', payer: { type: 'ASN_SPONSOR', sponsorId } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ coveredFrom: '2026-06', coveredThrough: '2026-06', status: 'ACTIVE' });
    // An identical resubmission of the old payment is still recognised.
    const replay = await t.as('operator').post(`/v1/workers/${workerId}/payments`).send({ paymentRef: 'OLD-1', months: 3, amount: 50400, paidOn: '2026-03-12', payer: { type: 'ASN_SPONSOR', sponsorId } });
    expect(replay.status).toBe(200);
  });

  it('reads in the current shape in the history, with each event’s business date', async () => {
    const history = await t.as('auditor').get(`/v1/workers/${workerId}/history`).expect(200);
    expect(history.body.events.map((e: { type: string; data: { occurredOn: string } }) => [e.type, e.data.occurredOn])).toEqual([
      ['WorkerEnrolled', '2026-03-10'],
      ['PremiumPaid', '2026-03-12'],
      ['PremiumPaid', '2026-06-10'],
    ]);
  });

  it('projects into the read models like any other log', async () => {
    const res = await t.as('auditor').get(`/v1/workers/${workerId}`).query({ minPosition: (await t.started.runtime.eventStore.headPosition()).toString() }).expect(200);
    expect(res.body).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-06', monthsContributed: 4, opdCode: 'DINKES' });
    const coverage = await t.as('auditor').get(`/v1/workers/${workerId}/coverage`).query({ asOf: '2026-06-16' }).expect(200);
    expect(coverage.body).toMatchObject({ status: 'ACTIVE', paidThrough: '2026-06' });
  });
});
