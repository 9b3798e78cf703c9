import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandRunner } from '../event-sourcing/command-runner';
import { DomainError } from '../shared/domain-error';
import { sponsorStream } from '../sponsors/sponsor.events';
import { ledgerPage, type LedgerRow, ledgerTotals } from './ledger.query';

export interface SponsorPayments {
  sponsorId: string;
  items: LedgerRow[];
  nextCursor: { bookedOn: string; position: string } | null;
  /** Over every page of the range, not only this one. */
  totals: { payments: number; reversals: number; amount: number };
}

export class SponsorPaymentsQuery extends Query<SponsorPayments> {
  constructor(
    readonly sponsorId: string,
    readonly range: { from?: string; to?: string },
    readonly limit: number,
    readonly after: { bookedOn: string; position: string } | null,
  ) {
    super();
  }
}

@QueryHandler(SponsorPaymentsQuery)
export class SponsorPaymentsHandler implements IQueryHandler<SponsorPaymentsQuery> {
  constructor(
    private readonly runner: CommandRunner,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async execute({ sponsorId, range, limit, after }: SponsorPaymentsQuery): Promise<SponsorPayments> {
    // Whether the sponsor exists is the log's answer: a sponsor who paid nothing yet is an empty list, not a 404.
    if (!(await this.runner.streamExists(sponsorStream(sponsorId)))) throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known`);
    const filter = { ...range, sponsorId };
    const [page, totals] = await Promise.all([ledgerPage(this.db, filter, limit, after), ledgerTotals(this.db, filter)]);
    return { sponsorId, items: page.items, nextCursor: page.next, totals: { payments: totals.payments, reversals: totals.reversals, amount: Number(totals.amount) } };
  }
}
