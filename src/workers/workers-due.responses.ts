import { ApiProperty } from '@nestjs/swagger';
import { FUNDING_SOURCES } from './worker.events';

const REFUSED = 'null when that payment would be refused: a period ASUH_PAYMENT_PERIODS does not allow, or past the prepay limit';

/** What a payment made on asOf would cost, by its number of months: exact rupiah, each month at its dated tariff. */
export class DueAmountsDto {
  @ApiProperty({ name: '1', type: Number, nullable: true, example: 16800, description: `1 month from firstUnpaidMonth; ${REFUSED}` })
  '1': number | null;

  @ApiProperty({ name: '3', type: Number, nullable: true, example: 50400, description: `3 months; ${REFUSED}` })
  '3': number | null;

  @ApiProperty({ name: '6', type: Number, nullable: true, example: 100800, description: `6 months; ${REFUSED}` })
  '6': number | null;

  @ApiProperty({ name: '12', type: Number, nullable: true, example: 201600, description: `12 months; ${REFUSED}` })
  '12': number | null;
}

export class DueItemDto {
  @ApiProperty({ format: 'uuid' })
  workerId: string;

  @ApiProperty({ example: 'Siti Aminah', nullable: true, type: String, description: 'Written to the personal-data access log' })
  fullName: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sponsorId: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'DINKES', description: "The current sponsor's OPD; null when not ASN-funded" })
  opdCode: string | null;

  @ApiProperty({ enum: FUNDING_SOURCES })
  fundingSource: string;

  @ApiProperty({ enum: ['PENDING', 'ACTIVE', 'LAPSED'], description: 'The status as of asOf by the rules (ENDED workers are never due)' })
  status: string;

  @ApiProperty({ example: '2026-12', description: 'U: the first unpaid month of the current membership' })
  firstUnpaidMonth: string;

  @ApiProperty({ example: '2026-12-15', description: "U's due date (ASUH_DUE_DAY of U)" })
  dueOn: string;

  @ApiProperty({ example: 22, description: 'dueOn − asOf in days; negative once the due date has passed' })
  daysUntilDue: number;

  @ApiProperty({ example: 0, description: "Unpaid months from U through asOf's month whose due date has passed" })
  arrearsMonths: number;

  @ApiProperty({ type: DueAmountsDto, description: 'Exact amount of a 1-, 3-, 6- or 12-month payment made on asOf (arrears first)' })
  amountFor: DueAmountsDto;
}

export class DueListDto {
  @ApiProperty({ example: '2026-11-23' })
  asOf: string;

  @ApiProperty({ type: [DueItemDto], description: 'Ordered by dueOn, then workerId' })
  items: DueItemDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page (same asOf, within and filters); null on the last' })
  nextCursor: string | null;
}
