import { Module } from '@nestjs/common';
import { QUERY_HANDLERS } from './read-model.queries';
import { SponsorQueriesController, StatsController, WorkerQueriesController } from './queries.controller';

@Module({
  controllers: [WorkerQueriesController, SponsorQueriesController, StatsController],
  providers: [...QUERY_HANDLERS],
})
export class QueriesModule {}
