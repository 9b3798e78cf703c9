import { EventStore } from '../event-store/event-store.port';
import { fold, upcast } from '../shared/command-handling';
import { sponsorDecider } from './sponsor.decider';
import { SponsorEvent, sponsorStream } from './sponsor.events';

export interface SponsorFacts {
  exists: boolean;
  withdrawn: boolean;
  /** The sponsor's OPD on the given date (registration OPD, then transfers effective on or before it). */
  opdCodeOn(date: string): string | null;
}

/** What a worker command needs to know about a sponsor, read from the sponsor's own stream. */
export async function lookUpSponsor(store: EventStore, sponsorId: string): Promise<SponsorFacts> {
  const history = await store.readStream(sponsorStream(sponsorId));
  const state = fold(sponsorDecider, history);
  const events = history.map((e) => upcast<SponsorEvent>(e));
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
