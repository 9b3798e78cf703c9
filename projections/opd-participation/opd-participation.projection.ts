import { auditOf, projection } from '../projection';

/**
 * OPD identity, current PNS headcount (and its history) and premiums collected. The sponsor and worker
 * counts of an OPD are recounted by the participation counters at the end of each batch.
 */
export const opdParticipationProjection = projection({
  name: 'opd-participation',
  canHandle: ['OpdRegistered', 'OpdHeadcountSet', 'PremiumPaid'],
  async handle(events, { db, table }) {
    for (const event of events) {
      const position = event.position.toString();
      switch (event.type) {
        case 'OpdRegistered': {
          const { opdCode, name, kind, pnsHeadcount, registeredOn } = event.data;
          await db.query(
            `INSERT INTO ${table('opd_participation')}
               (opd_code, name, kind, registered_on, pns_headcount, headcount_effective_on,
                sponsors_registered, sponsors_active, workers_registered, workers_active, premiums_collected, last_position)
             VALUES ($1, $2, $3, $4, $5, $4, 0, 0, 0, 0, 0, $6)
             ON CONFLICT (opd_code) DO NOTHING`,
            [opdCode, name, kind, registeredOn, pnsHeadcount, position],
          );
          await insertHeadcountHistory(event, opdCode, registeredOn, pnsHeadcount, null);
          break;
        }
        case 'OpdHeadcountSet': {
          const { opdCode, pnsHeadcount, previousHeadcount, effectiveOn } = event.data;
          // A back-dated correction goes into the history without replacing a later-effective headcount.
          await db.query(
            `UPDATE ${table('opd_participation')}
                SET pns_headcount = CASE WHEN $2::date >= headcount_effective_on THEN $3 ELSE pns_headcount END,
                    headcount_effective_on = GREATEST(headcount_effective_on, $2::date),
                    last_position = $4
              WHERE opd_code = $1 AND last_position < $4`,
            [opdCode, effectiveOn, pnsHeadcount, position],
          );
          await insertHeadcountHistory(event, opdCode, effectiveOn, pnsHeadcount, previousHeadcount);
          break;
        }
        case 'PremiumPaid': {
          // Premiums stay with the OPD the paying sponsor belonged to at payment time.
          const { opdCode, amount } = event.data;
          if (opdCode === null || opdCode === undefined) break;
          await db.query(
            `UPDATE ${table('opd_participation')}
                SET premiums_collected = premiums_collected + $2::bigint, last_position = $3
              WHERE opd_code = $1 AND last_position < $3`,
            [opdCode, String(amount), position],
          );
          break;
        }
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    }

    async function insertHeadcountHistory(
      event: (typeof events)[number],
      opdCode: string,
      effectiveOn: string,
      pnsHeadcount: number,
      previousHeadcount: number | null,
    ): Promise<void> {
      const { recordedAt, recordedBy } = auditOf(event);
      await db.query(
        `INSERT INTO ${table('opd_headcount_history')}
           (opd_code, position, effective_on, pns_headcount, previous_headcount, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (opd_code, position) DO NOTHING`,
        [opdCode, event.position.toString(), effectiveOn, pnsHeadcount, previousHeadcount, recordedAt, recordedBy],
      );
    }
  },
});
