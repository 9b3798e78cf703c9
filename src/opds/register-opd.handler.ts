import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { opdDecider, registerOpd } from './opd.decider';
import { type OpdKind, opdStream } from './opd.events';

export type OpdAnswer = { code: string; position: bigint };

export class RegisterOpdCommand extends Command<OpdAnswer> {
  constructor(
    readonly body: { code: string; name: string; kind: OpdKind; pnsHeadcount: number },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterOpdCommand)
export class RegisterOpdHandler implements ICommandHandler<RegisterOpdCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: RegisterOpdCommand): Promise<OpdAnswer> {
    const { code, name, kind, pnsHeadcount } = body;
    const command = { type: 'RegisterOpd', data: { opdCode: code, name, kind, pnsHeadcount, today: context.today } } as const;
    const { position } = await this.runner.run(opdStream(code), opdDecider, (state) => ({ events: registerOpd(command, state), result: undefined }), context);
    return { code, position };
  }
}
