import { randomUUID } from 'node:crypto';
import type { ExpectedRevision, NewEvent } from '../../src/event-store/event-store.port';
import { opdStream } from '../../src/opds/opd.events';
import { syntheticNik, syntheticNip } from '../../src/seed/synthetic-identity';
import type { CommandContext } from '../../src/event-sourcing/event-metadata';
import type { DomainEvent } from '../../src/shared/domain-event';
import { amountFor, DEFAULT_POLICY } from '../../src/shared/policy';
import { YearMonth } from '../../src/shared/year-month';
import { type OpdKind, type OpdRegistered } from '../../src/opds/opd.events';
import { type SponsorRegistered, sponsorStream, sponsorSubject } from '../../src/sponsors/sponsor.events';
import { statusAfterPayment } from '../../src/workers/worker.decider';
import {
  type CoverageEnded,
  type CoverageLapsed,
  endedOn,
  FundingSource,
  lapsedOn,
  OCCUPATIONS,
  Payer,
  type PremiumPaid,
  type WorkerEnrolled,
  workerStream,
  workerSubject,
} from '../../src/workers/worker.events';
import type { EventWriter } from './writer';

/**
 * A generated city, as the command handlers would have written it: OPDs, ASN sponsors (NIP reservation +
 * SponsorRegistered), workers (NIK reservation + WorkerEnrolled) and, optionally, a year of premium
 * payments (payment-reference reservation + PremiumPaid, arrears first, 1/3/6/12 months) with the lapse
 * check's CoverageLapsed / CoverageEnded for the workers who stop paying. Every event has the shape the
 * deciders give it now and goes through the service's own EventCodec (`EventWriter`: current schema
 * versions, business dates, hash chain, personal data sealed with each person's key; reservation streams
 * named by the vault's keyed hash), and is appended in chronological order with the expected revision a
 * handler would use. Deterministic for a seed, except the random UUIDs and the ciphertexts.
 */

export interface Append {
  streamId: string;
  expected: ExpectedRevision;
  events: NewEvent[];
}

export interface Sponsor {
  sponsorId: string;
  opdCode: string;
}

export interface Worker {
  workerId: string;
  fundingSource: FundingSource;
  sponsorId: string | null;
  opdCode: string | null;
  enrolledOn: string;
}

interface WorkerStream {
  revision: number;
  hash: string | null;
}

const KECAMATAN = Array.from({ length: 16 }, (_, i) => `3374.${String(i + 1).padStart(2, '0')}`);
const FIRST = ['Sri', 'Siti', 'Budi', 'Agus', 'Dwi', 'Tri', 'Eko', 'Wahyu', 'Rina', 'Nur', 'Ahmad', 'Dewi', 'Joko', 'Yuli', 'Heru', 'Ani'];
const LAST = ['Wahyuni', 'Rahayu', 'Santoso', 'Setiawan', 'Purnomo', 'Susanti', 'Hidayat', 'Prasetyo', 'Utami', 'Kurniawan'];
const OPD_KINDS: OpdKind[] = ['DINAS', 'BADAN', 'KECAMATAN', 'BAGIAN', 'RUMAH_SAKIT', 'SATUAN'];

/** mulberry32 */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export function contextOn(date: string, principal = 'bench-operator'): CommandContext {
  const id = randomUUID();
  return { principal, correlationId: id, causationId: id, now: new Date(`${date}T10:00:00+07:00`), today: date };
}

type Action =
  | { date: string; seq: number; kind: 'enrol'; worker: number }
  | { date: string; seq: number; kind: 'pay'; worker: number; months: number; from: string }
  | { date: string; seq: number; kind: 'lapse'; worker: number; firstUnpaid: string; paidThrough: string | null }
  | { date: string; seq: number; kind: 'end'; worker: number; firstUnpaid: string; paidThrough: string | null };

