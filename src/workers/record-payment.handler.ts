import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Decision, UniqueClaim } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import { sponsorFacts } from '../sponsors/sponsor-facts';
import { decidePayment, type PaymentDecision, type PaymentResult, type PayPremium, workerDecider } from './worker.decider';
import { type PremiumPaid, type WorkerEvent, workerStream } from './worker.events';

export type PaymentAnswer = PaymentResult & { workerId: string; paymentRef: string; position: bigint; replayed: boolean };

export type PaymentBody = Pick<PremiumPaid['data'], 'paymentRef' | 'months' | 'amount' | 'paidOn' | 'payer'>;

export class RecordPaymentCommand extends Command<PaymentAnswer> {
  constructor(
    readonly workerId: string,
    readonly body: PaymentBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

type PaymentRefHolder = { workerId: string };

@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ workerId, body, context }: RecordPaymentCommand): Promise<PaymentAnswer> {
    await this.scope.requirePayment(context, workerId, body.payer);
    const stream = workerStream(workerId);
    const payingSponsorId = body.payer.type === 'ASN_SPONSOR' ? body.payer.sponsorId : undefined;
    // The worker's stream and the paying sponsor's, read side by side.
    const [history, payer] = await Promise.all([
      this.runner.read<WorkerEvent>(stream),
      payingSponsorId ? sponsorFacts(this.runner, payingSponsorId) : null,
    ]);
    const command: PayPremium = {
      type: 'PayPremium',
      data: { ...body, payerOpdCode: payer?.opdCodeOn(body.paidOn) ?? null, payerSponsor: payer, today: context.today },
    };
    // One payment reference in the whole programme: its reservation is written with the payment.
    const paymentRef: UniqueClaim<PaymentRefHolder> = {
      streamId: this.runner.reservationStream('payment-ref', body.paymentRef),
      type: 'PaymentRefReserved',
      holder: { workerId },
      stillHeld: async (holder) => {
        const state = fold(workerDecider, await this.runner.read<WorkerEvent>(workerStream(holder.workerId)));
        return state.enrolled && state.payments.has(body.paymentRef);
      },
      conflict: () => new DomainError('PAYMENT_REF_CONFLICT', `Payment reference ${body.paymentRef} is already used for another worker`, 'paymentRef'),
    };
    const handled = await this.runner.run(
      stream,
      workerDecider,
      (state): Decision<WorkerEvent, PaymentDecision> => {
        const decision = decidePayment(command, state, this.runner.policy);
        return decision.kind === 'replay'
          ? { events: [], result: decision }
          : { events: decision.events, result: decision, claims: [paymentRef as UniqueClaim] };
      },
      context,
      history,
    );
    const decision = handled.result;
    const replayed = decision.kind === 'replay';
    // A resubmission answers what the original answered, with the original event's position.
    const position = replayed ? (decision.position ?? handled.position) : handled.position;
    return { workerId, paymentRef: body.paymentRef, ...decision.result, position, replayed };
  }
}
