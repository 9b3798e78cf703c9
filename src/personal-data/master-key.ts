import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MASTER_KEY_PATTERN } from '../config/config';
import { newMasterKey } from './sealing';

export class MasterKeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyFileError';
  }
}

/** Where a master key generated outside production is kept. */
export const masterKeyFile = (dataDir: string) => join(resolve(dataDir), 'master.key');

/**
 * The master key: ASUH_MASTER_KEY when set (production requires it; config refuses to start without it);
 * otherwise, outside production, the one kept in ASUH_DATA_DIR/master.key (mode 0600), generated on first
 * start, and the start says so.
 */
export function resolveMasterKey(config: { masterKey?: string; dataDir: string; production: boolean }, log: (line: string) => void): string {
  if (config.masterKey) return config.masterKey;
  if (config.production) throw new MasterKeyFileError('ASUH_MASTER_KEY is required in production');
  const file = masterKeyFile(config.dataDir);
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (!MASTER_KEY_PATTERN.test(key)) throw new MasterKeyFileError(`${file} does not hold a master key (64 hexadecimal characters)`);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return key;
  }
  const key = newMasterKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  log(
    `No ASUH_MASTER_KEY configured: generated a master key for personal data in ${file} (mode 0600). ` +
      'Back it up apart from the database: without it no personal data can be read again. Production requires ASUH_MASTER_KEY.',
  );
  return key;
}
