import { Module } from '@nestjs/common';
import { CitySummaryHandler } from './city-summary.query';
import { CoverageStatsHandler } from './coverage-stats.query';
import { MonthlyStatsHandler } from './monthly-stats.query';
import { OpdStatsHandler } from './opd-stats.query';
import { StatsController } from './stats.controller';

const queryHandlers = [CitySummaryHandler, OpdStatsHandler, CoverageStatsHandler, MonthlyStatsHandler];

/** Aggregate statistics for analysts and leadership: no personal data. */
@Module({ controllers: [StatsController], providers: queryHandlers })
export class StatsModule {}
