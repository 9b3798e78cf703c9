import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoverageController } from '../coverage/coverage.controller';
import { LapseRunService } from '../coverage/lapse-run.service';
import { LapseSchedule } from '../coverage/lapse-schedule';
import { WorkersController } from './workers.controller';
import {
  ChangeWorkerSponsorHandler,
  EnrolWorkerHandler,
  PayPremiumHandler,
  ReenrolWorkerHandler,
  WithdrawWorkerHandler,
} from './worker.commands';

const commandHandlers = [EnrolWorkerHandler, PayPremiumHandler, ChangeWorkerSponsorHandler, WithdrawWorkerHandler, ReenrolWorkerHandler];

@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [WorkersController, CoverageController],
  providers: [...commandHandlers, LapseRunService, LapseSchedule],
})
export class WorkersModule {}
