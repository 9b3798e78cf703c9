import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-store/command-runner';
import { CommandContext } from '../shared/command-handling';
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
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: RegisterOpdCommand): Promise<OpdAnswer> {
    const { position } = await this.runner.run(
      opdStream(body.code),
      opdDecider,
      (state) => ({ events: registerOpd({ type: 'RegisterOpd', data: { opdCode: body.code, ...body, today: context.today } }, state), result: undefined }),
      context,
    );
    return { code: body.code, position };
  }
}

@CommandHandler(SetOpdHeadcountCommand)
export class SetOpdHeadcountHandler implements ICommandHandler<SetOpdHeadcountCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ code, body, context }: SetOpdHeadcountCommand): Promise<OpdAnswer> {
    const effectiveOn = body.effectiveOn ?? context.today;
    const { position } = await this.runner.run(
      opdStream(code),
      opdDecider,
      (state) => ({
        events: setOpdHeadcount({ type: 'SetOpdHeadcount', data: { opdCode: code, pnsHeadcount: body.pnsHeadcount, effectiveOn, today: context.today } }, state),
        result: undefined,
      }),
      context,
    );
    return { code, position };
  }
}
