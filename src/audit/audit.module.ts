import { Module } from '@nestjs/common';
import { LedgerController } from './ledger.controller';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';
import { WorkerAuditController } from './worker-audit.controller';
import { SponsorPaymentsHandler } from './sponsor-payments.query';
import { WorkerCoverageHandler } from './worker-coverage.query';
import { WorkerHistoryHandler } from './worker-history.query';

const queryHandlers = [WorkerHistoryHandler, WorkerCoverageHandler, SponsorPaymentsHandler];

/** What auditors need: histories and point-in-time views from the log, the ledger export, verify-by-replay. */
@Module({
  controllers: [WorkerAuditController, LedgerController, VerifyController],
  providers: [...queryHandlers, VerifyService],
})
export class AuditModule {}
