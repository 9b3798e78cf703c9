import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { YearMonth } from '../shared/year-month';

export interface MonthlyItem {
  month: string;
  enrolments: number;
  payments: number;
  amount: number;
  lapses: number;
  ends: number;
  /** Payments reversed in the month (by reversedOn) and their amount; `amount` stays the gross of payments. */
  reversals: number;
  reversedAmount: number;
}

export class MonthlyStatsQuery extends Query<{ items: MonthlyItem[] }> {
  constructor(
    readonly from?: string,
    readonly to?: string,
  ) {
    super();
  }
}

const MAX_MONTHS = 120;

@QueryHandler(MonthlyStatsQuery)
export class MonthlyStatsHandler implements IQueryHandler<MonthlyStatsQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every month of the range, months without activity included as zeros, so a chart needs no gap filling. */
  async execute(query: MonthlyStatsQuery): Promise<{ items: MonthlyItem[] }> {
    const to = query.to ? YearMonth.parse(query.to) : YearMonth.ofDate(this.clock.today());
    const from = query.from ? YearMonth.parse(query.from) : to.minus(11);
    if (from.isAfter(to)) throw new DomainError('VALIDATION_FAILED', 'from must not be after to', 'from');
    if (to.monthsSince(from) >= MAX_MONTHS) throw new DomainError('VALIDATION_FAILED', `at most ${MAX_MONTHS} months per request`, 'from');
    const rows: MonthlyItem[] = await this.db.query(
      `SELECT month, enrolments, payments, amount::float8 AS amount, lapses, ends, reversals, reversed_amount::float8 AS "reversedAmount"
         FROM monthly_stats WHERE month BETWEEN $1 AND $2`,
      [from.toString(), to.toString()],
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const items: MonthlyItem[] = [];
    for (let m = from; !m.isAfter(to); m = m.plus(1)) {
      items.push(byMonth.get(m.toString()) ?? { month: m.toString(), enrolments: 0, payments: 0, amount: 0, lapses: 0, ends: 0, reversals: 0, reversedAmount: 0 });
    }
    return { items };
  }
}
