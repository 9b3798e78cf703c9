import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import getRawBody from 'raw-body';
import { Roles } from '../auth/roles.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CommandContextFactory } from '../http/command-context.factory';
import { ApiProblems } from '../http/openapi';
import { ProblemException } from '../http/problem-details.filter';
import { importErrorsCsv } from './import-errors-csv';
import { ImportFileError } from './import-file';
import { StartImportQueryDto } from './imports.dto';
import { ImportReportDto, ImportStartedDto } from './imports.responses';
import { ImportsService } from './imports.service';

const notFound = (importId: string) => new ProblemException(404, 'NOT_FOUND', `No import ${importId}`);

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
@Roles('admin')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly contexts: CommandContextFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import a CSV file of workers or of payments (a job)',
    description:
      'The body is the file itself, `Content-Type: text/csv`: UTF-8 (a BOM is accepted), comma-separated, RFC 4180 quoting, ' +
      'a header row. Workers: nik,fullName,birthDate,gender,occupation,kecamatan,fundingSource required; address,phone,sponsorNip,' +
      'enrolledOn optional. Payments: paymentRef,nik,months,amount,paidOn,payerType required; payerSponsorNip,payerName optional. ' +
      'Each row is one command under the rules and codes of POST /v1/workers or POST /v1/workers/{id}/payments; a row already ' +
      'recorded with the same content is a duplicate, not an error. 202 with the job id at once; follow it with GET /v1/imports/{id}. ' +
      'A header lacking a required column (or naming an unknown one), a file that is not UTF-8 CSV: 400 before any row runs. ' +
      'Over ASUH_IMPORT_MAX_BYTES: 413.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'nik,fullName,birthDate,gender,occupation,kecamatan,fundingSource\n...' } })
  @ApiAcceptedResponse({ type: ImportStartedDto })
  async start(@Query() q: StartImportQueryDto, @Req() req: Request) {
    const content = await this.readFile(req);
    const context = this.contexts.fromRequest(req);
    try {
      const { importId } = await this.imports.start(q.kind, content, { principal: context.principal }, { dryRun: q.dryRun === 'true' });
      return { importId };
    } catch (error) {
      if (error instanceof ImportFileError) throw new ProblemException(400, 'VALIDATION_FAILED', error.message, error.errors);
      throw error;
    }
  }

  @Get(':importId')
  @ApiOperation({ summary: "An import's progress and result", description: 'Counts while RUNNING (written every second), the row errors, and the result once DONE or FAILED.' })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiProblems('NOT_FOUND')
  async get(@Param('importId', ParseUUIDPipe) importId: string) {
    const report = await this.imports.report(importId);
    if (!report) throw notFound(importId);
    return report;
  }

  @Get(':importId/errors.csv')
  @ApiOperation({
    summary: 'The rejected rows, with row, field, code and message appended',
    description: 'Fix the rows in a spreadsheet and import the file again: the four appended columns are ignored on import.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: "The file's own columns (as uploaded), then row, field, code, message; one line per rejected row",
    content: { 'text/csv': { schema: { type: 'string', example: 'nik,fullName,…,row,field,code,message' } } },
  })
  @ApiProblems('NOT_FOUND')
  async errors(@Param('importId', ParseUUIDPipe) importId: string, @Res() res: Response) {
    const rejected = await this.imports.rejectedRows(importId);
    if (!rejected) throw notFound(importId);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${importId}-errors.csv"`);
    res.send(importErrorsCsv(rejected.header, rejected.rows));
  }

  /** The request body, at most ASUH_IMPORT_MAX_BYTES (413 beyond it, as soon as the limit is passed). */
  private async readFile(req: Request): Promise<Buffer> {
    const limit = this.config.importMaxBytes;
    try {
      const content = await getRawBody(req, { limit, length: req.headers['content-length'] });
      if (content.length === 0) throw new ProblemException(400, 'VALIDATION_FAILED', 'Send the CSV file as the request body (Content-Type: text/csv)');
      return content;
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        throw new ProblemException(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${limit} bytes (ASUH_IMPORT_MAX_BYTES): split it into smaller files`);
      }
      if (type === 'request.size.invalid') throw new ProblemException(400, 'VALIDATION_FAILED', 'The request body does not match its Content-Length');
      throw new ProblemException(400, 'VALIDATION_FAILED', 'The request body was cut off');
    }
  }
}
