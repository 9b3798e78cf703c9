import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';

export class LapseRunAnswerDto extends PositionDto {
  @ApiProperty({ example: '2026-11-16' })
  asOf: string;

  @ApiProperty({ description: 'Workers that moved to LAPSED' })
  lapsed: number;

  @ApiProperty({ description: 'Workers that moved to ENDED (straight from ACTIVE or PENDING included)' })
  ended: number;
}
