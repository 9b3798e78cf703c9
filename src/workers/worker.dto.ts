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

export class PayPremiumDto {
  @ApiProperty({ example: 'BPJS-2026-03-000123', description: 'Receipt number, unique across the programme' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._\/-]{0,79}$/, { message: 'paymentRef must be 1–80 letters, digits, . _ / -' })
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
}
