import { Module } from '@nestjs/common';
import { ListKecamatanHandler } from './list-kecamatan.query';
import { ListOccupationsHandler } from './list-occupations.query';
import { ReferenceController } from './reference.controller';
import { UcjStatsController } from './ucj-stats.controller';
import { UcjProgressHandler } from './ucj-progress.query';

const QUERY_HANDLERS = [ListKecamatanHandler, ListOccupationsHandler, UcjProgressHandler];

/** Reference data (api.md): kecamatan, occupations, and UCJ progress. The OPD look-ups are in src/opds. */
@Module({
  controllers: [ReferenceController, UcjStatsController],
  providers: [...QUERY_HANDLERS],
})
export class ReferenceModule {}
