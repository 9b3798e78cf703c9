import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ratio } from '../../projections/sql-runner';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CLOCK, Clock } from '../shared/clock';
import { FUNDING_SOURCES, type FundingSource } from '../workers/worker.events';

export interface UcjProgress {
  year: number;
  target: number;
  covered: number;
  progress: number;
  bySource: Record<FundingSource, number>;
}

export class UcjProgressQuery extends Query<UcjProgress> {
  /** No year: the current one (the clock's, in the programme's time zone). */
  constructor(readonly year?: number) {
    super();
  }
}

/**
 * UCJ progress (domain.md, "UCJ"): registered workers whose status is ACTIVE now, every funding source, against
 * the year's target: the one set for it (`ucj_targets`, from UcjTargetSet), else ASUH_UCJ_TARGET. Statuses are
 * what the events say (worker_status), never computed from the clock.
 */
@QueryHandler(UcjProgressQuery)
export class UcjProgressHandler implements IQueryHandler<UcjProgressQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: UcjProgressQuery): Promise<UcjProgress> {
    const year = query.year ?? Number(this.clock.today().slice(0, 4));
    const [targets, rows]: [{ target: number }[], { source: FundingSource; workers: number }[]] = await Promise.all([
      this.db.query(`SELECT target FROM ucj_targets WHERE year = $1`, [year]),
      this.db.query(
        `SELECT funding_source AS source, count(*)::int AS workers FROM worker_status
          WHERE status = 'ACTIVE' AND NOT erased GROUP BY funding_source`,
      ),
    ]);
    const bySource = Object.fromEntries(FUNDING_SOURCES.map((s) => [s, 0])) as Record<FundingSource, number>;
    for (const row of rows) bySource[row.source] = row.workers;
    const covered = FUNDING_SOURCES.reduce((sum, s) => sum + bySource[s], 0);
    const target = targets[0]?.target ?? this.config.ucjTarget;
    return { year, target, covered, progress: ratio(covered, target), bySource };
  }
}
