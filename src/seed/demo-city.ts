import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { YearMonth } from '../shared/year-month';
import { syntheticNik, syntheticNip } from './synthetic-identity';
import type { FundingSource, Occupation } from '../workers/worker.events';
import { type OpdKind, opdKindOf } from '../opds/opd.events';

/**
 * A synthetic Kota Semarang, planned as a list of commands: the OPDs of data/semarang-opd.csv with PNS
 * headcounts summing to 8,031, sponsors (some transferred, some withdrawn) in 41 of them (22 OPDs not
 * taking part, as reported), and workers in every status and funding source, living where the city's
 * people live (more in Pedurungan than in Tugu), with names that agree with their gender, a few corrected
 * details, one funding change and one payment reversed. Deterministic for a given `today`; names and
 * identifiers are synthetic, valid in shape only.
 */
export const DEMO_PNS_TOTAL = 8031;

export type DemoStep =
  | { kind: 'opd'; code: string; name: string; opdKind: OpdKind; pnsHeadcount: number }
  | { kind: 'sponsor'; key: number; nip: string; fullName: string; opdCode: string }
  | { kind: 'transfer'; sponsorKey: number; opdCode: string }
  | { kind: 'withdrawSponsor'; sponsorKey: number; reason: string }
  | {
      kind: 'worker';
      key: number;
      body: {
        nik: string;
        fullName: string;
        birthDate: string;
        gender: 'F' | 'M';
        occupation: Occupation;
        kecamatan: string;
        fundingSource: FundingSource;
        enrolledOn: string;
      };
      sponsorKey?: number;
    }
  | { kind: 'payment'; workerKey: number; paymentRef: string; from: string; months: number; paidOn: string; payer: { type: FundingSource; sponsorKey?: number; name?: string } }
  | { kind: 'withdrawWorker'; workerKey: number; reason: string }
  | { kind: 'reenrol'; workerKey: number; enrolledOn: string }
  | { kind: 'changeSponsor'; workerKey: number; sponsorKey: number }
  | { kind: 'correctWorker'; workerKey: number; fields: { fullName?: string; kecamatan?: string; occupation?: Occupation; phone?: string }; reason: string }
  | { kind: 'changeFunding'; workerKey: number; fundingSource: FundingSource; reason: string }
  | { kind: 'reversePayment'; workerKey: number; paymentRef: string; reason: string }
  | { kind: 'lapseRun'; asOf: string };

/** mulberry32: a small deterministic PRNG, so the demo city is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Javanese and Indonesian names as commonly given, by gender, so a name agrees with the NIK's or NIP's gender. */
const NAMES = {
  F: {
    first: ['Sri', 'Siti', 'Dwi', 'Rina', 'Dewi', 'Yuli', 'Ani', 'Endang', 'Tutik', 'Sumiyati', 'Suparmi', 'Kartini', 'Puji', 'Indah', 'Fitri', 'Ratna', 'Wulan', 'Eni', 'Sulastri', 'Nurul'],
    last: ['Wahyuni', 'Rahayu', 'Susanti', 'Utami', 'Handayani', 'Mulyani', 'Lestari', 'Rahmawati', 'Puspitasari', 'Ningsih', 'Kurniasih', 'Astuti', 'Maryati', 'Sundari'],
  },
  M: {
    first: ['Budi', 'Agus', 'Eko', 'Wahyu', 'Ahmad', 'Joko', 'Heru', 'Bambang', 'Slamet', 'Sugeng', 'Rudi', 'Teguh', 'Imam', 'Yanto', 'Dedi', 'Muhammad', 'Bayu', 'Hadi', 'Sutrisno', 'Arif'],
    last: ['Santoso', 'Setiawan', 'Purnomo', 'Hidayat', 'Prasetyo', 'Kurniawan', 'Saputra', 'Wibowo', 'Nugroho', 'Susanto', 'Riyadi', 'Hartanto', 'Gunawan', 'Firmansyah'],
  },
} as const;

/**
 * Where the city's people live, roughly by kecamatan population (BPS Kota Semarang): the large suburban
 * kecamatan (Pedurungan, Tembalang, Semarang Barat, Ngaliyan, Banyumanik) far ahead of Tugu or Semarang Tengah.
 */
