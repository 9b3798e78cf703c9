import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '../http/validators';
import { ListQueryDto } from '../read-models/read-query.dto';

const OPD_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export class RegisterSponsorDto {
  @ApiProperty({ example: '198503122010011002', description: 'NIP (PNS or PPPK layout), 18 digits' })
  @IsString()
  @Matches(/^\d{18}$/, { message: 'nip must be 18 digits' })
  nip: string;

  @ApiProperty({ example: 'Siti Rahayu' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: 'DINKES' })
  @IsString()
  @Matches(OPD_CODE, { message: 'opdCode must be an OPD code' })
  opdCode: string;
}

export class TransferSponsorDto {
  @ApiProperty({ example: 'DISBUDPAR' })
  @IsString()
  @Matches(OPD_CODE, { message: 'opdCode must be an OPD code' })
  opdCode: string;

  @ApiPropertyOptional({ example: '2026-08-01', description: 'Defaults to today; never in the future' })
  @IsOptional()
  @IsCalendarDate()
  effectiveOn?: string;
}

export class WithdrawSponsorDto {
  @ApiProperty({ example: 'Pensiun' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason: string;
}

export class SponsorListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'DINKES' })
  @IsOptional()
  @Matches(OPD_CODE, { message: 'opdCode must be an OPD code' })
  opdCode?: string;

  @ApiPropertyOptional({ example: '198503122010011002', description: 'Exact NIP (admin, operator): 0 or 1 item' })
  @IsOptional()
  @Matches(/^\d{18}$/, { message: 'nip must be 18 digits' })
  nip?: string;
}
