import { Column, Entity, PrimaryColumn } from 'typeorm';
import { safeIntegerTransformer } from '../column-transformers';

/**
 * Activity per calendar month: enrolments (WorkerEnrolled and WorkerReenrolled by enrolledOn), payments
 * and their amount (by paidOn), lapses (CoverageLapsed by asOf), ends (CoverageEnded by asOf).
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

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
