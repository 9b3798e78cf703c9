/**
 * A contribution month (calendar month, Asia/Jakarta). Immutable value type with arithmetic;
 * internally the number of months since year 0, so comparison is plain number comparison.
 */
export class YearMonth {
  private constructor(readonly index: number) {}

  static of(year: number, month: number): YearMonth {
    if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12 || year < 1 || year > 9999) {
      throw new RangeError(`Not a month: ${year}-${month}`);
    }
    return new YearMonth(year * 12 + (month - 1));
  }

  /** Parses `YYYY-MM`. */
  static parse(value: string): YearMonth {
    const m = /^(\d{4})-(\d{2})$/.exec(value);
    if (!m) throw new RangeError(`Not a month (YYYY-MM): ${value}`);
    return YearMonth.of(Number(m[1]), Number(m[2]));
  }

  /** The month of a `YYYY-MM-DD` date. */
  static ofDate(date: string): YearMonth {
    const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(date);
    if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
    return YearMonth.of(Number(m[1]), Number(m[2]));
  }

  get year(): number {
    return Math.floor(this.index / 12);
  }

  get month(): number {
    return (this.index % 12) + 1;
  }

  plus(months: number): YearMonth {
    return new YearMonth(this.index + months);
  }

  minus(months: number): YearMonth {
    return new YearMonth(this.index - months);
  }

  /** Whole months from `other` to this (positive when this is later). */
  monthsSince(other: YearMonth): number {
    return this.index - other.index;
  }

  compare(other: YearMonth): number {
    return this.index - other.index;
  }

  equals(other: YearMonth): boolean {
    return this.index === other.index;
  }

  isBefore(other: YearMonth): boolean {
    return this.index < other.index;
  }

  isAfter(other: YearMonth): boolean {
    return this.index > other.index;
  }

  /** `YYYY-MM-DD` of the given day of this month (no overflow check beyond 1..28 use). */
  day(day: number): string {
    return `${this.toString()}-${String(day).padStart(2, '0')}`;
  }

  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
