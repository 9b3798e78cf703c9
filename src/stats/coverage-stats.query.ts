import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CoverageGrouping, type CoverageItem, readCoverage } from '../../projections/coverage/coverage.query';

export class CoverageStatsQuery extends Query<{ groupBy: CoverageGrouping; items: CoverageItem[] }> {
  constructor(readonly groupBy: CoverageGrouping) {
    super();
  }
}

@QueryHandler(CoverageStatsQuery)
export class CoverageStatsHandler implements IQueryHandler<CoverageStatsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ groupBy }: CoverageStatsQuery) {
    return { groupBy, items: await readCoverage(this.db, groupBy) };
  }
}
