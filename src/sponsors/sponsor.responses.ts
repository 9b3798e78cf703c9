import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';

export class SponsorAnswerDto extends PositionDto {
  @ApiProperty({ format: 'uuid' })
  sponsorId: string;
}

export class SponsorViewDto {
  @ApiProperty({ format: 'uuid' })
  sponsorId: string;

  @ApiProperty({ example: 'Sri Wahyuni', nullable: true, type: String, description: 'null once erased' })
  fullName: string | null;

  @ApiProperty({ description: 'Personal data erased on request' })
  erased: boolean;

  @ApiProperty({ example: 'DINKES', description: 'The current OPD (follows transfers)' })
  opdCode: string;

  @ApiProperty({ enum: ['ACTIVE', 'WITHDRAWN'] })
  status: string;

  @ApiProperty({ description: 'Workers whose current sponsor this is' })
  workersRegistered: number;

  @ApiProperty({ description: 'Of those, workers with status ACTIVE' })
  workersActive: number;

  @ApiProperty({ description: 'Rupiah paid by this sponsor' })
  premiumsPaid: number;
}

export class SponsorPageDto {
  @ApiProperty({ type: [SponsorViewDto] })
  items: SponsorViewDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class SponsorErasureAnswerDto extends SponsorAnswerDto {
  @ApiProperty({ example: '2026-11-23T03:00:00.000Z' })
  erasedAt: string;
}

class SponsorAccessLogEntryDto {
  @ApiProperty() at: string;
  @ApiProperty() principal: string;
  @ApiProperty() route: string;
}

export class SponsorPersonalFieldsDto {
  @ApiProperty({ example: '198503122010011002' }) nip: string;
  @ApiProperty() fullName: string;
}

export class SponsorPersonalDataDto {
  @ApiProperty({ format: 'uuid' }) sponsorId: string;
  @ApiProperty() erased: boolean;
  @ApiProperty({ type: SponsorPersonalFieldsDto, nullable: true }) personal: SponsorPersonalFieldsDto | null;
  @ApiProperty({ type: [SponsorAccessLogEntryDto], description: 'Newest first' }) accessLog: SponsorAccessLogEntryDto[];
}
