import { Column, Entity, PrimaryColumn } from 'typeorm';
import { safeIntegerTransformer } from '../column-transformers';

/**
 * Activity per calendar month: enrolments (WorkerEnrolled and WorkerReenrolled by enrolledOn), payments
 * and their gross amount (by paidOn), lapses and ends (CoverageLapsed / CoverageEnded by the date the rules
 * give them, occurredOn), reversals and their amount (PremiumPaymentReversed by reversedOn).
 */
@Entity({ name: 'monthly_stats' })
export class MonthlyStatsRow {
  /** YYYY-MM */
  @PrimaryColumn({ type: 'varchar', length: 7, primaryKeyConstraintName: 'monthly_stats_pkey' })
  month: string;

  @Column({ type: 'integer' })
  enrolments: number;

  @Column({ type: 'integer' })
  payments: number;

  @Column({ type: 'bigint', transformer: safeIntegerTransformer })
  amount: number;

  @Column({ type: 'integer' })
  lapses: number;

  @Column({ type: 'integer' })
  ends: number;

  @Column({ type: 'integer' })
  reversals: number;

  /** Rupiah of the payments reversed in the month (the month's `amount` stays the gross of payments). */
  @Column({ name: 'reversed_amount', type: 'bigint', transformer: safeIntegerTransformer })
  reversedAmount: number;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
