import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '../event-store/command-runner';
import { RecordedEvent } from '../event-store/event-store.port';
import { lookUpSponsor, SponsorFacts } from '../sponsors/sponsor-lookup';
import { CommandContext, fold } from '../shared/command-handling';
import { DomainError } from '../shared/domain-error';
import { nikReservationStream, paymentRefReservationStream } from '../shared/uniqueness';
import {
  changeWorkerSponsor,
  decidePayment,
  enrolWorker,
  EnrolWorker,
  PaymentResult,
  PayPremium,
  reenrolWorker,
  SponsorLookup,
  withdrawWorker,
  workerDecider,
  WorkerState,
} from './worker.decider';
import { PremiumPaid, WorkerEnrolled, workerStream } from './worker.events';

export type WorkerAnswer = { workerId: string; position: bigint };
export type PaymentAnswer = PaymentResult & { workerId: string; paymentRef: string; position: bigint; replayed: boolean };

/** What an enrolment request carries: the event's facts but the id, with `enrolledOn` defaulting to today. */
export type EnrolBody = Omit<WorkerEnrolled['data'], 'workerId' | 'enrolledOn'> & { enrolledOn?: string };

export type PaymentBody = Pick<PremiumPaid['data'], 'paymentRef' | 'months' | 'amount' | 'paidOn' | 'payer'>;

export class EnrolWorkerCommand extends Command<WorkerAnswer> {
  constructor(readonly body: EnrolBody, readonly context: CommandContext) {
    super();
  }
}

export class PayPremiumCommand extends Command<PaymentAnswer> {
  constructor(readonly workerId: string, readonly body: PaymentBody, readonly context: CommandContext) {
    super();
  }
}

export class ChangeWorkerSponsorCommand extends Command<WorkerAnswer> {
  constructor(readonly workerId: string, readonly sponsorId: string, readonly context: CommandContext) {
    super();
  }
}

export class WithdrawWorkerCommand extends Command<WorkerAnswer> {
  constructor(readonly workerId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

export class ReenrolWorkerCommand extends Command<WorkerAnswer> {
  constructor(readonly workerId: string, readonly enrolledOn: string | undefined, readonly context: CommandContext) {
    super();
  }
}

const asLookup = (facts: SponsorFacts | null): SponsorLookup => (facts ? { exists: facts.exists, withdrawn: facts.withdrawn } : null);

type NikHolder = { workerId: string };
type PaymentRefHolder = { workerId: string };

@CommandHandler(EnrolWorkerCommand)
export class EnrolWorkerHandler implements ICommandHandler<EnrolWorkerCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ body, context }: EnrolWorkerCommand): Promise<WorkerAnswer> {
    const workerId = randomUUID();
    const sponsor = body.sponsorId ? await lookUpSponsor(this.runner.store, body.sponsorId) : null;
    const command: EnrolWorker = {
      type: 'EnrolWorker',
      data: { workerId, ...body, enrolledOn: body.enrolledOn ?? context.today, today: context.today, sponsor: asLookup(sponsor) },
    };
    // All of the worker's own rules first: a refused enrolment reserves no NIK.
    enrolWorker(command, workerDecider.initialState(), this.runner.policy);

    const claimed = await this.runner.claimUnique<NikHolder>(
      nikReservationStream(body.nik),
      'NikReserved',
      { workerId },
      (holder) => this.runner.streamExists(workerStream(holder.workerId)),
      context,
    );
    if (!claimed) throw new DomainError('NIK_ALREADY_ENROLLED', 'This NIK is already enrolled in the programme; re-enrol that worker instead', 'nik');
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: enrolWorker(command, state, this.runner.policy), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}

@CommandHandler(PayPremiumCommand)
export class PayPremiumHandler implements ICommandHandler<PayPremiumCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, body, context }: PayPremiumCommand): Promise<PaymentAnswer> {
    const store = this.runner.store;
    const stream = workerStream(workerId);
    const [history, payerSponsor] = await Promise.all([
      store.readStream(stream),
      body.payer?.type === 'ASN_SPONSOR' && body.payer.sponsorId ? lookUpSponsor(store, body.payer.sponsorId) : null,
    ]);
    const command: PayPremium = {
      type: 'PayPremium',
      data: { ...body, payerOpdCode: payerSponsor?.opdCodeOn(body.paidOn) ?? null, payerSponsor: asLookup(payerSponsor), today: context.today },
    };
    const first = decidePayment(command, fold(workerDecider, history), this.runner.policy);
    if (first.kind === 'replay') return this.replayAnswer(workerId, body.paymentRef, first.result, history);

    // One payment reference in the whole programme. Held by another worker that never recorded the
    // payment (a request that died between the two appends), it is taken over.
    const claimed = await this.runner.claimUnique<PaymentRefHolder>(
      paymentRefReservationStream(body.paymentRef),
      'PaymentRefReserved',
      { workerId },
      async (holder) => {
        const holderState = fold(workerDecider, await store.readStream(workerStream(holder.workerId)));
        return holderState.enrolled && holderState.payments.has(body.paymentRef);
      },
      context,
    );
    if (!claimed) throw new DomainError('PAYMENT_REF_CONFLICT', `Payment reference ${body.paymentRef} is already used for another worker`, 'paymentRef');

    let replayed = false;
    const handled = await this.runner.run(
      stream,
      workerDecider,
      (state: WorkerState) => {
        const decision = decidePayment(command, state, this.runner.policy);
        replayed = decision.kind === 'replay';
        return { events: decision.events, result: decision.result };
      },
      context,
      history,
    );
    if (replayed) return this.replayAnswer(workerId, body.paymentRef, handled.result, await store.readStream(stream));
    return { workerId, paymentRef: body.paymentRef, ...handled.result, position: handled.position, replayed: false };
  }

  /** A resubmission answers what the original answered, with the original event's position. */
  private replayAnswer(workerId: string, paymentRef: string, result: PaymentResult, history: RecordedEvent[]): PaymentAnswer {
    const original = history.find((e) => e.type === 'PremiumPaid' && (e.data as { paymentRef?: string }).paymentRef === paymentRef);
    return { workerId, paymentRef, ...result, position: original?.position ?? 0n, replayed: true };
  }
}

@CommandHandler(ChangeWorkerSponsorCommand)
export class ChangeWorkerSponsorHandler implements ICommandHandler<ChangeWorkerSponsorCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, sponsorId, context }: ChangeWorkerSponsorCommand): Promise<WorkerAnswer> {
    const sponsor = asLookup(await lookUpSponsor(this.runner.store, sponsorId));
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: changeWorkerSponsor({ type: 'ChangeWorkerSponsor', data: { sponsorId, sponsor } }, state), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}

@CommandHandler(WithdrawWorkerCommand)
export class WithdrawWorkerHandler implements ICommandHandler<WithdrawWorkerCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, reason, context }: WithdrawWorkerCommand): Promise<WorkerAnswer> {
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: withdrawWorker({ type: 'WithdrawWorker', data: { reason, today: context.today } }, state), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}

@CommandHandler(ReenrolWorkerCommand)
export class ReenrolWorkerHandler implements ICommandHandler<ReenrolWorkerCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workerId, enrolledOn, context }: ReenrolWorkerCommand): Promise<WorkerAnswer> {
    const data = { enrolledOn: enrolledOn ?? context.today, today: context.today };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: reenrolWorker({ type: 'ReenrolWorker', data }, state, this.runner.policy), result: undefined }),
      context,
    );
    return { workerId, position };
  }
}
