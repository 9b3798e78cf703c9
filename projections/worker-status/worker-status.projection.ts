import { projection } from '../projection';
import { maskNik } from './nik-mask';

/**
 * One row per worker. Status is what the events say (WorkerEnrolled/WorkerReenrolled → PENDING,
 * PremiumPaid → its statusAfter, CoverageLapsed → LAPSED, CoverageEnded → ENDED), never the wall clock.
 * A worker belongs to the OPD of its current sponsor, so the worker's opd_code follows the sponsor's
 * transfers; it is read from sponsor_summary, which this batch has already brought up to date.
 */
export const workerStatusProjection = projection({
  name: 'worker-status',
  canHandle: [
    'WorkerEnrolled',
    'PremiumPaid',
    'CoverageLapsed',
    'CoverageEnded',
    'WorkerReenrolled',
    'WorkerSponsorChanged',
    'SponsorTransferred',
  ],
  async handle(events, { db, table }) {
    const sponsorOpd = (param: string) =>
      `(SELECT opd_code FROM ${table('sponsor_summary')} WHERE sponsor_id = ${param})`;

    for (const event of events) {
      const position = event.position.toString();
      switch (event.type) {
        case 'WorkerEnrolled': {
          const d = event.data;
          const sponsorId = d.fundingSource === 'ASN_SPONSOR' ? (d.sponsorId ?? null) : null;
          await db.query(
            `INSERT INTO ${table('worker_status')}
               (worker_id, nik_masked, full_name, gender, occupation, kecamatan, funding_source, sponsor_id, opd_code,
                status, enrolled_on, paid_through, months_contributed, last_payment_on, last_position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid, ${sponsorOpd('$8::uuid')},
                     'PENDING', $9, NULL, 0, NULL, $10)
             ON CONFLICT (worker_id) DO NOTHING`,
            [d.workerId, maskNik(d.nik), d.fullName, d.gender, d.occupation, d.kecamatan, d.fundingSource, sponsorId, d.enrolledOn, position],
          );
          break;
        }
        case 'PremiumPaid': {
          const d = event.data;
          await db.query(
            `UPDATE ${table('worker_status')}
                SET status = $2, paid_through = $3, months_contributed = months_contributed + $4,
                    last_payment_on = GREATEST(last_payment_on, $5::date), last_position = $6
              WHERE worker_id = $1 AND last_position < $6`,
            [d.workerId, d.statusAfter, d.coveredThrough, d.months, d.paidOn, position],
          );
          break;
        }
        case 'CoverageLapsed':
        case 'CoverageEnded':
          await db.query(
            `UPDATE ${table('worker_status')} SET status = $2, last_position = $3
              WHERE worker_id = $1 AND last_position < $3`,
            [event.data.workerId, event.type === 'CoverageLapsed' ? 'LAPSED' : 'ENDED', position],
          );
          break;
        case 'WorkerReenrolled':
          // A new membership period: nothing paid in it yet; monthsContributed counts the whole history.
          await db.query(
            `UPDATE ${table('worker_status')}
                SET status = 'PENDING', enrolled_on = $2, paid_through = NULL, last_position = $3
              WHERE worker_id = $1 AND last_position < $3`,
            [event.data.workerId, event.data.enrolledOn, position],
          );
          break;
        case 'WorkerSponsorChanged':
          await db.query(
            `UPDATE ${table('worker_status')}
                SET sponsor_id = $2::uuid, funding_source = $3::text, last_position = $4,
                    opd_code = CASE WHEN $3::text = 'ASN_SPONSOR' THEN ${sponsorOpd('$2::uuid')} END
              WHERE worker_id = $1 AND last_position < $4`,
            [event.data.workerId, event.data.toSponsorId, event.data.fundingSource, position],
          );
          break;
        case 'SponsorTransferred':
          await db.query(
            `UPDATE ${table('worker_status')} SET opd_code = $2, last_position = $3
              WHERE sponsor_id = $1 AND funding_source = 'ASN_SPONSOR' AND last_position < $3`,
            [event.data.sponsorId, event.data.toOpdCode, position],
          );
          break;
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    }
  },
});
