import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../event-sourcing/command-runner';
import type { AccessLogEntry } from '../personal-data/access-log';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../personal-data/vault';
import { fold } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { sponsorDecider } from './sponsor.decider';
import { type SponsorEvent, sponsorStream, sponsorSubject } from './sponsor.events';

export interface SponsorPersonalData {
  sponsorId: string;
  erased: boolean;
  personal: { nip: string; fullName: string } | null;
  accessLog: AccessLogEntry[];
}

/** The sponsor's personal data as held (UU PDP access request), with who has read it. */
export class SponsorPersonalDataQuery extends Query<SponsorPersonalData> {
  constructor(readonly sponsorId: string) {
    super();
  }
}

@QueryHandler(SponsorPersonalDataQuery)
export class SponsorPersonalDataHandler implements IQueryHandler<SponsorPersonalDataQuery> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ sponsorId }: SponsorPersonalDataQuery): Promise<SponsorPersonalData> {
    const state = fold(sponsorDecider, await this.runner.read<SponsorEvent>(sponsorStream(sponsorId)));
    if (!state.registered) throw new DomainError('NOT_FOUND', `Sponsor ${sponsorId} is not known`);
    const erased = state.erasure !== null || state.nip === null || state.fullName === null;
    return {
      sponsorId,
      erased,
      personal: erased ? null : { nip: state.nip!, fullName: state.fullName! },
      accessLog: await this.vault.accessLog.of(sponsorSubject(sponsorId)),
    };
  }
}
