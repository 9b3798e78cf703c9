import { auditOf, projection } from '../projection';

/** One ledger row per PremiumPaid, keyed by its log position: a replayed payment is the same row. */
export const contributionLedgerProjection = projection({
  name: 'contribution-ledger',
  canHandle: ['PremiumPaid'],
  async handle(events, { db, table }) {
    const rows = events.map((event) => {
      const d = event.data;
      const { recordedAt, recordedBy } = auditOf(event);
      return {
        position: event.position.toString(),
        paymentRef: d.paymentRef,
        workerId: d.workerId,
        sponsorId: d.payer.type === 'ASN_SPONSOR' ? (d.payer.sponsorId ?? null) : null,
        opdCode: d.opdCode ?? null,
        fundingSource: d.payer.type,
        payerName: d.payer.name ?? null,
        paidOn: d.paidOn,
        months: d.months,
        coveredFrom: d.coveredFrom,
        coveredThrough: d.coveredThrough,
        amount: String(d.amount),
        recordedAt,
        recordedBy,
      };
    });
    const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
    await db.query(
      `INSERT INTO ${table('contribution_ledger')}
         (position, payment_ref, worker_id, sponsor_id, opd_code, funding_source, payer_name, paid_on, months,
          covered_from, covered_through, amount, recorded_at, recorded_by)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                            $8::date[], $9::smallint[], $10::text[], $11::text[], $12::bigint[], $13::timestamptz[], $14::text[])
       ON CONFLICT (position) DO NOTHING`,
      [
        column('position'),
        column('paymentRef'),
        column('workerId'),
        column('sponsorId'),
        column('opdCode'),
        column('fundingSource'),
        column('payerName'),
        column('paidOn'),
        column('months'),
        column('coveredFrom'),
        column('coveredThrough'),
        column('amount'),
        column('recordedAt'),
        column('recordedBy'),
      ],
    );
  },
});
