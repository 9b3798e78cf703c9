import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';
import { ROLES, type Role } from '../shared/roles';

export class IssuedApiKeyDto extends PositionDto {
  @ApiProperty({ format: 'uuid' })
  keyId: string;

  @ApiProperty({ example: 'dinkes-coordinator' })
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ type: String, nullable: true, example: 'DINKES', description: 'The OPD an operator key is bound to; null: city-wide' })
  opdCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2027-06-30', description: 'The last day the key works; null: no expiry' })
  expiresOn: string | null;

  @ApiProperty({
    example: 'asuh_3q2-7wKoVgYf8tXr1c0bN4hZsPq9LmEaD6uJkWy5TnI',
    description: 'The secret, shown this once and never again (the service keeps only a keyed hash of it): Authorization: Bearer <secret>',
  })
  secret: string;
}

export class RevokedApiKeyDto extends PositionDto {
  @ApiProperty({ format: 'uuid' })
  keyId: string;
}

export class ApiKeyViewDto {
  @ApiProperty({ format: 'uuid' })
  keyId: string;

  @ApiProperty({ example: 'dinkes-coordinator' })
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ type: String, nullable: true, example: 'DINKES' })
  opdCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2027-06-30' })
  expiresOn: string | null;

  @ApiProperty({ example: false })
  revoked: boolean;

  @ApiProperty({ example: '2026-11-23T03:00:00.000Z', description: 'When the key was issued' })
  createdAt: string;

  @ApiProperty({ example: 'admin-key', description: 'The key that issued it' })
  createdBy: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-24T01:12:00.000Z',
    description: 'When the key was last accepted, to the minute (written at most once a minute per key); null: never used',
  })
  lastUsedAt: string | null;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyViewDto] })
  items: ApiKeyViewDto[];
}
