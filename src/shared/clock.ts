/** The time source handed to deciders and handlers; business logic never reads the wall clock itself. */
export interface Clock {
  now(): Date;
  /** Today's date (`YYYY-MM-DD`) in the programme's time zone. */
  today(): string;
}

export const CLOCK = Symbol('CLOCK');

/**
 * Formatters by time zone. Making an Intl.DateTimeFormat costs far more than using one (it loads the zone's
 * rules and the locale's patterns): made per call, the offset of a business date was the most expensive step
 * of encoding a command's events (see docs/benchmarks.md).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function formatOf(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

export function dateInZone(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return formatOf(dateFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

export class SystemClock implements Clock {
  constructor(private readonly timeZone: string) {}

  now(): Date {
    return new Date();
  }

  today(): string {
    return dateInZone(new Date(), this.timeZone);
  }
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Jakarta: +420). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = formatOf(
    partFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * The first instant of a business date (`YYYY-MM-DD`) in `timeZone`, as ISO 8601 with that zone's offset
 * (`2026-03-10T00:00:00+07:00` in Asia/Jakarta). Zones with daylight saving are handled: the offset is the
 * one in force at that local midnight.
 */
export function startOfDayIn(date: string, timeZone: string): string {
  const key = `${timeZone} ${date}`;
  const known = startsOfDay.get(key);
  if (known !== undefined) return known;
  const start = computeStartOfDay(date, timeZone);
  if (startsOfDay.size >= 10_000) startsOfDay.clear();
  startsOfDay.set(key, start);
  return start;
}

/** Recent answers of startOfDayIn: commands and upcasters ask for the same few dates again and again. */
const startsOfDay = new Map<string, string>();

function computeStartOfDay(date: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const localMidnightAsUtc = Date.UTC(year, month - 1, day);
  let offset = offsetMinutes(new Date(localMidnightAsUtc), timeZone);
  offset = offsetMinutes(new Date(localMidnightAsUtc - offset * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T00:00:00${sign}${twoDigits(Math.floor(abs / 60))}:${twoDigits(abs % 60)}`;
}
