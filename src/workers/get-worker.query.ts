import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain-error';
import { Inject } from '@nestjs/common';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { withNames } from '../read-models/personal-columns';
import { WORKER_VIEW_COLUMNS, type WorkerView, type WorkerViewRow } from './worker-view';

export class GetWorkerQuery extends Query<WorkerView> {
  constructor(readonly workerId: string) {
    super();
  }
}

@QueryHandler(GetWorkerQuery)
export class GetWorkerHandler implements IQueryHandler<GetWorkerQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ workerId }: GetWorkerQuery): Promise<WorkerView> {
    const rows: WorkerViewRow[] = await this.db.query(`SELECT ${WORKER_VIEW_COLUMNS} FROM worker_status WHERE worker_id = $1`, [workerId]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `Worker ${workerId} is not known (yet: pass minPosition to wait for a recent command)`);
    return (await withNames(this.vault, rows))[0];
  }
}
