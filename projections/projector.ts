import { Client, Pool } from 'pg';
import { formatPosition, type AllSubscription, type EventStore } from '../src/event-store/event-store.port';
import { LOCK_NAMESPACE, LockKey } from './advisory-locks';
import { applyBatchInTransaction } from './apply-batch';
import { ensureCheckpoint, readCheckpoint } from './checkpoint/checkpoint';
import { EventBatcher } from './event-batcher';
import { silentLogger, type ReadSideLogger } from './logger';
import { LIVE_SCHEMA, type Projection } from './projection';
import { READ_MODEL_PROJECTIONS } from './read-model-projections';

export type ProjectorState = 'idle' | 'waiting-for-lock' | 'running' | 'stopping' | 'stopped';

export interface ProjectorOptions {
  eventStore: EventStore;
  /** Read-model database (migrated beforehand with `runMigrations`). */
  databaseUrl: string;
  logger?: ReadSideLogger;
  projections?: readonly Projection[];
  /** Most events per transaction (default 500). */
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
  now?: () => Date;
}

export interface ProjectorLag {
  state: ProjectorState;
  /** Last committed log position (decimal string). */
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

interface PositionWaiter {
  position: bigint;
  settle(reached: boolean): void;
}

class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  constructor() {
    this.promise = new Promise<T>((resolve) => (this.resolve = resolve));
  }
}

/**
 * Applies the whole event log to the read models, batch by batch, each batch and its checkpoint in one
 * transaction. One projector works per database: it holds a session-level advisory lock on a connection of
 * its own for as long as it runs, and a second instance waits (and says so) until the first stops.
 * Correctness does not rest on that lock: each batch transaction takes the read-model write lock, re-reads
 * the checkpoint and skips what was applied, so overlapping instances or a blue-green swap (see rebuild.ts)
 * never apply an event twice or skip one.
 */
export class Projector {
  private readonly pool: Pool;
  private readonly logger: ReadSideLogger;
  private readonly projections: readonly Projection[];
  private readonly batchSize: number;
  private readonly lockRetryMs: number;
  private readonly lockWaitLogMs: number;
  private readonly lagLogMs: number;
  private readonly retryDelayMs: { initial: number; max: number };
  private readonly checkpointPollMs: number;
  private readonly now: () => Date;

  private stateValue: ProjectorState = 'idle';
  private committed = 0n;
  private lastEventAt: Date | null = null;
  private lockClient: Client | null = null;
  private lockLost: Error | null = null;
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private readonly leading = new Deferred<void>();
  private readonly stopRequested = new Deferred<void>();
  private readonly sleepers = new Set<() => void>();
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly waiters = new Set<PositionWaiter>();

