import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { opdFacts } from '../opds/opd-facts';
import type { SponsorAnswer } from './register-sponsor.handler';
import { sponsorDecider, transferSponsor } from './sponsor.decider';
import { sponsorStream } from './sponsor.events';

export class TransferSponsorCommand extends Command<SponsorAnswer> {
  constructor(
    readonly sponsorId: string,
    readonly body: { opdCode: string; effectiveOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(TransferSponsorCommand)
export class TransferSponsorHandler implements ICommandHandler<TransferSponsorCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ sponsorId, body, context }: TransferSponsorCommand): Promise<SponsorAnswer> {
    await this.scope.requireSponsor(context, sponsorId);
    const opd = await opdFacts(this.runner, body.opdCode);
    const data = { sponsorId, toOpdCode: body.opdCode, effectiveOn: body.effectiveOn ?? context.today, today: context.today, opd };
    const { position } = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: transferSponsor({ type: 'TransferSponsor', data }, state), result: undefined }),
      context,
    );
    return { sponsorId, position };
  }
}
