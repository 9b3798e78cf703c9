import { ApiProperty } from '@nestjs/swagger';
import { COVERAGE_GROUPINGS } from '../../projections/coverage/coverage.query';

const RATE = 'A fraction rounded to 4 decimals';

export class WorkersByStatusDto {
  @ApiProperty() PENDING: number;
  @ApiProperty() ACTIVE: number;
  @ApiProperty() LAPSED: number;
  @ApiProperty() ENDED: number;
}

export class CitySummaryDto {
  @ApiProperty({ example: 8031, description: 'PNS of every OPD not retired (current headcounts)' })
  pnsHeadcount: number;

  @ApiProperty({ example: 120, description: 'ASN registered as sponsors and not withdrawn' })
  sponsorsRegistered: number;

  @ApiProperty({ example: 90, description: 'Sponsors with at least one ACTIVE worker' })
  sponsorsActive: number;

  @ApiProperty({ example: 0.0149, description: `sponsorsRegistered / pnsHeadcount. ${RATE}` })
  participationRate: number;

  @ApiProperty({ example: 0.0112, description: `sponsorsActive / pnsHeadcount. ${RATE}` })
  activeParticipationRate: number;

  @ApiProperty({ example: 63, description: 'OPDs not retired' })
  opdsTotal: number;

  @ApiProperty({ example: 41, description: 'OPDs not retired with at least one registered sponsor' })
  opdsParticipating: number;

  @ApiProperty({ example: 22, description: 'OPDs not retired without a registered sponsor' })
  opdsNotParticipating: number;

  @ApiProperty({ example: 458, description: 'Every worker enrolled (every funding source)' })
  workersRegistered: number;

  @ApiProperty({ example: 313, description: 'Workers with status ACTIVE' })
  workersActive: number;

  @ApiProperty({ example: 145, description: 'PENDING + LAPSED + ENDED' })
  workersInactive: number;

  @ApiProperty({ type: WorkersByStatusDto })
  workersByStatus: WorkersByStatusDto;

  @ApiProperty({ description: 'Rupiah of every payment, whatever its funding source' })
  premiumsCollected: number;
}

export class OpdStatsItemDto {
  @ApiProperty({ example: 'DINKES' }) opdCode: string;
  @ApiProperty({ example: 'Dinas Kesehatan' }) name: string;
  @ApiProperty({ example: 'DINAS' }) kind: string;
  @ApiProperty() pnsHeadcount: number;
  @ApiProperty() sponsorsRegistered: number;
  @ApiProperty() sponsorsActive: number;
  @ApiProperty({ description: RATE }) participationRate: number;
  @ApiProperty({ description: RATE }) activeParticipationRate: number;
  @ApiProperty({ description: 'Workers whose current sponsor is in this OPD' }) workersRegistered: number;
  @ApiProperty() workersActive: number;
  @ApiProperty({ description: 'Rupiah paid by ASN sponsors while they belonged to this OPD' }) premiumsCollected: number;
  @ApiProperty({ description: 'At least one registered sponsor' }) participating: boolean;
}

export class OpdStatsDto {
  @ApiProperty({ type: [OpdStatsItemDto], description: 'Every OPD not retired, in code order' })
  items: OpdStatsItemDto[];
}

export class CoverageItemDto {
  @ApiProperty({ nullable: true, type: String, description: 'The group; for groupBy=opd, null gathers workers not funded by an ASN' })
  key: string | null;
  @ApiProperty() registered: number;
  @ApiProperty() active: number;
  @ApiProperty() inactive: number;
  @ApiProperty({ type: WorkersByStatusDto }) byStatus: WorkersByStatusDto;
}

export class CoverageStatsDto {
  @ApiProperty({ enum: COVERAGE_GROUPINGS })
  groupBy: string;

  @ApiProperty({ type: [CoverageItemDto] })
  items: CoverageItemDto[];
}

export class MonthlyItemDto {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty({ description: 'Enrolments and re-enrolments dated in the month' }) enrolments: number;
  @ApiProperty({ description: 'Payments dated in the month' }) payments: number;
  @ApiProperty({ description: 'Their rupiah' }) amount: number;
  @ApiProperty({ description: 'Workers who lapsed in the month (the day after the due date of their first unpaid month)' }) lapses: number;
  @ApiProperty({ description: 'Memberships that ended in the month (arrears window passed, or withdrawn)' }) ends: number;
  @ApiProperty({ description: 'Payments reversed in the month (by reversedOn)' }) reversals: number;
  @ApiProperty({ description: 'Rupiah of the payments reversed in the month; `amount` stays the gross of payments' }) reversedAmount: number;
}

export class MonthlyStatsDto {
  @ApiProperty({ type: [MonthlyItemDto] })
  items: MonthlyItemDto[];
}
