import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { PersonalDataAccess } from '../http/personal-data-access';
import { ProblemException } from '../http/problem-details.filter';
import { ApiProblems } from '../http/openapi';
import { ScopeService } from '../scope/scope.service';
import type { Principal } from '../shared/roles';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../read-models/read-query.dto';
import { workerSubject } from './worker.events';
import { dueListCsv } from './workers-due.csv';
import { DEFAULT_DUE_WITHIN, WorkersDueQueryDto } from './workers-due.dto';
import { type DueItem, type DueKey, WorkersDueQuery } from './workers-due.query';
import { DueListDto } from './workers-due.responses';

const DESCRIPTION = [
  'Workers due for a payment as of `asOf` (default today; up to 366 days ahead, never before today: the list starts from what is ',
  'paid now), ordered by `dueOn`, then `workerId`. U is the first unpaid month of the current membership and its due date is the ',
  '15th (ASUH_DUE_DAY). The status is the one the rules give as of asOf from what is recorded (paidThrough, enrolment), not ',
  'the wall clock: `LAPSED` workers are always listed (daysUntilDue < 0), `PENDING` ones too (never paid; daysUntilDue counts to ',
  'the due date of the first month, negative once passed), `ACTIVE` ones when U\'s due date is at most `within` days after asOf ',
  '(default 30); `ENDED` workers are not due (they need a re-enrolment); erased ones are not registered.\n\n',
  '`daysUntilDue` = dueOn − asOf in days. `arrearsMonths` = the unpaid months from U through the month of asOf whose due date ',
  'has passed. `amountFor[n]` = the exact amount (rupiah) of an n-month payment made on asOf, arrears first, each month at its ',
  'dated tariff (ASUH_TARIFFS) — what POST /v1/workers/{id}/payments would accept that day; **null** when that payment would be ',
  'refused: n is not an allowed period (ASUH_PAYMENT_PERIODS), or it would cover months past the prepay limit ',
  '(ASUH_MAX_PREPAY_MONTHS beyond the month of asOf).\n\n',
  '`format=json` (default): `{ asOf, items, nextCursor }`, `limit` (default 50, max 500) items per page. `format=csv`: the whole ',
  'list as text/csv, a header row and one row per item in the same fields, amountFor as amountFor1, amountFor3, amountFor6, ',
  "amountFor12 (empty for null); text starting with =, +, -, @, tab, CR or ' gets one leading apostrophe (formula injection), ",
  'numbers stay numbers. Every name answered is written to the personal-data access log.',
].join('');

const parseDueCursor = (cursor: string | undefined): DueKey | null => {
  const key = decodeCursor(cursor);
  if (key === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})\|([0-9a-f-]{36})$/.exec(key);
  if (!m) throw new ProblemException(400, 'VALIDATION_FAILED', 'cursor is not one this list handed out', [{ field: 'cursor', message: 'unknown cursor' }]);
  return { dueOn: m[1], workerId: m[2] };
};

/**
 * GET /v1/workers/due. Registered in WorkersModule before WorkerQueriesController, whose `GET :workerId` would
 * otherwise take `due` for a worker id (Nest matches routes in the order controllers are registered).
 */
@ApiTags('workers')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin', 'operator')
export class WorkersDueController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: PersonalDataAccess,
    private readonly scope: ScopeService,
  ) {}

  @Get('due')
  @ApiOperation({ summary: 'Renewals: workers due for a payment, with the exact amounts under dated tariffs (JSON or CSV)', description: DESCRIPTION })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: DueListDto, description: 'JSON; with format=csv, text/csv in the same fields' })
  @ApiProblems('OUT_OF_SCOPE')
  async due(@Query() q: WorkersDueQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const csv = q.format === 'csv';
    const page = csv ? null : { limit: q.limit ?? DEFAULT_PAGE_SIZE, after: parseDueCursor(q.cursor) };
    const filters = { sponsorId: q.sponsorId, opdCode: this.scope.listFilter((req as Request & { principal?: Principal }).principal, q.opdCode) };
    const list = await this.queries.execute(new WorkersDueQuery(q.asOf, q.within ?? DEFAULT_DUE_WITHIN, filters, page));
    await this.recordNames(req, list.items);
    if (csv) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="workers-due-${list.asOf}.csv"`);
      return dueListCsv(list.items);
    }
    const nextCursor = list.next ? encodeCursor(`${list.next.dueOn}|${list.next.workerId}`) : null;
    return { asOf: list.asOf, items: list.items, nextCursor };
  }

  private recordNames(req: Request, items: readonly DueItem[]): Promise<void> {
    return this.access.record(req, items.filter((item) => item.fullName !== null).map((item) => workerSubject(item.workerId)));
  }
}
