import { Global, Module } from '@nestjs/common';
import { ScopeService } from './scope.service';

/** OPD scope of operator keys (domain.md, "Scope"), for every feature's handlers and controllers. */
@Global()
@Module({ providers: [ScopeService], exports: [ScopeService] })
export class ScopeModule {}
