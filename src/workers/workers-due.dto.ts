import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../http/validators';
import { ListQueryDto } from '../read-models/read-query.dto';

export const DUE_FORMATS = ['json', 'csv'] as const;
export type DueFormat = (typeof DUE_FORMATS)[number];

export const DEFAULT_DUE_WITHIN = 30;

/** Digits only become a number; anything else ('', '-1', '1.5', 'abc', a repeated parameter) is refused as it came. */
const wholeNumberText = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value);

export class WorkersDueQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    default: DEFAULT_DUE_WITHIN,
    minimum: 0,
    maximum: 365,
    description: "ACTIVE workers are listed when their first unpaid month's due date is at most this many days after asOf",
  })
  @IsOptional()
  @Transform(wholeNumberText)
  @IsInt({ message: 'within must be a whole number of days from 0 to 365' })
  @Min(0, { message: 'within must be a whole number of days from 0 to 365' })
  @Max(365, { message: 'within must be a whole number of days from 0 to 365' })
  within?: number;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'The day the list is for (YYYY-MM-DD): today (default) up to 366 days ahead' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ description: "Only workers of this ASN sponsor (the current one)" })
  @IsOptional()
  @IsUUID()
  sponsorId?: string;

  @ApiPropertyOptional({ example: 'DINKES', description: "Only workers whose current sponsor is in this OPD" })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'opdCode must be an OPD code' })
  opdCode?: string;

  @ApiPropertyOptional({ enum: DUE_FORMATS, default: 'json', description: 'csv: the whole list as text/csv (limit and cursor do not apply)' })
  @IsOptional()
  @IsIn(DUE_FORMATS, { message: 'format must be json or csv' })
  format?: DueFormat;
}
