import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PROJECTION_STATUS, PROJECTION_SYNC } from './projection-sync';
import { CheckpointProjectionSync } from './checkpoint-projection-sync';
import { ReadConsistencyInterceptor } from './read-consistency.interceptor';
import { ProjectorService } from './projector.service';


/** Read-your-writes for every query endpoint; the checkpoint is the shared truth of the read side. */
@Global()
@Module({
  providers: [
    CheckpointProjectionSync,
    ProjectorService,
    { provide: PROJECTION_SYNC, useExisting: ProjectorService },
    { provide: PROJECTION_STATUS, useExisting: ProjectorService },
    { provide: APP_INTERCEPTOR, useClass: ReadConsistencyInterceptor },
  ],
  exports: [PROJECTION_SYNC, PROJECTION_STATUS, ProjectorService],
})
export class ReadModelsModule {}