const KECAMATAN_WEIGHT: Record<string, number> = {
  'Semarang Tengah': 55, 'Semarang Utara': 120, 'Semarang Timur': 60, Gayamsari: 70, Genuk: 120, Pedurungan: 190,
  'Semarang Selatan': 60, Candisari: 75, Gajahmungkur: 60, Tembalang: 190, Banyumanik: 140, Gunungpati: 95,
  'Semarang Barat': 150, Mijen: 80, Ngaliyan: 140, Tugu: 33,
};

/** What vulnerable informal workers sponsored by civil servants mostly do: household helpers first. */
const OCCUPATION_WEIGHT: Record<Occupation, number> = {
  DOMESTIC_HELPER: 34, PRIVATE_DRIVER: 9, HOME_SECURITY_GUARD: 7, VEGETABLE_SELLER: 14, SNACK_VENDOR: 12,
  NEWSPAPER_SELLER: 2, FAMILY_BUSINESS: 8, CASUAL_WORKER: 11, OTHER: 3,
};
const HEADCOUNT_WEIGHT: Record<string, number> = { DINAS: 5, BADAN: 4, RUMAH_SAKIT: 8, KECAMATAN: 2, BAGIAN: 1, INSPEKTORAT: 2, SATUAN: 3, SEKRETARIAT: 2 };

