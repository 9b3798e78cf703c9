import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../http/validators';
import { ROLES } from '../shared/roles';
import { KEY_NAME } from './api-key.decider';

const OPD_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** The shape only; which combinations are allowed is the decider's (api-key.decider.ts). */
export class IssueApiKeyDto {
  @ApiProperty({
    example: 'dinkes-coordinator',
    description: 'Unique among every key, managed or configured, for good (a revoked key keeps its name): the recordedBy of the events its requests cause. 2–64 lower-case letters, digits, ".", "_" or "-".',
  })
  @IsString()
  @Matches(KEY_NAME, { message: 'name must be 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit' })
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'operator' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: string;

  @ApiPropertyOptional({ example: 'DINKES', description: 'Operator keys only: the key acts only within this OPD (registered, not retired)' })
  @IsOptional()
  @IsString()
  @Matches(OPD_CODE, { message: 'opdCode must be an OPD code' })
  opdCode?: string;

  @ApiPropertyOptional({ example: '2027-06-30', description: 'The last day the key works (Asia/Jakarta); after today. Default: no expiry' })
  @IsOptional()
  @IsCalendarDate()
  expiresOn?: string;
}

export class RevokeApiKeyDto {
  @ApiProperty({ example: 'Koordinator pindah tugas' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}
