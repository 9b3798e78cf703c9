import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Decision } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import type { PaymentAnswer } from './record-payment.handler';
import { type ReversalDecision, type ReversePayment, reversePayment, workerDecider } from './worker.decider';
import { type WorkerEvent, workerStream } from './worker.events';

/** POST /v1/workers/{id}/payments/{ref}/reversal (admin): PremiumPaymentReversed, and the status change it causes. */
export class ReversePaymentCommand extends Command<PaymentAnswer> {
  constructor(
    readonly workerId: string,
    readonly paymentRef: string,
    readonly body: { reason: string; reversedOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReversePaymentCommand)
export class ReversePaymentHandler implements ICommandHandler<ReversePaymentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, paymentRef, body, context }: ReversePaymentCommand): Promise<PaymentAnswer> {
    const command: ReversePayment = {
      type: 'ReversePayment',
      data: { paymentRef, reason: body.reason, reversedOn: body.reversedOn ?? context.today, today: context.today },
    };
    const handled = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state): Decision<WorkerEvent, ReversalDecision> => {
        const decision = reversePayment(command, state, this.runner.policy);
        return { events: decision.events, result: decision };
      },
      context,
    );
    const decision = handled.result;
    const replayed = decision.kind === 'replay';
    // Asked again: the first reversal's answer, with the position it was recorded at.
    const position = replayed ? (decision.position ?? handled.position) : handled.position;
    return { workerId, paymentRef, ...decision.result, position, replayed };
  }
}
