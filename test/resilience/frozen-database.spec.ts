import { Client } from 'pg';
import request from 'supertest';
import { createTestApp, createTestBackend, TestApp, TestBackend } from '../support/test-app';
import { FreezableProxy, startFreezableProxy } from '../support/freezable-proxy';

/**
 * Issue 12: with PostgreSQL stopped (SIGSTOP) every in-flight request waited as long as the database did
 * and /health/ready hung. With every call bounded by ASUH_DB_TIMEOUT_MS (here 500 ms), requests end in
 * 503 DEPENDENCY_UNAVAILABLE and readiness answers, while the database is still frozen; once it answers
 * again the service recovers by itself. Jest's per-test timeout is the only clock here: without the
 * bounds these requests never complete while the database stays frozen.
 */
describe('a frozen database (the event store and the read models on PostgreSQL, behind a proxy)', () => {
  let backend: TestBackend;
  let proxy: FreezableProxy;
  let t: TestApp;

  const expectUnavailable = (res: request.Response) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBeDefined();
  };

  /** Repeats `attempt` until it passes; for recovery, which takes a few connection attempts. */
  const eventually = async (attempt: () => Promise<void>) => {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  beforeAll(async () => {
    const real = await createTestBackend();
    proxy = await startFreezableProxy(real.db.url);
    backend = { ...real, db: { ...real.db, url: proxy.url } };
    t = await createTestApp({ backend, env: { ASUH_DB_TIMEOUT_MS: '500' } });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
    await t.as('analyst').get('/v1/stats/summary').expect(200);
  });

  afterAll(async () => {
    proxy?.thaw();
    await t?.close();
    await proxy?.close();
    await backend?.release();
  });

  it(
    'answers reads and commands 503 DEPENDENCY_UNAVAILABLE and readiness 503, while still frozen',
    async () => {
      proxy.freeze();
      try {
        const [read, list, command, ready] = await Promise.all([
          t.as('analyst').get('/v1/stats/summary'),
          t.as('admin').get('/v1/sponsors'),
          t.as('admin').post('/v1/opds').send({ code: 'DISDIK', name: 'Dinas Pendidikan', kind: 'DINAS', pnsHeadcount: 10 }),
          t.as().get('/health/ready'),
        ]);
        expectUnavailable(read);
        expectUnavailable(list);
        expectUnavailable(command);
        expect(ready.status).toBe(503);
        expect(ready.body.status).toBe('error');
        // Later requests, on connections the pools must now open, are bounded the same way.
        expectUnavailable(await t.as('analyst').get('/v1/stats/opds'));
      } finally {
        proxy.thaw();
      }
    },
    // Each request alone is bounded by about 2 x 500 ms (a connection, then a statement).
    10_000,
  );

  it('recovers once the database answers again: reads, commands and readiness', async () => {
    await eventually(async () => {
      await t.as('analyst').get('/v1/stats/summary').expect(200);
    });
    const { body } = await t.as('admin').post('/v1/opds').send({ code: 'DISDIK', name: 'Dinas Pendidikan', kind: 'DINAS', pnsHeadcount: 10 }).expect(201);
    await t.as('analyst').get(`/v1/stats/summary?minPosition=${body.position}`).expect(200);
    await eventually(async () => {
      await t.as().get('/health/ready').expect(200);
    });
  });

  it(
    'answers 503 when the connections drop mid-request ("Connection terminated unexpectedly", no error code)',
    async () => {
      proxy.freeze();
      const inFlight = Promise.all([t.as('analyst').get('/v1/stats/summary'), t.as('admin').get('/v1/sponsors')]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      proxy.cut();
      proxy.thaw();
      for (const res of await inFlight) expectUnavailable(res);
      await eventually(async () => {
        await t.as('analyst').get('/v1/stats/summary').expect(200);
      });
    },
    10_000,
  );

  it(
    'cancels a statement that waits on a lock after the bound (statement_timeout), 503, then serves again',
    async () => {
      const holder = new Client({ connectionString: proxy.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE monthly_stats IN ACCESS EXCLUSIVE MODE');
        expectUnavailable(await t.as('analyst').get('/v1/stats/monthly?from=2026-01&to=2026-03'));
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      await t.as('analyst').get('/v1/stats/monthly?from=2026-01&to=2026-03').expect(200);
    },
    10_000,
  );

  describe('with the default bound of 5 s', () => {
    let patient: TestApp;

    beforeAll(async () => {
      patient = await createTestApp({ backend });
      await patient.as().get('/health/ready').expect(200);
    });

    afterAll(async () => {
      proxy.thaw();
      await patient?.close();
    });

    it(
      'still answers readiness within 2 s while frozen: each check has its own, shorter bound',
      async () => {
        proxy.freeze();
        try {
          const res = await patient.as().get('/health/ready');
          expect(res.status).toBe(503);
          expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(['database', 'eventStore', 'projection']));
        } finally {
          proxy.thaw();
        }
      },
      2000,
    );
  });
});
