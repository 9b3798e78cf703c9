import { Module } from '@nestjs/common';
import { OpdsController } from './opds.controller';
import { RegisterOpdHandler } from './register-opd.handler';
import { SetOpdHeadcountHandler } from './set-opd-headcount.handler';

const commandHandlers = [RegisterOpdHandler, SetOpdHeadcountHandler];

@Module({ controllers: [OpdsController], providers: [...commandHandlers] })
export class OpdsModule {}
