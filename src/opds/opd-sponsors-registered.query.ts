import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How many registered (not withdrawn) sponsors the opd_participation read model counts in an OPD. */
export class OpdSponsorsRegisteredQuery extends Query<number> {
  constructor(readonly opdCode: string) {
    super();
  }
}

@QueryHandler(OpdSponsorsRegisteredQuery)
export class OpdSponsorsRegisteredHandler implements IQueryHandler<OpdSponsorsRegisteredQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ opdCode }: OpdSponsorsRegisteredQuery): Promise<number> {
    const [row]: { sponsors: number }[] = await this.db.query(
      `SELECT sponsors_registered AS sponsors FROM opd_participation WHERE opd_code = $1`,
      [opdCode],
    );
    return row?.sponsors ?? 0;
  }
}
