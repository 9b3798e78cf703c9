import { Entity, Index, PrimaryColumn } from 'typeorm';

/** Keyed hashes of the trigrams of each worker's name: `?q=` finds names without any name kept in clear. */
@Entity({ name: 'worker_name_trigrams' })
@Index('worker_name_trigrams_trigram_idx', ['trigram'])
export class WorkerNameTrigramRow {
  @PrimaryColumn({ name: 'worker_id', type: 'uuid', primaryKeyConstraintName: 'worker_name_trigrams_pkey' })
  workerId: string;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'worker_name_trigrams_pkey' })
  trigram: string;
}
