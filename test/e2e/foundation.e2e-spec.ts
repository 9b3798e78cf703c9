import { createTestApp, eventStoreVariant, TestApp } from '../support/test-app';

describe('foundation over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('runs on the event store this project variant selects', () => {
    expect(t.started.runtime.eventStore.constructor.name).toBe(eventStoreVariant() === 'esdb' ? 'EsdbEventStore' : 'PostgresEventStore');
  });

  it('answers liveness and readiness without a key, checking database and event store', async () => {
    await t.as().get('/health/live').expect(200);
    const ready = await t.as().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['database', 'eventStore', 'projection']));
  });

  it('refuses a /v1 request without a key with a 401 problem+json', async () => {
    const res = await t.as().post('/v1/opds').send({}).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', title: expect.any(String), type: expect.any(String) });
  });

  it('refuses an unknown key with 401', async () => {
    const res = await t.as().post('/v1/opds').set('Authorization', 'Bearer not-a-key-at-all-xxxxxxxx').send({}).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('serves the OpenAPI document and the Swagger UI without a key', async () => {
    const doc = await t.as().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.info.title).toBe('Asuh admin API');
    const ui = await t.as().get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('marks every query answer with the position the read models had reached', async () => {
    const { body } = await t.as('admin').post('/v1/opds').send({ code: 'DINSOS', name: 'Dinas Sosial', kind: 'DINAS', pnsHeadcount: 10 }).expect(201);
    const res = await t.as('analyst').get(`/v1/stats/summary?minPosition=${body.position}`).expect(200);
    expect(BigInt(res.headers['x-projection-position'])).toBeGreaterThanOrEqual(BigInt(body.position));
    expect(res.body.opdsTotal).toBe(1);
  });

  it('answers an unknown route with a 404 problem+json', async () => {
    const res = await t.as('admin').get('/v1/no-such-thing').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  describe('with a short read-your-writes wait', () => {
    let impatient: TestApp;

    beforeAll(async () => {
      impatient = await createTestApp({ env: { ASUH_CONSISTENCY_WAIT_MS: '100' } });
    });

    afterAll(async () => {
      await impatient?.close();
    });

    it('answers 503 PROJECTION_LAGGING with Retry-After when the read models cannot reach minPosition in time', async () => {
      const res = await impatient.as('analyst').get('/v1/stats/summary?minPosition=99999999999999999').expect(503);
      expect(res.body.code).toBe('PROJECTION_LAGGING');
      expect(res.headers['retry-after']).toBe('1');
    });
  });
});
