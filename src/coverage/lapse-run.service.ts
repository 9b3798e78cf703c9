import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CommandRunner } from '../event-store/command-runner';
import { CommandContext } from '../shared/command-handling';
import { DomainError } from '../shared/domain-error';
import { isCalendarDate } from '../shared/identity';
import { checkLapse, workerDecider } from '../workers/worker.decider';
import { workerStream } from '../workers/worker.events';
import { PROJECTION_SYNC, ProjectionSync } from './projection-sync';

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

const PARALLEL_WORKERS = 8;
const PAGE = 1000;

/**
 * The lapse check: records CoverageLapsed / CoverageEnded for every worker whose status moved as of
 * `asOf`. Each worker is decided on its own stream (expected revision, retry), so it runs safely next
 * to live commands and a second run for the same date appends nothing.
 */
@Injectable()
export class LapseRunService {
  private readonly logger = new Logger(LapseRunService.name);

  constructor(
    private readonly runner: CommandRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
  ) {}

  async run(asOf: string, context: CommandContext): Promise<LapseRunResult> {
    if (!isCalendarDate(asOf) || asOf > context.today) {
      throw new DomainError('VALIDATION_FAILED', 'asOf must be a real date, not in the future', 'asOf');
    }
    // Candidates come from the worker read model: let it catch up with everything enrolled so far.
    const head = await this.runner.store.headPosition();
    await this.projection.waitFor(head, Math.max(this.config.consistencyWaitMs, 30_000));

    const result: LapseRunResult = { asOf, lapsed: 0, ended: 0, position: head, checked: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { worker_id: string }[] = await this.db.query(
        `SELECT worker_id FROM worker_status WHERE status <> 'ENDED' AND worker_id > $1 ORDER BY worker_id LIMIT $2`,
        [after, PAGE],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].worker_id;
      for (let i = 0; i < rows.length; i += PARALLEL_WORKERS) {
        await Promise.all(rows.slice(i, i + PARALLEL_WORKERS).map((row) => this.checkWorker(row.worker_id, asOf, context, result)));
      }
    }
    this.logger.log(`Lapse check as of ${asOf}: ${result.checked} checked, ${result.lapsed} lapsed, ${result.ended} ended`);
    return result;
  }

  private async checkWorker(workerId: string, asOf: string, context: CommandContext, result: LapseRunResult): Promise<void> {
    const handled = await this.runner.run(
      workerStream(workerId),
      workerDecider,
      (state) => {
        const events = state.enrolled ? checkLapse({ type: 'CheckLapse', data: { asOf, today: context.today } }, state, this.config.policy) : [];
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
