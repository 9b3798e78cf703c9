import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { keysetPage } from '../read-models/keyset-page';
import type { Page } from '../read-models/read-query.dto';
import { SPONSOR_VIEW_COLUMNS, type SponsorView } from './sponsor-view';

export class ListSponsorsQuery extends Query<Page<SponsorView>> {
  constructor(
    readonly opdCode: string | undefined,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListSponsorsQuery)
export class ListSponsorsHandler implements IQueryHandler<ListSponsorsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute({ opdCode, limit, cursor }: ListSponsorsQuery): Promise<Page<SponsorView>> {
    return keysetPage<SponsorView & Record<string, unknown>>(
      this.db,
      { select: SPONSOR_VIEW_COLUMNS, table: 'sponsor_summary', key: 'sponsor_id', idField: 'sponsorId' },
      [['opd_code', opdCode]],
      cursor,
      limit,
    );
  }
}
