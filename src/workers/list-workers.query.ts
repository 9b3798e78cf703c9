import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { keysetPage } from '../read-models/keyset-page';
import type { Page } from '../read-models/read-query.dto';
import type { WorkerStatus } from './worker.events';
import { WORKER_VIEW_COLUMNS, type WorkerView } from './worker-view';

export interface WorkerFilters {
  status?: WorkerStatus;
  opdCode?: string;
  sponsorId?: string;
  kecamatan?: string;
}

export class ListWorkersQuery extends Query<Page<WorkerView>> {
  constructor(
    readonly filters: WorkerFilters,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(ListWorkersQuery)
export class ListWorkersHandler implements IQueryHandler<ListWorkersQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute({ filters, limit, cursor }: ListWorkersQuery): Promise<Page<WorkerView>> {
    return keysetPage<WorkerView & Record<string, unknown>>(
      this.db,
      { select: WORKER_VIEW_COLUMNS, table: 'worker_status', key: 'worker_id', idField: 'workerId' },
      [
        ['status', filters.status],
        ['opd_code', filters.opdCode],
        ['sponsor_id', filters.sponsorId],
        ['kecamatan', filters.kecamatan],
      ],
      cursor,
      limit,
    );
  }
}
