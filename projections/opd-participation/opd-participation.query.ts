import { toSafeInteger } from '../column-transformers';
import { assertSchemaName, LIVE_SCHEMA } from '../projection';
import { ratio, selectRows, type SqlRunner } from '../sql-runner';

export interface OpdParticipation {
  opdCode: string;
  name: string;
  kind: string;
  pnsHeadcount: number;
  sponsorsRegistered: number;
  sponsorsActive: number;
  participationRate: number;
  activeParticipationRate: number;
  workersRegistered: number;
  workersActive: number;
  premiumsCollected: number;
  /** At least one registered (not withdrawn) sponsor. */
  participating: boolean;
}

/** Per-OPD participation with the rates of domain.md, in OPD code order; a retired OPD is left out. */
export async function readOpdParticipation(db: SqlRunner, schema = LIVE_SCHEMA): Promise<OpdParticipation[]> {
  const rows = await selectRows<Record<string, string | number>>(
    db,
    `SELECT opd_code, name, kind, pns_headcount, sponsors_registered, sponsors_active, workers_registered, workers_active,
            premiums_collected
       FROM "${assertSchemaName(schema)}"."opd_participation" WHERE retired_on IS NULL ORDER BY opd_code`,
  );
  return rows.map((r) => {
    const pnsHeadcount = Number(r.pns_headcount);
    const sponsorsRegistered = Number(r.sponsors_registered);
    const sponsorsActive = Number(r.sponsors_active);
    return {
      opdCode: String(r.opd_code),
      name: String(r.name),
      kind: String(r.kind),
      pnsHeadcount,
      sponsorsRegistered,
      sponsorsActive,
      participationRate: ratio(sponsorsRegistered, pnsHeadcount),
      activeParticipationRate: ratio(sponsorsActive, pnsHeadcount),
      workersRegistered: Number(r.workers_registered),
      workersActive: Number(r.workers_active),
      premiumsCollected: toSafeInteger(r.premiums_collected),
      participating: sponsorsRegistered > 0,
    };
  });
}
