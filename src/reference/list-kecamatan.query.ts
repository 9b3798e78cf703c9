import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { findDataFile } from './data-dir';

export interface Kecamatan {
  code: string;
  name: string;
}

export class ListKecamatanQuery extends Query<{ items: Kecamatan[] }> {}

/** The 16 kecamatan of Kota Semarang, from data/semarang-kecamatan.csv (read once, at start). */
@QueryHandler(ListKecamatanQuery)
export class ListKecamatanHandler implements IQueryHandler<ListKecamatanQuery> {
  private readonly items: Kecamatan[];

  constructor() {
    const rows: { code: string; name: string }[] = parse(readFileSync(findDataFile('semarang-kecamatan.csv'), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
    });
    this.items = rows.map(({ code, name }) => ({ code, name }));
  }

  async execute(): Promise<{ items: Kecamatan[] }> {
    return { items: this.items };
  }
}
