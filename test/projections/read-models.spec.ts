import { readCitySummary } from '../../projections/city-summary/city-summary.query';
import { EventLog } from './support/event-log';
import { createReadModelDatabase, type ReadModelDatabase } from './support/read-model-database';
import { Scenario } from './support/scenario';

/** The read models together, over a generated history with every kind of event. */
describe('read models over a generated programme history', () => {
  let db: ReadModelDatabase;
  const log = new EventLog();
  new Scenario(log, 20260301).generate(1500);

  beforeAll(async () => {
    db = await createReadModelDatabase();
  });

  beforeEach(async () => {
    await db.reset();
  });

  afterAll(async () => {
    await db.close();
  });

  it('has the history it claims to have', () => {
    const types = new Set(log.events.map((e) => e.type));
    expect([...types].sort()).toEqual([
      'CoverageEnded',
      'CoverageLapsed',
      'OpdHeadcountSet',
      'OpdRegistered',
      'PremiumPaid',
      'SponsorRegistered',
      'SponsorTransferred',
      'SponsorWithdrawn',
      'WorkerEnrolled',
      'WorkerReenrolled',
      'WorkerSponsorChanged',
    ]);
  });

  it('does not depend on how the log is cut into batches', async () => {
    const snapshots = [];
    for (const batchSize of [1, 7, 250, 5000]) {
      await db.reset();
      await db.apply(log.events, { batchSize });
      snapshots.push(await db.snapshot());
    }
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).toEqual(snapshots[0]);
    expect(snapshots[3]).toEqual(snapshots[0]);
  });

  it('keeps every maintained counter equal to a recount from the rows', async () => {
    await db.apply(log.events, { batchSize: 100 });

    const sponsorDrift = await db.rows(`
      SELECT s.sponsor_id FROM sponsor_summary s
        LEFT JOIN (SELECT sponsor_id, count(*)::int AS registered, (count(*) FILTER (WHERE status = 'ACTIVE'))::int AS active
                     FROM worker_status GROUP BY sponsor_id) w USING (sponsor_id)
       WHERE (s.workers_registered, s.workers_active) IS DISTINCT FROM (coalesce(w.registered, 0), coalesce(w.active, 0))`);
    const opdDrift = await db.rows(`
      SELECT o.opd_code FROM opd_participation o
        LEFT JOIN (SELECT opd_code, count(*)::int AS registered, (count(*) FILTER (WHERE status = 'ACTIVE'))::int AS active
                     FROM worker_status GROUP BY opd_code) w USING (opd_code)
        LEFT JOIN (SELECT opd_code, count(*)::int AS registered, (count(*) FILTER (WHERE workers_active > 0))::int AS active
                     FROM sponsor_summary WHERE status = 'ACTIVE' GROUP BY opd_code) s USING (opd_code)
        LEFT JOIN (SELECT opd_code, sum(amount) AS amount FROM contribution_ledger GROUP BY opd_code) l USING (opd_code)
       WHERE (o.workers_registered, o.workers_active, o.sponsors_registered, o.sponsors_active, o.premiums_collected)
             IS DISTINCT FROM (coalesce(w.registered, 0), coalesce(w.active, 0), coalesce(s.registered, 0), coalesce(s.active, 0), coalesce(l.amount, 0))`);
    const workerOpdDrift = await db.rows(`
      SELECT w.worker_id FROM worker_status w LEFT JOIN sponsor_summary s USING (sponsor_id)
       WHERE w.opd_code IS DISTINCT FROM (CASE WHEN w.funding_source = 'ASN_SPONSOR' THEN s.opd_code END)`);
    const [totals] = await db.rows<{ ledger: string; monthly: string; payments: string; events: string }>(`
      SELECT (SELECT sum(amount) FROM contribution_ledger)::text AS ledger, (SELECT sum(amount) FROM monthly_stats)::text AS monthly,
             (SELECT sum(payments) FROM monthly_stats)::text AS payments, (SELECT count(*) FROM contribution_ledger)::text AS events`);

    expect({ sponsorDrift, opdDrift, workerOpdDrift }).toEqual({ sponsorDrift: [], opdDrift: [], workerOpdDrift: [] });
    expect(totals.monthly).toBe(totals.ledger);
    expect(Number(totals.payments)).toBe(log.events.filter((e) => e.type === 'PremiumPaid').length);
    expect((await readCitySummary(db.pool)).premiumsCollected).toBe(Number(totals.ledger));
  });

  it('gives the same rows when the whole history is delivered twice', async () => {
    await db.apply(log.events, { batchSize: 300 });
    const once = await db.snapshot();
    await db.apply(log.events, { batchSize: 128 });
    expect(await db.snapshot()).toEqual(once);
  });
});
