import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CommandContextFactory } from '../http/command-context.factory';
import { withPosition } from '../http/command-response';
import { ApiProblems } from '../http/openapi';
import { ReadQueryDto } from '../read-models/read-query.dto';
import { IssueApiKeyDto, RevokeApiKeyDto } from './api-key.dto';
import { ApiKeyListDto, IssuedApiKeyDto, RevokedApiKeyDto } from './api-key.responses';
import { IssueApiKeyCommand } from './issue-api-key.handler';
import { ListApiKeysQuery } from './list-api-keys.query';
import { RevokeApiKeyCommand } from './revoke-api-key.handler';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: CommandContextFactory,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Issue an API key (ApiKeyIssued): the secret is in this answer only',
    description:
      'The key works as soon as this answer arrives. `name` is unique among every key, managed or configured (ASUH_API_KEYS), ' +
      'for good: a name already used is 400 VALIDATION_FAILED on `name` (with the `keyId` holding it when it is a managed key). ' +
      'Only operator keys take an `opdCode` (then they act only within that OPD; 422 UNKNOWN_OPD, OPD_RETIRED). `expiresOn` is the ' +
      'last day the key works (Asia/Jakarta), after today. The service keeps only a keyed hash of the secret: a lost secret is ' +
      'replaced by issuing a new key and revoking the old one.',
  })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  @ApiProblems('UNKNOWN_OPD', 'OPD_RETIRED', 'CONCURRENCY_CONFLICT')
  async issue(@Body() body: IssueApiKeyDto, @Req() req: Request) {
    const { position, ...issued } = await this.commands.execute(new IssueApiKeyCommand(body, this.contexts.fromRequest(req)));
    return withPosition(issued, position);
  }

  @Get()
  @ApiOperation({
    summary: 'The managed API keys (never a secret or its hash)',
    description: 'Keys issued through POST /v1/api-keys, revoked and expired ones included, oldest first. Keys configured in ASUH_API_KEYS are not listed.',
  })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(@Query() _q: ReadQueryDto) {
    return this.queries.execute(new ListApiKeysQuery());
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an API key (ApiKeyRevoked): refused with 401 from this answer on',
    description:
      'The answer comes once the revocation is in force: this instance refuses the key from then on, every other instance within ' +
      '5 s. Revoking again answers 200 with the first revocation and records nothing. 503 PROJECTION_LAGGING: recorded but not yet ' +
      'in force (read models lagging); ask again. Keys of ASUH_API_KEYS are revoked by removing them from the configuration.',
  })
  @ApiOkResponse({ type: RevokedApiKeyDto })
  @ApiProblems('NOT_FOUND', 'CONCURRENCY_CONFLICT')
  async revoke(@Param('keyId', ParseUUIDPipe) keyId: string, @Body() body: RevokeApiKeyDto, @Req() req: Request) {
    const { position } = await this.commands.execute(new RevokeApiKeyCommand(keyId, body, this.contexts.fromRequest(req)));
    return withPosition({ keyId }, position);
  }
}
