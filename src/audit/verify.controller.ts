import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { VerifyReportDto } from './audit.responses';
import { Roles } from '../auth/roles.decorator';
import { VerifyService } from './verify.service';

/** No options: unknown body fields are refused like everywhere else. */
export class VerifyRequestDto {}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
@Roles('admin', 'auditor')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify the read models by replaying the log, and the log by its hash chains',
    description:
      'Walks every stream\'s hash chain through the whole log, waits for the live read models to reach the head, replays the log up ' +
      'to the live checkpoint into scratch read models with the same projection code and compares every read-model table (the ' +
      'checkpoint excepted) row by row by primary key, every column, in one snapshot at the same log position; the scratch schema ' +
      'is dropped afterwards. Answers `{ ok, eventsReplayed, position, headPosition, liveCaughtUp, mismatches: [{ table, key, column, ' +
      'live, replayed }], tables: [{ table, liveRows, replayedRows, differingRows }], eventsHashed, streamsHashed, brokenChains: ' +
      '[{ streamId, revision, position, eventId, type, reason }] }`, at most 50 mismatches and 50 broken chains (the first of each ' +
      'broken stream). `column` null: the row exists on one side only. `ok` is false on any mismatch or broken link. Also as a CLI: ' +
      '`npm run audit:verify`.',
  })
  @ApiOkResponse({ type: VerifyReportDto })
  verify(@Body() _body: VerifyRequestDto) {
    return this.verifier.verify();
  }
}
