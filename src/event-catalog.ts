import { API_KEY_EVENT_SCHEMAS } from './api-keys/api-key.events';
import { RESERVATION_EVENT_SCHEMAS } from './event-sourcing/command-handling';
import type { AppConfig } from './config/config';
import { EventCatalog } from './event-sourcing/event-catalog';
import { EventCodec } from './event-sourcing/event-codec';
import type { PersonalDataVault } from './personal-data/vault';
import { OPD_EVENT_SCHEMAS } from './opds/opd.events';
import { SPONSOR_EVENT_SCHEMAS } from './sponsors/sponsor.events';
import { UCJ_EVENT_SCHEMAS } from './ucj/ucj.events';
import { WORKER_EVENT_SCHEMAS } from './workers/worker.events';

/** Every event type the product writes (PersonalDataErased is shared by the worker and sponsor streams), with its schema version and upcasters: the one read path of the log. */
export const EVENT_CATALOG = new EventCatalog(
  OPD_EVENT_SCHEMAS,
  SPONSOR_EVENT_SCHEMAS,
  WORKER_EVENT_SCHEMAS,
  UCJ_EVENT_SCHEMAS,
  API_KEY_EVENT_SCHEMAS,
  { PersonalDataErased: { version: 1 } },
  RESERVATION_EVENT_SCHEMAS,
);

/**
 * The process's codec: the catalog, with the deployment's time zone and policy for business dates and upcasters,
 * and the vault that seals and unseals personal data (without one, events with personal data cannot be written).
 */
export function createEventCodec(config: Pick<AppConfig, 'timezone' | 'policy'>, vault?: PersonalDataVault): EventCodec {
  return new EventCodec(EVENT_CATALOG, { timeZone: config.timezone, policy: config.policy }, vault);
}
