import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from '../shared/identity';

/** `YYYY-MM-DD` naming a real calendar day (2026-02-30 is refused, not rolled over). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a real date YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 timestamp with its zone (`Z` or `±hh:mm`): an instant, never a local time open to guessing. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  return m !== null && isCalendarDate(m[1]) && !Number.isNaN(Date.parse(value));
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => isInstant(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an ISO 8601 timestamp with zone, e.g. 2026-07-01T00:00:00+07:00`, options),
      },
    },
    options,
  );
}

/**
 * A `+hh:mm` zone that reached us as ` hh:mm`: an unencoded `+` in a query string decodes to a space.
 * Read it back as the `+` the caller meant, rather than refusing a timestamp everyone would write that way.
 */
export function restoreZonePlus(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/ (\d{2}:\d{2})$/, '+$1') : value;
}
