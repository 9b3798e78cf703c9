import { auditOf, projection } from '../projection';
import { insertNewRows, type Column } from '../row-batch';

export const CONTRIBUTION_LEDGER_COLUMNS: readonly Column[] = [
  { name: 'position', type: 'bigint' },
  { name: 'kind', type: 'text' },
  { name: 'payment_ref', type: 'text' },
  { name: 'worker_id', type: 'uuid' },
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'opd_code', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'payer_name', type: 'text' },
  { name: 'booked_on', type: 'date' },
  { name: 'paid_on', type: 'date' },
  { name: 'reversed_on', type: 'date' },
  { name: 'reason', type: 'text' },
  { name: 'months', type: 'smallint' },
  { name: 'covered_from', type: 'text' },
  { name: 'covered_through', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'recorded_by', type: 'text' },
];

/**
 * One ledger line per PremiumPaid (kind PAYMENT, booked on paidOn) and per PremiumPaymentReversed (kind REVERSAL,
 * booked on reversedOn, with the negative months and amount of the payment it reverses and the reason), keyed by
 * the event's log position: a replayed event is the same line. Summing `amount` gives the net.
 */
export const contributionLedgerProjection = projection({
  name: 'contribution-ledger',
  canHandle: ['PremiumPaid', 'PremiumPaymentReversed'],
  tables: [
    {
      name: 'contribution_ledger',
      columns: CONTRIBUTION_LEDGER_COLUMNS,
      // The ledger's filters (worker, sponsor, OPD, booking date); the projection writes by position and payment_ref only.
      queryIndexes: ['contribution_ledger_worker_id_idx', 'contribution_ledger_sponsor_id_idx', 'contribution_ledger_opd_code_idx', 'contribution_ledger_booked_on_idx'],
    },
  ],
  async handle(events, { db, table }) {
    const rows = events.map((event) => {
      const d = event.data;
      const { recordedAt, recordedBy } = auditOf(event);
      const reversal = event.type === 'PremiumPaymentReversed' ? event.data : null;
      const sign = reversal ? -1 : 1;
      return {
        position: event.position,
        kind: reversal ? 'REVERSAL' : 'PAYMENT',
        payment_ref: d.paymentRef,
        worker_id: d.workerId,
        sponsor_id: d.payer.type === 'ASN_SPONSOR' ? (d.payer.sponsorId ?? null) : null,
        opd_code: d.opdCode ?? null,
        funding_source: d.payer.type,
        payer_name: d.payer.name ?? null,
        booked_on: reversal ? reversal.reversedOn : d.paidOn,
        paid_on: d.paidOn,
        reversed_on: reversal?.reversedOn ?? null,
        reason: reversal?.reason ?? null,
        months: sign * d.months,
        covered_from: d.coveredFrom,
        covered_through: d.coveredThrough,
        amount: String(sign * d.amount),
        recorded_at: recordedAt,
        recorded_by: recordedBy,
      };
    });
    await insertNewRows(db, table('contribution_ledger'), CONTRIBUTION_LEDGER_COLUMNS, 'position', rows);
  },
});
