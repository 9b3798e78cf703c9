import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { equals, keysetPage } from '../read-models/keyset-page';
import { withNames } from '../read-models/personal-columns';
import type { Page } from '../read-models/read-query.dto';
import { SPONSOR_VIEW_COLUMNS, type SponsorView, type SponsorViewRow } from './sponsor-view';

export interface SponsorFilters {
  opdCode?: string;
  /** Exact NIP, found through its keyed hash. */
  nip?: string;
}

export class ListSponsorsQuery extends Query<Page<SponsorView>> {
  constructor(
    readonly filters: SponsorFilters,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListSponsorsQuery)
export class ListSponsorsHandler implements IQueryHandler<ListSponsorsQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ filters, limit, cursor }: ListSponsorsQuery): Promise<Page<SponsorView>> {
    const page = await keysetPage<SponsorViewRow & Record<string, unknown>>(
      this.db,
      { select: SPONSOR_VIEW_COLUMNS, table: 'sponsor_summary', key: 'sponsor_id', idField: 'sponsorId' },
      {
        conditions: [
          equals('opd_code', filters.opdCode),
          equals('nip_hash', filters.nip === undefined ? undefined : this.vault.digest('nip', filters.nip)),
        ],
      },
      cursor,
      limit,
    );
    return { items: (await withNames(this.vault, page.items)) as unknown as SponsorView[], nextCursor: page.nextCursor };
  }
}
