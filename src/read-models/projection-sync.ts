/** Lets write-side work wait until the read models have processed a log position. */
export interface ProjectionSync {
  /** Resolves true once the read models are at or past `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
  /** The position the read models have processed (committed checkpoint). */
  current(): Promise<bigint>;
}

export const PROJECTION_SYNC = Symbol('PROJECTION_SYNC');

/** What the read side reports about its progress (implemented by the projector service), for readiness. */
export interface ProjectionStatus {
  lag(): Promise<{ checkpoint: bigint; head: bigint; caughtUp: boolean; behindSeconds: number; running: boolean }>;
}
export const PROJECTION_STATUS = Symbol('PROJECTION_STATUS');
