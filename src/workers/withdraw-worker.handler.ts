import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import type { WorkerAnswer } from './enrol-worker.handler';
import { withdrawWorker, workerDecider } from './worker.decider';
import { workerStream } from './worker.events';

export class WithdrawWorkerCommand extends Command<WorkerAnswer> {
  constructor(
    readonly workerId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(WithdrawWorkerCommand)
export class WithdrawWorkerHandler implements ICommandHandler<WithdrawWorkerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, reason, context }: WithdrawWorkerCommand): Promise<WorkerAnswer> {
    await this.scope.requireWorker(context, workerId);
    const data = { reason, today: context.today };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: withdrawWorker({ type: 'WithdrawWorker', data }, state, this.runner.policy), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
