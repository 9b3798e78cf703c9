import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import { readWorkerStream } from './read-worker-stream';
import { workerHistory, type WorkerHistory } from './worker-history';

export class WorkerHistoryQuery extends Query<WorkerHistory> {
  constructor(readonly workerId: string) {
    super();
  }
}

@QueryHandler(WorkerHistoryQuery)
export class WorkerHistoryHandler implements IQueryHandler<WorkerHistoryQuery> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId }: WorkerHistoryQuery): Promise<WorkerHistory> {
    return workerHistory(workerId, await readWorkerStream(this.runner, workerId));
  }
}
