import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The opd-participation projection's own copy of each sponsor: its current OPD, whether withdrawn, its workers. */
@Entity({ name: 'opd_participation_sponsors' })
@Index('opd_participation_sponsors_opd_code_idx', ['opdCode'])
export class OpdParticipationSponsorRow {
  @PrimaryColumn({ name: 'sponsor_id', type: 'uuid', primaryKeyConstraintName: 'opd_participation_sponsors_pkey' })
  sponsorId: string;

  @Column({ name: 'opd_code', type: 'varchar', length: 32 })
  opdCode: string;

  @Column({ type: 'boolean' })
  withdrawn: boolean;

  @Column({ name: 'workers_registered', type: 'integer' })
  workersRegistered: number;

  @Column({ name: 'workers_active', type: 'integer' })
  workersActive: number;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
