import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { withNames } from '../read-models/personal-columns';
import { DomainError } from '../shared/domain-error';
import { SPONSOR_VIEW_COLUMNS, type SponsorView, type SponsorViewRow } from './sponsor-view';

export class GetSponsorQuery extends Query<SponsorView> {
  constructor(readonly sponsorId: string) {
    super();
  }
}

@QueryHandler(GetSponsorQuery)
export class GetSponsorHandler implements IQueryHandler<GetSponsorQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ sponsorId }: GetSponsorQuery): Promise<SponsorView> {
    const rows: SponsorViewRow[] = await this.db.query(`SELECT ${SPONSOR_VIEW_COLUMNS} FROM sponsor_summary WHERE sponsor_id = $1`, [sponsorId]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known (yet: pass minPosition to wait for a recent command)`);
    return (await withNames(this.vault, rows))[0];
  }
}
