import type { CommandRunner } from '../event-sourcing/command-runner';
import type { DecodedEvent } from '../event-sourcing/event-codec';
import { DomainError } from '../shared/domain-error';
import { type WorkerEvent, workerStream } from '../workers/worker.events';

/** The worker's whole stream in its current shape, straight from the event store (the truth, not a read model). */
export async function readWorkerStream(runner: CommandRunner, workerId: string): Promise<DecodedEvent<WorkerEvent>[]> {
  const events = await runner.read<WorkerEvent>(workerStream(workerId));
  if (events.length === 0) throw new DomainError('NOT_FOUND', `Worker ${workerId} is not known`);
  return events;
}
