// Bahasa Indonesia labels of the API's codes.

export const STATUS_LABELS = {
  ACTIVE: 'Aktif',
  PENDING: 'Menunggu iuran pertama',
  LAPSED: 'Tertunggak',
  ENDED: 'Berakhir',
};

/** Display order: active first, then the three inactive statuses. */
export const STATUSES = ['ACTIVE', 'PENDING', 'LAPSED', 'ENDED'];

export const FUNDING_SOURCE_LABELS = {
  ASN_SPONSOR: 'ASN (orang tua asuh)',
  APBD: 'APBD Kota Semarang',
  DBHCHT: 'DBHCHT (bagi hasil cukai)',
  CSR: 'CSR (perusahaan/yayasan)',
  SELF: 'Mandiri',
};

export const FUNDING_SOURCES = Object.keys(FUNDING_SOURCE_LABELS);

export const OPD_KIND_LABELS = {
  DINAS: 'Dinas',
  BADAN: 'Badan',
  BAGIAN: 'Bagian Setda',
  KECAMATAN: 'Kecamatan',
  INSPEKTORAT: 'Inspektorat',
  SEKRETARIAT: 'Sekretariat',
  SATUAN: 'Satuan',
  RUMAH_SAKIT: 'Rumah sakit',
  OTHER: 'Lainnya',
};

export const kindLabel = (kind) => OPD_KIND_LABELS[kind] ?? kind;

/** The monthly series' fields, in the order the page, its chart and its downloads show them. */
export const MONTHLY_FIELDS = [
  { key: 'enrolments', label: 'Pendaftaran', unit: 'count' },
  { key: 'payments', label: 'Pembayaran', unit: 'count' },
  { key: 'amount', label: 'Jumlah iuran (Rp)', unit: 'rupiah' },
  { key: 'lapses', label: 'Menjadi tertunggak', unit: 'count' },
  { key: 'ends', label: 'Berakhir', unit: 'count' },
  // Payment reversals, in the month they were made (the month's amount stays the gross of payments).
  { key: 'reversals', label: 'Pembatalan pembayaran', unit: 'count' },
  { key: 'reversedAmount', label: 'Nilai dibatalkan (Rp)', unit: 'rupiah' },
];

/** The per-OPD table's columns: API field, header, kind of value. */
export const OPD_COLUMNS = [
  { key: 'opdCode', label: 'Kode OPD', unit: 'text' },
  { key: 'name', label: 'Nama OPD', unit: 'text' },
  { key: 'kind', label: 'Jenis', unit: 'kind' },
  { key: 'pnsHeadcount', label: 'Jumlah PNS', unit: 'count' },
  { key: 'sponsorsRegistered', label: 'ASN peserta terdaftar', unit: 'count' },
  { key: 'sponsorsActive', label: 'ASN peserta aktif', unit: 'count' },
  { key: 'participationRate', label: 'Tingkat partisipasi', unit: 'ratio' },
  { key: 'activeParticipationRate', label: 'Tingkat partisipasi aktif', unit: 'ratio' },
  { key: 'workersRegistered', label: 'Pekerja terdaftar', unit: 'count' },
  { key: 'workersActive', label: 'Pekerja aktif', unit: 'count' },
  { key: 'premiumsCollected', label: 'Iuran terkumpul (Rp)', unit: 'rupiah' },
  { key: 'participating', label: 'Berpartisipasi', unit: 'yesno' },
];
