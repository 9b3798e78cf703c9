import { Module } from '@nestjs/common';
import { ChangeWorkerFundingHandler } from './change-worker-funding.handler';
import { ChangeWorkerSponsorHandler } from './change-worker-sponsor.handler';
import { CorrectWorkerHandler } from './correct-worker.handler';
import { ReversePaymentHandler } from './reverse-payment.handler';
import { EnrolWorkerHandler } from './enrol-worker.handler';
import { GetWorkerHandler } from './get-worker.query';
import { ListWorkersHandler } from './list-workers.query';
import { RecordPaymentHandler } from './record-payment.handler';
import { ReenrolWorkerHandler } from './reenrol-worker.handler';
import { WithdrawWorkerHandler } from './withdraw-worker.handler';
import { WorkerQueriesController } from './worker-queries.controller';
import { WorkersController } from './workers.controller';
import { WorkersToCheckHandler } from './workers-to-check.query';
import { EraseWorkerPersonalDataHandler } from './erase-worker.handler';
import { WorkerPersonalDataController } from './worker-personal-data.controller';
import { WorkerPersonalDataHandler } from './worker-personal-data.query';
import { WorkersDueController } from './workers-due.controller';
import { WorkersDueHandler } from './workers-due.query';

const commandHandlers = [
  EnrolWorkerHandler,
  RecordPaymentHandler,
  ChangeWorkerSponsorHandler,
  WithdrawWorkerHandler,
  ReenrolWorkerHandler,
  EraseWorkerPersonalDataHandler,
  CorrectWorkerHandler,
  ChangeWorkerFundingHandler,
  ReversePaymentHandler,
];
const queryHandlers = [GetWorkerHandler, ListWorkersHandler, WorkersToCheckHandler, WorkerPersonalDataHandler, WorkersDueHandler];

@Module({
  // WorkersDueController first: its GET due must be matched before WorkerQueriesController's GET :workerId.
  controllers: [WorkersDueController, WorkersController, WorkerQueriesController, WorkerPersonalDataController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class WorkersModule {}