  constructor(private readonly options: ProjectorOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'asuh-projector' });
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle projector connection failed'));
    this.logger = options.logger ?? silentLogger;
    this.projections = options.projections ?? READ_MODEL_PROJECTIONS;
    this.batchSize = options.batchSize ?? 500;
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.lockWaitLogMs = options.lockWaitLogMs ?? 60_000;
    this.lagLogMs = options.lagLogMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? { initial: 500, max: 30_000 };
    this.checkpointPollMs = options.checkpointPollMs ?? 100;
    this.now = options.now ?? (() => new Date());
  }

  get state(): ProjectorState {
    return this.stateValue;
  }

  /** Last log position this instance knows the read models have committed. */
  position(): bigint {
    return this.committed;
  }

  /**
   * Starts projecting in the background. Resolves once this instance holds the projector lock and has
   * subscribed (or once it is stopped): with another instance running, it keeps waiting for the lock.
   */
  start(): Promise<void> {
    if (this.stopping) throw new Error('A stopped projector does not start again; create a new one');
    this.loop ??= this.run();
    return this.leading.promise;
  }

  /** Finishes the batch in flight, unsubscribes, releases the lock and closes its connections. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    this.setState('stopping');
    this.stopRequested.resolve();
    for (const wake of [...this.sleepers]) wake();
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.loop;
    this.stopPolling();
    for (const waiter of [...this.waiters]) waiter.settle(false);
    await this.pool.end();
    this.setState('stopped');
    this.logger.info({ checkpoint: formatPosition(this.committed) }, 'projector stopped');
  }

  /**
   * Resolves true once the read models have committed `position` (read-your-writes for `minPosition`), or
   * false after `timeoutMs`. Works on every instance: one that is not projecting watches the checkpoint.
   */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.committed >= position) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: PositionWaiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (this.waiters.size === 0) this.stopPolling();
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
      if (this.stateValue !== 'running') this.startPolling();
    });
  }

  /** Where the read models are against the log (for /health/ready and the lag log). */
  async lag(): Promise<ProjectorLag> {
    if (this.stateValue !== 'running') await this.refreshFromCheckpoint();
    const head = await this.options.eventStore.headPosition();
    const checkpoint = this.committed;
    return {
      state: this.stateValue,
      checkpoint: formatPosition(checkpoint),
      headPosition: formatPosition(head),
      caughtUp: checkpoint >= head,
      lastEventAt: this.lastEventAt?.toISOString() ?? null,
      lastEventAgeMs: this.lastEventAt ? this.now().getTime() - this.lastEventAt.getTime() : null,
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // The loop: lock, subscribe after the checkpoint, commit batches; on failure wait and resubscribe.

  private async run(): Promise<void> {
    let delay = this.retryDelayMs.initial;
    try {
      while (!this.stopping) {
        try {
          const locked = await this.acquireLock();
          if (!locked) break;
          await this.project();
          delay = this.retryDelayMs.initial;
        } catch (error) {
          if (this.stopping) break;
          this.logger.error(
            { err: error, checkpoint: formatPosition(this.committed), retryInMs: delay },
            'projector failed; it resumes from its checkpoint',
          );
          await this.pause(delay);
          delay = Math.min(delay * 2, this.retryDelayMs.max);
        }
      }
    } finally {
      this.stopLagLog();
      await this.releaseLock();
      this.leading.resolve();
    }
  }

  private async project(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await ensureCheckpoint(client, LIVE_SCHEMA);
      const checkpoint = await readCheckpoint(client, LIVE_SCHEMA);
      this.advance(checkpoint.position, checkpoint.lastEventAt);
    } finally {
      client.release();
    }

    const subscription = this.options.eventStore.subscribeToAll({ after: this.committed });
    this.subscription = subscription;
    subscription.caughtUp.then(
      () => this.logger.info({ checkpoint: formatPosition(this.committed) }, 'projector caught up with the log'),
      () => undefined,
    );
    if (this.stateValue !== 'running') {
      this.setState('running');
      this.stopPolling();
      this.logger.info({ checkpoint: formatPosition(this.committed), batchSize: this.batchSize }, 'projector started');
      this.startLagLog();
      this.leading.resolve();
    }

    const batcher = new EventBatcher(subscription[Symbol.asyncIterator]());
    try {
      for (;;) {
        if (this.lockLost) throw this.lockLost;
        const next = batcher.next(this.batchSize);
        // Left behind when stop() wins the race; its failure then is of no interest.
        next.catch(() => undefined);
        const batch = await this.unlessStopped(next);
        if (this.stopping) return;
        if (batch === null) throw new Error('The event-store subscription ended');
        const result = await applyBatchInTransaction(this.pool, batch, { projections: this.projections, schema: LIVE_SCHEMA });
        this.advance(result.checkpoint, result.lastEventAt);
        this.logger.debug?.(
          { applied: result.applied, skipped: result.skipped, checkpoint: formatPosition(result.checkpoint) },
          'projector batch committed',
        );
      }
    } finally {
      this.subscription = null;
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /**
   * The batch, or null once stop() is called. Not Promise.race with the long-lived stop promise: every race
   * would leave a reaction on it holding its result, so each batch (events, data and metadata) would stay
   * reachable for as long as the projector runs.
   */
  private unlessStopped<T>(next: Promise<T>): Promise<T | null> {
    if (this.stopping) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      const onStop = () => resolve(null);
      this.sleepers.add(onStop);
      next.then(
        (value) => {
          this.sleepers.delete(onStop);
          resolve(value);
        },
        (error: unknown) => {
          this.sleepers.delete(onStop);
          reject(error);
        },
      );
    });
  }

  private advance(position: bigint, lastEventAt: Date | null): void {
    if (position < this.committed) return;
    this.committed = position;
    if (lastEventAt) this.lastEventAt = lastEventAt;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= position) waiter.settle(true);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The projector lock: session-level, on a connection of its own, so it goes away with the process.

  /** True once held; false when stopped while waiting. */
  private async acquireLock(): Promise<boolean> {
    if (this.lockClient && !this.lockLost) return true;
    await this.releaseLock();
    this.lockLost = null;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'asuh-projector-lock' });
    client.on('error', (error) => {
      this.lockLost = error;
      this.logger.error({ err: error }, 'projector lost its lock connection');
      void this.subscription?.unsubscribe().catch(() => undefined);
    });
    await client.connect();
    let lastWaitLog = 0;
    try {
      while (!this.stopping) {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_NAMESPACE, LockKey.PROJECTOR]);
        if (rows[0].locked) {
          this.lockClient = client;
          return true;
        }
        if (this.stateValue !== 'waiting-for-lock' || Date.now() - lastWaitLog >= this.lockWaitLogMs) {
          const holder = await this.lockHolder(client);
          this.logger.info({ holder }, this.stateValue === 'waiting-for-lock' ? 'projector still waiting for the lock' : 'another projector holds the lock; waiting for it');
          this.setState('waiting-for-lock');
          lastWaitLog = Date.now();
        }
        await this.pause(this.lockRetryMs);
      }
      await client.end().catch(() => undefined);
      return false;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async lockHolder(client: Client): Promise<{ pid: number; applicationName: string; clientAddr: string | null } | null> {
    const { rows } = await client.query<{ pid: number; application_name: string; client_addr: string | null }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = $1::int::oid AND l.objid = $2::int::oid AND l.objsubid = 2`,
      [LOCK_NAMESPACE, LockKey.PROJECTOR],
    );
    return rows[0] ? { pid: rows[0].pid, applicationName: rows[0].application_name, clientAddr: rows[0].client_addr } : null;
  }

  private async releaseLock(): Promise<void> {
    const client = this.lockClient;
    this.lockClient = null;
    if (!client) return;
    // Ending the session releases a session-level advisory lock; unlock first to say so explicitly.
    if (!this.lockLost) await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LockKey.PROJECTOR]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------
  // Timers.

  /** Sleeps `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private startLagLog(): void {
    if (this.lagLogMs <= 0 || this.lagTimer) return;
    this.lagTimer = setInterval(() => {
      this.lag().then(
        (lag) => this.logger.info({ lag }, 'projector lag'),
        (error: unknown) => this.logger.warn({ err: error }, 'projector lag unknown'),
      );
    }, this.lagLogMs);
    this.lagTimer.unref();
  }

  private stopLagLog(): void {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.lagTimer = null;
  }

  private startPolling(): void {
    if (this.pollTimer || this.pool.ended) return;
    const poll = async () => {
      try {
        await this.refreshFromCheckpoint();
      } catch (error) {
        this.logger.warn({ err: error }, 'could not read the projector checkpoint');
      }
      if (this.pollTimer) this.pollTimer = setTimeout(poll, this.checkpointPollMs);
    };
    this.pollTimer = setTimeout(poll, 0);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private async refreshFromCheckpoint(): Promise<void> {
    if (this.pool.ended) return;
    const client = await this.pool.connect();
    try {
      const checkpoint = await readCheckpoint(client, LIVE_SCHEMA);
      this.advance(checkpoint.position, checkpoint.lastEventAt);
    } finally {
      client.release();
    }
  }

  private setState(state: ProjectorState): void {
    this.stateValue = state;
  }
}
