/** `3374123456780001` → `3374**********01`: first 4 digits, 10 stars, last 2 (api.md). */
export function maskNik(nik: string): string {
  if (nik.length !== 16) throw new RangeError('A NIK has 16 digits');
  return `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(14)}`;
}
