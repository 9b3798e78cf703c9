import { Module } from '@nestjs/common';
import { ChangeWorkerSponsorHandler } from './change-worker-sponsor.handler';
import { EnrolWorkerHandler } from './enrol-worker.handler';
import { GetWorkerHandler } from './get-worker.query';
import { ListWorkersHandler } from './list-workers.query';
import { RecordPaymentHandler } from './record-payment.handler';
import { ReenrolWorkerHandler } from './reenrol-worker.handler';
import { WithdrawWorkerHandler } from './withdraw-worker.handler';
import { WorkerQueriesController } from './worker-queries.controller';
import { WorkersController } from './workers.controller';
import { WorkersToCheckHandler } from './workers-to-check.query';

const commandHandlers = [EnrolWorkerHandler, RecordPaymentHandler, ChangeWorkerSponsorHandler, WithdrawWorkerHandler, ReenrolWorkerHandler];
const queryHandlers = [GetWorkerHandler, ListWorkersHandler, WorkersToCheckHandler];

@Module({
  controllers: [WorkersController, WorkerQueriesController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class WorkersModule {}
