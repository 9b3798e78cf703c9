import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import type { SponsorAnswer } from './register-sponsor.handler';
import { sponsorDecider, withdrawSponsor } from './sponsor.decider';
import { sponsorStream } from './sponsor.events';

export class WithdrawSponsorCommand extends Command<SponsorAnswer> {
  constructor(
    readonly sponsorId: string,
    readonly body: { reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(WithdrawSponsorCommand)
export class WithdrawSponsorHandler implements ICommandHandler<WithdrawSponsorCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ sponsorId, body, context }: WithdrawSponsorCommand): Promise<SponsorAnswer> {
    await this.scope.requireSponsor(context, sponsorId);
    const data = { reason: body.reason, today: context.today };
    const { position } = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: withdrawSponsor({ type: 'WithdrawSponsor', data }, state), result: undefined }),
      context,
    );
    return { sponsorId, position };
  }
}
