import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../http/validators';

/** An erasure request as the secretariat records it: why, and the reference of the request (letter, ticket). */
export class ErasureRequestDto {
  @ApiProperty({ example: 'Permintaan penghapusan data oleh ahli waris' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;

  @ApiProperty({ example: 'PDP/2026/0042' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  requestRef: string;
}
