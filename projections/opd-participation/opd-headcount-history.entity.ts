import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every PNS headcount an OPD was given: at registration, then each OpdHeadcountSet. */
@Entity({ name: 'opd_headcount_history' })
export class OpdHeadcountHistoryRow {
  @PrimaryColumn({ name: 'opd_code', type: 'varchar', length: 32, primaryKeyConstraintName: 'opd_headcount_history_pkey' })
  opdCode: string;

  /** Log position of the event that set it. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'opd_headcount_history_pkey' })
  position: string;

  @Column({ name: 'effective_on', type: 'date' })
  effectiveOn: string;

  @Column({ name: 'pns_headcount', type: 'integer' })
  pnsHeadcount: number;

  @Column({ name: 'previous_headcount', type: 'integer', nullable: true })
  previousHeadcount: number | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;
}
