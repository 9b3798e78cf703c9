import { Module } from '@nestjs/common';
import { GetSponsorHandler } from './get-sponsor.query';
import { ListSponsorsHandler } from './list-sponsors.query';
import { RegisterSponsorHandler } from './register-sponsor.handler';
import { SponsorQueriesController } from './sponsor-queries.controller';
import { SponsorsController } from './sponsors.controller';
import { TransferSponsorHandler } from './transfer-sponsor.handler';
import { WithdrawSponsorHandler } from './withdraw-sponsor.handler';

const commandHandlers = [RegisterSponsorHandler, TransferSponsorHandler, WithdrawSponsorHandler];
const queryHandlers = [GetSponsorHandler, ListSponsorsHandler];

@Module({
  controllers: [SponsorsController, SponsorQueriesController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class SponsorsModule {}
