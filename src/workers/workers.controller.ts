import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { ApiProblems } from '../http/openapi';
import { ChangeWorkerFundingCommand } from './change-worker-funding.handler';
import { ChangeWorkerSponsorCommand } from './change-worker-sponsor.handler';
import { CorrectWorkerCommand } from './correct-worker.handler';
import { ReversePaymentCommand } from './reverse-payment.handler';
import { EnrolWorkerCommand } from './enrol-worker.handler';
import { RecordPaymentCommand } from './record-payment.handler';
import { ReenrolWorkerCommand } from './reenrol-worker.handler';
import { WithdrawWorkerCommand } from './withdraw-worker.handler';
import {
  ChangeFundingDto,
  ChangeSponsorDto,
  CorrectWorkerDto,
  EnrolWorkerDto,
  PayPremiumDto,
  PaymentRefParam,
  ReenrolDto,
  ReversePaymentDto,
  WithdrawWorkerDto,
} from './worker.dto';
import { PaymentAnswerDto, WorkerAnswerDto } from './worker.responses';

@ApiTags('workers')
@ApiBearerAuth()
@Controller('v1/workers')
@Roles('admin', 'operator')
export class WorkersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Enrol a vulnerable worker', description: 'A 409 NIK_ALREADY_ENROLLED answer carries the `workerId` holding the NIK.' })
  @ApiCreatedResponse({ type: WorkerAnswerDto })
  @ApiProblems('NIK_ALREADY_ENROLLED', 'CONCURRENCY_CONFLICT', 'AGE_LIMIT_EXCEEDED', 'NIK_MISMATCH', 'UNKNOWN_SPONSOR', 'SPONSOR_WITHDRAWN', 'OUT_OF_SCOPE')
  async enrol(@Body() body: EnrolWorkerDto, @Req() req: Request) {
    const { workerId, position } = await this.commands.execute(new EnrolWorkerCommand(body, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, position);
  }

  @Post(':workerId/payments')
  @ApiOperation({
    summary: 'Record a premium payment (arrears first)',
    description:
      'Covers the next unpaid months. An identical resubmission of a paymentRef answers 200 with the original answer; ' +
      'different content under the same reference is 409 PAYMENT_REF_CONFLICT.',
  })
  @ApiCreatedResponse({ type: PaymentAnswerDto, description: 'Recorded' })
  @ApiOkResponse({ type: PaymentAnswerDto, description: 'Identical replay: the original answer, nothing appended' })
  @ApiProblems(
    'NOT_FOUND',
    'PAYMENT_REF_CONFLICT',
    'CONCURRENCY_CONFLICT',
    'INVALID_PAYMENT_PERIOD',
    'INVALID_PAYMENT_AMOUNT',
    'PAYMENT_DATE_INVALID',
    'PREPAY_LIMIT_EXCEEDED',
    'COVERAGE_ENDED',
    'UNKNOWN_SPONSOR',
    'SPONSOR_WITHDRAWN',
    'OUT_OF_SCOPE',
  )
  async pay(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: PayPremiumDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const answer = await this.commands.execute(new RecordPaymentCommand(workerId, body, this.contexts.fromRequest(req)));
    res.status(answer.replayed ? 200 : 201);
    const { paymentRef, coveredFrom, coveredThrough, amount, status } = answer;
    return withPosition({ workerId, paymentRef, coveredFrom, coveredThrough, amount, status }, answer.position);
  }

  @Post(':workerId/sponsor')
  @HttpCode(200)
  @ApiOperation({ summary: "Change the worker's ASN sponsor (funding becomes ASN_SPONSOR)" })
  @ApiOkResponse({ type: WorkerAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'UNKNOWN_SPONSOR', 'SPONSOR_WITHDRAWN', 'OUT_OF_SCOPE')
  async changeSponsor(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: ChangeSponsorDto, @Req() req: Request) {
    const answer = await this.commands.execute(new ChangeWorkerSponsorCommand(workerId, body.sponsorId, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, answer.position);
  }

  @Post(':workerId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a worker (death, moved away, …): the membership ends' })
  @ApiOkResponse({ type: WorkerAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'OUT_OF_SCOPE')
  async withdraw(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: WithdrawWorkerDto, @Req() req: Request) {
    const answer = await this.commands.execute(new WithdrawWorkerCommand(workerId, body.reason, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, answer.position);
  }

  @Post(':workerId/reenrol')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-enrol a worker whose membership ended (age checked again)' })
  @ApiOkResponse({ type: WorkerAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'NOT_REENROLLABLE', 'AGE_LIMIT_EXCEEDED', 'OUT_OF_SCOPE')
  async reenrol(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: ReenrolDto, @Req() req: Request) {
    const answer = await this.commands.execute(new ReenrolWorkerCommand(workerId, body.enrolledOn, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, answer.position);
  }

  @Patch(':workerId')
  @ApiOperation({
    summary: "Correct a worker's details (WorkerDetailsCorrected)",
    description:
      'Records only the fields whose value changes, with the reason; a correction that changes nothing appends nothing and answers 200. ' +
      'Birth date and gender must still agree with the NIK. A NIK is never corrected: withdraw the record (reason DATA_ERROR) and enrol the right person.',
  })
  @ApiOkResponse({ type: WorkerAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'NIK_MISMATCH', 'AGE_LIMIT_EXCEEDED', 'COVERAGE_ENDED', 'OUT_OF_SCOPE')
  async correct(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: CorrectWorkerDto, @Req() req: Request) {
    const answer = await this.commands.execute(new CorrectWorkerCommand(workerId, { ...body }, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, answer.position);
  }

  @Post(':workerId/funding')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change who funds the worker from a date (WorkerFundingChanged)',
    description: 'An APBD-funded worker adopted by an ASN, or the reverse. Per-OPD worker counts follow the current sponsor.',
  })
  @ApiOkResponse({ type: WorkerAnswerDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'UNKNOWN_SPONSOR', 'SPONSOR_WITHDRAWN', 'COVERAGE_ENDED', 'OUT_OF_SCOPE')
  async changeFunding(@Param('workerId', ParseUUIDPipe) workerId: string, @Body() body: ChangeFundingDto, @Req() req: Request) {
    const answer = await this.commands.execute(new ChangeWorkerFundingCommand(workerId, { ...body }, this.contexts.fromRequest(req)));
    return withPosition({ workerId }, answer.position);
  }

  @Post(':workerId/payments/:paymentRef/reversal')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Reverse a recorded payment that did not happen (PremiumPaymentReversed)',
    description:
      "Only the worker's latest standing payment (422 REVERSAL_NOT_LATEST otherwise). Its months are no longer paid, premiums drop by its " +
      'amount, and the status change it causes as of reversedOn is recorded. The reference stays used for good. Asking again answers the first reversal.',
  })
  @ApiOkResponse({ type: PaymentAnswerDto, description: "The reversed payment's period and amount, and the status right after the reversal" })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT', 'REVERSAL_NOT_LATEST')
  async reverse(@Param() { workerId, paymentRef }: PaymentRefParam, @Body() body: ReversePaymentDto, @Req() req: Request) {
    const answer = await this.commands.execute(new ReversePaymentCommand(workerId, paymentRef, body, this.contexts.fromRequest(req)));
    const { coveredFrom, coveredThrough, amount, status } = answer;
    return withPosition({ workerId, paymentRef, coveredFrom, coveredThrough, amount, status }, answer.position);
  }
}
