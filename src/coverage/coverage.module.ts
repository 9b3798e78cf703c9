import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoverageController } from './coverage.controller';
import { LapseSchedule } from './lapse-schedule';
import { RunLapseCheckHandler } from './run-lapse-check.handler';

/** Coverage over time: the lapse check, on demand and daily. */
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [CoverageController],
  providers: [RunLapseCheckHandler, LapseSchedule],
})
export class CoverageModule {}
