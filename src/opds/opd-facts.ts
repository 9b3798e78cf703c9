import type { CommandRunner } from '../event-sourcing/command-runner';
import { fold } from '../shared/domain-event';
import { opdDecider } from './opd.decider';
import { type OpdEvent, opdStream } from './opd.events';

/** What a sponsor command needs to know about an OPD, read from the OPD's own stream. */
export interface OpdFacts {
  exists: boolean;
  /** Retired (OpdRetired): it accepts no sponsor. */
  retired: boolean;
}

export async function opdFacts(runner: CommandRunner, opdCode: string): Promise<OpdFacts> {
  const state = fold(opdDecider, await runner.read<OpdEvent>(opdStream(opdCode)));
  return { exists: state.registered, retired: state.registered && state.retiredOn !== null };
}
