/**
 * The load generator of the HTTP section, run as a child process (so it does not share the API's event
 * loop): receives one LoadJob over IPC, runs autocannon, answers a LoadResult.
 */
import autocannon from 'autocannon';
import { syntheticNik } from '../../src/seed/synthetic-identity';
import { OCCUPATIONS } from '../../src/workers/worker.events';

export interface PayTarget {
  workerId: string;
  payer: Record<string, string>;
}

export interface LoadJob {
  url: string;
  kind: 'payments' | 'bare' | 'enrolments';
  connections: number;
  durationS: number;
  token: string;
  /** Payments rotate through these workers, starting at `offset`. */
  targets: PayTarget[];
  offset: number;
  runId: string;
  paidOn: string;
  /** Enrolments: sponsors for the ASN-funded ones (six in ten); NIKs are numbered from `offset`. */
  sponsorIds?: string[];
}

const FIRST = ['Sri', 'Siti', 'Budi', 'Agus', 'Dwi', 'Tri', 'Eko', 'Wahyu', 'Rina', 'Nur'];
const LAST = ['Wahyuni', 'Rahayu', 'Santoso', 'Setiawan', 'Purnomo', 'Susanti', 'Hidayat', 'Prasetyo'];
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The n-th enrolment of a run: a valid, unique NIK (Kota Semarang), a name, and the fields a clerk enters. */
export function enrolmentBody(n: number, sponsorIds: readonly string[], enrolledOn: string): Record<string, unknown> {
  const birthDate = addDays('1970-01-01', n % 12_000);
  const gender = n % 3 === 0 ? 'M' : 'F';
  const sponsored = n % 10 < 6 && sponsorIds.length > 0;
  return {
    nik: syntheticNik(birthDate, gender, 1 + (Math.floor(n / 12_000) % 9999), 1 + (n % 16)),
    fullName: `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`,
    birthDate,
    gender,
    occupation: OCCUPATIONS[n % OCCUPATIONS.length],
    kecamatan: `3374.${String(1 + (n % 16)).padStart(2, '0')}`,
    ...(n % 4 === 0 ? { address: `Jl. Pemuda No. ${1 + (n % 200)}, Semarang`, phone: `0812${String(10_000_000 + n).slice(-8)}` } : {}),
    fundingSource: sponsored ? 'ASN_SPONSOR' : 'APBD',
    ...(sponsored ? { sponsorId: sponsorIds[n % sponsorIds.length] } : {}),
    enrolledOn,
  };
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  /** First requests sent: where the next run's rotation starts. */
  sent: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${job.token}` };
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request: autocannon.Request) => {
          const i = n++;
          const ref = `BENCH-${job.runId}-${i}`;
          if (job.kind === 'enrolments') {
            return { ...request, path: '/v1/workers', body: JSON.stringify(enrolmentBody(job.offset + i, job.sponsorIds ?? [], job.paidOn)) };
          }
          if (job.kind === 'bare') {
            return { ...request, path: '/bench/bare-insert', body: JSON.stringify({ paymentRef: ref, months: 1, amount: 16800, paidOn: job.paidOn }) };
          }
          const target = job.targets[(job.offset + i) % job.targets.length];
          return {
            ...request,
            path: `/v1/workers/${target.workerId}/payments`,
            body: JSON.stringify({ paymentRef: ref, months: 1, amount: 16800, paidOn: job.paidOn, payer: target.payer }),
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number((stat as { count: number | string }).count);
  const ok = (result['2xx'] as number) ?? 0;
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    statusCodes,
    sent: n,
  };
}

if (require.main === module) {
  process.once('message', (job: LoadJob) => {
    run(job).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (error: Error) => process.send!({ error: error.stack ?? String(error) }, () => process.exit(1)),
    );
  });
}
