import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Ids of the workers whose membership has not ended, in id order after `after`: what the lapse check looks at. */
export class WorkersToCheckQuery extends Query<string[]> {
  constructor(
    readonly after: string | null,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(WorkersToCheckQuery)
export class WorkersToCheckHandler implements IQueryHandler<WorkersToCheckQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ after, limit }: WorkersToCheckQuery): Promise<string[]> {
    const rows: { worker_id: string }[] = await this.db.query(
      `SELECT worker_id FROM worker_status WHERE status <> 'ENDED' AND worker_id > $1 ORDER BY worker_id LIMIT $2`,
      [after ?? '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows.map((row) => row.worker_id);
  }
}
