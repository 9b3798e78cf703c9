import type { JsonObject } from '../event-store/event-store.port';
import { dateInZone } from '../shared/clock';
import { isCalendarDate } from '../shared/identity';
import type { Upcaster, UpcastEnvironment } from './event-catalog';

/**
 * Version 2 of every event of the first release: the business date explicit in the event as `occurredOn`,
 * set by the decider, instead of being guessed from whichever date field the event happens to have.
 * Events written before carry it over from their own date field, or else from the business time their
 * metadata recorded.
 */
export const withOccurredOnFrom =
  (field: string | null): Upcaster =>
  (data: JsonObject, metadata: Readonly<JsonObject>, env: UpcastEnvironment) => {
    const own = field ? data[field] : undefined;
    return { ...data, occurredOn: isCalendarDate(own) ? own : dateOfMetadata(metadata, env.timeZone) };
  };

function dateOfMetadata(metadata: Readonly<JsonObject>, timeZone: string): string {
  for (const key of ['occurredAt', 'recordedAt'] as const) {
    const value = metadata[key];
    if (typeof value === 'string') {
      const direct = /^(\d{4}-\d{2}-\d{2})T00:00:00\+07:00$/.exec(value);
      if (direct) return direct[1];
      const instant = new Date(value);
      if (!Number.isNaN(instant.getTime())) return dateInZone(instant, timeZone);
    }
  }
  throw new RangeError('An event without a business date or recorded time cannot be upcast');
}

/**
 * The version from which a type's personal fields are stored sealed: the shape read back is the same (the
 * codec unseals before upcasting), so events of the previous version, in clear text, need no change.
 */
export const sealedFromNowOn: Upcaster = (data) => data;
