/**
 * `npm run keys:rotate-master`: re-wraps every data key (and the keyring) under a new master key, with
 * progress; the event log and the read models are untouched. Same environment as the service (DATABASE_URL,
 * or the embedded PostgreSQL under ASUH_DATA_DIR; ASUH_MASTER_KEY or the generated master.key).
 *
 * The new key comes from ASUH_NEW_MASTER_KEY (64 hex characters). Without it, a new key is generated: when the
 * current key came from ASUH_DATA_DIR/master.key, the file is replaced (the old one kept as master.key.old);
 * otherwise the new key is printed once, to be put into ASUH_MASTER_KEY before the next start.
 *
 * Run it while the service is stopped, or be ready to restart the service right after: running processes keep
 * their unwrapped keys in memory and need the new master key only at their next start.
 */
import { SingleBar, Presets } from 'cli-progress';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, MASTER_KEY_PATTERN } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../infra/embedded-postgres';
import { masterKeyFile, resolveMasterKey } from './master-key';
import { newMasterKey } from './sealing';
import { PersonalDataVault } from './vault';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const newKey = process.env.ASUH_NEW_MASTER_KEY ?? newMasterKey();
  if (!MASTER_KEY_PATTERN.test(newKey)) throw new Error('ASUH_NEW_MASTER_KEY: expected 64 hexadecimal characters');
  const fromFile = !config.masterKey && existsSync(masterKeyFile(config.dataDir));
  const currentKey = resolveMasterKey(config, (line) => process.stderr.write(`${line}\n`));
  if (newKey.toLowerCase() === currentKey.toLowerCase()) throw new Error('The new master key is the current one');

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), config.embeddedPostgresPort, (line) => process.stderr.write(`${line}\n`));
    databaseUrl = embedded.url;
  }
  const vault = await PersonalDataVault.open(databaseUrl, currentKey);
  const bar = new SingleBar({ format: 'keys:rotate-master [{bar}] {value}/{total} data keys', stream: process.stderr }, Presets.shades_classic);
  try {
    let started = false;
    const rewrapped = await vault.rotateMasterKey(newKey, (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
    bar.stop();
    if (fromFile) {
      const file = masterKeyFile(config.dataDir);
      copyFileSync(file, `${file}.old`);
      writeFileSync(file, `${newKey}\n`, { mode: 0o600 });
      process.stdout.write(`Re-wrapped ${rewrapped} data keys. The new master key is in ${file} (the old one in ${file}.old: delete it once the new one is backed up).\n`);
    } else {
      process.stdout.write(
        `Re-wrapped ${rewrapped} data keys under the new master key. Set it before the next start (shown once):\n` +
          `  ASUH_MASTER_KEY=${newKey}\n`,
      );
    }
  } finally {
    bar.stop();
    await vault.close();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`keys:rotate-master failed (nothing changed): ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
