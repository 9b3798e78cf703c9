/**
 * Identity numbers of domain.md: the worker's NIK and the sponsor's NIP, plus the calendar helpers their
 * checks need. Pure functions; "today" is always passed in.
 */
export type Gender = 'F' | 'M';

// ---------------------------------------------------------------- calendar

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether `value` is a `YYYY-MM-DD` string naming a real calendar day. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Complete months from `birthDate` to `onDate` (both `YYYY-MM-DD`). A month is complete on the same day
 * of a later month, or on that month's last day when it is shorter (born 31 Jan: one month on 28/29 Feb;
 * born 29 Feb: a whole year on 28 Feb of a common year).
 */
export function ageInMonths(birthDate: string, onDate: string): number {
  const b = ISO_DATE.exec(birthDate);
  const d = ISO_DATE.exec(onDate);
  if (!b || !d) throw new RangeError(`Not a date pair (YYYY-MM-DD): ${birthDate}, ${onDate}`);
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [dy, dm, dd] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const months = (dy - by) * 12 + (dm - bm);
  const monthNotYetComplete = dd < bd && dd < daysInMonth(dy, dm);
  return monthNotYetComplete ? months - 1 : months;
}

// ---------------------------------------------------------------- NIK

export type NikRejection = 'NOT_16_DIGITS' | 'INVALID_PROVINCE_CODE' | 'INVALID_BIRTH_DATE' | 'INVALID_SEQUENCE';

export type NikCheck =
  | { ok: true; birthDate: string; gender: Gender; provinceCode: string }
  | { ok: false; reason: NikRejection; message: string };

const MIN_PROVINCE_CODE = 11;
const MAX_PROVINCE_CODE = 94;
const WOMAN_DAY_OFFSET = 40;

/**
 * Structure of a NIK: 16 digits; province code 11..94; `DDMMYY` a real date (day − 40 for women);
 * sequence not `0000`. The region is where the NIK was first issued, so any region is accepted.
 * The two-digit year is read as 20YY when that date is not after `today`, else as 19YY.
 */
export function validateNik(nik: string, today: string): NikCheck {
  if (typeof nik !== 'string' || !/^\d{16}$/.test(nik)) {
    return { ok: false, reason: 'NOT_16_DIGITS', message: 'A NIK is exactly 16 digits' };
  }
  const provinceCode = nik.slice(0, 2);
  const province = Number(provinceCode);
  if (province < MIN_PROVINCE_CODE || province > MAX_PROVINCE_CODE) {
    return { ok: false, reason: 'INVALID_PROVINCE_CODE', message: `Province code ${provinceCode} does not exist` };
  }
  const encodedDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const gender: Gender = encodedDay > WOMAN_DAY_OFFSET ? 'F' : 'M';
  const day = gender === 'F' ? encodedDay - WOMAN_DAY_OFFSET : encodedDay;
  const recent = isoDate(2000 + yy, month, day);
  const year = recent <= today ? 2000 + yy : 1900 + yy;
  if (!isRealDate(year, month, day)) {
    return { ok: false, reason: 'INVALID_BIRTH_DATE', message: 'The NIK birth date (DDMMYY, day + 40 for women) is not a real date' };
  }
  if (nik.slice(12) === '0000') {
    return { ok: false, reason: 'INVALID_SEQUENCE', message: 'The NIK sequence number starts at 0001' };
  }
  return { ok: true, birthDate: isoDate(year, month, day), gender, provinceCode };
}

/**
 * Whether the NIK's `DDMMYY` and gender agree with a declared birth date and gender. The NIK holds only a
 * two-digit year, so the century is not compared: the declared birth date is the one used for the age.
 */
export function nikMatches(nik: string, birthDate: string, gender: Gender): boolean {
  const m = ISO_DATE.exec(birthDate);
  if (!/^\d{16}$/.test(nik) || !m) return false;
  const day = Number(m[3]) + (gender === 'F' ? WOMAN_DAY_OFFSET : 0);
  const expected = `${String(day).padStart(2, '0')}${m[2]}${m[1].slice(2)}`;
  return nik.slice(6, 12) === expected;
}

