import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { sponsorFacts } from '../sponsors/sponsor-facts';
import type { WorkerAnswer } from './enrol-worker.handler';
import { changeWorkerSponsor, workerDecider } from './worker.decider';
import { workerStream } from './worker.events';

export class ChangeWorkerSponsorCommand extends Command<WorkerAnswer> {
  constructor(
    readonly workerId: string,
    readonly sponsorId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeWorkerSponsorCommand)
export class ChangeWorkerSponsorHandler implements ICommandHandler<ChangeWorkerSponsorCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, sponsorId, context }: ChangeWorkerSponsorCommand): Promise<WorkerAnswer> {
    await this.scope.requireWorker(context, workerId, { fundingSource: 'ASN_SPONSOR', sponsorId });
    const sponsor = await sponsorFacts(this.runner, sponsorId);
    const data = { sponsorId, sponsor, today: context.today };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: changeWorkerSponsor({ type: 'ChangeWorkerSponsor', data }, state), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
