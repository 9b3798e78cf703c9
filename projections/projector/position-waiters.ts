interface Waiter {
  position: bigint;
  settle(reached: boolean): void;
}

/**
 * Read-your-writes: callers wait for a log position; `advance` settles every waiter the read models have
 * reached. While someone waits and this process is not the one projecting, `poll` (the committed checkpoint)
 * is called every `pollMs`.
 */
export class PositionWaiters {
  private committed = 0n;
  private readonly waiters = new Set<Waiter>();
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly poll: () => Promise<void>,
    private readonly pollMs: number,
  ) {}

  get position(): bigint {
    return this.committed;
  }

  /** Records that the read models have committed `position`; never moves back. */
  advance(position: bigint): boolean {
    if (position < this.committed) return false;
    this.committed = position;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= position) waiter.settle(true);
    }
    return true;
  }

  /** True once `position` is reached, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number, pollWhileWaiting: boolean): Promise<boolean> {
    if (this.committed >= position) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
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
      if (pollWhileWaiting) this.startPolling();
    });
  }

  settleAll(reached: boolean): void {
    for (const waiter of [...this.waiters]) waiter.settle(reached);
    this.stopPolling();
  }

  startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    const tick = async () => {
      await this.poll().catch(() => undefined);
      if (this.polling) this.pollTimer = setTimeout(tick, this.pollMs);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopPolling(): void {
    this.polling = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }
}
