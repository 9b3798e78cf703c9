import { createTestApp, TestApp } from '../support/test-app';

type Response = { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> };
type Operation = { responses: Record<string, Response> };

/** The OpenAPI document is what admin-API consumers build against: every answer of every route is described. */
describe('the OpenAPI document at /docs-json', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { enum?: string[] }> } };

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.as().get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('documents a success answer with a schema on every route', () => {
    const undocumented = operations()
      .filter(({ operation }) => !Object.entries(operation.responses).some(([status, r]) => status.startsWith('2') && Object.values(r.content ?? {}).some((c) => c.schema)))
      .map(({ route }) => route);
    expect(operations().length).toBeGreaterThan(20);
    expect(undocumented).toEqual([]);
  });

  it('documents every error answer of the API as problem+json with its stable codes (readiness keeps its own report)', () => {
    const wrong = operations()
      .filter(({ route }) => !route.includes(' /health/'))
      .flatMap(({ route, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, r]) => {
          const schema = r.content?.['application/problem+json']?.schema as { $ref?: string } | undefined;
          return schema?.$ref !== '#/components/schemas/ProblemDto' || !/: [A-Z_]+/.test(r.description ?? '');
        })
        .map(([status]) => `${route} ${status}`),
    );
    expect(wrong).toEqual([]);
  });

  it('names the business refusals of the routes that can answer them', () => {
    const enrol = document.paths['/v1/workers'].post.responses;
    expect(enrol['409'].description).toContain('NIK_ALREADY_ENROLLED');
    expect(enrol['422'].description).toEqual(expect.stringContaining('AGE_LIMIT_EXCEEDED'));
    const pay = document.paths['/v1/workers/{workerId}/payments'].post.responses;
    expect(Object.keys(pay)).toEqual(expect.arrayContaining(['200', '201', '404', '409', '422']));
    expect(document.paths['/v1/stats/summary'].get.responses['503'].description).toContain('PROJECTION_LAGGING');
  });

  it('defines the worker statuses and every problem code', () => {
    expect(document.components.schemas.WorkerStatus.enum).toEqual(['PENDING', 'ACTIVE', 'LAPSED', 'ENDED']);
    expect(document.components.schemas.ProblemCode.enum).toEqual(
      expect.arrayContaining(['VALIDATION_FAILED', 'NIK_ALREADY_ENROLLED', 'OUT_OF_SCOPE', 'RATE_LIMITED', 'PROJECTION_LAGGING', 'DEPENDENCY_UNAVAILABLE']),
    );
  });
});
