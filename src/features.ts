import { Type } from '@nestjs/common';
import { OpdsModule } from './opds/opds.module';
import { SponsorsModule } from './sponsors/sponsors.module';
import { WorkersModule } from './workers/workers.module';

/** The product's feature modules, mounted by AppModule. */
export const FEATURE_MODULES: Type<unknown>[] = [OpdsModule, SponsorsModule, WorkersModule];
