import { Type } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { CoverageModule } from './coverage/coverage.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ImportsModule } from './imports/imports.module';
import { OpdsModule } from './opds/opds.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { ReferenceModule } from './reference/reference.module';
import { ScopeModule } from './scope/scope.module';
import { SponsorsModule } from './sponsors/sponsors.module';
import { StatsModule } from './stats/stats.module';
import { UcjModule } from './ucj/ucj.module';
import { WorkersModule } from './workers/workers.module';

/** The product's feature modules, mounted by AppModule. */
export const FEATURE_MODULES: Type<unknown>[] = [
  ReadModelsModule,
  ScopeModule,
  OpdsModule,
  SponsorsModule,
  WorkersModule,
  CoverageModule,
  StatsModule,
  AuditModule,
  ReferenceModule,
  UcjModule,
  ImportsModule,
  ApiKeysModule,
  DashboardModule,
];
