import { createServer } from 'node:net';
import { SchedulerRegistry } from '@nestjs/schedule';
import { syntheticNik } from '../../src/seed/synthetic-identity';
import { createTestApp, TestApp } from '../support/test-app';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('operations', () => {
  describe('with no server-side retries left', () => {
    let t: TestApp;
    let other: TestApp;
    const enrolOn = async (app: TestApp, seq: number) =>
      (
        await app
          .as('operator')
          .post('/v1/workers')
          .send({ nik: syntheticNik('1990-01-01', 'M', seq), fullName: 'Agus', birthDate: '1990-01-01', gender: 'M', occupation: 'OTHER', kecamatan: '3374.01', fundingSource: 'SELF', enrolledOn: '2026-01-05' })
          .expect(201)
      ).body.workerId as string;
    const payOn = (app: TestApp, workerId: string, ref: string) =>
      app.as('operator').post(`/v1/workers/${workerId}/payments`).send({ paymentRef: ref, months: 1, amount: 16800, paidOn: '2026-01-06', payer: { type: 'SELF' } });

    beforeAll(async () => {
      t = await createTestApp({ env: { ASUH_APPEND_RETRIES: '0' } });
      // A second instance of the service on the same event store and database.
      other = await createTestApp({ env: { ASUH_APPEND_RETRIES: '0' }, backend: t.backend });
    });

    afterAll(async () => {
      await other?.close();
      await t?.close();
    });

    it('within one instance, queues parallel writes to one stream: every one recorded, none refused', async () => {
      const workerId = await enrolOn(t, 1);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => payOn(t, workerId, `Q-${i}`)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      expect(new Set(answers.map((a) => a.body.coveredFrom)).size).toBe(8);
    });

    it('across instances, answers 409 CONCURRENCY_CONFLICT to the losers, and every winner is recorded once', async () => {
      const workerId = await enrolOn(t, 2);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => payOn(i % 2 === 0 ? t : other, workerId, `CC-${i}`)));
      const conflicts = answers.filter((a) => a.status === 409);
      const recorded = answers.filter((a) => a.status === 201);
      expect(conflicts.length + recorded.length).toBe(8);
      expect(conflicts.length).toBeGreaterThan(0);
      expect(conflicts.every((a) => a.body.code === 'CONCURRENCY_CONFLICT')).toBe(true);
      expect(new Set(recorded.map((a) => a.body.coveredFrom)).size).toBe(recorded.length);
      // A loser can simply retry: its reference was not used up.
      const retry = await payOn(t, workerId, `CC-${answers.indexOf(conflicts[0])}`);
      expect(retry.status).toBe(201);
    });
  });

  describe('daily lapse check', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { ASUH_RUN_LAPSE_SCHEDULE: 'true', ASUH_LAPSE_CHECK_CRON: '0 5 0 * * *' } });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('is scheduled at 00:05 Asia/Jakarta', () => {
      const job = t.app.get(SchedulerRegistry).getCronJob('daily-lapse-check');
      const next = job.nextDate();
      expect(next.setZone('Asia/Jakarta').toFormat('HH:mm')).toBe('00:05');
      expect(job.isActive).toBe(true);
    });
  });

  describe('when the event store is down', () => {
    let t: TestApp | undefined;

    afterAll(async () => {
      await t?.close();
    });

    it('answers commands with 503 DEPENDENCY_UNAVAILABLE and readiness with 503', async () => {
      // An EventStoreDB that does not answer (the client connects lazily, so the app starts).
      t = await createTestApp({ env: { EVENTSTORE_URL: `esdb://127.0.0.1:${await closedPort()}?tls=false`, ASUH_RUN_PROJECTOR: 'false' } });
      const res = await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 1 }).expect(503);
      expect(res.body.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(res.headers['retry-after']).toBeDefined();
      const ready = await t.as().get('/health/ready').expect(503);
      expect(ready.body.details.eventStore.status).toBe('down');
    });
  });
});
