import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS, READ_MODEL_MIGRATIONS_TABLE, runMigrations } from '../../projections/data-source';
import { OpdRetirement1764300000000 } from '../../projections/migrations/1764300000000-opd-retirement';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Read models projected before OpdRegistered v3 hold kinds as stored; the migration reads them as a replay would now. */
describe('migration OpdRetirement1764300000000', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('asuh_opd_mig');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('adds retired_on (null) and maps the kinds of existing rows as the OpdRegistered v3 upcaster does', async () => {
    const before = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: READ_MODEL_ENTITIES,
      migrations: READ_MODEL_MIGRATIONS.filter((m) => m !== OpdRetirement1764300000000),
      migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'all' });
      for (const [code, kind] of [['DINKES', 'DINAS'], ['SETDA', 'Setda'], ['RSUD', 'RSUD'], ['UPTD', 'UPTD Puskesmas']]) {
        await before.query(
          `INSERT INTO opd_participation (opd_code, name, kind, registered_on, pns_headcount, headcount_effective_on, sponsors_registered,
                                          sponsors_active, workers_registered, workers_active, premiums_collected, last_position)
           VALUES ($1, $3, $2, '2026-01-05', 10, '2026-01-05', 0, 0, 0, 0, 0, 1)`,
          [code, kind, `Unit ${code}`],
        );
      }
    } finally {
      await before.destroy();
    }

    expect(await runMigrations(database.url)).toEqual(['OpdRetirement1764300000000']);

    const after = new DataSource({ type: 'postgres', url: database.url });
    await after.initialize();
    try {
      expect(await after.query(`SELECT opd_code AS code, kind, retired_on AS "retiredOn" FROM opd_participation ORDER BY opd_code`)).toEqual([
        { code: 'DINKES', kind: 'DINAS', retiredOn: null },
        { code: 'RSUD', kind: 'RUMAH_SAKIT', retiredOn: null },
        { code: 'SETDA', kind: 'SEKRETARIAT', retiredOn: null },
        { code: 'UPTD', kind: 'OTHER', retiredOn: null },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
