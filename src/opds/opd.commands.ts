import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { CommandContext, handleCommand } from '../shared/command-handling';
import { opdDecider, registerOpd, setOpdHeadcount } from './opd.decider';
import { opdStream } from './opd.events';

export type OpdAnswer = { code: string; position: bigint };

export class RegisterOpdCommand extends Command<OpdAnswer> {
  constructor(
    readonly body: { code: string; name: string; kind: string; pnsHeadcount: number },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class SetOpdHeadcountCommand extends Command<OpdAnswer> {
  constructor(
    readonly code: string,
    readonly body: { pnsHeadcount: number; effectiveOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterOpdCommand)
export class RegisterOpdHandler implements ICommandHandler<RegisterOpdCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ body, context }: RegisterOpdCommand): Promise<OpdAnswer> {
    const { position } = await handleCommand(
      this.store,
      opdStream(body.code),
      opdDecider,
      (state) => ({
        events: registerOpd({ type: 'RegisterOpd', data: { opdCode: body.code, ...body, today: context.today } }, state),
        result: undefined,
      }),
      context,
      this.config.appendRetries,
    );
    return { code: body.code, position };
  }
}

@CommandHandler(SetOpdHeadcountCommand)
export class SetOpdHeadcountHandler implements ICommandHandler<SetOpdHeadcountCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ code, body, context }: SetOpdHeadcountCommand): Promise<OpdAnswer> {
    const { position } = await handleCommand(
      this.store,
      opdStream(code),
      opdDecider,
      (state) => ({
        events: setOpdHeadcount(
          {
            type: 'SetOpdHeadcount',
            data: { opdCode: code, pnsHeadcount: body.pnsHeadcount, effectiveOn: body.effectiveOn ?? context.today, today: context.today },
          },
          state,
        ),
        result: undefined,
      }),
      context,
      this.config.appendRetries,
    );
    return { code, position };
  }
}
