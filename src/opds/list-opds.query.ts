import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OpdView {
  code: string;
  name: string;
  kind: string;
  pnsHeadcount: number;
  retired: boolean;
  /** Effective date of the retirement (YYYY-MM-DD); null while current. */
  retiredOn: string | null;
}

export const OPD_COLUMNS = `opd_code AS code, name, kind, pns_headcount AS "pnsHeadcount",
  retired_on IS NOT NULL AS retired, to_char(retired_on, 'YYYY-MM-DD') AS "retiredOn"`;

export class ListOpdsQuery extends Query<{ items: OpdView[] }> {}

/** Every OPD, retired ones included, in code order, from the opd_participation read model. */
@QueryHandler(ListOpdsQuery)
export class ListOpdsHandler implements IQueryHandler<ListOpdsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<{ items: OpdView[] }> {
    return { items: await this.db.query(`SELECT ${OPD_COLUMNS} FROM opd_participation ORDER BY opd_code`) };
  }
}
