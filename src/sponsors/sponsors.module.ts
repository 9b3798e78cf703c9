import { Module } from '@nestjs/common';
import { GetSponsorHandler } from './get-sponsor.query';
import { ListSponsorsHandler } from './list-sponsors.query';
import { RegisterSponsorHandler } from './register-sponsor.handler';
import { SponsorQueriesController } from './sponsor-queries.controller';
import { SponsorsController } from './sponsors.controller';
import { TransferSponsorHandler } from './transfer-sponsor.handler';
import { WithdrawSponsorHandler } from './withdraw-sponsor.handler';
import { EraseSponsorPersonalDataHandler } from './erase-sponsor.handler';
import { SponsorPersonalDataController } from './sponsor-personal-data.controller';
import { SponsorPersonalDataHandler } from './sponsor-personal-data.query';

const commandHandlers = [RegisterSponsorHandler, TransferSponsorHandler, WithdrawSponsorHandler, EraseSponsorPersonalDataHandler];
const queryHandlers = [GetSponsorHandler, ListSponsorsHandler, SponsorPersonalDataHandler];

@Module({
  controllers: [SponsorsController, SponsorQueriesController, SponsorPersonalDataController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class SponsorsModule {}
