import { projection } from '../projection';

/**
 * Sponsor identity, current OPD, status and premiums paid. Its worker counts are recounted by the
 * participation counters at the end of each batch.
 */
export const sponsorSummaryProjection = projection({
  name: 'sponsor-summary',
  canHandle: ['SponsorRegistered', 'SponsorTransferred', 'SponsorWithdrawn', 'PremiumPaid'],
  async handle(events, { db, table }) {
    for (const event of events) {
      const position = event.position.toString();
      switch (event.type) {
        case 'SponsorRegistered': {
          const { sponsorId, fullName, opdCode, registeredOn } = event.data;
          await db.query(
            `INSERT INTO ${table('sponsor_summary')}
               (sponsor_id, full_name, opd_code, status, registered_on, withdrawn_on,
                workers_registered, workers_active, premiums_paid, last_position)
             VALUES ($1, $2, $3, 'ACTIVE', $4, NULL, 0, 0, 0, $5)
             ON CONFLICT (sponsor_id) DO NOTHING`,
            [sponsorId, fullName, opdCode, registeredOn, position],
          );
          break;
        }
        case 'SponsorTransferred':
          await db.query(
            `UPDATE ${table('sponsor_summary')} SET opd_code = $2, last_position = $3
              WHERE sponsor_id = $1 AND last_position < $3`,
            [event.data.sponsorId, event.data.toOpdCode, position],
          );
          break;
        case 'SponsorWithdrawn':
          await db.query(
            `UPDATE ${table('sponsor_summary')} SET status = 'WITHDRAWN', withdrawn_on = $2, last_position = $3
              WHERE sponsor_id = $1 AND last_position < $3`,
            [event.data.sponsorId, event.data.withdrawnOn, position],
          );
          break;
        case 'PremiumPaid': {
          const { payer, amount } = event.data;
          if (payer.type !== 'ASN_SPONSOR' || !payer.sponsorId) break;
          await db.query(
            `UPDATE ${table('sponsor_summary')}
                SET premiums_paid = premiums_paid + $2::bigint, last_position = $3
              WHERE sponsor_id = $1 AND last_position < $3`,
            [payer.sponsorId, String(amount), position],
          );
          break;
        }
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    }
  },
});
