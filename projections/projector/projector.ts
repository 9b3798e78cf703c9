import { Pool } from 'pg';
import type { EventCodec } from '../../src/event-sourcing/event-codec';
import { type AllSubscription, type EventStore, formatPosition } from '../../src/event-store/event-store.port';
import { readCommonCheckpoint } from '../checkpoint/checkpoint';
import { silentLogger, type ReadSideLogger } from '../logger';
import { LIVE_SCHEMA, type Projection } from '../projection';
import { READ_MODEL_PROJECTIONS } from '../read-model-projections';
import { runBatchLoop } from './batch-loop';
import { PositionWaiters } from './position-waiters';
import { ProjectorLock } from './projector-lock';
import { Stopper } from './stopper';
import { boundedPoolOptions } from '../data-source';

/** Events per batch transaction at most: catching up, fewer and larger transactions (measured: 500 → 2000). */
const DEFAULT_BATCH_SIZE = 2000;

export type ProjectorState = 'idle' | 'waiting-for-lock' | 'running' | 'stopping' | 'stopped';

export interface ProjectorOptions {
  eventStore: EventStore;
  /** The read path of the log: every batch is decoded (upcast) through it before any projection sees it. */
  codec: EventCodec;
  /** Read-model database (migrated beforehand with `runMigrations`). */
  databaseUrl: string;
  logger?: ReadSideLogger;
  projections?: readonly Projection[];
  /** Most events per transaction (default 2000; a batch takes only the events already read, so a live projector applies small ones). */
  batchSize?: number;
  /** How often an instance that waits for the projector lock tries again (default 1000 ms). */
  lockRetryMs?: number;
  /** How often a waiting instance says it still waits (default 60 s). */
  lockWaitLogMs?: number;
  /** How often the running projector logs its lag (default 60 s; 0 turns it off). */
  lagLogMs?: number;
  /** First and longest pause before retrying after a failure (defaults 500 ms and 30 s). */
  retryDelayMs?: { initial: number; max: number };
  /** How often `waitForPosition` reads the checkpoint when another instance is the one projecting (default 100 ms). */
  checkpointPollMs?: number;
  /** Bound of every read-model call (ASUH_DB_TIMEOUT_MS); unset: unbounded. A timed-out batch is retried. */
  dbTimeoutMs?: number;
  now?: () => Date;
}

export interface ProjectorLag {
  state: ProjectorState;
  /** Where every read model has got to: the least advanced projection's checkpoint (decimal string). */
  checkpoint: string;
  /** Last position of the log (decimal string). */
  headPosition: string;
  /** The read models have applied everything the log had when asked. */
  caughtUp: boolean;
  /** Store commit time of the last applied event (ISO 8601), null before the first. */
  lastEventAt: string | null;
  /** Age of that event now, in milliseconds: how stale the read models are at most, when not caught up. */
  lastEventAgeMs: number | null;
}

/**
 * Applies the whole event log to the read models, batch by batch, each batch and the projections' checkpoints
 * in one transaction. One projector works per database (ProjectorLock); correctness does not rest on that
 * lock: each batch takes the read-model write lock and re-reads every projection's checkpoint, so
 * overlapping instances or a blue-green swap never apply an event twice or skip one.
 */
export class Projector {
  private readonly pool: Pool;
  private readonly logger: ReadSideLogger;
  private readonly projections: readonly Projection[];
  private readonly stopper = new Stopper();
  private readonly lock: ProjectorLock;
  private readonly committed: PositionWaiters;
  private stateValue: ProjectorState = 'idle';
  private lastEventAt: Date | null = null;
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private stopped: Promise<void> | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private announceLeading!: () => void;
  private readonly leading = new Promise<void>((resolve) => (this.announceLeading = resolve));

