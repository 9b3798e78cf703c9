import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PROJECTION_SYNC } from '../coverage/projection-sync';
import { CheckpointProjectionSync } from './checkpoint-projection-sync';
import { ReadConsistencyInterceptor } from './read-consistency.interceptor';

/** Read-your-writes for every query endpoint; the checkpoint is the shared truth of the read side. */
@Global()
@Module({
  providers: [
    { provide: PROJECTION_SYNC, useClass: CheckpointProjectionSync },
    { provide: APP_INTERCEPTOR, useClass: ReadConsistencyInterceptor },
  ],
  exports: [PROJECTION_SYNC],
})
export class ReadModelsModule {}
