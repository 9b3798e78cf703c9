/**
 * Synthetic identifiers, valid in shape only (demo data and tests). NIKs use Kota Semarang's region
 * code 33.74 with a district from 01..16; NIPs use the PNS layout.
 */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A NIK for the given birth date (`YYYY-MM-DD`) and gender; `sequence` 1..9999 keeps it unique. */
export function syntheticNik(birthDate: string, gender: 'F' | 'M', sequence: number, district = 1): string {
  const [year, month, day] = birthDate.split('-').map(Number);
  const dd = gender === 'F' ? day + 40 : day;
  return `3374${pad(district, 2)}${pad(dd, 2)}${pad(month, 2)}${pad(year % 100, 2)}${pad(sequence, 4)}`;
}

/** A PNS NIP: birth date, appointment (TMT) 20+ years later, gender digit, sequence 1..999. */
export function syntheticNip(birthDate: string, gender: 'F' | 'M', sequence: number, appointmentYearsLater = 24): string {
  const [year, month, day] = birthDate.split('-').map(Number);
  return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}${pad(year + appointmentYearsLater, 4)}${pad(((sequence * 7) % 12) + 1, 2)}${gender === 'M' ? 1 : 2}${pad(sequence % 1000 || 1, 3)}`;
}
