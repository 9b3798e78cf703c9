import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { API_KEYS } from '../auth/api-keys';
import { newManagedSecret, secretHashOf } from '../auth/managed-api-keys';
import { APP_CONFIG, type ApiKey, type AppConfig } from '../config/config';
import type { UniqueClaim } from '../event-sourcing/command-handling';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { CommandContext } from '../event-sourcing/event-metadata';
import { opdFacts } from '../opds/opd-facts';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { PROJECTION_SYNC, type ProjectionSync } from '../read-models/projection-sync';
import { DomainError } from '../shared/domain-error';
import type { Role } from '../shared/roles';
import { apiKeyDecider, type IssueApiKey, issueApiKey } from './api-key.decider';
import { apiKeyStream } from './api-key.events';

export type IssuedApiKey = {
  keyId: string;
  name: string;
  role: Role;
  opdCode: string | null;
  expiresOn: string | null;
  /** Shown once, in this answer; the log and the read model hold only its keyed hash. */
  secret: string;
  position: bigint;
};

export class IssueApiKeyCommand extends Command<IssuedApiKey> {
  constructor(
    readonly body: { name: string; role: string; opdCode?: string; expiresOn?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

type NameHolder = { keyId: string };

/**
 * Issues a managed key: a fresh id and secret (`asuh_` + 256 random bits), the secret's keyed hash in
 * ApiKeyIssued, and the name reserved for good (a reservation stream per name, as NIKs and NIPs have). The
 * answer waits until the read models have the key, so it works at once; should they lag beyond
 * ASUH_CONSISTENCY_WAIT_MS, the answer still comes (its secret would otherwise be lost) and the key works as
 * soon as they catch up.
 */
@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand> {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(API_KEYS) private readonly configured: ApiKey[],
    @Inject(PROJECTION_SYNC) private readonly projection: ProjectionSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ body, context }: IssueApiKeyCommand): Promise<IssuedApiKey> {
    const keyId = randomUUID();
    const secret = newManagedSecret();
    const { name, role } = body;
    const opdCode = body.opdCode ?? null;
    const expiresOn = body.expiresOn ?? null;
    if (this.configured.some((k) => k.name === name)) {
      throw new DomainError('VALIDATION_FAILED', `name ${name} is already used by a key of ASUH_API_KEYS`, 'name');
    }
    const command: IssueApiKey = {
      type: 'IssueApiKey',
      data: {
        keyId,
        name,
        role,
        opdCode,
        expiresOn,
        secretHash: secretHashOf(this.vault, secret),
        today: context.today,
        opd: opdCode === null ? null : await opdFacts(this.runner, opdCode),
      },
    };
    const nameClaim: UniqueClaim<NameHolder> = {
      streamId: this.runner.reservationStream('api-key-name', name),
      type: 'ApiKeyNameReserved',
      holder: { keyId },
      stillHeld: (holder) => this.runner.streamExists(apiKeyStream(holder.keyId)),
      conflict: (holder) => new DomainError('VALIDATION_FAILED', `name ${name} is already used by another API key`, 'name', { keyId: holder.keyId }),
    };
    const { position } = await this.runner.run(
      apiKeyStream(keyId),
      apiKeyDecider,
      (state) => ({ events: issueApiKey(command, state), result: undefined, claims: [nameClaim as UniqueClaim] }),
      context,
    );
    if (!(await this.projection.waitFor(position, this.config.consistencyWaitMs))) {
      this.logger.warn(`API key ${name} issued at position ${position}; it works once the read models reach it`);
    }
    return { keyId, name, role: role as Role, opdCode, expiresOn, secret, position };
  }
}
