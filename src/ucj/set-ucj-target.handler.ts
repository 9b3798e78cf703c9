import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { setUcjTarget, ucjDecider } from './ucj.decider';
import { ucjStream } from './ucj.events';

export type UcjTargetAnswer = { year: number; target: number; position: bigint };

export class SetUcjTargetCommand extends Command<UcjTargetAnswer> {
  constructor(
    readonly body: { year: number; target: number },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Sets a year's UCJ target on the year's own stream; the same target again appends nothing and answers the same. */
@CommandHandler(SetUcjTargetCommand)
export class SetUcjTargetHandler implements ICommandHandler<SetUcjTargetCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: SetUcjTargetCommand): Promise<UcjTargetAnswer> {
    const { year, target } = body;
    const command = { type: 'SetUcjTarget', data: { year, target, today: context.today } } as const;
    const { position } = await this.runner.run(
      ucjStream(year),
      ucjDecider,
      (state) => ({ events: setUcjTarget(command, state, this.runner.policy), result: undefined }),
      context,
    );
    return { year, target, position };
  }
}
