import { Module } from '@nestjs/common';
import { SetUcjTargetHandler } from './set-ucj-target.handler';
import { UcjStatsController, UcjTargetController } from './ucj.controller';
import { UcjProgressHandler } from './ucj-progress.query';

/** UCJ (Universal Coverage Jamsostek): the city's target per year and its progress. */
@Module({
  controllers: [UcjTargetController, UcjStatsController],
  providers: [SetUcjTargetHandler, UcjProgressHandler],
})
export class UcjModule {}
