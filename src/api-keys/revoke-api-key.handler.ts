import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ManagedApiKeys } from '../auth/managed-api-keys';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Decision } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { ProblemException } from '../http/problem-details.filter';
import { PROJECTION_SYNC, type ProjectionSync } from '../read-models/projection-sync';
import { apiKeyDecider, type RevocationDecision, revokeApiKey } from './api-key.decider';
import { type ApiKeyEvent, apiKeyStream } from './api-key.events';

export type RevokedApiKey = { keyId: string; position: bigint };

export class RevokeApiKeyCommand extends Command<RevokedApiKey> {
  constructor(
    readonly keyId: string,
    readonly body: { reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Revokes a managed key and answers only once the revocation is in force: the read models have it (every
 * process refuses the key once its short cache of it runs out, see ManagedApiKeys) and this process has
 * forgotten the key. Read models lagging beyond ASUH_CONSISTENCY_WAIT_MS: 503 PROJECTION_LAGGING, the revocation
 * recorded; asking again answers 200 with the first revocation's position once it is in force.
 */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly managed: ManagedApiKeys,
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ keyId, body, context }: RevokeApiKeyCommand): Promise<RevokedApiKey> {
    const command = { type: 'RevokeApiKey', data: { reason: body.reason, today: context.today } } as const;
    const handled = await this.runner.run(
      apiKeyStream(keyId),
      apiKeyDecider,
      (state): Decision<ApiKeyEvent, RevocationDecision> => {
        const decision = revokeApiKey(command, state);
        return { events: decision.events, result: decision };
      },
      context,
    );
    const decision = handled.result;
    const position = decision.kind === 'replay' ? (decision.position ?? handled.position) : handled.position;
    const inForce = await this.projection.waitFor(position, this.config.consistencyWaitMs);
    this.managed.forget(keyId);
    if (!inForce) {
      throw new ProblemException(
        503,
        'PROJECTION_LAGGING',
        'The revocation is recorded but the read models have not reached it yet; ask again to be answered once it is in force',
        undefined,
        { 'Retry-After': '1' },
      );
    }
    return { keyId, position };
  }
}
