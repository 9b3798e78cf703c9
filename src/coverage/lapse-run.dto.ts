import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../http/validators';

export class LapseRunDto {
  @ApiPropertyOptional({ example: '2026-11-16', description: 'Defaults to today (Asia/Jakarta); never in the future' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}
