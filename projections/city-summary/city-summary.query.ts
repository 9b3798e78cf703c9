import type { WorkerStatus } from '../../src/workers/worker.events';
import { toSafeInteger } from '../column-transformers';
import { assertSchemaName, LIVE_SCHEMA } from '../projection';
import { ratio, selectRows, type SqlRunner } from '../sql-runner';

export interface CitySummary {
  pnsHeadcount: number;
  sponsorsRegistered: number;
  sponsorsActive: number;
  participationRate: number;
  activeParticipationRate: number;
  opdsTotal: number;
  opdsParticipating: number;
  opdsNotParticipating: number;
  workersRegistered: number;
  workersActive: number;
  workersInactive: number;
  workersByStatus: Record<WorkerStatus, number>;
  /** Every payment, whatever its funding source, less those reversed (rupiah). */
  premiumsCollected: number;
}

/**
 * The city-wide figures, derived in one statement (one snapshot) from the maintained read models:
 * OPDs and headcount from opd_participation (retired OPDs left out: a retirement never takes effect in the
 * future, so a retired one is retired now), sponsors from sponsor_summary, workers from worker_status_counts,
 * premiums from monthly_stats (every PremiumPaid counted once, whatever the funding source, less the reversed ones).
 */
export async function readCitySummary(db: SqlRunner, schema = LIVE_SCHEMA): Promise<CitySummary> {
  const s = `"${assertSchemaName(schema)}"`;
  const [row] = await selectRows<Record<string, string>>(
    db,
    `SELECT (SELECT coalesce(sum(pns_headcount), 0) FROM ${s}.opd_participation WHERE retired_on IS NULL) AS pns_headcount,
            (SELECT count(*) FROM ${s}.opd_participation WHERE retired_on IS NULL) AS opds_total,
            (SELECT count(*) FROM ${s}.opd_participation WHERE retired_on IS NULL AND sponsors_registered > 0) AS opds_participating,
            (SELECT count(*) FROM ${s}.sponsor_summary WHERE status = 'ACTIVE') AS sponsors_registered,
            (SELECT count(*) FROM ${s}.sponsor_summary WHERE status = 'ACTIVE' AND workers_active > 0) AS sponsors_active,
            (SELECT coalesce(sum(amount) - sum(reversed_amount), 0) FROM ${s}.monthly_stats) AS premiums_collected,
            w.pending, w.active, w.lapsed, w.ended
       FROM (SELECT coalesce(sum(workers) FILTER (WHERE status = 'PENDING'), 0) AS pending,
                    coalesce(sum(workers) FILTER (WHERE status = 'ACTIVE'), 0) AS active,
                    coalesce(sum(workers) FILTER (WHERE status = 'LAPSED'), 0) AS lapsed,
                    coalesce(sum(workers) FILTER (WHERE status = 'ENDED'), 0) AS ended
               FROM ${s}.worker_status_counts) w`,
  );
  const n = (column: string) => toSafeInteger(row[column]);
  const workersByStatus = { PENDING: n('pending'), ACTIVE: n('active'), LAPSED: n('lapsed'), ENDED: n('ended') };
  const workersRegistered = workersByStatus.PENDING + workersByStatus.ACTIVE + workersByStatus.LAPSED + workersByStatus.ENDED;
  const pnsHeadcount = n('pns_headcount');
  return {
    pnsHeadcount,
    sponsorsRegistered: n('sponsors_registered'),
    sponsorsActive: n('sponsors_active'),
    participationRate: ratio(n('sponsors_registered'), pnsHeadcount),
    activeParticipationRate: ratio(n('sponsors_active'), pnsHeadcount),
    opdsTotal: n('opds_total'),
    opdsParticipating: n('opds_participating'),
    opdsNotParticipating: n('opds_total') - n('opds_participating'),
    workersRegistered,
    workersActive: workersByStatus.ACTIVE,
    workersInactive: workersRegistered - workersByStatus.ACTIVE,
    workersByStatus,
    premiumsCollected: n('premiums_collected'),
  };
}
