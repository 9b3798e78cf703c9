import { Module } from '@nestjs/common';
import { OpdsController } from './opds.controller';
import { RegisterOpdHandler, SetOpdHeadcountHandler } from './opd.commands';

const commandHandlers = [RegisterOpdHandler, SetOpdHeadcountHandler];

@Module({ controllers: [OpdsController], providers: [...commandHandlers] })
export class OpdsModule {}
