import { Module } from '@nestjs/common';
import { GetOpdHandler } from './get-opd.query';
import { ListKecamatanHandler } from './list-kecamatan.query';
import { ListOccupationsHandler } from './list-occupations.query';
import { ListOpdsHandler } from './list-opds.query';
import { OpdLookupController } from './opd-lookup.controller';
import { ReferenceController } from './reference.controller';

const QUERY_HANDLERS = [ListKecamatanHandler, ListOccupationsHandler, ListOpdsHandler, GetOpdHandler];

/** Reference data and look-ups (api.md): kecamatan, occupations and OPDs. */
@Module({
  controllers: [ReferenceController, OpdLookupController],
  providers: [...QUERY_HANDLERS],
})
export class ReferenceModule {}
