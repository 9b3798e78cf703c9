import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { UniqueClaim } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { opdFacts } from '../opds/opd-facts';
import { DomainError } from '../shared/domain-error';
import { registerSponsor, sponsorDecider } from './sponsor.decider';
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

type NipHolder = { sponsorId: string };

@CommandHandler(RegisterSponsorCommand)
export class RegisterSponsorHandler implements ICommandHandler<RegisterSponsorCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ body, context }: RegisterSponsorCommand): Promise<SponsorAnswer> {
    this.scope.requireOpd(context, body.opdCode);
    const sponsorId = randomUUID();
    const opd = await opdFacts(this.runner, body.opdCode);
    const command = { type: 'RegisterSponsor', data: { sponsorId, ...body, today: context.today, opd } } as const;
    const nip: UniqueClaim<NipHolder> = {
      streamId: this.runner.reservationStream('nip', body.nip),
      type: 'NipReserved',
      holder: { sponsorId },
      stillHeld: (holder) => this.runner.streamExists(sponsorStream(holder.sponsorId)),
      conflict: (holder) =>
        new DomainError('NIP_ALREADY_REGISTERED', 'This NIP is already registered as a sponsor', 'nip', { sponsorId: holder.sponsorId }),
    };
    const { position } = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: registerSponsor(command, state), result: undefined, claims: [nip as UniqueClaim] }),
      context,
    );
    return { sponsorId, position };
  }
}
