import { contributionLedgerProjection } from './contribution-ledger/contribution-ledger.projection';
import { monthlyStatsProjection } from './monthly-stats/monthly-stats.projection';
import { opdParticipationProjection } from './opd-participation/opd-participation.projection';
import { participationCountersProjection } from './participation-counters/participation-counters.projection';
import type { Projection } from './projection';
import { sponsorSummaryProjection } from './sponsor-summary/sponsor-summary.projection';
import { workerStatusProjection } from './worker-status/worker-status.projection';

/**
 * Every read-model projection, in the order a batch applies them: a projection may read the tables of
 * those before it (worker status reads the sponsor's OPD; the counters recount workers and sponsors).
 */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  opdParticipationProjection,
  sponsorSummaryProjection,
  workerStatusProjection,
  participationCountersProjection,
  monthlyStatsProjection,
  contributionLedgerProjection,
];