/** The NIK as API responses show it: `3374**********01`. Anything not a NIK is masked whole. */
export function maskNik(nik: string): string {
  if (!/^\d{16}$/.test(nik)) return '*'.repeat(16);
  return `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(14)}`;
}

// ---------------------------------------------------------------- NIP

export type NipRejection =
  | 'NOT_18_DIGITS'
  | 'INVALID_BIRTH_DATE'
  | 'INVALID_APPOINTMENT'
  | 'APPOINTED_BEFORE_18'
  | 'INVALID_GENDER_DIGIT';

export type NipCheck =
  | { ok: true; layout: 'PNS'; birthDate: string; gender: Gender; /** TMT, `YYYY-MM`. */ appointedIn: string }
  | { ok: true; layout: 'PPPK'; birthDate: string; gender: Gender; /** Appointment year, `YYYY`. */ appointedIn: string }
  | { ok: false; reason: NipRejection; message: string };

const MIN_APPOINTMENT_AGE_YEARS = 18;
const PPPK_MARKER = '2';

function nipGender(digit: string): Gender | null {
  if (digit === '1') return 'M';
  if (digit === '2') return 'F';
  return null;
}

/**
 * An 18-digit ASN number in either layout of domain.md:
 * - PNS: `YYYYMMDD` birth, `YYYYMM` TMT, gender `1`/`2`, 3-digit sequence; TMT at least 18 years after birth
 *   (compared by month: the TMT carries no day).
 * - PPPK: `YYYYMMDD` birth, `YYYY` appointment year, `2`, one digit, gender `1`/`2`, 3-digit sequence; the
 *   appointment year at least 18 years after the birth year.
 * The layouts cannot be confused: in a PNS NIP digits 13–14 are a month (01–12), in a PPPK NIP they are `2x`.
 */
export function validateNip(nip: string): NipCheck {
  if (typeof nip !== 'string' || !/^\d{18}$/.test(nip)) {
    return { ok: false, reason: 'NOT_18_DIGITS', message: 'A NIP is exactly 18 digits' };
  }
  const by = Number(nip.slice(0, 4));
  const bm = Number(nip.slice(4, 6));
  const bd = Number(nip.slice(6, 8));
  if (!isRealDate(by, bm, bd)) {
    return { ok: false, reason: 'INVALID_BIRTH_DATE', message: 'The NIP birth date (YYYYMMDD) is not a real date' };
  }
  const birthDate = isoDate(by, bm, bd);
  const gender = nipGender(nip[14]);
  const appointmentYear = Number(nip.slice(8, 12));

  if (nip[12] === PPPK_MARKER) {
    if (appointmentYear < 1) {
      return { ok: false, reason: 'INVALID_APPOINTMENT', message: 'The PPPK appointment year is not a real year' };
    }
    if (appointmentYear - by < MIN_APPOINTMENT_AGE_YEARS) {
      return { ok: false, reason: 'APPOINTED_BEFORE_18', message: 'The appointment year is less than 18 years after birth' };
    }
    if (!gender) return { ok: false, reason: 'INVALID_GENDER_DIGIT', message: 'The NIP gender digit is 1 or 2' };
    return { ok: true, layout: 'PPPK', birthDate, gender, appointedIn: nip.slice(8, 12) };
  }

  const tmtMonth = Number(nip.slice(12, 14));
  if (!isRealDate(appointmentYear, tmtMonth, 1)) {
    return { ok: false, reason: 'INVALID_APPOINTMENT', message: 'The NIP TMT (YYYYMM) is not a real month' };
  }
  const monthsFromBirthToTmt = (appointmentYear - by) * 12 + (tmtMonth - bm);
  if (monthsFromBirthToTmt < MIN_APPOINTMENT_AGE_YEARS * 12) {
    return { ok: false, reason: 'APPOINTED_BEFORE_18', message: 'The TMT is less than 18 years after birth' };
  }
  if (!gender) return { ok: false, reason: 'INVALID_GENDER_DIGIT', message: 'The NIP gender digit is 1 or 2' };
  return { ok: true, layout: 'PNS', birthDate, gender, appointedIn: `${nip.slice(8, 12)}-${nip.slice(12, 14)}` };
}
