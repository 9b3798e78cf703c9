import { Controller, Get, Logger, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi';
import { LedgerDto, SponsorPaymentsDto } from './audit.responses';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/roles.decorator';
import { ScopeService } from '../scope/scope.service';
import type { Principal } from '../shared/roles';
import { ProblemException } from '../http/problem-details.filter';
import { decodeCursor, encodeCursor, parseClientPosition } from '../read-models/read-query.dto';
import { isCalendarDate } from '../shared/identity';
import { toCsv } from '../http/csv';
import { LedgerQueryDto, SponsorPaymentsQueryDto } from './audit.dto';
import { addToTotals, LEDGER_COLUMNS, LedgerFilter, LedgerRow, LedgerTotals, streamLedger, totalsJson } from './ledger.query';
import { SponsorPaymentsQuery } from './sponsor-payments.query';

function requireOrderedRange(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) {
    throw new ProblemException(400, 'VALIDATION_FAILED', 'from is after to', [{ field: 'from', message: 'from must be on or before to' }]);
  }
}

/** Resolves once `res` can take more, so a slow client slows the cursor down instead of filling memory. */
function write(res: Response, chunk: string): Promise<void> {
  // A client that went away never drains, and its 'close' has already been emitted: do not wait for either.
  if (res.destroyed || res.write(chunk) || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const LEDGER_DESCRIPTION =
  'Every PremiumPaid (line `kind` PAYMENT, dated paidOn) and every PremiumPaymentReversed (kind REVERSAL, dated reversedOn, with ' +
  'the negative months and amount of the payment it reverses and the `reason`) whose date is in [from, to] (both optional, ' +
  'inclusive), optionally only those paid by an ASN sponsor (`sponsorId`), credited to an OPD (`opdCode`: the paying sponsor\'s ' +
  'OPD at payment time) or for one worker, in date then log order, from the `contribution_ledger` read model. Streamed: rows are ' +
  'read through a server-side cursor and written as they come.\n\n' +
  '`format=json` (default): `{ items: [{ kind, paymentRef, workerId, sponsorId, opdCode, fundingSource, payerName, paidOn, ' +
  'reversedOn, reason, months, coveredFrom, coveredThrough, amount, recordedAt, recordedBy, position }], totals: { payments, ' +
  'reversals, amount } }`; `totals.amount` is the net sum.\n\n' +
  '`format=csv`: `text/csv` with a header row and one row per line in the same columns (empty cell for null), so it parses ' +
  'back to the JSON items; no totals row. Text cells starting with `=`, `+`, `-`, `@`, a tab, a carriage return or an apostrophe ' +
  "get one leading apostrophe (`'`) so spreadsheets never run them as formulas: drop one leading apostrophe from a text cell " +
  'to read it back; numbers (`months`, `amount`, negative ones too) are plain numbers, never escaped. The totals come in the ' +
  'HTTP trailer `X-Ledger-Totals` (`payments=N; reversals=R; amount=M`) for ' +
  'clients that read trailers; otherwise ask for JSON. A failure after the first row aborts the connection rather than ending ' +
  'a shorter file that would look complete.';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  private readonly logger = new Logger(LedgerController.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: QueryBus,
    private readonly scope: ScopeService,
  ) {}

  @Get('ledger')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Export the contribution ledger (JSON or CSV)', description: LEDGER_DESCRIPTION })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: LedgerDto, description: 'JSON; with format=csv, text/csv in the same columns' })
  async ledger(@Query() query: LedgerQueryDto, @Res() res: Response): Promise<void> {
    requireOrderedRange(query.from, query.to);
    const filter: LedgerFilter = { from: query.from, to: query.to, opdCode: query.opdCode, sponsorId: query.sponsorId, workerId: query.workerId };
    const batches = streamLedger(this.db, filter);
    // The first batch comes before the status line: a failure to open the cursor still answers problem+json.
    const first = await batches.next();
    const csv = query.format === 'csv';
    const totals: LedgerTotals = { payments: 0, reversals: 0, amount: 0n };
    res.status(200);
    if (csv) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="ledger-${query.from ?? 'start'}-${query.to ?? 'end'}.csv"`);
      res.setHeader('Trailer', 'X-Ledger-Totals');
    } else {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
    }
    const encode = (rows: LedgerRow[], isFirst: boolean): string =>
      csv
        ? toCsv(rows, LEDGER_COLUMNS, isFirst)
        : rows.map((row, i) => `${isFirst && i === 0 ? '' : ','}${JSON.stringify(row)}`).join('');
    try {
      if (!csv) await write(res, '{"items":[');
      let isFirst = true;
      let next = first;
      while (!next.done) {
        addToTotals(totals, next.value);
        await write(res, encode(next.value, isFirst));
        isFirst = false;
        if (res.destroyed) break;
        next = await batches.next();
      }
      if (csv) {
        if (isFirst) await write(res, encode([], true));
        res.addTrailers({ 'X-Ledger-Totals': `payments=${totals.payments}; reversals=${totals.reversals}; amount=${totals.amount}` });
      } else {
        await write(res, `],"totals":${totalsJson(totals)}}`);
      }
      res.end();
    } catch (error) {
      this.logger.error(`Ledger export failed after ${totals.payments} rows: ${(error as Error).message}`);
      res.destroy(error as Error);
    } finally {
      await batches.return(undefined);
    }
  }

  @Get('sponsors/:sponsorId/payments')
  @Roles('admin', 'operator', 'auditor')
  @ApiOperation({
    summary: "A sponsor's own payments: who paid what",
    description:
      'The ledger rows paid by this ASN sponsor (paidOn in [from, to], inclusive, both optional), in paidOn then log order: ' +
      '`{ sponsorId, items: [ledger rows as in GET /v1/ledger], nextCursor, totals: { payments, amount } }`; totals cover the whole ' +
      'range, not only the page. 404 NOT_FOUND for an unknown sponsor.',
  })
  @ApiOkResponse({ type: SponsorPaymentsDto })
  @ApiProblems('NOT_FOUND', 'OUT_OF_SCOPE')
  async sponsorPayments(@Param('sponsorId', ParseUUIDPipe) sponsorId: string, @Query() query: SponsorPaymentsQueryDto, @Req() req: Request) {
    requireOrderedRange(query.from, query.to);
    await this.scope.requireSponsorVisible((req as Request & { principal?: Principal }).principal, sponsorId);
    const answer = await this.queries.execute(
      new SponsorPaymentsQuery(sponsorId, { from: query.from, to: query.to }, query.limit ?? 50, parsePaymentCursor(query.cursor)),
    );
    return { ...answer, nextCursor: answer.nextCursor ? encodeCursor(`${answer.nextCursor.bookedOn}|${answer.nextCursor.position}`) : null };
  }
}

/** `date|position` of the last row of the previous page: a real date and a bigint position, else 400. */
function parsePaymentCursor(cursor: string | undefined): { bookedOn: string; position: string } | null {
  const key = decodeCursor(cursor);
  if (key === null) return null;
  const [bookedOn, position, ...rest] = key.split('|');
  if (rest.length > 0 || !isCalendarDate(bookedOn) || parseClientPosition(position) === null) {
    throw new ProblemException(400, 'VALIDATION_FAILED', 'cursor is not one this list handed out', [{ field: 'cursor', message: 'unknown cursor' }]);
  }
  return { bookedOn, position };
}
