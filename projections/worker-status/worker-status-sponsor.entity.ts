import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The worker-status projection's own copy of each sponsor's current OPD. */
@Entity({ name: 'worker_status_sponsors' })
export class WorkerStatusSponsorRow {
  @PrimaryColumn({ name: 'sponsor_id', type: 'uuid', primaryKeyConstraintName: 'worker_status_sponsors_pkey' })
  sponsorId: string;

  @Column({ name: 'opd_code', type: 'varchar', length: 32 })
  opdCode: string;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
