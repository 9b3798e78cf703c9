/**
 * The load generator of the HTTP section, run as a child process (so it does not share the API's event
 * loop): receives one LoadJob over IPC, runs autocannon, answers a LoadResult.
 */
import autocannon from 'autocannon';

export interface PayTarget {
  workerId: string;
  payer: Record<string, string>;
}

export interface LoadJob {
  url: string;
  kind: 'payments' | 'bare';
  connections: number;
  durationS: number;
  token: string;
  /** Payments rotate through these workers, starting at `offset`. */
  targets: PayTarget[];
  offset: number;
  runId: string;
  paidOn: string;
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
