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

  @ApiProperty({ example: '3374**********01', nullable: true, type: String, description: 'The NIK, masked: first 4 and last 2 digits; null once erased' })
  nikMasked: string | null;

  @ApiProperty({ example: 'Siti Aminah', nullable: true, type: String, description: 'null once erased' })
  fullName: string | null;

  @ApiProperty({ description: 'Personal data erased on request: no longer counted as registered' })
  erased: boolean;

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

export class WorkerErasureAnswerDto extends WorkerAnswerDto {
  @ApiProperty({ example: '2026-11-23T03:00:00.000Z', description: 'When the erasure was recorded' })
  erasedAt: string;
}

export class AccessLogEntryDto {
  @ApiProperty() at: string;
  @ApiProperty({ example: 'admin-1', description: 'The API key that read the data' }) principal: string;
  @ApiProperty({ example: 'GET /v1/workers/:workerId' }) route: string;
}

export class WorkerPersonalFieldsDto {
  @ApiProperty({ example: '3374015203900001' }) nik: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ example: '1990-03-12' }) birthDate: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
}

export class WorkerPersonalDataDto {
  @ApiProperty({ format: 'uuid' }) workerId: string;
  @ApiProperty() erased: boolean;
  @ApiProperty({ type: WorkerPersonalFieldsDto, nullable: true, description: 'null once erased' }) personal: WorkerPersonalFieldsDto | null;
  @ApiProperty({ type: [AccessLogEntryDto], description: 'Newest first' }) accessLog: AccessLogEntryDto[];
}
