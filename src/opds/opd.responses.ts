import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';
import { OPD_KINDS } from './opd.events';

export class OpdAnswerDto extends PositionDto {
  @ApiProperty({ example: 'DINKES' })
  code: string;
}

export class OpdViewDto {
  @ApiProperty({ example: 'DINKES' })
  code: string;

  @ApiProperty({ example: 'Dinas Kesehatan' })
  name: string;

  @ApiProperty({ enum: OPD_KINDS, enumName: 'OpdKind', example: 'DINAS' })
  kind: string;

  @ApiProperty({ example: 412, description: 'Current PNS headcount (the one with the latest effective date)' })
  pnsHeadcount: number;

  @ApiProperty({ description: 'Retired (OpdRetired): counted in no city figure, accepts no sponsor' })
  retired: boolean;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: null, description: 'Effective date of the retirement; null while current' })
  retiredOn: string | null;
}

export class OpdListDto {
  @ApiProperty({ type: [OpdViewDto], description: 'Every OPD in code order, retired ones flagged' })
  items: OpdViewDto[];
}

export class HeadcountEntryDto {
  @ApiProperty({ example: 412 })
  pnsHeadcount: number;

  @ApiProperty({ format: 'date', example: '2026-07-01' })
  effectiveOn: string;
}

export class OpdDetailDto extends OpdViewDto {
  @ApiProperty({ type: [HeadcountEntryDto], description: 'Every headcount the OPD was given, oldest effective date first' })
  headcountHistory: HeadcountEntryDto[];
}
