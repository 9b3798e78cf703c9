import { Client } from 'pg';

/** Server the bench runs against: BENCH_DATABASE_URL, else the local PostgreSQL (trust auth). */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL, application_name: 'asuh-bench-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The databases of one bench run: `asuh_bench_<stamp>_<purpose>`, each created empty and all dropped
 * by `dropAll` (also on failure and on Ctrl-C, see main.ts).
 */
export class BenchDatabases {
  readonly prefix: string;
  private readonly created = new Set<string>();

  constructor(stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)) {
    this.prefix = `asuh_bench_${stamp}_${process.pid}`;
  }

  async create(purpose: string): Promise<string> {
    const name = `${this.prefix}_${purpose}`;
    if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`Bad database name ${name}`);
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    this.created.add(name);
    return databaseUrl(name);
  }

  async drop(url: string): Promise<void> {
    const name = new URL(url).pathname.slice(1);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    this.created.delete(name);
  }

  async dropAll(): Promise<string[]> {
    const names = [...this.created];
    for (const name of names) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((error: Error) => {
        process.stderr.write(`bench: could not drop database ${name}: ${error.message}\n`);
      });
      this.created.delete(name);
    }
    return names;
  }
}

export async function serverFacts(): Promise<{ version: string; settings: Record<string, string> }> {
  return admin(async (c) => {
    const version = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const names = ['shared_buffers', 'max_connections', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size', 'work_mem'];
    const { rows } = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, current_setting(name) AS setting, unit FROM pg_settings WHERE name = ANY($1)`,
      [names],
    );
    return { version, settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])) };
  });
}
