import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Decision } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { eraseWorkerPersonalData, type ErasureResult, workerDecider } from './worker.decider';
import { type WorkerEvent, workerStream, workerSubject } from './worker.events';

export type ErasureAnswer = { workerId: string; erasedAt: string; position: bigint };

export class EraseWorkerPersonalDataCommand extends Command<ErasureAnswer> {
  constructor(
    readonly workerId: string,
    readonly body: { reason: string; requestRef: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Erasure of a worker's personal data (UU PDP): records PersonalDataErased and releases the NIK's reservation in
 * one append, then destroys the worker's data key. Asked again, it answers the first erasure, and makes sure the
 * key is gone (a process that died between the two steps leaves nothing readable behind for long).
 */
@CommandHandler(EraseWorkerPersonalDataCommand)
export class EraseWorkerPersonalDataHandler implements ICommandHandler<EraseWorkerPersonalDataCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ workerId, body, context }: EraseWorkerPersonalDataCommand): Promise<ErasureAnswer> {
    const data = { ...body, today: context.today, now: context.now.toISOString() };
    const handled = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state): Decision<WorkerEvent, ErasureResult> => {
        const { events, result } = eraseWorkerPersonalData({ type: 'EraseWorkerPersonalData', data }, state, this.runner.policy);
        const releases = result.releasesNik ? [{ streamId: this.runner.reservationStream('nik', result.releasesNik), holder: { workerId } }] : [];
        return { events, result, releases };
      },
      context,
    );
    await this.vault.destroy(workerSubject(workerId));
    return { workerId, erasedAt: handled.result.erasedAt, position: handled.result.position ?? handled.position };
  }
}
