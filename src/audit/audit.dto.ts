import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { ListQueryDto, ReadQueryDto } from '../read-models/read-query.dto';
import { IsCalendarDate, IsInstant, restoreZonePlus } from './audit-validation';

export class WorkerHistoryQueryDto extends ReadQueryDto {}

export class WorkerCoverageQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: '2026-06-20', description: 'Business date of the view (YYYY-MM-DD); defaults to today (Asia/Jakarta)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: '2026-07-01T00:00:00+07:00',
    description:
      'Only events recorded by this instant (ISO 8601 with zone): the view as the programme knew it then. ' +
      'Encode the + of an offset as %2B (a bare + read as a space is accepted too).',
  })
  @IsOptional()
  @Transform(({ value }) => restoreZonePlus(value))
  @IsInstant()
  knownAt?: string;
}

export const LEDGER_FORMATS = ['json', 'csv'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

/** Filters shared by the ledger export and a sponsor's payments. */
class PaidOnRangeDto extends ListQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First paidOn date included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last paidOn date included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class LedgerQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First paidOn date included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last paidOn date included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ example: 'DINKES', description: "The paying ASN sponsor's OPD at payment time" })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'opdCode is 2–40 uppercase letters, digits or _' })
  opdCode?: string;

  @ApiPropertyOptional({ description: 'The paying ASN sponsor' })
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  workerId?: string;

  @ApiPropertyOptional({ enum: LEDGER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(LEDGER_FORMATS)
  format?: LedgerFormat;
}

export class SponsorPaymentsQueryDto extends PaidOnRangeDto {}
