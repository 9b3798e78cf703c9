import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMPORT_KINDS } from './import-file';

export class ImportStartedDto {
  @ApiProperty({ format: 'uuid' })
  importId: string;
}

export class ImportRowErrorDto {
  @ApiProperty({ example: 7, description: 'Row number as a spreadsheet shows it: the header is row 1' })
  row: number;

  @ApiProperty({ example: 'birthDate', description: 'The column at fault ("row" when the row has a field too many or too few)' })
  field: string;

  @ApiProperty({ example: 'AGE_LIMIT_EXCEEDED', description: 'The error code the single-record endpoint would answer' })
  code: string;

  @ApiProperty()
  message: string;
}

export class ImportReportDto {
  @ApiProperty({ format: 'uuid' })
  importId: string;

  @ApiProperty({ enum: IMPORT_KINDS })
  kind: string;

  @ApiProperty()
  dryRun: boolean;

  @ApiProperty({ enum: ['RUNNING', 'DONE', 'FAILED'] })
  status: string;

  @ApiProperty({ description: 'Data rows in the file' })
  rows: number;

  @ApiProperty({ description: 'Rows decided so far' })
  processed: number;

  @ApiProperty({ description: 'Rows recorded (a dry run: rows that would be)' })
  accepted: number;

  @ApiProperty({ description: 'Rows already in the ledger with the same content: nothing recorded' })
  duplicates: number;

  @ApiProperty()
  rejected: number;

  @ApiProperty({ type: [ImportRowErrorDto] })
  errors: ImportRowErrorDto[];

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  finishedAt: string | null;

  @ApiPropertyOptional({ example: '48213', description: "Log position of the job's last recorded row: read with minPosition set to it to see every row" })
  position?: string;

  @ApiPropertyOptional({ description: 'Why a FAILED job stopped (rows before it are recorded; import the file again)' })
  failure?: string;
}
