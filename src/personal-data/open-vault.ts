import { resolveMasterKey } from './master-key';
import { PersonalDataVault } from './vault';

/**
 * The vault of a process, from its configuration: the master key (ASUH_MASTER_KEY, or the generated one outside
 * production) checked against the key store in the read-model database. A wrong key stops here.
 */
export function openVault(
  config: { masterKey?: string; dataDir: string; production: boolean },
  databaseUrl: string,
  log: (line: string) => void,
): Promise<PersonalDataVault> {
  return PersonalDataVault.open(databaseUrl, resolveMasterKey(config, log));
}
