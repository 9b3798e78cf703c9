import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain-error';
import { SPONSOR_VIEW_COLUMNS, type SponsorView } from './sponsor-view';

export class GetSponsorQuery extends Query<SponsorView> {
  constructor(readonly sponsorId: string) {
    super();
  }
}

@QueryHandler(GetSponsorQuery)
export class GetSponsorHandler implements IQueryHandler<GetSponsorQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ sponsorId }: GetSponsorQuery): Promise<SponsorView> {
    const rows: SponsorView[] = await this.db.query(`SELECT ${SPONSOR_VIEW_COLUMNS} FROM sponsor_summary WHERE sponsor_id = $1`, [sponsorId]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known (yet: pass minPosition to wait for a recent command)`);
    return rows[0];
  }
}
