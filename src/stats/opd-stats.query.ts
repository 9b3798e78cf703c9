import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type OpdParticipation, readOpdParticipation } from '../../projections/opd-participation/opd-participation.query';

export class OpdStatsQuery extends Query<{ items: OpdParticipation[] }> {}

@QueryHandler(OpdStatsQuery)
export class OpdStatsHandler implements IQueryHandler<OpdStatsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<{ items: OpdParticipation[] }> {
    return { items: await readOpdParticipation(this.db) };
  }
}
