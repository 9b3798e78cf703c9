import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { safeIntegerTransformer } from '../column-transformers';

export type SponsorStatus = 'ACTIVE' | 'WITHDRAWN';

/** One row per sponsor (ASN). Personal data only sealed (the name) or as a keyed hash (the NIP, for look-ups). */
@Entity({ name: 'sponsor_summary' })
@Index('sponsor_summary_opd_code_status_idx', ['opdCode', 'status'])
@Index('sponsor_summary_nip_hash_idx', ['nipHash'])
@Check('sponsor_summary_status_check', `"status" IN ('ACTIVE', 'WITHDRAWN')`)
export class SponsorSummaryRow {
  @PrimaryColumn({ name: 'sponsor_id', type: 'uuid', primaryKeyConstraintName: 'sponsor_summary_pkey' })
  sponsorId: string;

  /** HMAC of the NIP (the key store's keyed hash); null once erased. */
  @Column({ name: 'nip_hash', type: 'text', nullable: true })
  nipHash: string | null;

  /** `{ fullName }` sealed with the sponsor's own data key; null once erased. */
  @Column({ type: 'jsonb', nullable: true })
  personal: object | null;

  @Column({ type: 'boolean' })
  erased: boolean;

  /** Current OPD (follows transfers). */
  @Column({ name: 'opd_code', type: 'varchar', length: 32 })
  opdCode: string;

  @Column({ type: 'varchar', length: 10 })
  status: SponsorStatus;

  @Column({ name: 'registered_on', type: 'date' })
  registeredOn: string;

  @Column({ name: 'withdrawn_on', type: 'date', nullable: true })
  withdrawnOn: string | null;

  /** Workers whose current sponsor this is, whatever their status. */
  @Column({ name: 'workers_registered', type: 'integer' })
  workersRegistered: number;

  /** Of those, the workers whose status is ACTIVE. */
  @Column({ name: 'workers_active', type: 'integer' })
  workersActive: number;

  /** Rupiah of the premiums this sponsor paid (PremiumPaid with this sponsor as payer). */
  @Column({ name: 'premiums_paid', type: 'bigint', transformer: safeIntegerTransformer })
  premiumsPaid: number;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
