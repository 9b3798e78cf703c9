import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { correctOpdDetails, opdDecider } from './opd.decider';
import { type OpdKind, opdStream } from './opd.events';
import type { OpdAnswer } from './register-opd.handler';

export class CorrectOpdDetailsCommand extends Command<OpdAnswer> {
  constructor(
    readonly code: string,
    readonly body: { name?: string; kind?: OpdKind; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** A correction that changes nothing appends nothing; the answer then carries the OPD stream's last position. */
@CommandHandler(CorrectOpdDetailsCommand)
export class CorrectOpdDetailsHandler implements ICommandHandler<CorrectOpdDetailsCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ code, body, context }: CorrectOpdDetailsCommand): Promise<OpdAnswer> {
    const data = { opdCode: code, name: body.name, kind: body.kind, reason: body.reason, today: context.today };
    const { position } = await this.runner.run(
      opdStream(code),
      opdDecider,
      (state) => ({ events: correctOpdDetails({ type: 'CorrectOpdDetails', data }, state), result: undefined }),
      context,
    );
    return { code, position };
  }
}
