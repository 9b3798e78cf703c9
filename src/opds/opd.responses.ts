import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';

export class OpdAnswerDto extends PositionDto {
  @ApiProperty({ example: 'DINKES' })
  code: string;
}
