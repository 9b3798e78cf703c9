import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { PROJECTION_SYNC, type ProjectionSync } from '../read-models/projection-sync';
import { DomainError } from '../shared/domain-error';
import { checkLapse, workerDecider } from '../workers/worker.decider';
import { workerStream } from '../workers/worker.events';
import { WorkersToCheckQuery } from '../workers/workers-to-check.query';

export interface LapseRunResult {
  asOf: string;
  /** Workers that moved to LAPSED. */
  lapsed: number;
  /** Workers that moved to ENDED (straight from ACTIVE or PENDING included). */
  ended: number;
  /** Position of the last event appended (or the log head when nothing moved). */
  position: bigint;
  checked: number;
}

/** The lapse check as of a date (default today): appends CoverageLapsed / CoverageEnded for every worker whose status moved. */
export class RunLapseCheckCommand extends Command<LapseRunResult> {
  constructor(
    readonly asOf: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

const PARALLEL_WORKERS = 8;
const PAGE = 1000;

/**
 * Each worker is decided on its own stream (expected revision, retry), so the check runs safely next to live
 * commands and a second run for the same date appends nothing. Candidates are the workers the worker-status
 * read model does not show as ENDED, once it has caught up with everything enrolled so far.
 */
@CommandHandler(RunLapseCheckCommand)
export class RunLapseCheckHandler implements ICommandHandler<RunLapseCheckCommand> {
  private readonly logger = new Logger('LapseCheck');

  constructor(
    private readonly runner: CommandRunner,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
  ) {}

  async execute({ asOf, context }: RunLapseCheckCommand): Promise<LapseRunResult> {
    if (asOf > context.today) throw new DomainError('VALIDATION_FAILED', 'asOf may not be in the future', 'asOf');
    const head = await this.runner.store.headPosition();
    await this.projection.waitFor(head, Math.max(this.config.consistencyWaitMs, 30_000));

    const result: LapseRunResult = { asOf, lapsed: 0, ended: 0, position: head, checked: 0 };
    for (let after: string | null = null; ; ) {
      const workerIds: string[] = await this.queries.execute(new WorkersToCheckQuery(after, PAGE));
      if (workerIds.length === 0) break;
      after = workerIds[workerIds.length - 1];
      for (let i = 0; i < workerIds.length; i += PARALLEL_WORKERS) {
        await Promise.all(workerIds.slice(i, i + PARALLEL_WORKERS).map((workerId) => this.check(workerId, asOf, context, result)));
      }
    }
    this.logger.log(`Lapse check as of ${asOf}: ${result.checked} checked, ${result.lapsed} lapsed, ${result.ended} ended`);
    return result;
  }

  private async check(workerId: string, asOf: string, context: CommandContext, result: LapseRunResult): Promise<void> {
    const data = { asOf, today: context.today };
    const handled = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => {
        const events = state.enrolled ? checkLapse({ type: 'CheckLapse', data }, state, this.runner.policy) : [];
        return { events, result: events[0]?.type ?? null };
      },
      context,
    );
    result.checked++;
    if (handled.appended === 0) return;
    if (handled.result === 'CoverageLapsed') result.lapsed++;
    if (handled.result === 'CoverageEnded') result.ended++;
    if (handled.position > result.position) result.position = handled.position;
  }
}
