import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../http/validators';
import { ListQueryDto } from '../read-models/read-query.dto';
import { FUNDING_SOURCES, FundingSource, Gender, OCCUPATIONS, Occupation, WORKER_STATUSES, WorkerStatus } from './worker.events';

const KECAMATAN = /^3374\.(0[1-9]|1[0-6])$/;

export class EnrolWorkerDto {
  @ApiProperty({ example: '3374015203900001', description: 'NIK, 16 digits (any region of Indonesia)' })
  @IsString()
  @Matches(/^\d{16}$/, { message: 'nik must be 16 digits' })
  nik: string;

  @ApiProperty({ example: 'Sri Wahyuni' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: '1990-03-12' })
  @IsCalendarDate()
  birthDate: string;

  @ApiProperty({ enum: ['F', 'M'] })
  @IsIn(['F', 'M'])
  gender: Gender;

  @ApiProperty({ enum: OCCUPATIONS })
  @IsIn(OCCUPATIONS)
  occupation: Occupation;

  @ApiProperty({ example: '3374.01', description: 'Kecamatan code of domicile, 3374.01 … 3374.16' })
  @Matches(KECAMATAN, { message: 'kecamatan must be a Kota Semarang kecamatan code 3374.01 … 3374.16' })
  kecamatan: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ example: '081234567890' })
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone must be 8–15 digits' })
  phone?: string;

  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES)
  fundingSource: FundingSource;

  @ApiPropertyOptional({ description: 'Required when fundingSource is ASN_SPONSOR' })
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ example: '2026-03-10', description: 'Defaults to today; may be in the past, never in the future' })
  @IsOptional()
  @IsCalendarDate()
  enrolledOn?: string;
}

export class PayerDto {
  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES)
  type: FundingSource;

  @ApiPropertyOptional({ description: 'The paying ASN sponsor: required with type ASN_SPONSOR, refused with any other type' })
  @ValidateIf((_payer: PayerDto, value: unknown) => value !== undefined)
  @ValidateBy({
    name: 'onlyForAsnSponsor',
    validator: {
      validate: (_value: unknown, args) => (args?.object as PayerDto | undefined)?.type === 'ASN_SPONSOR',
      defaultMessage: () => 'sponsorId is given only with type ASN_SPONSOR',
    },
  })
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ description: 'Company or foundation (type CSR)' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;
}

const PAYMENT_REF = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,79}$/;
const PAYMENT_REF_MESSAGE = 'paymentRef must be 1–80 letters, digits, . _ / -';

export class PayPremiumDto {
  @ApiProperty({ example: 'BPJS-2026-03-000123', description: 'Receipt number, unique across the programme' })
  @IsString()
  @Matches(PAYMENT_REF, { message: PAYMENT_REF_MESSAGE })
  paymentRef: string;

  @ApiProperty({ example: 3, description: 'Months covered: 1, 3, 6 or 12 (policy)' })
  @IsInt()
  months: number;

  @ApiProperty({ example: 50400, description: 'Integer rupiah: the dated tariff summed over the months covered' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  amount: number;

  @ApiProperty({ example: '2026-03-12' })
  @IsCalendarDate()
  paidOn: string;

  @ApiProperty({ type: PayerDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => PayerDto)
  payer: PayerDto;
}

/** Path parameters of a payment's own routes. */
export class PaymentRefParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  workerId: string;

  @ApiProperty({ example: 'BPJS-2026-03-000123' })
  @IsString()
  @Matches(PAYMENT_REF, { message: PAYMENT_REF_MESSAGE })
  paymentRef: string;
}

export class ChangeSponsorDto {
  @ApiProperty()
  @IsUUID()
  sponsorId: string;
}

export class ReenrolDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'Defaults to today' })
  @IsOptional()
  @IsCalendarDate()
  enrolledOn?: string;
}

export class WithdrawWorkerDto {
  @ApiProperty({ example: 'Meninggal dunia', description: 'Why the membership ends (death, moved away, …)' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}

const REASON = { example: 'Salah ketik saat pendaftaran', description: 'Why: kept with the event for the auditors' };

/** PATCH /v1/workers/{id}: the corrected values; only those that differ from the record are recorded. */
export class CorrectWorkerDto {
  @ApiPropertyOptional({ example: 'Sri Wahyuningsih' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional({ example: '081234567890' })
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone must be 8–15 digits' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ example: '3374.05' })
  @IsOptional()
  @Matches(KECAMATAN, { message: 'kecamatan must be a Kota Semarang kecamatan code 3374.01 … 3374.16' })
  kecamatan?: string;

  @ApiPropertyOptional({ enum: OCCUPATIONS })
  @IsOptional()
  @IsIn(OCCUPATIONS)
  occupation?: Occupation;

  @ApiPropertyOptional({ example: '1990-03-12', description: 'Must still agree with the NIK (422 NIK_MISMATCH)' })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ enum: ['F', 'M'], description: 'Must still agree with the NIK (422 NIK_MISMATCH)' })
  @IsOptional()
  @IsIn(['F', 'M'])
  gender?: Gender;

  @ApiProperty(REASON)
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}

export class ChangeFundingDto {
  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES)
  fundingSource: FundingSource;

  @ApiPropertyOptional({ description: 'Required with ASN_SPONSOR, refused otherwise' })
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ example: '2026-07-01', description: 'Defaults to today; never in the future nor before the enrolment' })
  @IsOptional()
  @IsCalendarDate()
  effectiveOn?: string;

  @ApiProperty({ ...REASON, example: 'Diangkat oleh ASN Dinas Kesehatan' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}

export class ReversePaymentDto {
  @ApiProperty({ ...REASON, example: 'Transfer ditolak bank (bounced)' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ example: '2026-07-02', description: 'Defaults to today; not before the payment date' })
  @IsOptional()
  @IsCalendarDate()
  reversedOn?: string;
}

export class WorkerListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: WORKER_STATUSES })
  @IsOptional()
  @IsIn(WORKER_STATUSES)
  status?: WorkerStatus;

  @ApiPropertyOptional({ example: 'DINKES' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'opdCode must be an OPD code' })
  opdCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ example: '3374.01' })
  @IsOptional()
  @Matches(KECAMATAN, { message: 'kecamatan must be a code 3374.01 … 3374.16' })
  kecamatan?: string;

  @ApiPropertyOptional({ example: '3374015203900001', description: 'Exact NIK (admin, operator): 0 or 1 item' })
  @IsOptional()
  @Matches(/^\d{16}$/, { message: 'nik must be 16 digits' })
  nik?: string;

  @ApiPropertyOptional({ example: 'wahyu', description: 'Part of the name, any case, at least 3 characters (admin, operator)' })
  @IsOptional()
  @IsString()
  @Matches(/^(?=(?:.*[\p{L}\p{N}]){3}).{3,100}$/u, { message: 'q must have at least 3 letters or digits (and at most 100 characters)' })
  q?: string;
}
