import { Module } from '@nestjs/common';
import { SponsorsController } from './sponsors.controller';
import { RegisterSponsorHandler, TransferSponsorHandler, WithdrawSponsorHandler } from './sponsor.commands';

const commandHandlers = [RegisterSponsorHandler, TransferSponsorHandler, WithdrawSponsorHandler];

@Module({ controllers: [SponsorsController], providers: [...commandHandlers] })
export class SponsorsModule {}
