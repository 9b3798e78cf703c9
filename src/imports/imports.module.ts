import { Module } from '@nestjs/common';
import { ImportJobsStore } from './import-jobs.store';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

/** Bulk import of workers and payments from CSV files (the job API; the CLI uses the same service). */
@Module({
  controllers: [ImportsController],
  providers: [ImportJobsStore, ImportsService],
  exports: [ImportsService],
})
export class ImportsModule {}