  constructor(private readonly options: ProjectorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: 2,
      application_name: 'asuh-projector',
      ...(options.dbTimeoutMs ? boundedPoolOptions(options.dbTimeoutMs) : {}),
    });
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle projector connection failed'));
    this.projections = options.projections ?? READ_MODEL_PROJECTIONS;
    this.committed = new PositionWaiters(() => this.refreshFromCheckpoint(), options.checkpointPollMs ?? 100);
    this.lock = new ProjectorLock(options.databaseUrl, this.logger, {
      connectTimeoutMs: options.dbTimeoutMs,
      retryMs: options.lockRetryMs ?? 1000,
      waitLogMs: options.lockWaitLogMs ?? 60_000,
      onLost: () => void this.subscription?.unsubscribe().catch(() => undefined),
      onWaiting: () => (this.stateValue = 'waiting-for-lock'),
    });
  }

  get state(): ProjectorState {
    return this.stateValue;
  }

  /** Last log position this instance knows every read model has committed. */
  position(): bigint {
    return this.committed.position;
  }

  /** Starts projecting in the background; resolves once this instance leads (or is stopped). */
  start(): Promise<void> {
    if (this.stopper.requested) throw new Error('A stopped projector does not start again; create a new one');
    this.loop ??= this.run();
    return this.leading;
  }

  /** Finishes the batch in flight, unsubscribes, releases the lock and closes its connections. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stateValue = 'stopping';
      this.stopper.stop();
      await this.subscription?.unsubscribe().catch(() => undefined);
      await this.loop;
      this.committed.settleAll(false);
      await this.pool.end();
      this.stateValue = 'stopped';
      this.logger.info({ checkpoint: formatPosition(this.committed.position) }, 'projector stopped');
    })();
    return this.stopped;
  }

  /** True once every read model has committed `position` (read-your-writes), false after `timeoutMs`. */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.committed.waitFor(position, timeoutMs, this.stateValue !== 'running' && !this.pool.ended);
  }

  /** Where the read models are against the log (for /health/ready and the lag log). */
  async lag(): Promise<ProjectorLag> {
    if (this.stateValue !== 'running') await this.refreshFromCheckpoint();
    const head = await this.options.eventStore.headPosition();
    const checkpoint = this.committed.position;
    return {
      state: this.stateValue,
      checkpoint: formatPosition(checkpoint),
      headPosition: formatPosition(head),
      caughtUp: checkpoint >= head,
      lastEventAt: this.lastEventAt?.toISOString() ?? null,
      lastEventAgeMs: this.lastEventAt ? (this.options.now ?? (() => new Date()))().getTime() - this.lastEventAt.getTime() : null,
    };
  }

  // The loop: lock, subscribe after the checkpoints, commit batches; on failure wait and start over.
  private async run(): Promise<void> {
    const retry = this.options.retryDelayMs ?? { initial: 500, max: 30_000 };
    let delay = retry.initial;
    try {
      while (!this.stopper.requested) {
        try {
          if (!(await this.lock.acquire(this.stopper))) break;
          await this.refreshFromCheckpoint();
          this.lead();
          await runBatchLoop({
            eventStore: this.options.eventStore,
            codec: this.options.codec,
            pool: this.pool,
            projections: this.projections,
            batchSize: this.options.batchSize ?? DEFAULT_BATCH_SIZE,
            after: this.committed.position,
            stopper: this.stopper,
            logger: this.logger,
            assertLocked: () => {
              if (this.lock.lost) throw this.lock.lost;
            },
            onSubscribed: (subscription) => (this.subscription = subscription),
            onCommitted: (result) => this.advance(result.checkpoint, result.lastEventAt),
          });
          this.subscription = null;
          delay = retry.initial;
        } catch (error) {
          this.subscription = null;
          if (this.stopper.requested) break;
          this.logger.error({ err: error, checkpoint: formatPosition(this.committed.position), retryInMs: delay }, 'projector failed; it resumes from its checkpoint');
          await this.stopper.pause(delay);
          delay = Math.min(delay * 2, retry.max);
        }
      }
    } finally {
      this.stopLagLog();
      await this.lock.release();
      this.announceLeading();
    }
  }

  private lead(): void {
    if (this.stateValue === 'running') return;
    this.stateValue = 'running';
    this.committed.stopPolling();
    this.logger.info({ checkpoint: formatPosition(this.committed.position), batchSize: this.options.batchSize ?? DEFAULT_BATCH_SIZE }, 'projector started');
    this.startLagLog();
    this.announceLeading();
  }

  private advance(position: bigint, lastEventAt: Date | null): void {
    if (this.committed.advance(position) && lastEventAt) this.lastEventAt = lastEventAt;
  }

  private async refreshFromCheckpoint(): Promise<void> {
    if (this.pool.ended) return;
    const client = await this.pool.connect();
    try {
      const checkpoint = await readCommonCheckpoint(client, LIVE_SCHEMA, this.projections.map((p) => p.name));
      this.advance(checkpoint.position, checkpoint.lastEventAt);
    } finally {
      client.release();
    }
  }

  private startLagLog(): void {
    const every = this.options.lagLogMs ?? 60_000;
    if (every <= 0 || this.lagTimer) return;
    this.lagTimer = setInterval(() => {
      this.lag().then(
        (lag) => this.logger.info({ lag }, 'projector lag'),
        (error: unknown) => this.logger.warn({ err: error }, 'projector lag unknown'),
      );
    }, every);
    this.lagTimer.unref();
  }

  private stopLagLog(): void {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.lagTimer = null;
  }
}
