// Indonesian number and date formats (id-ID): 8.031, 3,47%, Rp16.800.
const integer = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateTime = new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Jakarta' });
const monthName = new Intl.DateTimeFormat('id-ID', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthLong = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A count: 8.031 */
export const formatNumber = (value) => integer.format(value);

/** A ratio given as a fraction with 4 decimals (the API's form): 0.0347 → 3,47% */
export const formatPercent = (fraction) => percent.format(fraction);

/** Whole rupiah: Rp16.800 (no space, as the programme writes it) */
export const formatRupiah = (amount) => `${amount < 0 ? '−' : ''}Rp${integer.format(Math.abs(amount))}`;

/** A log position (a decimal string, possibly beyond 2^53): grouped by thousands without losing digits. */
export const formatPosition = (position) => String(position).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** An instant in Asia/Jakarta time: 23 Nov 2026, 10.00.00 WIB */
export const formatDateTime = (date) => `${dateTime.format(date)} WIB`;

const day = new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeZone: 'UTC' });

/** YYYY-MM-DD → "30 Nov 2026" */
export const formatDate = (date) => day.format(new Date(`${date}T00:00:00Z`));

const monthDate = (month) => new Date(`${month}-01T00:00:00Z`);

/** YYYY-MM → "Nov 2026" */
export const formatMonth = (month) => monthName.format(monthDate(month));

/** YYYY-MM → "November 2026" */
export const formatMonthLong = (month) => monthLong.format(monthDate(month));

/** Today's date in Asia/Jakarta, YYYY-MM-DD (for file names). */
export const jakartaDate = (date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(date);
