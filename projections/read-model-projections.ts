import { apiKeysProjection } from './api-keys/api-keys.projection';
import { contributionLedgerProjection } from './contribution-ledger/contribution-ledger.projection';
import { monthlyStatsProjection } from './monthly-stats/monthly-stats.projection';
import { opdParticipationProjection } from './opd-participation/opd-participation.projection';
import type { Projection } from './projection';
import { sponsorSummaryProjection } from './sponsor-summary/sponsor-summary.projection';
import { ucjTargetsProjection } from './ucj-targets/ucj-targets.projection';
import { workerStatusProjection } from './worker-status/worker-status.projection';

/**
 * Every read-model projection. Each reads only its events and writes only its own tables, with its own
 * checkpoint, so their order does not matter and any one of them can be rebuilt alone.
 */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  opdParticipationProjection,
  sponsorSummaryProjection,
  workerStatusProjection,
  monthlyStatsProjection,
  contributionLedgerProjection,
  ucjTargetsProjection,
  apiKeysProjection,
];

/** The projections with the given names, in their usual order; an unknown name is an error. */
export function projectionsNamed(names: readonly string[]): Projection[] {
  const unknown = names.filter((name) => !READ_MODEL_PROJECTIONS.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new RangeError(`Unknown read model ${unknown.join(', ')} (known: ${READ_MODEL_PROJECTIONS.map((p) => p.name).join(', ')})`);
  }
  return READ_MODEL_PROJECTIONS.filter((p) => names.includes(p.name));
}
