import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { sponsorFacts } from '../sponsors/sponsor-facts';
import type { WorkerAnswer } from './enrol-worker.handler';
import { type ChangeWorkerFunding, changeWorkerFunding, workerDecider } from './worker.decider';
import { type FundingSource, workerStream } from './worker.events';

export type FundingChange = { fundingSource: FundingSource; sponsorId?: string; effectiveOn?: string; reason: string };

/** POST /v1/workers/{id}/funding: who funds the worker from a date (WorkerFundingChanged). */
export class ChangeWorkerFundingCommand extends Command<WorkerAnswer> {
  constructor(
    readonly workerId: string,
    readonly change: FundingChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeWorkerFundingCommand)
export class ChangeWorkerFundingHandler implements ICommandHandler<ChangeWorkerFundingCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, change, context }: ChangeWorkerFundingCommand): Promise<WorkerAnswer> {
    await this.scope.requireWorker(context, workerId, change);
    const sponsor = change.fundingSource === 'ASN_SPONSOR' && change.sponsorId ? await sponsorFacts(this.runner, change.sponsorId) : null;
    const command: ChangeWorkerFunding = {
      type: 'ChangeWorkerFunding',
      data: { ...change, effectiveOn: change.effectiveOn ?? context.today, sponsor, today: context.today },
    };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: changeWorkerFunding(command, state), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
