import { Column, Entity, PrimaryColumn } from 'typeorm';
import { safeIntegerTransformer } from '../column-transformers';

/** One row per OPD: participation of its ASN in the programme (definitions in domain.md). */
@Entity({ name: 'opd_participation' })
export class OpdParticipationRow {
  @PrimaryColumn({ name: 'opd_code', type: 'varchar', length: 32, primaryKeyConstraintName: 'opd_participation_pkey' })
  opdCode: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'registered_on', type: 'date' })
  registeredOn: string;

  /** The headcount with the latest `effectiveOn` (history in opd_headcount_history). */
  @Column({ name: 'pns_headcount', type: 'integer' })
  pnsHeadcount: number;

  @Column({ name: 'headcount_effective_on', type: 'date' })
  headcountEffectiveOn: string;

  /** Sponsors currently in this OPD and not withdrawn. */
  @Column({ name: 'sponsors_registered', type: 'integer' })
  sponsorsRegistered: number;

  /** Of those, sponsors with at least one ACTIVE worker. */
  @Column({ name: 'sponsors_active', type: 'integer' })
  sponsorsActive: number;

  /** Workers whose current sponsor is currently in this OPD. */
  @Column({ name: 'workers_registered', type: 'integer' })
  workersRegistered: number;

  @Column({ name: 'workers_active', type: 'integer' })
  workersActive: number;

  /** Rupiah paid by ASN sponsors while they belonged to this OPD (PremiumPaid.opdCode). */
  @Column({ name: 'premiums_collected', type: 'bigint', transformer: safeIntegerTransformer })
  premiumsCollected: number;

  /** Effective date of the retirement (OpdRetired); null while the OPD is current. */
  @Column({ name: 'retired_on', type: 'date', nullable: true })
  retiredOn: string | null;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition: string;
}
