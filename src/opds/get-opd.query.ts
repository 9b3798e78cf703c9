import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain-error';
import { OPD_COLUMNS, OpdView } from './list-opds.query';

export interface OpdDetail extends OpdView {
  headcountHistory: { pnsHeadcount: number; effectiveOn: string }[];
}

export class GetOpdQuery extends Query<OpdDetail> {
  constructor(readonly code: string) {
    super();
  }
}

/** One OPD with every PNS headcount it was given, oldest first. */
@QueryHandler(GetOpdQuery)
export class GetOpdHandler implements IQueryHandler<GetOpdQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ code }: GetOpdQuery): Promise<OpdDetail> {
    const [opd]: OpdView[] = await this.db.query(`SELECT ${OPD_COLUMNS} FROM opd_participation WHERE opd_code = $1`, [code]);
    if (!opd) throw new DomainError('NOT_FOUND', `OPD ${code} is not registered (yet: pass minPosition to wait for a recent command)`);
    const headcountHistory: OpdDetail['headcountHistory'] = await this.db.query(
      `SELECT pns_headcount AS "pnsHeadcount", to_char(effective_on, 'YYYY-MM-DD') AS "effectiveOn"
         FROM opd_headcount_history WHERE opd_code = $1 ORDER BY effective_on, position`,
      [code],
    );
    return { ...opd, headcountHistory };
  }
}
