/** The time source handed to deciders and handlers; business logic never reads the wall clock itself. */
export interface Clock {
  now(): Date;
  /** Today's date (`YYYY-MM-DD`) in the programme's time zone. */
  today(): string;
}

export const CLOCK = Symbol('CLOCK');

export function dateInZone(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
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

/** Start of a business date in Asia/Jakarta (UTC+7, no daylight saving) as an ISO timestamp with zone. */
export const startOfDayJakarta = (date: string): string => `${date}T00:00:00+07:00`;
