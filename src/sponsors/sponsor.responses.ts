import { ApiProperty } from '@nestjs/swagger';
import { PositionDto } from '../http/openapi';

export class SponsorAnswerDto extends PositionDto {
  @ApiProperty({ format: 'uuid' })
  sponsorId: string;
}

export class SponsorViewDto {
  @ApiProperty({ format: 'uuid' })
  sponsorId: string;

  @ApiProperty({ example: 'Sri Wahyuni' })
  fullName: string;

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
