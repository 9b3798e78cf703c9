import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createReadModelDataSource, READ_MODEL_ENTITIES, runMigrations } from '../../projections/data-source';
import { CHECKPOINT_TABLE } from '../../projections/projection';
import { READ_MODEL_PROJECTIONS } from '../../projections/read-model-projections';
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
    expect(await runMigrations(database.url)).toEqual([
      'CreateReadModels1763900000000',
      'WorkerStatusCounts1764000000000',
      'StandaloneReadModels1764100000000',
      'PersonalDataSealed1764200000000',
      'OpdRetirement1764300000000',
      'UcjTargets1764350000000',
      'PaymentReversals1764400000000',
      'ApiKeys1764500000000',
      'ImportJobs1764600000000',
    ]);

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

/** The PostgreSQL types a projection's column type may be stored as. */
const STORED_AS: Record<string, string[]> = {
  uuid: ['uuid'],
  text: ['text', 'character varying'],
  int: ['integer'],
  smallint: ['smallint'],
  bigint: ['bigint'],
  boolean: ['boolean'],
  date: ['date'],
  timestamptz: ['timestamp with time zone'],
  jsonb: ['jsonb'],
};

describe('one description per read-model table', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('asuh_tables');
    await runMigrations(database.url);
    dataSource = createReadModelDataSource(database.url);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const tables = READ_MODEL_PROJECTIONS.flatMap((projection) => projection.tables.map((table) => ({ projection: projection.name, ...table })));

  it('gives every table exactly one owning projection, and an entity', () => {
    const names = tables.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const entityTables = READ_MODEL_ENTITIES.map((entity) => dataSource.getMetadata(entity).tableName);
    expect([...entityTables].sort()).toEqual([CHECKPOINT_TABLE, ...names].sort());
  });

  it.each(tables.map((t) => [t.projection, t.name, t.columns] as const))(
    '%s writes %s with exactly the columns of its entity and its migration',
    async (_projection, table, columns) => {
      const fromEntity = dataSource.getMetadata(table).columns.map((c) => c.databaseName).sort();
      expect(columns.map((c) => c.name).sort()).toEqual(fromEntity);

      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
          [table],
        );
        const migrated = new Map(rows.map((r) => [r.column_name, r.data_type]));
        expect([...migrated.keys()].sort()).toEqual(columns.map((c) => c.name).sort());
        for (const column of columns) expect({ column: column.name, type: STORED_AS[column.type] }).toEqual({ column: column.name, type: expect.arrayContaining([migrated.get(column.name)]) });
      } finally {
        await client.end();
      }
    },
  );

  it.each(READ_MODEL_PROJECTIONS.map((p) => [p.name, p] as const))('%s names only its own tables in its SQL', (_name, projection) => {
    const source = readFileSync(sourceFileOf(projection.name), 'utf8');
    const named = [...source.matchAll(/table\('([a-z_]+)'\)/g)].map((m) => m[1]);
    const own = projection.tables.map((t) => t.name);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !own.includes(name))).toEqual([]);
  });
});

function sourceFileOf(projectionName: string): string {
  return join(__dirname, '..', '..', 'projections', projectionName, `${projectionName}.projection.ts`);
}
