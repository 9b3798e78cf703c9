import { WORKER_STATUSES, type WorkerStatus } from '../../src/workers/worker.events';
import { toSafeInteger } from '../column-transformers';
import { assertSchemaName, LIVE_SCHEMA } from '../projection';
import { selectRows, type SqlRunner } from '../sql-runner';

export const COVERAGE_GROUPINGS = ['kecamatan', 'occupation', 'fundingSource', 'opd'] as const;
export type CoverageGrouping = (typeof COVERAGE_GROUPINGS)[number];

const COLUMN: Record<CoverageGrouping, string> = {
  kecamatan: 'kecamatan',
  occupation: 'occupation',
  fundingSource: 'funding_source',
  opd: 'opd_code',
};

export interface CoverageItem {
  /** The group's value; for `opd`, null gathers the workers funded by APBD, DBHCHT, CSR or themselves. */
  key: string | null;
  registered: number;
  active: number;
  inactive: number;
  byStatus: Record<WorkerStatus, number>;
}

/**
 * Coverage counts of registered workers (every funding source; erased ones are not registered) per group. Not
 * a maintained table: a GROUP BY over worker_status, answered by an index-only scan of the partial
 * (group column, status) index of the grouping.
 */
export async function readCoverage(db: SqlRunner, groupBy: CoverageGrouping, schema = LIVE_SCHEMA): Promise<CoverageItem[]> {
  const column = COLUMN[groupBy];
  const rows = await selectRows<{ key: string | null; status: WorkerStatus; workers: string }>(
    db,
    `SELECT ${column} AS key, status, count(*) AS workers
       FROM "${assertSchemaName(schema)}"."worker_status"
      WHERE NOT erased
      GROUP BY ${column}, status
      ORDER BY ${column} NULLS LAST`,
  );
  const items = new Map<string | null, CoverageItem>();
  for (const row of rows) {
    let item = items.get(row.key);
    if (!item) {
      item = { key: row.key, registered: 0, active: 0, inactive: 0, byStatus: { PENDING: 0, ACTIVE: 0, LAPSED: 0, ENDED: 0 } };
      items.set(row.key, item);
    }
    item.byStatus[row.status] = toSafeInteger(row.workers);
  }
  for (const item of items.values()) {
    item.registered = WORKER_STATUSES.reduce((sum, status) => sum + item.byStatus[status], 0);
    item.active = item.byStatus.ACTIVE;
    item.inactive = item.registered - item.active;
  }
  return [...items.values()];
}
