import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { opdDecider, setOpdHeadcount } from './opd.decider';
import { opdStream } from './opd.events';
import type { OpdAnswer } from './register-opd.handler';

export class SetOpdHeadcountCommand extends Command<OpdAnswer> {
  constructor(
    readonly code: string,
    readonly body: { pnsHeadcount: number; effectiveOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SetOpdHeadcountCommand)
export class SetOpdHeadcountHandler implements ICommandHandler<SetOpdHeadcountCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ code, body, context }: SetOpdHeadcountCommand): Promise<OpdAnswer> {
    const data = { opdCode: code, pnsHeadcount: body.pnsHeadcount, effectiveOn: body.effectiveOn ?? context.today, today: context.today };
    const { position } = await this.runner.run(
      opdStream(code),
      opdDecider,
      (state) => ({ events: setOpdHeadcount({ type: 'SetOpdHeadcount', data }, state), result: undefined }),
      context,
    );
    return { code, position };
  }
}
