import { Module } from '@nestjs/common';
import { ListKecamatanHandler } from './list-kecamatan.query';
import { ListOccupationsHandler } from './list-occupations.query';
import { ReferenceController } from './reference.controller';

const QUERY_HANDLERS = [ListKecamatanHandler, ListOccupationsHandler];

/** Reference data (api.md): kecamatan and occupations. The OPD look-ups are in src/opds, UCJ progress in src/ucj. */
@Module({
  controllers: [ReferenceController],
  providers: [...QUERY_HANDLERS],
})
export class ReferenceModule {}