export interface CityOptions {
  seed?: number;
  /** Year of the programme the city lives in. */
  year?: number;
  opds?: number;
  /** ASN sponsors; default one per 10 workers, at least 20. */
  sponsors?: number;
}

export interface WorkerBatchOptions {
  count: number;
  /** Enrolment dates are spread over this range (inclusive). */
  enrolFrom: string;
  enrolTo: string;
  /** Generate premium payments (and lapses) from enrolment up to this date; none when absent. */
  payUntil?: string;
  /** Share of ASN-sponsored workers (the rest APBD, DBHCHT, CSR, SELF); default 0.6. */
  sponsoredShare?: number;
}

export class City {
  readonly year: number;
  readonly opdCodes: string[] = [];
  readonly sponsors: Sponsor[] = [];
  readonly workers: Worker[] = [];
  private readonly streams: WorkerStream[] = [];
  private readonly rnd: () => number;
  private readonly opdCount: number;
  private readonly sponsorCount?: number;
  private paymentCounter = 0;
  private nikCounter = 0;
  private founded = false;

  /** The writer the city's events go through (its vault seals them); replaceable between batches. */
  constructor(
    public writer: EventWriter,
    options: CityOptions = {},
  ) {
    this.rnd = random(options.seed ?? 2025_11);
    this.year = options.year ?? 2025;
    this.opdCount = options.opds ?? 63;
    this.sponsorCount = options.sponsors;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }

  private name(): string {
    return `${this.pick(FIRST)} ${this.pick(LAST)}`;
  }

  /** OPDs and sponsors, registered in the first days of January. */
  async *found(workersPlanned: number): AsyncGenerator<Append> {
    if (this.founded) return;
    this.founded = true;
    const day = `${this.year}-01-02`;
    for (let i = 1; i <= this.opdCount; i++) {
      const opdCode = `OPD${String(i).padStart(3, '0')}`;
      this.opdCodes.push(opdCode);
      const event: OpdRegistered = {
        type: 'OpdRegistered',
        data: {
          opdCode,
          name: `Organisasi Perangkat Daerah ${i}`,
          kind: this.pick(OPD_KINDS),
          pnsHeadcount: 40 + Math.floor(this.rnd() * 400),
          registeredOn: day,
          occurredOn: day,
        },
      };
      yield { streamId: opdStream(opdCode), expected: 'no_stream', events: await this.writer.encode([event], contextOn(day, 'bench-admin'), null) };
    }
    const sponsors = this.sponsorCount ?? Math.max(20, Math.round(workersPlanned / 10));
    const sponsorIds = Array.from({ length: sponsors }, () => randomUUID());
    await this.writer.prepareSubjects(sponsorIds.map(sponsorSubject));
    for (let i = 0; i < sponsors; i++) {
      const date = addDays(`${this.year}-01-03`, Math.floor((i / sponsors) * 25));
      const sponsorId = sponsorIds[i];
      const opdCode = this.opdCodes[Math.floor(this.rnd() ** 1.5 * this.opdCodes.length)];
      const birth = addDays('1965-01-01', i % 9000);
      const gender = this.rnd() < 0.5 ? 'F' : 'M';
      const nip = syntheticNip(birth, gender, 1 + Math.floor(i / 9000), 24);
      const context = contextOn(date);
      const registered: SponsorRegistered = { type: 'SponsorRegistered', data: { sponsorId, nip, fullName: this.name(), opdCode, registeredOn: date, occurredOn: date } };
      yield { streamId: this.writer.reservationStream('nip', nip), expected: 'no_stream', events: await this.writer.encode([{ type: 'NipReserved', data: { sponsorId } }], context, null) };
      yield { streamId: sponsorStream(sponsorId), expected: 'no_stream', events: await this.writer.encode([registered], context, null) };
      this.sponsors.push({ sponsorId, opdCode });
    }
  }

