import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { UniqueClaim } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ScopeService } from '../scope/scope.service';
import { DomainError } from '../shared/domain-error';
import { sponsorFacts } from '../sponsors/sponsor-facts';
import { enrolWorker, type EnrolWorker, workerDecider } from './worker.decider';
import { workerStream } from './worker.events';

export type WorkerAnswer = { workerId: string; position: bigint };

/** What an enrolment request carries: the command's facts but the id and dates the server sets, `enrolledOn` defaulting to today. */
export type EnrolBody = Omit<EnrolWorker['data'], 'workerId' | 'enrolledOn' | 'today' | 'sponsor'> & { enrolledOn?: string };

export class EnrolWorkerCommand extends Command<WorkerAnswer> {
  constructor(
    readonly body: EnrolBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

type NikHolder = { workerId: string };

@CommandHandler(EnrolWorkerCommand)
export class EnrolWorkerHandler implements ICommandHandler<EnrolWorkerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly scope: ScopeService,
  ) {}

  async execute({ body, context }: EnrolWorkerCommand): Promise<WorkerAnswer> {
    await this.scope.requireEnrolment(context, body);
    const workerId = randomUUID();
    const sponsor = body.sponsorId ? await sponsorFacts(this.runner, body.sponsorId) : null;
    const command: EnrolWorker = {
      type: 'EnrolWorker',
      data: { workerId, ...body, enrolledOn: body.enrolledOn ?? context.today, today: context.today, sponsor },
    };
    const nik: UniqueClaim<NikHolder> = {
      streamId: this.runner.reservationStream('nik', body.nik),
      type: 'NikReserved',
      holder: { workerId },
      stillHeld: (holder) => this.runner.streamExists(workerStream(holder.workerId)),
      conflict: (holder) =>
        new DomainError('NIK_ALREADY_ENROLLED', 'This NIK is already enrolled in the programme; re-enrol that worker instead', 'nik', {
          workerId: holder.workerId,
        }),
    };
    const { position } = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => ({ events: enrolWorker(command, state, this.runner.policy), result: undefined, claims: [nik as UniqueClaim] }),
      context,
    );
    return { workerId, position };
  }
}
