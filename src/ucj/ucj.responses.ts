import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';

export class UcjTargetAnswerDto extends PositionDto {
  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({ example: 100000 })
  target: number;
}

/** Covered workers by their current funding source. */
export class UcjBySourceDto {
  @ApiProperty({ example: 90 }) ASN_SPONSOR: number;
  @ApiProperty({ example: 7217 }) APBD: number;
  @ApiProperty({ example: 1200 }) DBHCHT: number;
  @ApiProperty({ example: 40 }) CSR: number;
  @ApiProperty({ example: 12 }) SELF: number;
}

export class UcjProgressDto {
  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({ example: 100000, description: "The year's target (UcjTargetSet), else ASUH_UCJ_TARGET" })
  target: number;

  @ApiProperty({ example: 8559, description: 'Registered workers whose status is ACTIVE now, every funding source' })
  covered: number;

  @ApiProperty({ example: 0.0856, description: 'covered / target, a fraction rounded to 4 decimals (may exceed 1)' })
  progress: number;

  @ApiProperty({ type: UcjBySourceDto, description: 'covered split by current funding source' })
  bySource: UcjBySourceDto;
}
