import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CitySummary, readCitySummary } from '../../projections/city-summary/city-summary.query';

export class CitySummaryQuery extends Query<CitySummary> {}

@QueryHandler(CitySummaryQuery)
export class CitySummaryHandler implements IQueryHandler<CitySummaryQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(): Promise<CitySummary> {
    return readCitySummary(this.db);
  }
}
