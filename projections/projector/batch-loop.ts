import type { Pool } from 'pg';
import type { EventCodec } from '../../src/event-sourcing/event-codec';
import { type AllSubscription, type EventStore, formatPosition } from '../../src/event-store/event-store.port';
import { applyBatchInTransaction, type BatchResult } from '../apply-batch';
import type { ReadSideLogger } from '../logger';
import { LIVE_SCHEMA, type ProjectedEvent, type Projection } from '../projection';
import { EventBatcher } from './event-batcher';
import type { Stopper } from './stopper';

export interface BatchLoopOptions {
  eventStore: EventStore;
  codec: EventCodec;
  pool: Pool;
  projections: readonly Projection[];
  batchSize: number;
  /** Subscribe after this position (the least advanced projection's checkpoint). */
  after: bigint;
  stopper: Stopper;
  logger: ReadSideLogger;
  /** Throws when the projector lock was lost: batches must stop at once. */
  assertLocked(): void;
  onSubscribed(subscription: AllSubscription): void;
  onCommitted(result: BatchResult): void;
}

/**
 * Subscribes to the log and applies it batch by batch, each batch decoded (upcast) and applied with its
 * checkpoints in one transaction, until stopped (returns) or something fails (throws; the caller resumes
 * from the checkpoints).
 */
export async function runBatchLoop(options: BatchLoopOptions): Promise<void> {
  const { eventStore, codec, pool, projections, batchSize, stopper, logger } = options;
  const subscription = eventStore.subscribeToAll({ after: options.after });
  options.onSubscribed(subscription);
  subscription.caughtUp.then(
    () => logger.info({ from: formatPosition(options.after) }, 'projector caught up with the log'),
    () => undefined,
  );
  const batcher = new EventBatcher(subscription[Symbol.asyncIterator]());
  try {
    for (;;) {
      options.assertLocked();
      const next = batcher.next(batchSize);
      // Left behind when stop() wins the race; its failure then is of no interest.
      next.catch(() => undefined);
      const batch = await stopper.unlessStopped(next);
      if (stopper.requested) return;
      if (batch === null) throw new Error('The event-store subscription ended');
      const events = (await codec.decode(batch)) as ProjectedEvent[];
      const result = await applyBatchInTransaction(pool, events, { projections, schema: LIVE_SCHEMA, personal: codec.vault });
      options.onCommitted(result);
      logger.debug?.({ applied: result.applied, skipped: result.skipped, checkpoint: formatPosition(result.checkpoint) }, 'projector batch committed');
    }
  } finally {
    await subscription.unsubscribe().catch(() => undefined);
  }
}