export function loadCsv(dataDir: string, file: string): Record<string, string>[] {
  return parse(readFileSync(join(dataDir, file), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

const iso = (month: YearMonth, day: number) => month.day(Math.min(day, 28));

export function planDemoCity(today: string, dataDir: string): DemoStep[] {
  const rnd = random(26_2025);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)];
  const weighted = <T extends string>(weights: Record<T, number>): T => {
    const entries = Object.entries(weights) as [T, number][];
    let r = rnd() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of entries) if ((r -= w) < 0) return item;
    return entries[entries.length - 1][0];
  };
  const name = (gender: 'F' | 'M') => `${pick(NAMES[gender].first)} ${pick(NAMES[gender].last)}`;
  const steps: DemoStep[] = [];

  // OPDs, with headcounts by kind scaled so that they sum to exactly 8,031.
  const opds = loadCsv(dataDir, 'semarang-opd.csv');
  const kecamatanByName = new Map(loadCsv(dataDir, 'semarang-kecamatan.csv').map((k) => [k.name, k.code]));
  const kecamatanWeights = Object.fromEntries(
    [...kecamatanByName].map(([kecamatanName, code]) => [code, KECAMATAN_WEIGHT[kecamatanName] ?? 50]),
  ) as Record<string, number>;
  const weights = opds.map((o) => (HEADCOUNT_WEIGHT[o.kind] ?? 2) * (0.7 + rnd() * 0.6));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const headcounts = weights.map((w) => Math.max(5, Math.floor((w / totalWeight) * DEMO_PNS_TOTAL)));
  headcounts[0] += DEMO_PNS_TOTAL - headcounts.reduce((a, b) => a + b, 0);
  opds.forEach((o, i) => steps.push({ kind: 'opd', code: o.code, name: o.name, opdKind: opdKindOf(o.kind), pnsHeadcount: headcounts[i] }));

  // 41 OPDs take part; the reported leaders (Disbudpar, Dinkes, Disdag) get the most sponsors.
  const leaders = ['DISBUDPAR', 'DINKES', 'DISDAG'].filter((c) => opds.some((o) => o.code === c));
  const others = opds.map((o) => o.code).filter((c) => !leaders.includes(c)).sort(() => rnd() - 0.5);
  const participating = [...leaders, ...others.slice(0, 41 - leaders.length)];

  let sponsorKey = 0;
  const sponsors: { key: number; opdCode: string }[] = [];
  const addSponsor = (opdCode: string) => {
    const key = ++sponsorKey;
    const gender = rnd() < 0.5 ? 'F' : 'M';
    const birthYear = 1966 + Math.floor(rnd() * 30);
    const birthDate = `${birthYear}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    steps.push({ kind: 'sponsor', key, nip: syntheticNip(birthDate, gender, key), fullName: name(gender), opdCode });
    sponsors.push({ key, opdCode });
  };
  participating.forEach((code) => addSponsor(code));
  for (let i = 0; i < 25; i++) addSponsor(leaders[i % leaders.length] ?? participating[0]);
  for (let i = 0; i < 54; i++) addSponsor(pick(participating));

  // Workers: every status and every funding source.
  const M = YearMonth.ofDate(today);
  const day = Number(today.slice(8, 10));
  let workerKey = 0;
  let receipt = 0;
  const plan: { status: 'ACTIVE' | 'LAPSED' | 'ENDED' | 'PENDING' | 'WITHDRAWN'; count: number }[] = [
    { status: 'ACTIVE', count: 313 },
    { status: 'PENDING', count: 38 },
    { status: 'LAPSED', count: 52 },
    { status: 'ENDED', count: 40 },
    { status: 'WITHDRAWN', count: 15 },
  ];
  const sources: FundingSource[] = ['APBD', 'DBHCHT', 'CSR', 'SELF'];
  const activeSponsors = sponsors.slice(0, 90);
  let activeTurn = 0;
  const workers: { key: number; status: string; enrolled: YearMonth; gender: 'F' | 'M'; source: FundingSource; lastReceipt: string | null; through: YearMonth | null; payer: { type: FundingSource; sponsorKey?: number; name?: string } }[] = [];

  const payThrough = (key: number, enrolled: YearMonth, enrolledOn: string, through: YearMonth, payer: { type: FundingSource; sponsorKey?: number; name?: string }): string => {
    let next = enrolled;
    let last = '';
    while (!next.isAfter(through)) {
      const remaining = through.monthsSince(next) + 1;
      const months = [12, 6, 3, 1].filter((m) => m <= remaining)[Math.floor(rnd() * 2)] ?? 1;
      const onTime = next.isBefore(M) ? iso(next, 1 + Math.floor(rnd() * 14)) : today;
      const paidOn = onTime < enrolledOn ? enrolledOn : onTime > today ? today : onTime;
      last = `DEMO-${String(++receipt).padStart(6, '0')}`;
      steps.push({ kind: 'payment', workerKey: key, paymentRef: last, from: next.toString(), months, paidOn, payer });
      next = next.plus(months);
    }
    return last;
  };

  for (const { status, count } of plan) {
    for (let i = 0; i < count; i++) {
      const key = ++workerKey;
      const gender = rnd() < 0.7 ? 'F' : 'M';
      const birthYear = 1962 + Math.floor(rnd() * 42);
      const birthDate = `${birthYear}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      const asn = rnd() < 0.8;
      // Sponsored ACTIVE workers go round the 90 active sponsors in turn, so each of them has at least two.
      const sponsor = asn ? (status === 'ACTIVE' ? activeSponsors[activeTurn++ % activeSponsors.length] : pick(sponsors)) : undefined;
      const source: FundingSource = asn ? 'ASN_SPONSOR' : sources[i % sources.length];
      const payer = asn
        ? { type: 'ASN_SPONSOR' as const, sponsorKey: sponsor!.key }
        : source === 'CSR'
          ? { type: 'CSR' as const, name: 'Yayasan Peduli Semarang' }
          : { type: source };
      let enrolled: YearMonth;
      let through: YearMonth | null;
      if (status === 'ACTIVE') {
        enrolled = M.minus(1 + Math.floor(rnd() * 10));
        through = day > 15 || rnd() < 0.5 ? M : M.minus(1);
      } else if (status === 'PENDING') {
        enrolled = M;
        through = null;
      } else if (status === 'LAPSED') {
        enrolled = M.minus(2 + Math.floor(rnd() * 6));
        through = M.minus(2);
      } else if (status === 'ENDED') {
        enrolled = M.minus(6 + Math.floor(rnd() * 5));
        through = M.minus(6);
      } else {
        enrolled = M.minus(1 + Math.floor(rnd() * 8));
        through = M.minus(1);
      }
      const enrolledOn = enrolled.equals(M) ? iso(M, 1 + Math.floor(rnd() * Math.max(1, day - 1))) : iso(enrolled, 1 + Math.floor(rnd() * 14));
      steps.push({
        kind: 'worker',
        key,
        sponsorKey: sponsor?.key,
        body: {
          nik: syntheticNik(birthDate, gender, key, 1 + (key % 16)),
          fullName: name(gender),
          birthDate,
          gender,
          occupation: weighted(OCCUPATION_WEIGHT),
          kecamatan: weighted(kecamatanWeights),
          fundingSource: source,
          enrolledOn: enrolledOn > today ? today : enrolledOn,
        },
      });
      const lastReceipt = through ? payThrough(key, enrolled, enrolledOn, through, payer) : null;
      if (status === 'WITHDRAWN') steps.push({ kind: 'withdrawWorker', workerKey: key, reason: pick(['Meninggal dunia', 'Pindah domisili', 'Bekerja formal']) });
      workers.push({ key, status, enrolled, gender, source, lastReceipt, through, payer });
    }
  }

  // Mutasi and withdrawals of sponsors, a few sponsor changes, then the lapse check as of today.
  // Only sponsors beyond each OPD's first move or leave, so exactly 22 OPDs stay out of the programme.
  const movable = sponsors.slice(participating.length + 25, participating.length + 33);
  for (const s of movable) steps.push({ kind: 'transfer', sponsorKey: s.key, opdCode: pick(participating.filter((c) => c !== s.opdCode)) });
  for (const s of sponsors.slice(-6)) steps.push({ kind: 'withdrawSponsor', sponsorKey: s.key, reason: 'Pensiun' });
  for (const w of workers.filter((w) => w.status === 'ACTIVE').slice(0, 5)) steps.push({ kind: 'changeSponsor', workerKey: w.key, sponsorKey: activeSponsors[(w.key * 7) % activeSponsors.length].key });
  // The secretariat's corrections: mistyped names, workers who moved house or changed trade, one worker the city
  // budget handed to a foundation; none of them changes a reported figure.
  const active = workers.filter((w) => w.status === 'ACTIVE');
  for (const w of active.slice(10, 14)) steps.push({ kind: 'correctWorker', workerKey: w.key, fields: { fullName: name(w.gender) }, reason: 'Salah ketik nama saat pendaftaran' });
  for (const w of active.slice(14, 17)) {
    steps.push({ kind: 'correctWorker', workerKey: w.key, fields: { kecamatan: weighted(kecamatanWeights), phone: `0812${String(10_000_000 + w.key * 7919).slice(0, 8)}` }, reason: 'Pindah domisili' });
  }
  steps.push({ kind: 'correctWorker', workerKey: active[17].key, fields: { occupation: 'VEGETABLE_SELLER' }, reason: 'Kini berjualan sayur keliling' });
  const budgeted = active.find((w) => w.source === 'APBD');
  if (budgeted) steps.push({ kind: 'changeFunding', workerKey: budgeted.key, fundingSource: 'CSR', reason: 'Dialihkan ke program CSR Yayasan Peduli Semarang' });
  // One payment recorded twice by mistake, then reversed: the worker stays as it was, premiums net of it.
  const doubled = active.find((w) => w.source === 'ASN_SPONSOR' && w.through !== null && !w.through.isAfter(M));
  if (doubled?.through) {
    const paymentRef = `DEMO-${String(++receipt).padStart(6, '0')}`;
    steps.push({ kind: 'payment', workerKey: doubled.key, paymentRef, from: doubled.through.plus(1).toString(), months: 1, paidOn: today, payer: doubled.payer });
    steps.push({ kind: 'reversePayment', workerKey: doubled.key, paymentRef, reason: 'Tercatat dua kali (setoran yang sama)' });
  }
  steps.push({ kind: 'lapseRun', asOf: today });
  // Re-enrolment: some ENDED workers come back after the lapse check recorded their end.
  for (const w of workers.filter((w) => w.status === 'ENDED').slice(0, 5)) steps.push({ kind: 'reenrol', workerKey: w.key, enrolledOn: today });
  return steps;
}
