import { Module } from '@nestjs/common';
import { GetOpdHandler } from './get-opd.query';
import { ListKecamatanHandler } from './list-kecamatan.query';
import { ListOccupationsHandler } from './list-occupations.query';
import { ListOpdsHandler } from './list-opds.query';
import { OpdLookupController } from './opd-lookup.controller';
import { ReferenceController } from './reference.controller';
import { UcjStatsController } from './ucj-stats.controller';
import { UcjProgressHandler } from './ucj-progress.query';

const QUERY_HANDLERS = [ListKecamatanHandler, ListOccupationsHandler, ListOpdsHandler, GetOpdHandler, UcjProgressHandler];

/** Reference data and look-ups (api.md): kecamatan, occupations, OPDs, and UCJ progress. */
@Module({
  controllers: [ReferenceController, OpdLookupController, UcjStatsController],
  providers: [...QUERY_HANDLERS],
})
export class ReferenceModule {}
