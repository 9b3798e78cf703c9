import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { FundingSource, Gender, Occupation, WorkerStatus } from '../../src/workers/worker.events';

/** One row per worker: what the events say about the worker now (no wall-clock computation). */
@Entity({ name: 'worker_status' })
@Index('worker_status_status_idx', ['status'], { where: 'NOT erased' })
@Index('worker_status_opd_code_status_idx', ['opdCode', 'status'], { where: 'NOT erased' })
@Index('worker_status_sponsor_id_status_idx', ['sponsorId', 'status'], { where: 'NOT erased' })
@Index('worker_status_kecamatan_status_idx', ['kecamatan', 'status'], { where: 'NOT erased' })
@Index('worker_status_occupation_status_idx', ['occupation', 'status'], { where: 'NOT erased' })
@Index('worker_status_funding_source_status_idx', ['fundingSource', 'status'], { where: 'NOT erased' })
@Index('worker_status_nik_hash_idx', ['nikHash'])
@Check('worker_status_status_check', `"status" IN ('PENDING', 'ACTIVE', 'LAPSED', 'ENDED')`)
export class WorkerStatusRow {
  @PrimaryColumn({ name: 'worker_id', type: 'uuid', primaryKeyConstraintName: 'worker_status_pkey' })
  workerId: string;

  /** First 4 and last 2 digits of the NIK; the whole NIK never reaches a read model. Null once erased. */
  @Column({ name: 'nik_masked', type: 'varchar', length: 16, nullable: true })
  nikMasked: string | null;

  /** HMAC of the NIK (the key store's keyed hash), for look-ups; null once erased. */
  @Column({ name: 'nik_hash', type: 'text', nullable: true })
  nikHash: string | null;

  /** `{ fullName }` sealed with the worker's own data key; null once erased. */
  @Column({ type: 'jsonb', nullable: true })
  personal: object | null;

  /** The worker's personal data was erased: no longer counted as registered. */
  @Column({ type: 'boolean' })
  erased: boolean;

  @Column({ type: 'varchar', length: 1 })
  gender: Gender;

  @Column({ type: 'varchar', length: 32 })
  occupation: Occupation;

  @Column({ type: 'varchar', length: 16 })
  kecamatan: string;

  @Column({ name: 'funding_source', type: 'varchar', length: 16 })
  fundingSource: FundingSource;

  @Column({ name: 'sponsor_id', type: 'uuid', nullable: true })
  sponsorId: string | null;

  /** The current sponsor's current OPD; null when the worker is not funded by an ASN sponsor. */
  @Column({ name: 'opd_code', type: 'varchar', length: 32, nullable: true })
  opdCode: string | null;

  @Column({ type: 'varchar', length: 8 })
  status: WorkerStatus;

  /** Start of the current membership period (re-enrolment starts a new one). */
  @Column({ name: 'enrolled_on', type: 'date' })
  enrolledOn: string;

  /** Last contribution month paid in the current period (YYYY-MM). */
  @Column({ name: 'paid_through', type: 'varchar', length: 7, nullable: true })
  paidThrough: string | null;

  /** Contribution months paid over the worker's whole history. */
  @Column({ name: 'months_contributed', type: 'integer' })
  monthsContributed: number;

  @Column({ name: 'last_payment_on', type: 'date', nullable: true })
  lastPaymentOn: string | null;

  /** Log position of the last event that changed this row (decimal string). */
  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
