import { RESERVATION_EVENT_SCHEMAS } from './event-sourcing/command-handling';
import type { AppConfig } from './config/config';
import { EventCatalog } from './event-sourcing/event-catalog';
import { EventCodec } from './event-sourcing/event-codec';
import { OPD_EVENT_SCHEMAS } from './opds/opd.events';
import { SPONSOR_EVENT_SCHEMAS } from './sponsors/sponsor.events';
import { WORKER_EVENT_SCHEMAS } from './workers/worker.events';

/** Every event type the product writes, with its schema version and upcasters: the one read path of the log. */
export const EVENT_CATALOG = new EventCatalog(OPD_EVENT_SCHEMAS, SPONSOR_EVENT_SCHEMAS, WORKER_EVENT_SCHEMAS, RESERVATION_EVENT_SCHEMAS);

/** The process's codec: the catalog, with the deployment's time zone and policy for business dates and upcasters. */
export function createEventCodec(config: Pick<AppConfig, 'timezone' | 'policy'>): EventCodec {
  return new EventCodec(EVENT_CATALOG, { timeZone: config.timezone, policy: config.policy });
}
