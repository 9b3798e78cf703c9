import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { startApplication } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { API_KEYS_ENV, createTestApp, createTestBackend, KEYS, TestApp } from '../support/test-app';

const isProblem = (res: request.Response) => /^application\/problem\+json/.test(String(res.headers['content-type']));

/** Request ids, security headers, CORS, rate limits and the bind address of the HTTP edge (issue 12). */
describe('the HTTP edge', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ASUH_CORS_ORIGINS: 'https://dashboard.semarangkota.go.id,http://localhost:5173' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  const server = () => t.app.getHttpServer();

  describe('request and correlation ids', () => {
    const answers: [string, () => request.Test, number][] = [
      ['a success', () => t.as('analyst').get('/v1/stats/summary'), 200],
      ['a health check', () => t.as().get('/health/live'), 200],
      ['no key', () => t.as().get('/v1/stats/summary'), 401],
      ['a wrong role', () => t.as('analyst').get('/v1/ledger'), 403],
      ['an unknown route', () => t.as().get('/nowhere'), 404],
      ['a validation failure', () => t.as('admin').post('/v1/opds').send({}), 400],
      ['a body too large', () => t.as().post('/v1/opds').set('Content-Type', 'application/json').send(`"${'x'.repeat(120_000)}"`), 413],
      ['a form-encoded body', () => t.as().post('/v1/opds').type('form').send('code=X'), 415],
      ['malformed JSON', () => t.as().post('/v1/opds').set('Content-Type', 'application/json').send('{'), 400],
    ];

    it.each(answers)('echoes a generated X-Request-Id and X-Correlation-Id on %s', async (_name, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-correlation-id']).toBe(res.headers['x-request-id']);
      if (status >= 400) expect(isProblem(res)).toBe(true);
    });

    it.each(answers)("echoes the caller's ids on %s", async (_name, send) => {
      const res = await send().set('X-Request-Id', 'req-42.a:b').set('X-Correlation-Id', 'batch-7');
      expect(res.headers['x-request-id']).toBe('req-42.a:b');
      expect(res.headers['x-correlation-id']).toBe('batch-7');
    });

    it('replaces an id that is not safe to log or echo, and keeps the correlation with the request id', async () => {
      const res = await t.as('analyst').get('/v1/stats/summary').set('X-Request-Id', 'a b<script>').set('X-Correlation-Id', 'x'.repeat(129));
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-correlation-id']).toBe(res.headers['x-request-id']);
    });

    it('records the correlation id of a command in its events', async () => {
      const res = await t.as('admin').post('/v1/opds').set('X-Correlation-Id', 'onboarding-2026').send({ code: 'DISHUB', name: 'Dinas Perhubungan', kind: 'DINAS', pnsHeadcount: 3 });
      expect(res.status).toBe(201);
      const [event] = await t.started.runtime.eventStore.readStream('opd-DISHUB');
      expect(event.metadata).toMatchObject({ correlationId: 'onboarding-2026', causationId: res.headers['x-request-id'] });
    });
  });

  describe('security headers', () => {
    it.each([
      ['an API answer', () => t.as('analyst').get('/v1/stats/summary')],
      ['an error', () => t.as().get('/v1/stats/summary')],
      ['a parser error', () => t.as().post('/v1/opds').type('form').send('a=1')],
      ['readiness', () => t.as().get('/health/ready')],
    ])('sets helmet headers and a same-origin CSP without inline code on %s', async (_name, send) => {
      const res = await send();
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it("gives Swagger UI inline styles, and only it: its scripts stay this origin's files", async () => {
      const ui = await t.as().get('/docs').expect(200);
      const csp = String(ui.headers['content-security-policy']);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      // The page loads no inline script, so the policy does not block Swagger UI.
      expect(ui.text).not.toMatch(/<script>(?!\s*<\/script>)/);
      for (const src of ui.text.match(/src="[^"]+"/g) ?? []) {
        const path = src.slice(5, -1).replace(/^\.\//, '/');
        await t
          .as()
          .get(path.startsWith('/') ? path : `/docs/${path}`)
          .expect(200);
      }
      await t.as().get('/docs-json').expect(200);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string, path = '/v1/stats/summary') =>
      request(server()).options(path).set('Origin', origin).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');

    it('answers a preflight from an allowed origin with 204 and the CORS headers', async () => {
      const res = await preflight('https://dashboard.semarangkota.go.id').expect(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://dashboard.semarangkota.go.id');
      expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('answers a preflight from any other origin without CORS headers', async () => {
      const res = await preflight('https://evil.example').expect(204);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });

    it('lets an allowed origin read the answer and its ids, and nobody else', async () => {
      const allowed = await t.as('analyst').get('/v1/stats/summary').set('Origin', 'http://localhost:5173').expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(String(allowed.headers['access-control-expose-headers'])).toContain('X-Request-Id');
      expect(String(allowed.headers.vary)).toContain('Origin');
      const other = await t.as('analyst').get('/v1/stats/summary').set('Origin', 'http://localhost:5174').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('allows no origin at all by default', async () => {
      const plain = await createTestApp();
      try {
        const res = await request(plain.app.getHttpServer())
          .options('/v1/stats/summary')
          .set('Origin', 'https://dashboard.semarangkota.go.id')
          .set('Access-Control-Request-Method', 'GET')
          .expect(204);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await plain.close();
      }
    });
  });

  describe('parser-level errors', () => {
    it('answers headers larger than Node accepts with 431 problem+json', async () => {
      const res = await t.as().get('/health/live').set('X-Filler', 'x'.repeat(20_000));
      expect(res.status).toBe(431);
      expect(isProblem(res)).toBe(true);
      expect(res.body).toMatchObject({ status: 431, code: 'PAYLOAD_TOO_LARGE' });
      expect(res.headers['x-request-id']).toBeDefined();
    });
  });

  describe('rate limits (ASUH_RATE_LIMIT_PER_MINUTE=5)', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await createTestApp({ env: { ASUH_RATE_LIMIT_PER_MINUTE: '5' } });
    });

    afterAll(async () => {
      await limited?.close();
    });

    const expectLimited = (res: request.Response) => {
      expect(res.status).toBe(429);
      expect(isProblem(res)).toBe(true);
      expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    };

    it('limits each key on its own, across all routes, with 429 RATE_LIMITED and Retry-After', async () => {
      const paths = ['/v1/stats/summary', '/v1/stats/opds', '/v1/sponsors', '/v1/stats/coverage', '/v1/stats/monthly'];
      for (const path of paths) expect((await limited.as('admin').get(path)).status).toBe(200);
      expectLimited(await limited.as('admin').get('/v1/stats/summary'));
      // Another key has its own budget.
      await limited.as('analyst').get('/v1/stats/summary').expect(200);
    });

    it('limits requests without a key by client address, and wrong keys by the key presented', async () => {
      for (let i = 0; i < 5; i++) await limited.as().get('/v1/stats/summary').expect(401);
      expectLimited(await limited.as().get('/v1/stats/summary'));
      const wrong = () => request(limited.app.getHttpServer()).get('/v1/stats/summary').set('Authorization', 'Bearer not-a-key-0123456789');
      for (let i = 0; i < 5; i++) await wrong().expect(401);
      expectLimited(await wrong());
    });

    it('does not limit health checks or the documentation', async () => {
      for (let i = 0; i < 8; i++) await limited.as().get('/health/live').expect(200);
      await limited.as().get('/docs-json').expect(200);
    });
  });

  describe('bind address', () => {
    it('listens on HOST', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as AddressInfo;
          probe.close(() => resolve(free));
        });
      });
      const backend = await createTestBackend();
      const config = loadConfig({
        DATABASE_URL: backend.db.url,
        ...(backend.eventStoreUrl ? { EVENTSTORE_URL: backend.eventStoreUrl } : {}),
        ASUH_API_KEYS: API_KEYS_ENV,
        LOG_LEVEL: 'silent',
        ASUH_RUN_LAPSE_SCHEDULE: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
      });
      const started = await startApplication(config, { announce: () => undefined });
      try {
        expect(started.app.getHttpServer().address()).toMatchObject({ address: '127.0.0.1', port });
        const res = await fetch(`http://127.0.0.1:${port}/v1/stats/summary`, { headers: { Authorization: `Bearer ${KEYS.analyst}` } });
        expect(res.status).toBe(200);
      } finally {
        await started.close();
        await backend.release();
      }
    });
  });
});
