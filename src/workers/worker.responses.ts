import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';
import { FUNDING_SOURCES, OCCUPATIONS, WORKER_STATUSES } from './worker.events';

const STATUS = { enum: WORKER_STATUSES, enumName: 'WorkerStatus', description: 'PENDING, ACTIVE, LAPSED or ENDED (see the API description)' };

export class WorkerAnswerDto extends PositionDto {
  @ApiProperty({ format: 'uuid' })
  workerId: string;
}

export class PaymentAnswerDto extends WorkerAnswerDto {
  @ApiProperty({ example: 'BPJS-2026-03-000123' })
  paymentRef: string;

  @ApiProperty({ example: '2026-03', description: 'First contribution month covered' })
  coveredFrom: string;

  @ApiProperty({ example: '2026-05', description: 'Last contribution month covered' })
  coveredThrough: string;

  @ApiProperty({ example: 50400, description: 'Integer rupiah' })
  amount: number;

  @ApiProperty({ ...STATUS, description: "The worker's status right after the payment, as of paidOn" })
  status: string;
}

export class WorkerViewDto {
  @ApiProperty({ format: 'uuid' })
  workerId: string;

  @ApiProperty({ example: '3374**********01', description: 'The NIK, masked: first 4 and last 2 digits' })
  nikMasked: string;

  @ApiProperty({ example: 'Siti Aminah' })
  fullName: string;

  @ApiProperty({ enum: ['F', 'M'] })
  gender: string;

  @ApiProperty({ enum: OCCUPATIONS })
  occupation: string;

  @ApiProperty({ example: '3374.01' })
  kecamatan: string;

  @ApiProperty({ enum: FUNDING_SOURCES })
  fundingSource: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sponsorId: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'DINKES', description: "The current sponsor's OPD; null when not ASN-funded" })
  opdCode: string | null;

  @ApiProperty(STATUS)
  status: string;

  @ApiProperty({ example: '2026-03-10', description: 'Start of the current membership period' })
  enrolledOn: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-05' })
  paidThrough: string | null;

  @ApiProperty({ example: 3, description: 'Contribution months paid over every membership period' })
  monthsContributed: number;

  @ApiProperty({ nullable: true, type: String, example: '2026-03-12' })
  lastPaymentOn: string | null;
}

export class WorkerPageDto {
  @ApiProperty({ type: [WorkerViewDto] })
  items: WorkerViewDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
