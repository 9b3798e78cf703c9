import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readCitySummary, CitySummary } from '../../projections/city-summary/city-summary.query';
import { CoverageGrouping, CoverageItem, readCoverage } from '../../projections/coverage/coverage.query';
import { OpdParticipation, readOpdParticipation } from '../../projections/opd-participation/opd-participation.query';
import { CLOCK, Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { YearMonth } from '../shared/year-month';
import { decodeCursor, encodeCursor, Page } from '../read-models/read-query.dto';
import type { WorkerStatus } from '../workers/worker.events';

export interface WorkerView {
  workerId: string;
  nikMasked: string;
  fullName: string;
  gender: string;
  occupation: string;
  kecamatan: string;
  fundingSource: string;
  sponsorId: string | null;
  opdCode: string | null;
  status: WorkerStatus;
  enrolledOn: string;
  paidThrough: string | null;
  monthsContributed: number;
  lastPaymentOn: string | null;
}

export interface SponsorView {
  sponsorId: string;
  fullName: string;
  opdCode: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  workersRegistered: number;
  workersActive: number;
  premiumsPaid: number;
}

export interface MonthlyItem {
  month: string;
  enrolments: number;
  payments: number;
  amount: number;
  lapses: number;
  ends: number;
}

const WORKER_COLUMNS = `worker_id AS "workerId", nik_masked AS "nikMasked", full_name AS "fullName", gender, occupation, kecamatan,
  funding_source AS "fundingSource", sponsor_id AS "sponsorId", opd_code AS "opdCode", status,
  to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", paid_through AS "paidThrough", months_contributed AS "monthsContributed",
  to_char(last_payment_on, 'YYYY-MM-DD') AS "lastPaymentOn"`;

const SPONSOR_COLUMNS = `sponsor_id AS "sponsorId", full_name AS "fullName", opd_code AS "opdCode", status,
  workers_registered AS "workersRegistered", workers_active AS "workersActive", premiums_paid::float8 AS "premiumsPaid"`;

const UUID_CURSOR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function afterId(cursor: string | undefined): string | null {
  const key = decodeCursor(cursor);
  if (key !== null && !UUID_CURSOR.test(key)) throw new DomainError('VALIDATION_FAILED', 'cursor is not one this API gave out', 'cursor');
  return key;
}

/** Keyset pagination by id: stable under concurrent inserts, no OFFSET scans. */
async function page<T extends Record<string, unknown>>(db: DataSource, sql: { select: string; table: string; key: string; idField: string }, filters: [string, unknown][], cursor: string | undefined, limit: number): Promise<Page<T>> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  const after = afterId(cursor);
  if (after) {
    params.push(after);
    where.push(`${sql.key} > $${params.length}`);
  }
  params.push(limit + 1);
  const rows: T[] = await db.query(
    `SELECT ${sql.select} FROM ${sql.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sql.key} LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(String(last[sql.idField])) : null };
}

// ---------------------------------------------------------------- workers

export class GetWorkerQuery extends Query<WorkerView> {
  constructor(readonly workerId: string) {
    super();
  }
}

export class ListWorkersQuery extends Query<Page<WorkerView>> {
  constructor(
    readonly filters: { status?: WorkerStatus; opdCode?: string; sponsorId?: string; kecamatan?: string },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(GetWorkerQuery)
export class GetWorkerHandler implements IQueryHandler<GetWorkerQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ workerId }: GetWorkerQuery): Promise<WorkerView> {
    const rows: WorkerView[] = await this.db.query(`SELECT ${WORKER_COLUMNS} FROM worker_status WHERE worker_id = $1`, [workerId]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `Worker ${workerId} is not known (yet: pass minPosition to wait for a recent command)`);
    return rows[0];
  }
}

@QueryHandler(ListWorkersQuery)
export class ListWorkersHandler implements IQueryHandler<ListWorkersQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute({ filters, limit, cursor }: ListWorkersQuery): Promise<Page<WorkerView>> {
    return page<WorkerView & Record<string, unknown>>(
      this.db,
      { select: WORKER_COLUMNS, table: 'worker_status', key: 'worker_id', idField: 'workerId' },
      [
        ['status', filters.status],
        ['opd_code', filters.opdCode],
        ['sponsor_id', filters.sponsorId],
        ['kecamatan', filters.kecamatan],
      ],
      cursor,
      limit,
    );
  }
}

// ---------------------------------------------------------------- sponsors

export class GetSponsorQuery extends Query<SponsorView> {
  constructor(readonly sponsorId: string) {
    super();
  }
}

export class ListSponsorsQuery extends Query<Page<SponsorView>> {
  constructor(
    readonly opdCode: string | undefined,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(GetSponsorQuery)
export class GetSponsorHandler implements IQueryHandler<GetSponsorQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ sponsorId }: GetSponsorQuery): Promise<SponsorView> {
    const rows: SponsorView[] = await this.db.query(`SELECT ${SPONSOR_COLUMNS} FROM sponsor_summary WHERE sponsor_id = $1`, [sponsorId]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known (yet: pass minPosition to wait for a recent command)`);
    return rows[0];
  }
}

@QueryHandler(ListSponsorsQuery)
export class ListSponsorsHandler implements IQueryHandler<ListSponsorsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute({ opdCode, limit, cursor }: ListSponsorsQuery): Promise<Page<SponsorView>> {
    return page<SponsorView & Record<string, unknown>>(this.db, { select: SPONSOR_COLUMNS, table: 'sponsor_summary', key: 'sponsor_id', idField: 'sponsorId' }, [['opd_code', opdCode]], cursor, limit);
  }
}

// ---------------------------------------------------------------- stats

export class CitySummaryQuery extends Query<CitySummary> {}
export class OpdStatsQuery extends Query<{ items: OpdParticipation[] }> {}
export class CoverageStatsQuery extends Query<{ groupBy: CoverageGrouping; items: CoverageItem[] }> {
  constructor(readonly groupBy: CoverageGrouping) {
    super();
  }
}
export class MonthlyStatsQuery extends Query<{ items: MonthlyItem[] }> {
  constructor(
    readonly from?: string,
    readonly to?: string,
  ) {
    super();
  }
}

@QueryHandler(CitySummaryQuery)
export class CitySummaryHandler implements IQueryHandler<CitySummaryQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(): Promise<CitySummary> {
    return readCitySummary(this.db);
  }
}

@QueryHandler(OpdStatsQuery)
export class OpdStatsHandler implements IQueryHandler<OpdStatsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(): Promise<{ items: OpdParticipation[] }> {
    return { items: await readOpdParticipation(this.db) };
  }
}

@QueryHandler(CoverageStatsQuery)
export class CoverageStatsHandler implements IQueryHandler<CoverageStatsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ groupBy }: CoverageStatsQuery) {
    return { groupBy, items: await readCoverage(this.db, groupBy) };
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
      `SELECT month, enrolments, payments, amount::float8 AS amount, lapses, ends FROM monthly_stats WHERE month BETWEEN $1 AND $2`,
      [from.toString(), to.toString()],
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const items: MonthlyItem[] = [];
    for (let m = from; !m.isAfter(to); m = m.plus(1)) {
      items.push(byMonth.get(m.toString()) ?? { month: m.toString(), enrolments: 0, payments: 0, amount: 0, lapses: 0, ends: 0 });
    }
    return { items };
  }
}

export const QUERY_HANDLERS = [
  GetWorkerHandler,
  ListWorkersHandler,
  GetSponsorHandler,
  ListSponsorsHandler,
  CitySummaryHandler,
  OpdStatsHandler,
  CoverageStatsHandler,
  MonthlyStatsHandler,
];
