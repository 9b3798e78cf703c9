import { auditOf, projection } from '../projection';
import { insertNewRows, type Column } from '../row-batch';

export const CONTRIBUTION_LEDGER_COLUMNS: readonly Column[] = [
  { name: 'position', type: 'bigint' },
  { name: 'payment_ref', type: 'text' },
  { name: 'worker_id', type: 'uuid' },
  { name: 'sponsor_id', type: 'uuid' },
  { name: 'opd_code', type: 'text' },
  { name: 'funding_source', type: 'text' },
  { name: 'payer_name', type: 'text' },
  { name: 'paid_on', type: 'date' },
  { name: 'months', type: 'smallint' },
  { name: 'covered_from', type: 'text' },
  { name: 'covered_through', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'recorded_by', type: 'text' },
];

/** One ledger row per PremiumPaid, keyed by its log position: a replayed payment is the same row. */
export const contributionLedgerProjection = projection({
  name: 'contribution-ledger',
  canHandle: ['PremiumPaid'],
  tables: [{ name: 'contribution_ledger', columns: CONTRIBUTION_LEDGER_COLUMNS }],
  async handle(events, { db, table }) {
    const rows = events.map((event) => {
      const d = event.data;
      const { recordedAt, recordedBy } = auditOf(event);
      return {
        position: event.position,
        payment_ref: d.paymentRef,
        worker_id: d.workerId,
        sponsor_id: d.payer.type === 'ASN_SPONSOR' ? (d.payer.sponsorId ?? null) : null,
        opd_code: d.opdCode ?? null,
        funding_source: d.payer.type,
        payer_name: d.payer.name ?? null,
        paid_on: d.paidOn,
        months: d.months,
        covered_from: d.coveredFrom,
        covered_through: d.coveredThrough,
        amount: String(d.amount),
        recorded_at: recordedAt,
        recorded_by: recordedBy,
      };
    });
    await insertNewRows(db, table('contribution_ledger'), CONTRIBUTION_LEDGER_COLUMNS, 'position', rows);
  },
});
