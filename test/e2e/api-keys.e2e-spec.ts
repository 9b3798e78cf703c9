import { DataSource } from 'typeorm';
import { MANAGED_KEY_CACHE_MS, secretHashOf } from '../../src/auth/managed-api-keys';
import { eventually } from '../projections/support/eventually';
import { createTestApp, createTestBackend, type TestApp } from '../support/test-app';

const issue = (t: TestApp, body: Record<string, unknown>) => t.as('admin').post('/v1/api-keys').send(body);

describe('managed API keys over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ today: '2026-11-23' });
    await t.as('admin').post('/v1/opds').send({ code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS', pnsHeadcount: 400 }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  afterEach(() => t.clock.set('2026-11-23'));

  describe('POST /v1/api-keys', () => {
    it('answers 201 with the secret, once, and the key works at once for its role', async () => {
      const res = await issue(t, { name: 'dinkes-coordinator', role: 'operator', opdCode: 'DINKES', expiresOn: '2027-06-30' }).expect(201);
      expect(res.body).toEqual({
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'dinkes-coordinator',
        role: 'operator',
        opdCode: 'DINKES',
        expiresOn: '2027-06-30',
        secret: expect.stringMatching(/^asuh_[A-Za-z0-9_-]{43}$/),
        position: expect.stringMatching(/^\d+$/),
      });
      await t.withSecret(res.body.secret).get('/v1/sponsors').expect(200);
      expect((await t.withSecret(res.body.secret).post('/v1/opds').send({ code: 'DISDIK', name: 'x', kind: 'DINAS', pnsHeadcount: 1 }).expect(403)).body.code).toBe(
        'FORBIDDEN',
      );
    });

    it('keeps the secret nowhere: not in the log, not in the read model, only its keyed hash', async () => {
      const { keyId, secret } = (await issue(t, { name: 'bpk-auditor', role: 'auditor' }).expect(201)).body;
      const logged = JSON.stringify(await t.started.runtime.eventStore.readStream(`api-key-${keyId}`), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      expect(logged).not.toContain(secret);
      expect(logged).not.toContain(secret.slice(5));
      expect(logged).toContain(secretHashOf(t.started.runtime.vault, secret));
      const rows = await t.app.get(DataSource).query(`SELECT * FROM api_keys WHERE key_id = $1`, [keyId]);
      expect(JSON.stringify(rows)).not.toContain(secret.slice(5));
      expect(rows[0].secret_hash).toBe(secretHashOf(t.started.runtime.vault, secret));
    });

    it('refuses a name already used, by a managed key or a configured one, with 400 on name', async () => {
      const first = (await issue(t, { name: 'taken-name', role: 'analyst' }).expect(201)).body;
      const again = await issue(t, { name: 'taken-name', role: 'auditor' }).expect(400);
      expect(again.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'name' }], keyId: first.keyId });
      const configured = await issue(t, { name: 'admin-key', role: 'admin' }).expect(400);
      expect(configured.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'name' }] });
    });

    it('lets exactly one of parallel issues of one name win', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => issue(t, { name: 'raced-name', role: 'analyst' })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400, 400, 400, 400]);
    });

    it('refuses bad input with 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'x-role', role: 'superuser' }, 'role'],
        [{ name: 'x-admin-opd', role: 'admin', opdCode: 'DINKES' }, 'opdCode'],
        [{ name: 'x-today', role: 'analyst', expiresOn: '2026-11-23' }, 'expiresOn'],
        [{ name: 'x-not-a-date', role: 'analyst', expiresOn: '2026-02-30' }, 'expiresOn'],
        [{ name: 'Not Lower', role: 'analyst' }, 'name'],
        [{ name: 'x-extra', role: 'analyst', secret: 'mine' }, 'secret'],
        [{ role: 'analyst' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await issue(t, body).expect(400);
        expect({ body, code: res.body.code, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
          body,
          code: 'VALIDATION_FAILED',
          fields: expect.arrayContaining([field]),
        });
      }
    });

    it('refuses an OPD that is not registered (422 UNKNOWN_OPD) or is retired (422 OPD_RETIRED)', async () => {
      expect((await issue(t, { name: 'nope-coordinator', role: 'operator', opdCode: 'NOPE' }).expect(422)).body.code).toBe('UNKNOWN_OPD');
      await t.as('admin').post('/v1/opds').send({ code: 'DISLAMA', name: 'Dinas Lama', kind: 'DINAS', pnsHeadcount: 10 }).expect(201);
      await t.as('admin').post('/v1/opds/DISLAMA/retire').send({ reason: 'Digabung' }).expect(200);
      expect((await issue(t, { name: 'dislama-coordinator', role: 'operator', opdCode: 'DISLAMA' }).expect(422)).body.code).toBe('OPD_RETIRED');
    });

    it('is for admins only', async () => {
      expect((await t.as('operator').post('/v1/api-keys').send({ name: 'by-operator', role: 'analyst' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.as('auditor').get('/v1/api-keys').expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.as().get('/v1/api-keys').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('GET /v1/api-keys', () => {
    it('lists the managed keys with who issued them and when, never a secret or its hash', async () => {
      const issued = (await issue(t, { name: 'listed-key', role: 'operator', opdCode: 'DINKES' }).expect(201)).body;
      const res = await t.as('admin').get('/v1/api-keys').expect(200);
      expect(res.body.items.find((k: { keyId: string }) => k.keyId === issued.keyId)).toEqual({
        keyId: issued.keyId,
        name: 'listed-key',
        role: 'operator',
        opdCode: 'DINKES',
        expiresOn: null,
        revoked: false,
        createdAt: '2026-11-23T03:00:00.000Z',
        createdBy: 'admin-key',
        lastUsedAt: null,
      });
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(issued.secret.slice(5));
      expect(text).not.toContain(secretHashOf(t.started.runtime.vault, issued.secret));
      expect(res.body.items.map((k: { name: string }) => k.name)).not.toContain('admin-key');
    });

    it('shows when a key was last used', async () => {
      const { keyId, secret } = (await issue(t, { name: 'used-key', role: 'analyst' }).expect(201)).body;
      await t.withSecret(secret).get('/v1/stats/summary').expect(200);
      let lastUsedAt: unknown = null;
      await eventually(async () => {
        const items: { keyId: string; lastUsedAt: string | null }[] = (await t.as('admin').get('/v1/api-keys').expect(200)).body.items;
        lastUsedAt = items.find((k) => k.keyId === keyId)?.lastUsedAt ?? null;
        return lastUsedAt !== null;
      }, 'lastUsedAt recorded');
      expect(lastUsedAt).toBe('2026-11-23T03:00:00.000Z');
    });
  });

  describe('POST /v1/api-keys/{keyId}/revoke', () => {
    it('refuses the key with 401 right after the answer; revoking again answers the first revocation', async () => {
      const { keyId, secret } = (await issue(t, { name: 'leaving-key', role: 'operator' }).expect(201)).body;
      await t.withSecret(secret).get('/v1/workers').expect(200);
      const revoked = await t.as('admin').post(`/v1/api-keys/${keyId}/revoke`).send({ reason: 'Pindah tugas' }).expect(200);
      expect(revoked.body).toEqual({ keyId, position: expect.stringMatching(/^\d+$/) });
      const refused = await t.withSecret(secret).get('/v1/workers').expect(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      const again = await t.as('admin').post(`/v1/api-keys/${keyId}/revoke`).send({ reason: 'twice' }).expect(200);
      expect(again.body).toEqual(revoked.body);
      const listed = (await t.as('admin').get('/v1/api-keys').expect(200)).body.items.find((k: { keyId: string }) => k.keyId === keyId);
      expect(listed.revoked).toBe(true);
    });

    it('answers 404 for an unknown key, 400 for a malformed id or a missing reason', async () => {
      expect((await t.as('admin').post('/v1/api-keys/6f1c7c1e-58f5-4d8e-9a53-2f0b8a7f2c11/revoke').send({ reason: 'x' }).expect(404)).body.code).toBe('NOT_FOUND');
      expect((await t.as('admin').post('/v1/api-keys/not-a-uuid/revoke').send({ reason: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      const { keyId } = (await issue(t, { name: 'kept-key', role: 'analyst' }).expect(201)).body;
      expect((await t.as('admin').post(`/v1/api-keys/${keyId}/revoke`).send({}).expect(400)).body.errors[0].field).toBe('reason');
    });
  });

  describe('expiry', () => {
    it('works through expiresOn and is refused with 401 from the day after (programme time zone)', async () => {
      const { secret } = (await issue(t, { name: 'short-lived', role: 'analyst', expiresOn: '2026-11-24' }).expect(201)).body;
      t.clock.set('2026-11-24');
      await t.withSecret(secret).get('/v1/stats/summary').expect(200);
      t.clock.set('2026-11-25');
      expect((await t.withSecret(secret).get('/v1/stats/summary').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });

  it('refuses an unknown secret of the managed shape with 401', async () => {
    expect((await t.withSecret(`asuh_${'A'.repeat(43)}`).get('/v1/stats/summary').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });
});

describe('a revocation reaches every instance', () => {
  it('refuses a key revoked through one instance on another that had it cached', async () => {
    // The other instances' bound is this cache time, a constant: the test polls rather than timing it.
    expect(MANAGED_KEY_CACHE_MS).toBeLessThanOrEqual(5000);
    const backend = await createTestBackend();
    const one = await createTestApp({ backend, today: '2026-11-23' });
    const two = await createTestApp({ backend, today: '2026-11-23' });
    try {
      const { keyId, secret } = (await one.as('admin').post('/v1/api-keys').send({ name: 'shared-key', role: 'analyst' }).expect(201)).body;
      await eventually(async () => (await two.withSecret(secret).get('/v1/stats/summary')).status === 200, 'the key works on the other instance');
      await one.as('admin').post(`/v1/api-keys/${keyId}/revoke`).send({ reason: 'compromised' }).expect(200);
      await one.withSecret(secret).get('/v1/stats/summary').expect(401);
      await eventually(async () => (await two.withSecret(secret).get('/v1/stats/summary')).status === 401, 'the other instance refuses the revoked key');
    } finally {
      await two.close();
      await one.close();
      await backend.release();
    }
  });
});
