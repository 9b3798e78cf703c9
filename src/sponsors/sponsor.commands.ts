import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '../event-store/command-runner';
import { opdStream } from '../opds/opd.events';
import { CommandContext } from '../shared/command-handling';
import { DomainError } from '../shared/domain-error';
import { nipReservationStream } from '../shared/uniqueness';
import { registerSponsor, SponsorState, sponsorDecider, transferSponsor, withdrawSponsor } from './sponsor.decider';
import { sponsorStream } from './sponsor.events';

export type SponsorAnswer = { sponsorId: string; position: bigint };

export class RegisterSponsorCommand extends Command<SponsorAnswer> {
  constructor(
    readonly body: { nip: string; fullName: string; opdCode: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class TransferSponsorCommand extends Command<SponsorAnswer> {
  constructor(
    readonly sponsorId: string,
    readonly body: { opdCode: string; effectiveOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class WithdrawSponsorCommand extends Command<SponsorAnswer> {
  constructor(
    readonly sponsorId: string,
    readonly body: { reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

type NipHolder = { sponsorId: string };

@CommandHandler(RegisterSponsorCommand)
export class RegisterSponsorHandler implements ICommandHandler<RegisterSponsorCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: RegisterSponsorCommand): Promise<SponsorAnswer> {
    const sponsorId = randomUUID();
    const opdExists = await this.runner.streamExists(opdStream(body.opdCode));
    const register = (state: SponsorState) =>
      registerSponsor({ type: 'RegisterSponsor', data: { sponsorId, ...body, today: context.today, opdExists } }, state);
    // Every rule of the sponsor itself is checked before the NIP is reserved, so a refused request reserves nothing.
    register(sponsorDecider.initialState());

    const claimed = await this.runner.claimUnique<NipHolder>(
      nipReservationStream(body.nip),
      'NipReserved',
      { sponsorId },
      (holder) => this.runner.streamExists(sponsorStream(holder.sponsorId)),
      context,
    );
    if (!claimed) throw new DomainError('NIP_ALREADY_REGISTERED', 'This NIP is already registered as a sponsor');
    const { position } = await this.runner.run(sponsorStream(sponsorId), sponsorDecider, (state) => ({ events: register(state), result: undefined }), context);
    return { sponsorId, position };
  }
}

@CommandHandler(TransferSponsorCommand)
export class TransferSponsorHandler implements ICommandHandler<TransferSponsorCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ sponsorId, body, context }: TransferSponsorCommand): Promise<SponsorAnswer> {
    const opdExists = await this.runner.streamExists(opdStream(body.opdCode));
    const effectiveOn = body.effectiveOn ?? context.today;
    const { position } = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({
        events: transferSponsor({ type: 'TransferSponsor', data: { sponsorId, toOpdCode: body.opdCode, effectiveOn, today: context.today, opdExists } }, state),
        result: undefined,
      }),
      context,
    );
    return { sponsorId, position };
  }
}

@CommandHandler(WithdrawSponsorCommand)
export class WithdrawSponsorHandler implements ICommandHandler<WithdrawSponsorCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ sponsorId, body, context }: WithdrawSponsorCommand): Promise<SponsorAnswer> {
    const { position } = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: withdrawSponsor({ type: 'WithdrawSponsor', data: { reason: body.reason, today: context.today } }, state), result: undefined }),
      context,
    );
    return { sponsorId, position };
  }
}
