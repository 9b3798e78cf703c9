import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import { coverageAsOf, type PointInTime, type PointInTimeCoverage } from './point-in-time';
import { readWorkerStream } from './read-worker-stream';

export class WorkerCoverageQuery extends Query<PointInTimeCoverage> {
  constructor(
    readonly workerId: string,
    readonly view: PointInTime,
  ) {
    super();
  }
}

@QueryHandler(WorkerCoverageQuery)
export class WorkerCoverageHandler implements IQueryHandler<WorkerCoverageQuery> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, view }: WorkerCoverageQuery): Promise<PointInTimeCoverage> {
    return coverageAsOf(workerId, await readWorkerStream(this.runner, workerId), view, this.runner.policy);
  }
}
