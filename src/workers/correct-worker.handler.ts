import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import type { WorkerAnswer } from './enrol-worker.handler';
import { type CorrectWorkerDetails, correctWorkerDetails, workerDecider } from './worker.decider';
import { workerStream } from './worker.events';

export type WorkerCorrection = Omit<CorrectWorkerDetails['data'], 'today'>;

/** PATCH /v1/workers/{id}: records the fields that change (WorkerDetailsCorrected); nothing when none does. */
export class CorrectWorkerCommand extends Command<WorkerAnswer> {
  constructor(
    readonly workerId: string,
    readonly correction: WorkerCorrection,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CorrectWorkerCommand)
export class CorrectWorkerHandler implements ICommandHandler<CorrectWorkerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, correction, context }: CorrectWorkerCommand): Promise<WorkerAnswer> {
    await this.scope.requireWorker(context, workerId);
    const command: CorrectWorkerDetails = { type: 'CorrectWorkerDetails', data: { ...correction, today: context.today } };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: correctWorkerDetails(command, state, this.runner.policy), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
