import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the read models have applied the log; written in the same transaction as the rows. */
@Entity({ name: 'projection_checkpoint' })
export class ProjectionCheckpointRow {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'projection_checkpoint_pkey' })
  name: string;

  /** Log position of the last applied event (decimal string); 0 before the first. */
  @Column({ type: 'bigint' })
  position: string;

  /** Store commit time of that event: how old the read models are. */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
