import { projection } from '../projection';

/**
 * Recounts, at the end of each batch, the counters that depend on other rows: a sponsor's registered and
 * active workers, and an OPD's registered/active sponsors and workers. Recounting the touched keys from
 * worker_status and sponsor_summary (instead of adding deltas) keeps them equal to what a GROUP BY would
 * say through sponsor changes, transfers, withdrawals and status changes, and makes replays harmless.
 *
 * Runs after the projections it reads (worker status, sponsor summary), so it sees the batch's end state.
 * Touched keys: every sponsor named by an event, the current sponsor of every worker an event touched
 * (the previous one is named by WorkerSponsorChanged), and the OPD of every touched sponsor plus both
 * OPDs of a transfer.
 */
export const participationCountersProjection = projection({
  name: 'participation-counters',
  canHandle: [
    'SponsorRegistered',
    'SponsorTransferred',
    'SponsorWithdrawn',
    'WorkerEnrolled',
    'PremiumPaid',
    'CoverageLapsed',
    'CoverageEnded',
    'WorkerReenrolled',
    'WorkerSponsorChanged',
  ],
  async handle(events, { db, table }) {
    const sponsors = new Set<string>();
    /** Sponsors whose own registration, withdrawal or transfer changes their OPD's sponsor counts. */
    const sponsorEvents = new Set<string>();
    const workers = new Set<string>();
    const opds = new Set<string>();
    for (const event of events) {
      switch (event.type) {
        case 'SponsorRegistered':
        case 'SponsorWithdrawn':
          sponsors.add(event.data.sponsorId);
          sponsorEvents.add(event.data.sponsorId);
          break;
        case 'SponsorTransferred':
          sponsors.add(event.data.sponsorId);
          opds.add(event.data.fromOpdCode).add(event.data.toOpdCode);
          break;
        case 'WorkerSponsorChanged':
          if (event.data.fromSponsorId) sponsors.add(event.data.fromSponsorId);
          sponsors.add(event.data.toSponsorId);
          workers.add(event.data.workerId);
          break;
        case 'WorkerEnrolled':
        case 'PremiumPaid':
        case 'CoverageLapsed':
        case 'CoverageEnded':
        case 'WorkerReenrolled':
          workers.add(event.data.workerId);
          break;
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    }

    if (workers.size > 0) {
      const { rows } = await db.query<{ sponsor_id: string }>(
        `SELECT DISTINCT sponsor_id FROM ${table('worker_status')}
          WHERE worker_id = ANY($1::uuid[]) AND sponsor_id IS NOT NULL`,
        [[...workers]],
      );
      for (const row of rows) sponsors.add(row.sponsor_id);
    }
    if (sponsors.size === 0 && opds.size === 0) return;

    if (sponsors.size > 0) {
      // Counted over the indexed columns only, so both recounts are index-only scans.
      const changed = await db.query<{ opd_code: string }>(
        `WITH touched AS (SELECT unnest($1::uuid[]) AS sponsor_id),
              counts AS (
                SELECT t.sponsor_id,
                       count(w.sponsor_id)::int AS registered,
                       (count(w.sponsor_id) FILTER (WHERE w.status = 'ACTIVE'))::int AS active
                  FROM touched t LEFT JOIN ${table('worker_status')} w ON w.sponsor_id = t.sponsor_id
                 GROUP BY t.sponsor_id)
         UPDATE ${table('sponsor_summary')} s
            SET workers_registered = c.registered, workers_active = c.active
           FROM counts c
          WHERE s.sponsor_id = c.sponsor_id
            AND (s.workers_registered, s.workers_active) IS DISTINCT FROM (c.registered, c.active)
        RETURNING s.opd_code`,
        [[...sponsors]],
      );
      // An OPD's counts only move when one of its sponsors' worker counts moved (returned above), when one
      // of its sponsors registered, withdrew or transferred, or when workers were moved between OPDs by a
      // transfer (both OPDs added above). A batch of payments that change no status recounts no OPD.
      for (const row of changed.rows) opds.add(row.opd_code);
      if (sponsorEvents.size > 0) {
        const current = await db.query<{ opd_code: string }>(
          `SELECT DISTINCT opd_code FROM ${table('sponsor_summary')} WHERE sponsor_id = ANY($1::uuid[])`,
          [[...sponsorEvents]],
        );
        for (const row of current.rows) opds.add(row.opd_code);
      }
    }
    if (opds.size === 0) return;

    // A worker belongs to the OPD of its sponsor (worker-status keeps opd_code equal to the sponsor's), so an
    // OPD's worker counts are the sums of its sponsors' counts, just brought up to date above: one pass over
    // the OPD's sponsors instead of over all of its workers.
    await db.query(
      `WITH touched AS (SELECT unnest($1::text[]) AS opd_code),
            counts AS (
              SELECT t.opd_code,
                     (count(s.sponsor_id) FILTER (WHERE s.status = 'ACTIVE'))::int AS sponsors_registered,
                     (count(s.sponsor_id) FILTER (WHERE s.status = 'ACTIVE' AND s.workers_active > 0))::int AS sponsors_active,
                     coalesce(sum(s.workers_registered), 0)::int AS workers_registered,
                     coalesce(sum(s.workers_active), 0)::int AS workers_active
                FROM touched t LEFT JOIN ${table('sponsor_summary')} s ON s.opd_code = t.opd_code
               GROUP BY t.opd_code)
       UPDATE ${table('opd_participation')} o
          SET sponsors_registered = c.sponsors_registered, sponsors_active = c.sponsors_active,
              workers_registered = c.workers_registered, workers_active = c.workers_active
         FROM counts c
        WHERE o.opd_code = c.opd_code
          AND (o.sponsors_registered, o.sponsors_active, o.workers_registered, o.workers_active)
              IS DISTINCT FROM (c.sponsors_registered, c.sponsors_active, c.workers_registered, c.workers_active)`,
      [[...opds]],
    );
  },
});
