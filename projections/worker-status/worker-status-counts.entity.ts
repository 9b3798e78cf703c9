import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WorkerStatus } from '../../src/workers/worker.events';

/** Workers per status, kept up to date by the worker-status projection (the city summary reads it). */
@Entity({ name: 'worker_status_counts' })
export class WorkerStatusCountRow {
  @PrimaryColumn({ type: 'varchar', length: 8, primaryKeyConstraintName: 'worker_status_counts_pkey' })
  status: WorkerStatus;

  @Column({ type: 'integer' })
  workers: number;
}
