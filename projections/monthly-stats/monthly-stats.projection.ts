import { YearMonth } from '../../src/shared/year-month';
import { projection } from '../projection';
import type { Column } from '../row-batch';

interface MonthlyDelta {
  month: string;
  position: string;
  enrolments: number;
  payments: number;
  amount: string;
  lapses: number;
  ends: number;
  reversals: number;
  reversed_amount: string;
}

export const MONTHLY_STATS_COLUMNS: readonly Column[] = [
  { name: 'month', type: 'text' },
  { name: 'enrolments', type: 'int' },
  { name: 'payments', type: 'int' },
  { name: 'amount', type: 'bigint' },
  { name: 'lapses', type: 'int' },
  { name: 'ends', type: 'int' },
  { name: 'reversals', type: 'int' },
  { name: 'reversed_amount', type: 'bigint' },
  { name: 'last_position', type: 'bigint' },
];

/**
 * Monthly activity: enrolments and re-enrolments (by enrolledOn), payments and their gross amount (by paidOn),
 * lapses and ends (by the date they happened under the rules, `occurredOn`, not the day a check recorded them),
 * reversals and their amount (by reversedOn: a reversal does not rewrite the month its payment was counted in).
 * The whole batch goes in one statement: each event becomes a delta on its month, a
 * month's row only takes deltas of events after its last_position (so a replay changes nothing), and the
 * fresh deltas of a month are summed before the upsert.
 */
export const monthlyStatsProjection = projection({
  name: 'monthly-stats',
  canHandle: ['WorkerEnrolled', 'WorkerReenrolled', 'PremiumPaid', 'PremiumPaymentReversed', 'CoverageLapsed', 'CoverageEnded'],
  tables: [{ name: 'monthly_stats', columns: MONTHLY_STATS_COLUMNS }],
  async handle(events, { db, table }) {
    const deltas: MonthlyDelta[] = events.map((event) => {
      const delta = { position: event.position.toString(), enrolments: 0, payments: 0, amount: '0', lapses: 0, ends: 0, reversals: 0, reversed_amount: '0' };
      switch (event.type) {
        case 'WorkerEnrolled':
        case 'WorkerReenrolled':
          return { ...delta, month: monthOf(event.data.enrolledOn), enrolments: 1 };
        case 'PremiumPaid':
          return { ...delta, month: monthOf(event.data.paidOn), payments: 1, amount: String(event.data.amount) };
        case 'PremiumPaymentReversed':
          return { ...delta, month: monthOf(event.data.reversedOn), reversals: 1, reversed_amount: String(event.data.amount) };
        case 'CoverageLapsed':
          return { ...delta, month: monthOf(event.data.occurredOn), lapses: 1 };
        case 'CoverageEnded':
          return { ...delta, month: monthOf(event.data.occurredOn), ends: 1 };
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    });

    await db.query(
      `WITH delta AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::int[], $5::bigint[], $6::int[], $7::int[], $8::int[], $9::bigint[])
           AS d(month, position, enrolments, payments, amount, lapses, ends, reversals, reversed_amount)),
       fresh AS (
         SELECT d.month, sum(d.enrolments)::int AS enrolments, sum(d.payments)::int AS payments,
                sum(d.amount)::bigint AS amount, sum(d.lapses)::int AS lapses, sum(d.ends)::int AS ends,
                sum(d.reversals)::int AS reversals, sum(d.reversed_amount)::bigint AS reversed_amount,
                max(d.position) AS last_position
           FROM delta d LEFT JOIN ${table('monthly_stats')} m ON m.month = d.month
          WHERE m.month IS NULL OR d.position > m.last_position
          GROUP BY d.month)
       INSERT INTO ${table('monthly_stats')} AS m (month, enrolments, payments, amount, lapses, ends, reversals, reversed_amount, last_position)
       SELECT month, enrolments, payments, amount, lapses, ends, reversals, reversed_amount, last_position FROM fresh
       ON CONFLICT (month) DO UPDATE
          SET enrolments = m.enrolments + EXCLUDED.enrolments,
              payments = m.payments + EXCLUDED.payments,
              amount = m.amount + EXCLUDED.amount,
              lapses = m.lapses + EXCLUDED.lapses,
              ends = m.ends + EXCLUDED.ends,
              reversals = m.reversals + EXCLUDED.reversals,
              reversed_amount = m.reversed_amount + EXCLUDED.reversed_amount,
              last_position = EXCLUDED.last_position`,
      [
        deltas.map((d) => d.month),
        deltas.map((d) => d.position),
        deltas.map((d) => d.enrolments),
        deltas.map((d) => d.payments),
        deltas.map((d) => d.amount),
        deltas.map((d) => d.lapses),
        deltas.map((d) => d.ends),
        deltas.map((d) => d.reversals),
        deltas.map((d) => d.reversed_amount),
      ],
    );
  },
});

const monthOf = (date: string): string => YearMonth.ofDate(date).toString();