  /**
   * Enrols `count` more workers and, with `payUntil`, plays their payments: each worker keeps a period
   * (1, 3, 6 or 12 months) and pays when its coverage runs out, between the 1st and the 14th; about one in
   * eight stops paying at some point and is lapsed (and ended after the arrears window) by the lapse check.
   */
  async *addWorkers(options: WorkerBatchOptions): AsyncGenerator<Append> {
    yield* this.found(options.count);
    const first = this.workers.length;
    const actions: Action[] = [];
    let seq = 0;
    const span = Math.max(0, Math.round((Date.parse(options.enrolTo) - Date.parse(options.enrolFrom)) / 86_400_000));
    const sponsoredShare = options.sponsoredShare ?? 0.6;
    for (let n = 0; n < options.count; n++) {
      const index = first + n;
      const enrolledOn = addDays(options.enrolFrom, Math.floor((n / options.count) * (span + 1)));
      const sponsored = this.rnd() < sponsoredShare;
      const sponsor = sponsored ? this.sponsors[Math.floor(this.rnd() * this.sponsors.length)] : null;
      const fundingSource: FundingSource = sponsored ? 'ASN_SPONSOR' : this.pick(['APBD', 'APBD', 'DBHCHT', 'CSR', 'SELF'] as const);
      this.workers.push({ workerId: randomUUID(), fundingSource, sponsorId: sponsor?.sponsorId ?? null, opdCode: sponsor?.opdCode ?? null, enrolledOn });
      this.streams.push({ revision: -1, hash: null });
      actions.push({ date: enrolledOn, seq: seq++, kind: 'enrol', worker: index });
      if (!options.payUntil) continue;

      const r = this.rnd();
      const period = r < 0.35 ? 1 : r < 0.7 ? 3 : r < 0.85 ? 6 : 12;
      const stopsAfter = this.rnd() < 0.125 ? 1 + Math.floor(this.rnd() * 6) : Infinity;
      let unpaid = YearMonth.ofDate(enrolledOn);
      let payments = 0;
      let paidThrough: YearMonth | null = null;
      let date = addDays(enrolledOn, 1 + Math.floor(this.rnd() * 3));
      while (date <= options.payUntil && payments < stopsAfter) {
        actions.push({ date, seq: seq++, kind: 'pay', worker: index, months: period, from: unpaid.toString() });
        paidThrough = unpaid.plus(period - 1);
        unpaid = unpaid.plus(period);
        payments++;
        date = unpaid.day(1 + Math.floor(this.rnd() * 14));
      }
      if (payments >= stopsAfter) {
        const lapseOn = unpaid.day(16);
        const through = paidThrough?.toString() ?? null;
        if (lapseOn <= options.payUntil) actions.push({ date: lapseOn, seq: seq++, kind: 'lapse', worker: index, firstUnpaid: unpaid.toString(), paidThrough: through });
        const endOn = unpaid.plus(DEFAULT_POLICY.arrearsWindowMonths).day(16);
        if (endOn <= options.payUntil) actions.push({ date: endOn, seq: seq++, kind: 'end', worker: index, firstUnpaid: unpaid.toString(), paidThrough: through });
      }
    }
    actions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq));
    await this.writer.prepareSubjects(this.workers.slice(first).map((w) => workerSubject(w.workerId)));
    for (const action of actions) yield* this.play(action);
  }

  private async append(worker: number, event: DomainEvent, context: CommandContext): Promise<Append> {
    const stream = this.streams[worker];
    const events = await this.writer.encode([event], context, stream.hash);
    const expected: ExpectedRevision = stream.revision < 0 ? 'no_stream' : BigInt(stream.revision);
    stream.revision += 1;
    stream.hash = (events[0].metadata as { hash: string }).hash;
    return { streamId: workerStream(this.workers[worker].workerId), expected, events };
  }

  private async *play(action: Action): AsyncGenerator<Append> {
    const w = this.workers[action.worker];
    switch (action.kind) {
      case 'enrol': {
        const context = contextOn(action.date);
        const i = this.nikCounter++;
        const birthDate = addDays('1962-06-01', i % 14_000);
        const gender = i % 3 === 0 ? 'M' : 'F';
        const nik = syntheticNik(birthDate, gender, 1 + Math.floor(i / 14_000), 1 + (i % 16));
        const enrolled: WorkerEnrolled = {
          type: 'WorkerEnrolled',
          data: {
            workerId: w.workerId,
            nik,
            fullName: this.name(),
            birthDate,
            gender,
            occupation: OCCUPATIONS[i % OCCUPATIONS.length],
            kecamatan: KECAMATAN[i % KECAMATAN.length],
            ...(i % 4 === 0 ? { address: `Jl. Pemuda No. ${1 + (i % 200)}, Semarang`, phone: `0812${String(10_000_000 + i).slice(-8)}` } : {}),
            fundingSource: w.fundingSource,
            ...(w.sponsorId ? { sponsorId: w.sponsorId } : {}),
            enrolledOn: w.enrolledOn,
            occurredOn: w.enrolledOn,
          },
        };
        yield { streamId: this.writer.reservationStream('nik', nik), expected: 'no_stream', events: await this.writer.encode([{ type: 'NikReserved', data: { workerId: w.workerId } }], context, null) };
        yield await this.append(action.worker, enrolled, context);
        break;
      }
      case 'pay': {
        const context = contextOn(action.date);
        const paymentRef = `BPJS-${this.year}-${String(++this.paymentCounter).padStart(8, '0')}`;
        const from = YearMonth.parse(action.from);
        const payer: Payer = w.sponsorId
          ? { type: 'ASN_SPONSOR', sponsorId: w.sponsorId }
          : w.fundingSource === 'CSR'
            ? { type: 'CSR', name: 'PT Semarang Sejahtera' }
            : { type: w.fundingSource };
        const through = from.plus(action.months - 1);
        const paid: PremiumPaid = {
          type: 'PremiumPaid',
          data: {
            workerId: w.workerId,
            paymentRef,
            months: action.months,
            amount: amountFor(from, action.months, DEFAULT_POLICY),
            paidOn: action.date,
            payer,
            opdCode: w.opdCode,
            coveredFrom: from.toString(),
            coveredThrough: through.toString(),
            statusAfter: statusAfterPayment(through, action.date, DEFAULT_POLICY),
            occurredOn: action.date,
          },
        };
        yield { streamId: this.writer.reservationStream('payment-ref', paymentRef), expected: 'no_stream', events: await this.writer.encode([{ type: 'PaymentRefReserved', data: { workerId: w.workerId } }], context, null) };
        yield await this.append(action.worker, paid, context);
        break;
      }
      case 'lapse': {
        const firstUnpaid = YearMonth.parse(action.firstUnpaid);
        const lapsed: CoverageLapsed = {
          type: 'CoverageLapsed',
          data: { workerId: w.workerId, asOf: action.date, firstUnpaidMonth: action.firstUnpaid, paidThrough: action.paidThrough, occurredOn: lapsedOn(firstUnpaid, DEFAULT_POLICY.dueDay) },
        };
        yield await this.append(action.worker, lapsed, contextOn(action.date, 'system:lapse-check'));
        break;
      }
      case 'end': {
        const firstUnpaid = YearMonth.parse(action.firstUnpaid);
        const ended: CoverageEnded = {
          type: 'CoverageEnded',
          data: {
            workerId: w.workerId,
            asOf: action.date,
            cause: 'ARREARS_WINDOW_PASSED',
            firstUnpaidMonth: action.firstUnpaid,
            paidThrough: action.paidThrough,
            occurredOn: endedOn(firstUnpaid, DEFAULT_POLICY.dueDay, DEFAULT_POLICY.arrearsWindowMonths),
          },
        };
        yield await this.append(action.worker, ended, contextOn(action.date, 'system:lapse-check'));
        break;
      }
    }
  }
}
