import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { DomainError } from '../shared/domain-error';
import { sponsorStream } from '../sponsors/sponsor.events';
import { workerStream } from '../workers/worker.events';
import { ledgerPage, LedgerRow, ledgerTotals } from './ledger.query';
import { coverageAsOf, PointInTime, PointInTimeCoverage } from './point-in-time';
import { workerHistory, WorkerHistory } from './worker-history';

export class WorkerHistoryQuery extends Query<WorkerHistory> {
  constructor(readonly workerId: string) {
    super();
  }
}

export class WorkerCoverageQuery extends Query<PointInTimeCoverage> {
  constructor(
    readonly workerId: string,
    readonly view: PointInTime,
  ) {
    super();
  }
}

export interface SponsorPayments {
  sponsorId: string;
  items: LedgerRow[];
  nextCursor: { paidOn: string; position: string } | null;
  /** Over every page of the range, not only this one. */
  totals: { payments: number; amount: number };
}

export class SponsorPaymentsQuery extends Query<SponsorPayments> {
  constructor(
    readonly sponsorId: string,
    readonly range: { from?: string; to?: string },
    readonly limit: number,
    readonly after: { paidOn: string; position: string } | null,
  ) {
    super();
  }
}

/** The worker's whole stream, straight from the event store (the truth, not a read model). */
async function readWorkerStream(store: EventStore, workerId: string): Promise<RecordedEvent[]> {
  const events = await store.readStream(workerStream(workerId));
  if (events.length === 0) throw new DomainError('NOT_FOUND', `Worker ${workerId} is not known`);
  return events;
}

@QueryHandler(WorkerHistoryQuery)
export class WorkerHistoryHandler implements IQueryHandler<WorkerHistoryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ workerId }: WorkerHistoryQuery): Promise<WorkerHistory> {
    return workerHistory(workerId, await readWorkerStream(this.store, workerId));
  }
}

@QueryHandler(WorkerCoverageQuery)
export class WorkerCoverageHandler implements IQueryHandler<WorkerCoverageQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ workerId, view }: WorkerCoverageQuery): Promise<PointInTimeCoverage> {
    const events = await readWorkerStream(this.store, workerId);
    return coverageAsOf(workerId, events, view, this.config.policy, this.config.timezone);
  }
}

@QueryHandler(SponsorPaymentsQuery)
export class SponsorPaymentsHandler implements IQueryHandler<SponsorPaymentsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async execute({ sponsorId, range, limit, after }: SponsorPaymentsQuery): Promise<SponsorPayments> {
    // Whether the sponsor exists is the log's answer: a sponsor who paid nothing yet is an empty list, not a 404.
    if ((await this.store.readStream(sponsorStream(sponsorId), { maxCount: 1 })).length === 0) {
      throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known`);
    }
    const filter = { ...range, sponsorId };
    const [page, totals] = await Promise.all([ledgerPage(this.db, filter, limit, after), ledgerTotals(this.db, filter)]);
    return {
      sponsorId,
      items: page.items,
      nextCursor: page.next,
      totals: { payments: totals.payments, amount: Number(totals.amount) },
    };
  }
}
