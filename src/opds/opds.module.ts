import { Module } from '@nestjs/common';
import { CorrectOpdDetailsHandler } from './correct-opd-details.handler';
import { GetOpdHandler } from './get-opd.query';
import { ListOpdsHandler } from './list-opds.query';
import { OpdQueriesController } from './opd-queries.controller';
import { OpdSponsorsRegisteredHandler } from './opd-sponsors-registered.query';
import { OpdsController } from './opds.controller';
import { RegisterOpdHandler } from './register-opd.handler';
import { RetireOpdHandler } from './retire-opd.handler';
import { SetOpdHeadcountHandler } from './set-opd-headcount.handler';

const commandHandlers = [RegisterOpdHandler, SetOpdHeadcountHandler, CorrectOpdDetailsHandler, RetireOpdHandler];
const queryHandlers = [ListOpdsHandler, GetOpdHandler, OpdSponsorsRegisteredHandler];

@Module({ controllers: [OpdsController, OpdQueriesController], providers: [...commandHandlers, ...queryHandlers] })
export class OpdsModule {}
