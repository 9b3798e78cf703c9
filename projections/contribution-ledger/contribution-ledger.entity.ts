import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { FundingSource } from '../../src/workers/worker.events';
import { safeIntegerTransformer } from '../column-transformers';

export type LedgerLineKind = 'PAYMENT' | 'REVERSAL';

/**
 * The contribution ledger, for auditors: one line per PremiumPaid and one per PremiumPaymentReversed (a
 * reversal line carries the negative months and amount of its payment), ordered by the date each is booked on.
 */
@Entity({ name: 'contribution_ledger' })
@Unique('contribution_ledger_payment_ref_kind_key', ['paymentRef', 'kind'])
@Index('contribution_ledger_booked_on_idx', ['bookedOn', 'position'])
@Index('contribution_ledger_worker_id_idx', ['workerId', 'position'])
@Index('contribution_ledger_sponsor_id_idx', ['sponsorId', 'position'])
@Index('contribution_ledger_opd_code_idx', ['opdCode', 'position'])
export class ContributionLedgerRow {
  /** Log position of the PremiumPaid event (decimal string). */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'contribution_ledger_pkey' })
  position: string;

  @Column({ type: 'varchar', length: 8 })
  kind: LedgerLineKind;

  @Column({ name: 'payment_ref', type: 'text' })
  paymentRef: string;

  @Column({ name: 'worker_id', type: 'uuid' })
  workerId: string;

  /** The paying ASN sponsor; null for other funding sources. */
  @Column({ name: 'sponsor_id', type: 'uuid', nullable: true })
  sponsorId: string | null;

  /** The paying sponsor's OPD at payment time; null for other funding sources. */
  @Column({ name: 'opd_code', type: 'varchar', length: 32, nullable: true })
  opdCode: string | null;

  @Column({ name: 'funding_source', type: 'varchar', length: 16 })
  fundingSource: FundingSource;

  /** Named payer (CSR company or foundation), when given. */
  @Column({ name: 'payer_name', type: 'text', nullable: true })
  payerName: string | null;

  /** The line's date: paidOn for a payment, reversedOn for a reversal. */
  @Column({ name: 'booked_on', type: 'date' })
  bookedOn: string;

  /** The payment's date (for a reversal line, the date of the payment it reverses). */
  @Column({ name: 'paid_on', type: 'date' })
  paidOn: string;

  @Column({ name: 'reversed_on', type: 'date', nullable: true })
  reversedOn: string | null;

  /** Why a payment was reversed; null on payment lines. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Negative on a reversal line. */
  @Column({ type: 'smallint' })
  months: number;

  @Column({ name: 'covered_from', type: 'varchar', length: 7 })
  coveredFrom: string;

  @Column({ name: 'covered_through', type: 'varchar', length: 7 })
  coveredThrough: string;

  /** Integer rupiah; negative on a reversal line. */
  @Column({ type: 'bigint', transformer: safeIntegerTransformer })
  amount: number;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;
}
