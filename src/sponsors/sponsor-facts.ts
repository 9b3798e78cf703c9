import type { CommandRunner } from '../event-sourcing/command-runner';
import { fold } from '../shared/domain-event';
import { sponsorDecider } from './sponsor.decider';
import { type SponsorEvent, sponsorStream } from './sponsor.events';

/** What a worker command needs to know about a sponsor, read from the sponsor's own stream. */
export interface SponsorFacts {
  exists: boolean;
  withdrawn: boolean;
  /** The sponsor's OPD on the given date (registration OPD, then transfers effective on or before it). */
  opdCodeOn(date: string): string | null;
}

export async function sponsorFacts(runner: CommandRunner, sponsorId: string): Promise<SponsorFacts> {
  const events = await runner.read<SponsorEvent>(sponsorStream(sponsorId));
  const state = fold(sponsorDecider, events);
  return {
    exists: state.registered,
    withdrawn: state.registered && state.withdrawn,
    opdCodeOn: (date: string) => {
      let opd: string | null = null;
      for (const event of events) {
        if (event.type === 'SponsorRegistered') opd = event.data.opdCode;
        if (event.type === 'SponsorTransferred' && event.data.effectiveOn <= date) opd = event.data.toOpdCode;
      }
      return opd;
    },
  };
}
