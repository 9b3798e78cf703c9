import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Decision } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { eraseSponsorPersonalData, type SponsorErasureResult, sponsorDecider } from './sponsor.decider';
import { type SponsorEvent, sponsorStream, sponsorSubject } from './sponsor.events';

export type SponsorErasureAnswer = { sponsorId: string; erasedAt: string; position: bigint };

export class EraseSponsorPersonalDataCommand extends Command<SponsorErasureAnswer> {
  constructor(
    readonly sponsorId: string,
    readonly body: { reason: string; requestRef: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Erasure of a withdrawn sponsor's personal data: PersonalDataErased with the NIP's reservation released, then the key destroyed. */
@CommandHandler(EraseSponsorPersonalDataCommand)
export class EraseSponsorPersonalDataHandler implements ICommandHandler<EraseSponsorPersonalDataCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ sponsorId, body, context }: EraseSponsorPersonalDataCommand): Promise<SponsorErasureAnswer> {
    const data = { ...body, today: context.today, now: context.now.toISOString() };
    const handled = await this.runner.run(
      sponsorStream(sponsorId),
      sponsorDecider,
      (state): Decision<SponsorEvent, SponsorErasureResult> => {
        const { events, result } = eraseSponsorPersonalData({ type: 'EraseSponsorPersonalData', data }, state);
        const releases = result.releasesNip ? [{ streamId: this.runner.reservationStream('nip', result.releasesNip), holder: { sponsorId } }] : [];
        return { events, result, releases };
      },
      context,
    );
    await this.vault.destroy(sponsorSubject(sponsorId));
    return { sponsorId, erasedAt: handled.result.erasedAt, position: handled.result.position ?? handled.position };
  }
}
