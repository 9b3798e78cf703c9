import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { lookUpSponsor, SponsorFacts } from '../sponsors/sponsor-lookup';
import { CommandContext, fold, handleCommand, reserve, takeOverReservation } from '../shared/command-handling';
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
import { FundingSource, Gender, Occupation, Payer, workerStream } from './worker.events';

export type WorkerAnswer = { workerId: string; position: bigint };
export type PaymentAnswer = PaymentResult & { workerId: string; paymentRef: string; position: bigint; replayed: boolean };

export interface EnrolBody {
  nik: string;
  fullName: string;
  birthDate: string;
  gender: Gender;
  occupation: Occupation;
  kecamatan: string;
  address?: string;
  phone?: string;
  fundingSource: FundingSource;
  sponsorId?: string;
  enrolledOn?: string;
}

export interface PaymentBody {
  paymentRef: string;
  months: number;
  amount: number;
  paidOn: string;
  payer: Payer;
}

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

async function workerExists(store: EventStore, workerId: string): Promise<boolean> {
  return (await store.readStream(workerStream(workerId), { maxCount: 1 })).length > 0;
}

type NikHolder = { workerId: string };
type PaymentRefHolder = { workerId: string };

@CommandHandler(EnrolWorkerCommand)
export class EnrolWorkerHandler implements ICommandHandler<EnrolWorkerCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ body, context }: EnrolWorkerCommand): Promise<WorkerAnswer> {
    const workerId = randomUUID();
    const sponsor = body.sponsorId ? await lookUpSponsor(this.store, body.sponsorId) : null;
    const command: EnrolWorker = {
      type: 'EnrolWorker',
      data: { workerId, ...body, enrolledOn: body.enrolledOn ?? context.today, today: context.today, sponsor: asLookup(sponsor) },
    };
    // All of the worker's own rules first: a refused enrolment reserves no NIK.
    enrolWorker(command, workerDecider.initialState(), this.config.policy);

    const reservationStream = nikReservationStream(body.nik);
    const reservation = await reserve<NikHolder>(this.store, reservationStream, 'NikReserved', { workerId }, context);
    if (!reservation.created) {
      const holderExists = await workerExists(this.store, reservation.holder.workerId);
      const tookOver = !holderExists && (await takeOverReservation<NikHolder>(this.store, reservationStream, 'NikReserved', { workerId }, context));
      if (!tookOver) {
        throw new DomainError('NIK_ALREADY_ENROLLED', 'This NIK is already enrolled in the programme; re-enrol that worker instead', 'nik');
      }
    }
    const { position } = await handleCommand(
      this.store,
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: enrolWorker(command, state, this.config.policy), result: undefined }),
      context,
      this.config.appendRetries,
    );
    return { workerId, position };
  }
}

@CommandHandler(PayPremiumCommand)
export class PayPremiumHandler implements ICommandHandler<PayPremiumCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workerId, body, context }: PayPremiumCommand): Promise<PaymentAnswer> {
    const payerSponsor = body.payer?.type === 'ASN_SPONSOR' && body.payer.sponsorId ? await lookUpSponsor(this.store, body.payer.sponsorId) : null;
    const command: PayPremium = {
      type: 'PayPremium',
      data: {
        ...body,
        payerOpdCode: payerSponsor?.opdCodeOn(body.paidOn) ?? null,
        payerSponsor: asLookup(payerSponsor),
        today: context.today,
      },
    };
    const stream = workerStream(workerId);
    const history = await this.store.readStream(stream);
    const first = decidePayment(command, fold(workerDecider, history), this.config.policy);
    if (first.kind === 'replay') return this.replayAnswer(workerId, body.paymentRef, first.result, history);

    await this.reservePaymentRef(workerId, body.paymentRef, context);
    let replayed = false;
    const handled = await handleCommand(
      this.store,
      stream,
      workerDecider,
      (state: WorkerState) => {
        const decision = decidePayment(command, state, this.config.policy);
        replayed = decision.kind === 'replay';
        return { events: decision.events, result: decision.result };
      },
      context,
      this.config.appendRetries,
    );
    if (replayed) return this.replayAnswer(workerId, body.paymentRef, handled.result, await this.store.readStream(stream));
    return { workerId, paymentRef: body.paymentRef, ...handled.result, position: handled.position, replayed: false };
  }

  /** A resubmission answers what the original answered, with the original event's position. */
  private replayAnswer(workerId: string, paymentRef: string, result: PaymentResult, history: RecordedEvent[]): PaymentAnswer {
    const original = history.find((e) => e.type === 'PremiumPaid' && (e.data as { paymentRef?: string }).paymentRef === paymentRef);
    return { workerId, paymentRef, ...result, position: original?.position ?? 0n, replayed: true };
  }

  /**
   * One payment reference in the whole programme. A reference held by another worker is a conflict,
   * unless that worker never recorded the payment (a request that died between the two appends).
   */
  private async reservePaymentRef(workerId: string, paymentRef: string, context: CommandContext): Promise<void> {
    const stream = paymentRefReservationStream(paymentRef);
    const reservation = await reserve<PaymentRefHolder>(this.store, stream, 'PaymentRefReserved', { workerId }, context);
    if (reservation.created || reservation.holder.workerId === workerId) return;
    const holder = fold(workerDecider, await this.store.readStream(workerStream(reservation.holder.workerId)));
    const recordedThere = holder.enrolled && holder.payments.has(paymentRef);
    if (recordedThere || !(await takeOverReservation<PaymentRefHolder>(this.store, stream, 'PaymentRefReserved', { workerId }, context))) {
      throw new DomainError('PAYMENT_REF_CONFLICT', `Payment reference ${paymentRef} is already used for another worker`, 'paymentRef');
    }
  }
}

@CommandHandler(ChangeWorkerSponsorCommand)
export class ChangeWorkerSponsorHandler implements ICommandHandler<ChangeWorkerSponsorCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workerId, sponsorId, context }: ChangeWorkerSponsorCommand): Promise<WorkerAnswer> {
    const sponsor = asLookup(await lookUpSponsor(this.store, sponsorId));
    const { position } = await handleCommand(
      this.store,
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: changeWorkerSponsor({ type: 'ChangeWorkerSponsor', data: { sponsorId, sponsor } }, state), result: undefined }),
      context,
      this.config.appendRetries,
    );
    return { workerId, position };
  }
}

@CommandHandler(WithdrawWorkerCommand)
export class WithdrawWorkerHandler implements ICommandHandler<WithdrawWorkerCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workerId, reason, context }: WithdrawWorkerCommand): Promise<WorkerAnswer> {
    const { position } = await handleCommand(
      this.store,
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: withdrawWorker({ type: 'WithdrawWorker', data: { reason, today: context.today } }, state), result: undefined }),
      context,
      this.config.appendRetries,
    );
    return { workerId, position };
  }
}

@CommandHandler(ReenrolWorkerCommand)
export class ReenrolWorkerHandler implements ICommandHandler<ReenrolWorkerCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workerId, enrolledOn, context }: ReenrolWorkerCommand): Promise<WorkerAnswer> {
    const { position } = await handleCommand(
      this.store,
      workerStream(workerId),
      workerDecider,
      (state) => ({
        events: reenrolWorker({ type: 'ReenrolWorker', data: { enrolledOn: enrolledOn ?? context.today, today: context.today } }, state, this.config.policy),
        result: undefined,
      }),
      context,
      this.config.appendRetries,
    );
    return { workerId, position };
  }
}
