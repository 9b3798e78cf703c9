import { createReadModelDataSource, runMigrations } from '../../projections/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('read-model schema', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('asuh_schema');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('is created by the migrations, which agree with the entities (nothing left for TypeORM to change)', async () => {
    expect(await runMigrations(database.url)).toEqual(['CreateReadModels1763900000000', 'WorkerStatusCounts1764000000000', 'StandaloneReadModels1764100000000']);

    const dataSource = createReadModelDataSource(database.url);
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('runs each migration once, also when two processes start together', async () => {
    const runs = await Promise.all([runMigrations(database.url), runMigrations(database.url)]);
    expect(runs).toEqual([[], []]);
  });
});
