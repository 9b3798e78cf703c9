import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FUNDING_SOURCES, WORKER_STATUSES } from '../workers/worker.events';

const STATUS = { enum: WORKER_STATUSES, enumName: 'WorkerStatus' };

export class LedgerRowDto {
  @ApiProperty({ enum: ['PAYMENT', 'REVERSAL'] }) kind: string;
  @ApiProperty() paymentRef: string;
  @ApiProperty({ format: 'uuid' }) workerId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The paying ASN sponsor' }) sponsorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The paying sponsor's OPD at payment time" }) opdCode: string | null;
  @ApiProperty({ enum: FUNDING_SOURCES }) fundingSource: string;
  @ApiProperty({ nullable: true, type: String, description: 'The named payer (CSR)' }) payerName: string | null;
  @ApiProperty({ example: '2026-03-12', description: 'The payment date (on a reversal line: of the payment it reverses)' }) paidOn: string;
  @ApiProperty({ nullable: true, type: String, description: "A reversal line's own date" }) reversedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the payment was reversed' }) reason: string | null;
  @ApiProperty({ description: 'Negative on a reversal line' }) months: number;
  @ApiProperty({ example: '2026-03' }) coveredFrom: string;
  @ApiProperty({ example: '2026-05' }) coveredThrough: string;
  @ApiProperty({ description: 'Integer rupiah; negative on a reversal line' }) amount: number;
  @ApiProperty() recordedAt: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ description: 'Log position of the event (decimal string)' }) position: string;
}

export class LedgerTotalsDto {
  @ApiProperty({ description: 'Payment lines' }) payments: number;
  @ApiProperty({ description: 'Reversal lines' }) reversals: number;
  @ApiProperty({ description: 'Net rupiah: payments less reversals' }) amount: number;
}

export class LedgerDto {
  @ApiProperty({ type: [LedgerRowDto] }) items: LedgerRowDto[];
  @ApiProperty({ type: LedgerTotalsDto }) totals: LedgerTotalsDto;
}

export class SponsorPaymentsDto {
  @ApiProperty({ format: 'uuid' }) sponsorId: string;
  @ApiProperty({ type: [LedgerRowDto] }) items: LedgerRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({ type: LedgerTotalsDto, description: 'Over the whole range, not only this page' }) totals: LedgerTotalsDto;
}

export class MismatchDto {
  @ApiProperty() table: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Primary key of the row' }) key: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'null: the row exists on one side only' }) column: string | null;
  @ApiProperty({ nullable: true, description: 'The live value (or row)' }) live: unknown;
  @ApiProperty({ nullable: true, description: 'The replayed value (or row)' }) replayed: unknown;
}

export class TableComparisonDto {
  @ApiProperty() table: string;
  @ApiProperty() liveRows: number;
  @ApiProperty() replayedRows: number;
  @ApiProperty() differingRows: number;
}

export class BrokenLinkDto {
  @ApiProperty() streamId: string;
  @ApiProperty() revision: string;
  @ApiProperty() position: string;
  @ApiProperty() eventId: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['MISSING_HASH', 'PREV_HASH_MISMATCH', 'HASH_MISMATCH', 'REVISION_GAP'] }) reason: string;
}

export class VerifyReportDto {
  @ApiProperty({ description: 'No mismatch and no broken chain' }) ok: boolean;
  @ApiProperty() eventsReplayed: number;
  @ApiProperty({ description: 'Log position at which live and replayed read models were compared' }) position: string;
  @ApiProperty() headPosition: string;
  @ApiProperty() liveCaughtUp: boolean;
  @ApiProperty({ type: [MismatchDto] }) mismatches: MismatchDto[];
  @ApiProperty({ type: [TableComparisonDto] }) tables: TableComparisonDto[];
  @ApiProperty() eventsHashed: number;
  @ApiProperty() streamsHashed: number;
  @ApiProperty({ type: [BrokenLinkDto] }) brokenChains: BrokenLinkDto[];
}

export class WorkerHistoryEntryDto {
  @ApiProperty({ example: '1849267404800001' })
  position: string;

  @ApiProperty({ example: '0' })
  revision: string;

  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty({ example: 'PremiumPaid' })
  type: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-03-12T00:00:00+07:00', description: 'Business time' })
  occurredAt: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'When the service recorded it' })
  recordedAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'dinkes-coordinator' })
  recordedBy: string | null;

  @ApiProperty({ nullable: true, type: String })
  correlationId: string | null;

  @ApiProperty({ nullable: true, type: String })
  causationId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event in its current shape; personal identifiers masked' })
  data: Record<string, unknown>;
}

export class WorkerHistoryDto {
  @ApiProperty({ format: 'uuid' })
  workerId: string;

  @ApiProperty({ type: [WorkerHistoryEntryDto] })
  events: WorkerHistoryEntryDto[];
}

export class PointInTimeCoverageDto {
  @ApiProperty({ format: 'uuid' })
  workerId: string;

  @ApiProperty({ example: '2026-06-20' })
  asOf: string;

  @ApiProperty({ nullable: true, type: String })
  knownAt: string | null;

  @ApiProperty({ ...STATUS, nullable: true, description: 'null: not enrolled as of asOf (or not yet recorded by knownAt)' })
  status: string | null;

  @ApiProperty({ nullable: true, type: String })
  enrolledOn: string | null;

  @ApiProperty({ nullable: true, type: String })
  paidThrough: string | null;

  @ApiProperty({ nullable: true, type: String })
  firstUnpaidMonth: string | null;

  @ApiProperty()
  monthsContributed: number;

  @ApiProperty({ enum: FUNDING_SOURCES, nullable: true })
  fundingSource: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sponsorId: string | null;

  @ApiProperty({ description: 'How many of the worker’s events the view was folded from' })
  eventsConsidered: number;

  @ApiPropertyOptional({ nullable: true, type: String })
  lastEventPosition: string | null;
}
