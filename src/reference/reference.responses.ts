import { ApiProperty } from '@nestjs/swagger';

export class KecamatanDto {
  @ApiProperty({ example: '3374.01' }) code: string;
  @ApiProperty({ example: 'Semarang Tengah' }) name: string;
}

export class KecamatanListDto {
  @ApiProperty({ type: [KecamatanDto] }) items: KecamatanDto[];
}

export class OccupationDto {
  @ApiProperty({ example: 'DOMESTIC_HELPER' }) code: string;
  @ApiProperty({ example: 'Asisten rumah tangga', description: 'Label in Bahasa Indonesia' }) label: string;
}

export class OccupationListDto {
  @ApiProperty({ type: [OccupationDto] }) items: OccupationDto[];
}
