/**
 * The projector's stop signal: pauses and waits that end early when stop() is called, without keeping a
 * long-lived promise that every batch would attach a reaction to.
 */
export class Stopper {
  private stopped = false;
  private readonly sleepers = new Set<() => void>();

  get requested(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Sleeps `ms`, or less when stop() is called. */
  pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
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

  /**
   * The value of `next`, or null once stop() is called. Not Promise.race with a long-lived stop promise: every
   * race would leave a reaction on it holding its result, so each batch would stay reachable for as long as
   * the projector runs.
   */
  unlessStopped<T>(next: Promise<T>): Promise<T | null> {
    if (this.stopped) return Promise.resolve(null);
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
}
