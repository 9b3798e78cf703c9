import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import type { WorkerAnswer } from './enrol-worker.handler';
import { reenrolWorker, workerDecider } from './worker.decider';
import { workerStream } from './worker.events';

export class ReenrolWorkerCommand extends Command<WorkerAnswer> {
  constructor(
    readonly workerId: string,
    readonly enrolledOn: string | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReenrolWorkerCommand)
export class ReenrolWorkerHandler implements ICommandHandler<ReenrolWorkerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, enrolledOn, context }: ReenrolWorkerCommand): Promise<WorkerAnswer> {
    await this.scope.requireWorker(context, workerId);
    const data = { enrolledOn: enrolledOn ?? context.today, today: context.today };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: reenrolWorker({ type: 'ReenrolWorker', data }, state, this.runner.policy), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
