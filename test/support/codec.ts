import { createEventCodec } from '../../src/event-catalog';
import type { EventCodec } from '../../src/event-sourcing/event-codec';
import { newMasterKey } from '../../src/personal-data/sealing';
import { PersonalDataVault } from '../../src/personal-data/vault';
import { DEFAULT_POLICY } from '../../src/shared/policy';

/**
 * The product's event codec with the default time zone and policy, as the service builds it; with a vault it
 * seals and unseals personal data (without one it can read clear text but writes no personal data).
 */
export const testCodec = (vault?: PersonalDataVault): EventCodec => createEventCodec({ timezone: 'Asia/Jakarta', policy: DEFAULT_POLICY }, vault);

/** A key store of its own in the given (test) database, under a fresh master key. */
export const openTestVault = (databaseUrl: string): Promise<PersonalDataVault> => PersonalDataVault.open(databaseUrl, newMasterKey());
