import { YearMonth } from '../../../src/shared/year-month';
import type { FundingSource, WorkerStatus } from '../../../src/workers/worker.events';
import { EventLog } from './event-log';

/** Deterministic pseudo-random numbers (mulberry32), so a generated scenario is the same on every run. */
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

interface SimWorker {
  id: string;
  status: WorkerStatus;
  sponsorId: string | null;
  funding: FundingSource;
  enrolledMonth: YearMonth;
  paidThrough: YearMonth | null;
}

interface SimSponsor {
  id: string;
  opdCode: string;
  withdrawn: boolean;
}

const OPDS = ['DINKES', 'DISBUDPAR', 'DISDAG', 'BAPPEDA', 'DISPENDUK', 'KEC-TEMBALANG'];
const KECAMATAN = ['3374.01', '3374.02', '3374.05', '3374.09', '3374.16'];
const OCCUPATIONS = ['DOMESTIC_HELPER', 'PRIVATE_DRIVER', 'SNACK_VENDOR', 'VEGETABLE_SELLER', 'CASUAL_WORKER'] as const;
const OTHER_FUNDING = ['APBD', 'DBHCHT', 'CSR', 'SELF'] as const;

/**
 * A plausible programme history: OPDs, sponsors, workers, payments, lapses, ends, re-enrolments, sponsor
 * changes, transfers, withdrawals and headcount changes, in a legal order. Each `generate` call appends
 * more history to the same log, continuing where the previous call stopped.
 */
export class Scenario {
  private readonly rnd: () => number;
  private readonly sponsors: SimSponsor[] = [];
  private readonly workers: SimWorker[] = [];
  private readonly headcount = new Map<string, number>();
  private day = 0;

  constructor(
    readonly log: EventLog,
    seed: number,
  ) {
    this.rnd = random(seed);
    for (const code of OPDS) {
      const pnsHeadcount = 50 + Math.floor(this.rnd() * 400);
      this.headcount.set(code, pnsHeadcount);
      log.opdRegistered(code, { pnsHeadcount, registeredOn: '2026-01-05' });
    }
  }

  generate(steps: number): this {
    for (let step = 0; step < steps; step++) this.step();
    return this;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }

  private activeSponsors(): SimSponsor[] {
    return this.sponsors.filter((s) => !s.withdrawn);
  }

  private step(): void {
    const { log, rnd, sponsors, workers, headcount } = this;
    const pick = <T>(items: readonly T[]): T => this.pick(items);
    const activeSponsors = () => this.activeSponsors();
    if (rnd() < 0.3) this.day++;
    const roll = rnd();
    const on = new Date(Date.UTC(2026, 0, 5) + this.day * 86_400_000).toISOString().slice(0, 10);
    if (roll < 0.1 || sponsors.length < 3) {
      const opdCode = pick(OPDS);
      sponsors.push({ id: log.sponsorRegistered(opdCode, { registeredOn: on }), opdCode, withdrawn: false });
    } else if (roll < 0.35) {
      const asn = rnd() < 0.75 && activeSponsors().length > 0;
      const sponsor = asn ? pick(activeSponsors()) : null;
      const funding: FundingSource = sponsor ? 'ASN_SPONSOR' : pick(OTHER_FUNDING);
      const id = log.workerEnrolled({
        fundingSource: funding,
        ...(sponsor ? { sponsorId: sponsor.id } : {}),
        kecamatan: pick(KECAMATAN),
        occupation: pick(OCCUPATIONS),
        enrolledOn: on,
      });
      workers.push({ id, status: 'PENDING', sponsorId: sponsor?.id ?? null, funding, enrolledMonth: YearMonth.ofDate(on), paidThrough: null });
    } else if (roll < 0.7 && workers.length > 0) {
      const payable = workers.filter((w) => w.status !== 'ENDED');
      if (payable.length === 0) return;
      const worker = pick(payable);
      const months = pick([1, 3, 6, 12]);
      const from = worker.paidThrough ? worker.paidThrough.plus(1) : worker.enrolledMonth;
      const through = from.plus(months - 1);
      const sponsor = worker.sponsorId ? sponsors.find((s) => s.id === worker.sponsorId)! : null;
      const byOther = !sponsor || rnd() < 0.1;
      const payerType: FundingSource = byOther ? (worker.funding === 'ASN_SPONSOR' ? 'CSR' : worker.funding) : 'ASN_SPONSOR';
      log.premiumPaid(worker.id, {
        payer: payerType === 'ASN_SPONSOR' ? { type: 'ASN_SPONSOR', sponsorId: sponsor!.id } : { type: payerType, ...(payerType === 'CSR' ? { name: 'PT Peduli' } : {}) },
        opdCode: payerType === 'ASN_SPONSOR' ? sponsor!.opdCode : null,
        months,
        amount: months * 16_800,
        paidOn: on,
        coveredFrom: from.toString(),
        coveredThrough: through.toString(),
        statusAfter: 'ACTIVE',
      });
      worker.status = 'ACTIVE';
      worker.paidThrough = through;
    } else if (roll < 0.8 && workers.length > 0) {
      const worker = pick(workers);
      if (worker.status === 'ACTIVE') {
        log.coverageLapsed(worker.id, on, worker.paidThrough?.toString() ?? null);
        worker.status = 'LAPSED';
      } else if (worker.status === 'LAPSED' || worker.status === 'PENDING') {
        log.coverageEnded(worker.id, rnd() < 0.5 ? { asOf: on } : { asOf: on, cause: 'WITHDRAWN', reason: 'moved away' });
        worker.status = 'ENDED';
      } else {
        log.workerReenrolled(worker.id, on);
        worker.status = 'PENDING';
        worker.enrolledMonth = YearMonth.ofDate(on);
        worker.paidThrough = null;
      }
    } else if (roll < 0.87 && workers.length > 0 && activeSponsors().length > 1) {
      const worker = pick(workers);
      const to = pick(activeSponsors().filter((s) => s.id !== worker.sponsorId));
      log.workerSponsorChanged(worker.id, worker.sponsorId, to.id);
      worker.sponsorId = to.id;
      worker.funding = 'ASN_SPONSOR';
    } else if (roll < 0.94 && activeSponsors().length > 0) {
      const sponsor = pick(activeSponsors());
      const to = pick(OPDS.filter((c) => c !== sponsor.opdCode));
      log.sponsorTransferred(sponsor.id, sponsor.opdCode, to, on);
      sponsor.opdCode = to;
    } else if (roll < 0.97 && activeSponsors().length > 2) {
      const sponsor = pick(activeSponsors());
      log.sponsorWithdrawn(sponsor.id, on);
      sponsor.withdrawn = true;
    } else {
      const code = pick(OPDS);
      const previous = headcount.get(code) ?? 100;
      const next = Math.max(1, previous + Math.floor(rnd() * 21) - 10);
      log.opdHeadcountSet(code, next, previous, on);
      headcount.set(code, next);
    }
  }
}
