import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The UCJ target of each year that has one (UcjTargetSet); a year without a row has ASUH_UCJ_TARGET. */
@Entity({ name: 'ucj_targets' })
export class UcjTargetRow {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'ucj_targets_pkey' })
  year: number;

  /** Covered workers the city aims for in that year. */
  @Column({ type: 'integer' })
  target: number;

  /** The day the current target was set. */
  @Column({ name: 'set_on', type: 'date' })
  setOn: string;

  /** Log position of the UcjTargetSet that set it (decimal string). */
  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
