import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { WorkerStatus } from '../../src/workers/worker.events';

/**
 * Each worker's current sponsor and status, one table per projection that counts workers per sponsor
 * (opd-participation, sponsor-summary): the same columns, owned separately so each read model stands alone.
 */
function membershipEntity(table: string) {
  @Entity({ name: table })
  @Index(`${table}_sponsor_id_status_idx`, ['sponsorId', 'status'])
  class WorkerMembershipRow {
    @PrimaryColumn({ name: 'worker_id', type: 'uuid', primaryKeyConstraintName: `${table}_pkey` })
    workerId: string;

    @Column({ name: 'sponsor_id', type: 'uuid', nullable: true })
    sponsorId: string | null;

    @Column({ type: 'varchar', length: 8 })
    status: WorkerStatus;

    @Column({ name: 'last_position', type: 'bigint' })
    lastPosition: string;
  }
  return WorkerMembershipRow;
}

export const OpdParticipationWorkerRow = membershipEntity('opd_participation_workers');
export const SponsorSummaryWorkerRow = membershipEntity('sponsor_summary_workers');
