import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { IssueApiKeyHandler } from './issue-api-key.handler';
import { ListApiKeysHandler } from './list-api-keys.query';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

const commandHandlers = [IssueApiKeyHandler, RevokeApiKeyHandler];
const queryHandlers = [ListApiKeysHandler];

/** Managed API keys: issued and revoked as events, listed from the api_keys read model (the guard is in src/auth). */
@Module({ controllers: [ApiKeysController], providers: [...commandHandlers, ...queryHandlers] })
export class ApiKeysModule {}
