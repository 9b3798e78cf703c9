import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { opdStream } from '../opds/opd.events';
import { CommandContext, handleCommand, reserve, takeOverReservation } from '../shared/command-handling';
import { DomainError } from '../shared/domain-error';
import { validateNip } from '../shared/identity';
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

export async function streamExists(store: EventStore, streamId: string): Promise<boolean> {
  return (await store.readStream(streamId, { maxCount: 1 })).length > 0;
}

type NipHolder = { sponsorId: string };

@CommandHandler(RegisterSponsorCommand)
export class RegisterSponsorHandler implements ICommandHandler<RegisterSponsorCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ body, context }: RegisterSponsorCommand): Promise<SponsorAnswer> {
    const sponsorId = randomUUID();
    const opdExists = await streamExists(this.store, opdStream(body.opdCode));
    const register = (state: SponsorState) =>
      registerSponsor({ type: 'RegisterSponsor', data: { sponsorId, ...body, today: context.today, opdExists } }, state);
    // Every rule of the sponsor itself is checked before the NIP is reserved, so a refused request reserves nothing.
    register(sponsorDecider.initialState());
    if (!validateNip(body.nip).ok) throw new DomainError('VALIDATION_FAILED', 'nip is not a valid NIP', 'nip');

    const reservationStream = nipReservationStream(body.nip);
    const reservation = await reserve<NipHolder>(this.store, reservationStream, 'NipReserved', { sponsorId }, context);
    if (!reservation.created) {
      const holderExists = await streamExists(this.store, sponsorStream(reservation.holder.sponsorId));
      const tookOver = !holderExists && (await takeOverReservation<NipHolder>(this.store, reservationStream, 'NipReserved', { sponsorId }, context));
      if (!tookOver) throw new DomainError('NIP_ALREADY_REGISTERED', 'This NIP is already registered as a sponsor');
    }
    const { position } = await handleCommand(
      this.store,
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: register(state), result: undefined }),
      context,
      this.config.appendRetries,
    );
    return { sponsorId, position };
  }
}

@CommandHandler(TransferSponsorCommand)
export class TransferSponsorHandler implements ICommandHandler<TransferSponsorCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ sponsorId, body, context }: TransferSponsorCommand): Promise<SponsorAnswer> {
    const opdExists = await streamExists(this.store, opdStream(body.opdCode));
    const { position } = await handleCommand(
      this.store,
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({
        events: transferSponsor(
          {
            type: 'TransferSponsor',
            data: { sponsorId, toOpdCode: body.opdCode, effectiveOn: body.effectiveOn ?? context.today, today: context.today, opdExists },
          },
          state,
        ),
        result: undefined,
      }),
      context,
      this.config.appendRetries,
    );
    return { sponsorId, position };
  }
}

@CommandHandler(WithdrawSponsorCommand)
export class WithdrawSponsorHandler implements ICommandHandler<WithdrawSponsorCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ sponsorId, body, context }: WithdrawSponsorCommand): Promise<SponsorAnswer> {
    const { position } = await handleCommand(
      this.store,
      sponsorStream(sponsorId),
      sponsorDecider,
      (state) => ({ events: withdrawSponsor({ type: 'WithdrawSponsor', data: { reason: body.reason, today: context.today } }, state), result: undefined }),
      context,
      this.config.appendRetries,
    );
    return { sponsorId, position };
  }
}
