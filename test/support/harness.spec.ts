import { Client } from 'pg';
import { createTestDatabase } from './test-database';

describe('test database harness', () => {
  it('gives each test file an empty database of its own on a real PostgreSQL', async () => {
    const db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`select current_database() as name, count(*)::int as tables from pg_tables where schemaname = 'public'`);
    await client.end();
    await db.drop();
    expect(rows[0]).toEqual({ name: db.name, tables: 0 });
  });
});
