import { Recorder, fmtInt, fmtMs } from './report';

/** The last line of a run: the headline numbers of every section and the missed targets, on one line. */
export function summaryLine(rec: Recorder, quick: boolean, failures: string[]): string {
  const d = (section: string, name: string) => rec.find(section, name);
  const parts: string[] = [];

  const appends = ['1w', '16w', '64w']
    .map((key) => {
      const m = rec.measurements.find((x) => x.section === 'appends' && x.detail?.writers === Number(key.slice(0, -1)) && x.detail?.eventsPerAppend === 1);
      if (!m) return null;
      const peer = m.detail!.emmettRatio as number | undefined;
      return `${key}=${fmtInt(m.detail!.oursEventsPerSecond as number)}/s (${(m.detail!.ratio as number).toFixed(2)} of raw${peer ? `, ${peer.toFixed(2)}x Emmett` : ''})`;
    })
    .filter(Boolean);
  const batch = d('appends', '16 writers, 100-event batches (of Emmett)');
  const batchText = batch ? `batch100x16=${fmtInt(batch.detail!.oursEventsPerSecond as number)}/s (${(batch.value as number).toFixed(2)}x Emmett)` : '';
  if (appends.length || batch) parts.push(`appends ${[...appends, batchText].filter(Boolean).join(' ')}`);

  const pay = d('http', 'payments throughput');
  const p99 = d('http', 'payments p99');
  if (pay) parts.push(`http pay=${fmtInt(pay.detail?.rps as number)}/s (${pay.value.toFixed(2)} of bare) p50=${fmtMs(pay.detail?.p50 as number)}ms p99=${p99 ? fmtMs(p99.value) : '?'}ms (bare insert ${fmtInt(pay.detail?.bareRps as number)}/s)`);

  const catchUp = d('projector', 'catch-up rate');
  const rebuild = d('projector', 'rebuild time');
  const rss = d('projector', 'rebuild peak RSS');
  if (catchUp || rebuild) {
    parts.push(
      `projector ${catchUp ? `${fmtInt(catchUp.detail!.rate as number)} ev/s (${catchUp.value.toFixed(2)} of COPY)` : '?'} rebuild(${catchUp?.detail?.eventsLabel ?? '?'})=${rebuild ? (rebuild.value / 1000).toFixed(1) : '?'}s rss=${rss ? Math.round(rss.value) : '?'}MB (catch-up ${rss?.detail?.catchUpRssMb !== undefined ? Math.round(rss.detail.catchUpRssMb as number) : '?'}MB)`,
    );
  }

  const summary = d('queries', '/v1/stats/summary p99');
  const opds = d('queries', '/v1/stats/opds p99');
  if (summary || opds) parts.push(`queries(${summary?.detail?.workersLabel ?? '?'}) summary p99=${summary ? fmtMs(summary.value) : '?'}ms opds p99=${opds ? fmtMs(opds.value) : '?'}ms`);

  const growth = rec.measurements.filter((m) => m.section === 'growth' && m.name.startsWith('append p50/p99 at') && m.detail?.sizeLabel !== '10k');
  if (growth.length) parts.push(`growth ${growth.map((m) => `${m.detail?.sizeLabel}:p50=${fmtMs(m.detail?.p50 as number)}ms p99=${fmtMs(m.detail?.p99 as number)}ms`).join(' ')}`);

  const sealedHttp = d('encryption', 'HTTP enrolments, sealing overhead');
  const sealedCatchUp = d('encryption', 'catch-up, sealing overhead');
  if (sealedHttp || sealedCatchUp) {
    const pct = (m: typeof sealedHttp) => (m ? `${(m.value * 100).toFixed(1)}%` : '?');
    parts.push(`sealing overhead enrol=${pct(sealedHttp)} catch-up=${pct(sealedCatchUp)}`);
  }

  const misses = rec.misses();
  const tail = `${misses.length} MISS${failures.length ? `, FAILED ${failures.join(',')}` : ''}`;
  return `bench ${quick ? 'quick' : 'full'}: ${parts.join(' | ')} | ${tail}`;
}
